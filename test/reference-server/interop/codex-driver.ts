/**
 * Runs the Codex CLI against the reference server and prints one JSON report on stdout, which
 * codex.test.ts asserts on. It must run inside a loopback-only network namespace (the test
 * starts it under `unshare -n`) and refuses to start Codex when any other interface exists:
 * Codex can then reach nothing but the servers started here.
 *
 * Each scenario gets its own server, CODEX_HOME, HOME and working directory; the server's
 * traffic is recorded as it crosses the bindings: HTTP requests with their SSE answers, and
 * per WebSocket the client's frames and the server's events in order. Every server event is
 * schema-validated and state-machine-checked by the test helpers' WireRecorder.
 *
 * Usage: node --import tsx codex-driver.ts <path of the codex binary>
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { networkInterfaces, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gunzipSync, inflateSync, brotliDecompressSync } from "node:zlib";
import type { RawData, WebSocket } from "ws";
import { type RunningServer, startServer } from "../../../reference-server/index.js";
import { parseSseBody } from "../../../src/protocol/sse.js";
import { SSE_DONE } from "../../../src/protocol/index.js";
import { WireRecorder } from "../helpers/recorder.js";

/** How long one `codex exec` may take before it is killed. */
const CODEX_TIMEOUT_MS = 90_000;
/** The placeholder key Codex sends as its bearer token (the server is open). */
const API_KEY = "hotline-test-key";

/** One scenario: a transport and a prompt. */
export interface Scenario {
  name: string;
  websockets: boolean;
  prompt: string;
  /** Serve with permessage-deflate on (`serve --permessage-deflate`, TRANSPORT-21's bounds). */
  deflate?: boolean;
}

const SCENARIOS: Scenario[] = [
  { name: "http-text", websockets: false, prompt: "Say hello in one line." },
  {
    name: "ws-tool",
    websockets: true,
    prompt: "Use exec_command to list the files in this directory.",
  },
  {
    name: "http-tool",
    websockets: false,
    prompt: "Use exec_command to list the files in this directory.",
  },
  { name: "ws-deflate", websockets: true, deflate: true, prompt: "Say hello in one line." },
];

/** A request body or client frame, reduced to what the test asserts on. */
export interface BodySummary {
  keys: string[];
  type?: unknown;
  model?: unknown;
  stream?: unknown;
  store?: unknown;
  generate?: unknown;
  previous_response_id?: unknown;
  tool_choice?: unknown;
  /** Input items: type, role, name and call_id where present; a tool output's start. */
  input: { type: string; role?: string; name?: string; call_id?: string; output?: string }[];
  /** Tools: type, and name for function tools. */
  tools: { type: string; name?: string }[];
  /** A body that is not a JSON object (its first characters). */
  unparsed?: string;
}

/** A server event, reduced. */
export interface EventSummary {
  type: string;
  /** The item of `response.output_item.added`/`done`. */
  item?: { type: string; name?: string; call_id?: string; arguments?: string };
  /** The response of a lifecycle event (`created`, `completed`...). */
  response?: {
    id: string;
    status: string;
    output: { type: string; name?: string; call_id?: string; text?: string }[];
  };
  /** The error of an `error` event. */
  error?: unknown;
}

/** One HTTP exchange. */
export interface HttpExchange {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: BodySummary;
  status: number;
  contentType: string;
  /** SSE events, in order (an SSE answer only). */
  events: EventSummary[];
  /** Whether the SSE stream ended with `data: [DONE]`. */
  done: boolean;
  /** The start of a non-SSE answer. */
  answer?: string;
}

/** One WebSocket connection. */
export interface SocketRecord {
  url: string;
  headers: Record<string, string>;
  protocol: string;
  /** The server's `Sec-WebSocket-Extensions` answer in the handshake ("" for none). */
  extensions: string;
  /** Client frames and server events, in the order they crossed the socket. */
  timeline: ({ from: "client"; frame: BodySummary } | { from: "server"; event: EventSummary })[];
}

/** What Codex itself reported (`codex exec --json`). */
export interface CodexRun {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** Codex's JSONL events: type, and item type for item events. */
  events: { type: string; item?: string; text?: string; command?: string; exit_code?: unknown }[];
  /** The last characters of its stdout and stderr. */
  stdoutTail: string;
  stderrTail: string;
}

/** The report of one scenario. */
export interface ScenarioReport extends Scenario {
  config: string;
  codex: CodexRun;
  http: HttpExchange[];
  upgrades: number;
  sockets: SocketRecord[];
  /** Schema and state-machine violations in what the server sent. */
  problems: string[];
}

/** The whole report. */
export interface DriverReport {
  interfaces: string[];
  scenarios: ScenarioReport[];
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** The first characters of a value, as text. */
const preview = (value: unknown): string =>
  (typeof value === "string" ? value : JSON.stringify(value)).slice(0, 300);

/** Keeps only the defined members (the report has no `undefined` noise). */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Summarizes a create body (HTTP) or a client frame (WebSocket). */
function summarizeBody(text: string): BodySummary {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (!isObject(value)) return { keys: [], input: [], tools: [], unparsed: text.slice(0, 200) };
  const input = Array.isArray(value.input)
    ? value.input.map((item: unknown) =>
        isObject(item)
          ? compact({
              type: str(item.type) ?? (item.role ? "message" : "?"),
              role: str(item.role),
              name: str(item.name),
              call_id: str(item.call_id),
              output: item.output === undefined ? undefined : preview(item.output),
            })
          : { type: typeof item },
      )
    : typeof value.input === "string"
      ? [{ type: "string" }]
      : [];
  const tools = Array.isArray(value.tools)
    ? value.tools.map((tool: unknown) =>
        isObject(tool) ? compact({ type: String(tool.type), name: str(tool.name) }) : { type: "?" },
      )
    : [];
  return compact({
    keys: Object.keys(value).sort(),
    type: value.type,
    model: value.model,
    stream: value.stream,
    store: value.store,
    generate: value.generate,
    previous_response_id: value.previous_response_id,
    tool_choice: value.tool_choice,
    input,
    tools,
  });
}

/** Summarizes one server event. */
function summarizeEvent(event: Json): EventSummary {
  const type = String(event.type);
  const item = isObject(event.item)
    ? compact({
        type: String(event.item.type),
        name: str(event.item.name),
        call_id: str(event.item.call_id),
        arguments: str(event.item.arguments)?.slice(0, 300),
      })
    : undefined;
  const response = isObject(event.response)
    ? {
        id: String(event.response.id),
        status: String(event.response.status),
        output: (Array.isArray(event.response.output) ? event.response.output : [])
          .filter(isObject)
          .map((o: Json) =>
            compact({
              type: String(o.type),
              name: str(o.name),
              call_id: str(o.call_id),
              text: Array.isArray(o.content)
                ? o.content
                    .filter(isObject)
                    .map((c: Json) => str(c.text) ?? "")
                    .join("")
                    .slice(0, 200)
                : undefined,
            }),
          ),
      }
    : undefined;
  // Deltas are many and alike: the type says enough.
  return compact({ type, item, response, error: type === "error" ? event.error : undefined });
}

/** The headers worth reporting; the bearer token is reduced to its scheme. */
function pickHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name === "host" || name.startsWith("sec-websocket-key")) continue;
    const text = Array.isArray(value) ? value.join(", ") : value;
    out[name] = name === "authorization" ? text.replace(/ .*/, " <redacted>") : text.slice(0, 200);
  }
  return out;
}

/** Decodes a request body by its content-encoding (Codex may compress). */
function decodeBody(raw: Buffer, encoding: string | undefined): string {
  try {
    if (encoding === "gzip") return gunzipSync(raw).toString("utf8");
    if (encoding === "deflate") return inflateSync(raw).toString("utf8");
    if (encoding === "br") return brotliDecompressSync(raw).toString("utf8");
  } catch {
    return `<undecodable ${encoding} body>`;
  }
  if (encoding && encoding !== "identity") return `<${encoding} body>`;
  return raw.toString("utf8");
}

/** Records one server's traffic. */
class TrafficRecorder {
  readonly http: (() => HttpExchange)[] = [];
  readonly sockets: SocketRecord[] = [];
  readonly problems: string[] = [];
  upgrades = 0;
  readonly #seen = new WeakSet<WebSocket>();
  /** The extensions each handshake's answer agreed, by request. */
  readonly #agreed = new WeakMap<IncomingMessage, string>();

  constructor(readonly server: RunningServer) {
    server.httpServer.prependListener("request", (req, res) => this.#request(req, res));
    server.httpServer.prependListener("upgrade", (req: IncomingMessage) => this.#upgrade(req));
    for (const wss of Object.values(server.websocket.servers)) {
      wss.on("headers", (lines: string[], req: IncomingMessage) => {
        const line = lines.find((l) => /^sec-websocket-extensions:/i.test(l));
        this.#agreed.set(req, line?.slice(line.indexOf(":") + 1).trim() ?? "");
      });
    }
  }

  #request(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    const sent: string[] = [];
    const capture = (chunk: unknown): void => {
      if (typeof chunk === "string") sent.push(chunk);
      else if (chunk instanceof Uint8Array) sent.push(Buffer.from(chunk).toString("utf8"));
    };
    let contentType = "";
    const writeHead = res.writeHead;
    res.writeHead = ((...args: unknown[]) => {
      const headers = args.find((a): a is Json => isObject(a));
      const type = Object.entries(headers ?? {}).find(([k]) => k.toLowerCase() === "content-type");
      contentType = String(type?.[1] ?? res.getHeader("content-type") ?? "");
      return Reflect.apply(writeHead, res, args);
    }) as typeof res.writeHead;
    const write = res.write;
    res.write = ((...args: unknown[]) => {
      capture(args[0]);
      return Reflect.apply(write, res, args);
    }) as typeof res.write;
    const end = res.end;
    res.end = ((...args: unknown[]) => {
      if (typeof args[0] !== "function") capture(args[0]);
      return Reflect.apply(end, res, args);
    }) as typeof res.end;
    const headers = pickHeaders(req);
    this.http.push(() => {
      contentType ||= String(res.getHeader("content-type") ?? "");
      const raw = Buffer.concat(chunks);
      const text = sent.join("");
      const exchange: HttpExchange = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers,
        status: res.statusCode,
        contentType,
        events: [],
        done: false,
      };
      if (raw.length > 0) {
        exchange.body = summarizeBody(decodeBody(raw, req.headers["content-encoding"]));
      }
      if (!contentType.startsWith("text/event-stream")) {
        exchange.answer = text.slice(0, 500);
        return exchange;
      }
      const recorder = new WireRecorder();
      for (const { data } of parseSseBody(text)) {
        if (data === "") continue;
        if (data === SSE_DONE) {
          exchange.done = true;
          continue;
        }
        exchange.events.push(summarizeEvent(recorder.frame(data) as unknown as Json));
      }
      this.problems.push(...recorder.problems.map((p) => `${req.method} ${req.url}: ${p}`));
      return exchange;
    });
  }

  /**
   * The binding completes the upgrade through ws's callback, so the new socket is found in
   * the server's tracked clients a tick or a few later, before it can carry any message.
   */
  #upgrade(req: IncomingMessage): void {
    this.upgrades += 1;
    const headers = pickHeaders(req);
    const url = req.url ?? "";
    let tries = 0;
    const scan = (): void => {
      for (const ws of this.server.websocket.clients()) {
        if (this.#seen.has(ws)) continue;
        this.#seen.add(ws);
        this.#attach(ws, url, headers, this.#agreed.get(req) ?? "");
        return;
      }
      if (++tries < 100) setImmediate(scan);
      else this.problems.push(`upgrade ${url}: no socket appeared`);
    };
    setImmediate(scan);
  }

  #attach(ws: WebSocket, url: string, headers: Record<string, string>, extensions: string): void {
    const record: SocketRecord = {
      url,
      headers,
      protocol: ws.protocol,
      extensions,
      timeline: [],
    };
    this.sockets.push(record);
    const recorder = new WireRecorder();
    // First in line, so a client frame is recorded before the events it causes.
    ws.prependListener("message", (data: RawData) => {
      const text = Array.isArray(data)
        ? Buffer.concat(data).toString("utf8")
        : Buffer.from(data as ArrayBuffer).toString("utf8");
      record.timeline.push({ from: "client", frame: summarizeBody(text) });
    });
    const send = ws.send;
    ws.send = ((...args: unknown[]) => {
      const data = args[0];
      const text = typeof data === "string" ? data : Buffer.from(data as Uint8Array).toString();
      record.timeline.push({
        from: "server",
        event: summarizeEvent(recorder.frame(text) as unknown as Json),
      });
      return Reflect.apply(send, ws, args);
    }) as typeof ws.send;
    ws.once("close", () => this.problems.push(...recorder.problems.map((p) => `${url}: ${p}`)));
  }
}

/** Codex's config: our server as the only provider; plugins, apps, updates and analytics off. */
function codexConfig(server: RunningServer, websockets: boolean): string {
  return `model = "hotline-sim-1"
model_provider = "hotline"
check_for_update_on_startup = false

[model_providers.hotline]
name = "Hotline reference server"
base_url = "${server.url}/v1"
wire_api = "responses"
supports_websockets = ${websockets}
env_key = "HOTLINE_KEY"
request_max_retries = 0
stream_max_retries = 0

[features]
plugins = false
remote_plugin = false
apps = false
in_app_updates = false

[analytics]
enabled = false
`;
}

/** Runs `codex exec --json` once, killing it at the timeout. */
async function runCodex(binary: string, home: string, work: string, prompt: string) {
  const args = ["exec", "--json", "--strict-config", "--skip-git-repo-check", "-C", work, prompt];
  const child = spawn(binary, args, {
    cwd: work,
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: home,
      CODEX_HOME: home,
      HOTLINE_KEY: API_KEY,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, CODEX_TIMEOUT_MS);
  const [exitCode, signal] = await new Promise<[number | null, string | null]>((resolve) => {
    child.once("close", (code, sig) => resolve([code, sig]));
    child.once("error", (error) => {
      stderr += String(error);
      resolve([null, null]);
    });
  });
  clearTimeout(timer);
  const events: CodexRun["events"] = [];
  for (const line of stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      const event = JSON.parse(line) as Json;
      const item = isObject(event.item) ? event.item : undefined;
      events.push(
        compact({
          type: String(event.type),
          item: item ? String(item.type) : undefined,
          text: str(item?.text)?.slice(0, 200) ?? str(event.message)?.slice(0, 200),
          command: str(item?.command),
          exit_code: item?.exit_code,
        }),
      );
    } catch {
      // Not an event line.
    }
  }
  return {
    exitCode,
    signal,
    timedOut,
    events,
    stdoutTail: stdout.slice(-2000),
    stderrTail: stderr.slice(-2000),
  } satisfies CodexRun;
}

/** Runs one scenario on a server of its own. */
async function runScenario(binary: string, scenario: Scenario): Promise<ScenarioReport> {
  const server = await startServer({
    logLevel: "silent",
    permessageDeflate: scenario.deflate ?? false,
  });
  const traffic = new TrafficRecorder(server);
  const home = mkdtempSync(join(tmpdir(), "hotline-codex-home-"));
  const work = mkdtempSync(join(tmpdir(), "hotline-codex-work-"));
  writeFileSync(join(work, "README.md"), "A directory for Codex to list.\n");
  const config = codexConfig(server, scenario.websockets);
  writeFileSync(join(home, "config.toml"), config);
  let codex: CodexRun;
  try {
    codex = await runCodex(binary, home, work, scenario.prompt);
  } finally {
    await server.close();
    rmSync(home, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
  return {
    ...scenario,
    config,
    codex,
    http: traffic.http.map((exchange) => exchange()),
    upgrades: traffic.upgrades,
    sockets: traffic.sockets,
    problems: traffic.problems,
  };
}

const interfaces = Object.keys(networkInterfaces());
if (interfaces.some((name) => name !== "lo")) {
  console.error(`codex-driver: refusing to run outside a loopback-only namespace (${interfaces})`);
  process.exit(2);
}
const binary = process.argv[2] ? resolve(process.argv[2]) : undefined;
if (!binary) {
  console.error("usage: codex-driver.ts <codex binary>");
  process.exit(2);
}
// The scenarios are independent (a server each) and mostly wait on each other's I/O.
const scenarios = await Promise.all(SCENARIOS.map((scenario) => runScenario(binary, scenario)));
process.stdout.write(`${JSON.stringify({ interfaces, scenarios } satisfies DriverReport)}\n`);
