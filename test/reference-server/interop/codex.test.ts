/**
 * The Codex CLI (`@openai/codex`, pinned), unchanged, completes turns against the reference
 * server over both bindings:
 *
 * - HTTP + SSE: a text turn, and a tool round trip (a `function_call` streamed to Codex, its
 *   `function_call_output` posted back with the history, then a final text answer);
 * - WebSocket (`supports_websockets = true`): one socket carries the whole turn, starting with
 *   Codex's prewarm (`response.create` with `generate: false`) and continuing with
 *   `previous_response_id` and only the new items, through the same tool round trip; and, on a
 *   server with permessage-deflate on, a turn over the compressed socket with the server's
 *   bounded window (TRANSPORT-21), which Codex's offer allows.
 *
 * Codex and the servers run in codex-driver.ts inside a loopback-only network namespace
 * (`unshare -n`): the only thing Codex can reach is the server under test. Every event the
 * server sent is schema-validated and state-machine-checked. Skipped where that cannot run
 * (not Linux x64, no binary, no namespaces), except under CI, where that is a failure.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import t, { type Test } from "tap";
import type {
  BodySummary,
  DriverReport,
  EventSummary,
  HttpExchange,
  ScenarioReport,
} from "./codex-driver.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const DRIVER = fileURLToPath(new URL("./codex-driver.ts", import.meta.url));
const BINARY = `${ROOT}node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex`;
/** The driver's three Codex runs go in parallel, each killed after 90 s. */
const DRIVER_TIMEOUT_MS = 150_000;
/** Unprivileged users need a user namespace to own the network namespace. */
const UNSHARE = process.getuid?.() === 0 ? ["-n"] : ["-r", "-n"];

/** Why this machine cannot run the test, if it cannot. */
function unavailable(): string | undefined {
  if (process.platform !== "linux" || process.arch !== "x64") {
    return `needs Linux x64 (this is ${process.platform} ${process.arch})`;
  }
  if (!existsSync(BINARY)) return `no Codex binary at ${BINARY} (npm ci installs @openai/codex)`;
  const probe = spawnSync("unshare", [...UNSHARE, "--", "sh", "-c", "ip link set lo up"], {
    encoding: "utf8",
  });
  if (probe.status !== 0) {
    const why = (probe.stderr || String(probe.error ?? "")).trim().split("\n")[0];
    return `cannot make a loopback-only network namespace (unshare -n, ip): ${why}`;
  }
  return undefined;
}

/** Runs the driver in a fresh network namespace and parses its report. */
async function runDriver(): Promise<DriverReport> {
  // `sh -c script a b c` binds $0, $1, $2: no quoting of the paths.
  const script = 'ip link set lo up && exec "$0" --import tsx "$1" "$2"';
  const child = spawn(
    "unshare",
    [...UNSHARE, "--", "sh", "-c", script, process.execPath, DRIVER, BINARY],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const timer = setTimeout(() => child.kill("SIGKILL"), DRIVER_TIMEOUT_MS);
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  clearTimeout(timer);
  const line = stdout.trim().split("\n").at(-1) ?? "";
  try {
    return JSON.parse(line) as DriverReport;
  } catch {
    throw new Error(`the driver exited ${code} without a report:\n${stderr.slice(-3000)}`);
  }
}

/** The server events of one HTTP exchange or one socket, in order. */
const eventsOf = (exchanges: HttpExchange[]): EventSummary[] => exchanges.flatMap((x) => x.events);

/** The terminal events among some server events. */
const terminals = (events: EventSummary[]): EventSummary[] =>
  events.filter((e) => /^response\.(completed|incomplete|failed|cancelled)$/.test(e.type));

/** The `function_call` items the server finished streaming. */
const functionCalls = (events: EventSummary[]) =>
  events
    .filter((e) => e.type === "response.output_item.done" && e.item?.type === "function_call")
    .map((e) => e.item!);

/** Shown with a failed assertion about Codex's run: how it ended, in its own words. */
const codexTail = (s: ScenarioReport) => ({
  signal: s.codex.signal,
  stdout: s.codex.stdoutTail.slice(-1500),
  stderr: s.codex.stderrTail.slice(-1500),
});

/** The checks every scenario shares: Codex ended its turn well and the wire was clean. */
function checkRun(t: Test, s: ScenarioReport): void {
  t.equal(s.codex.timedOut, false, "codex finished before its timeout", codexTail(s));
  t.equal(s.codex.exitCode, 0, "codex exits 0", codexTail(s));
  const types = s.codex.events.map((e) => e.type);
  t.ok(types.includes("turn.completed"), "codex reports turn.completed", codexTail(s));
  t.notOk(types.includes("turn.failed"), "codex reports no turn.failed", codexTail(s));
  const messages = s.codex.events.filter((e) => e.item === "agent_message");
  t.ok(
    messages.length > 0 && messages.every((m) => (m.text ?? "").length > 0),
    "codex shows the model's text as an agent message",
  );
  t.same(s.problems, [], "every server event is schema-valid and in state-machine order");
}

/** The checks of an HTTP scenario: every create was a streamed POST answered with SSE. */
function checkHttp(t: Test, s: ScenarioReport): HttpExchange[] {
  t.equal(s.upgrades, 0, "no WebSocket upgrade (supports_websockets = false)");
  const posts = s.http.filter((x) => x.method === "POST" && x.url === "/v1/responses");
  t.ok(posts.length > 0, "codex posts to /v1/responses");
  for (const [i, x] of posts.entries()) {
    t.equal(x.status, 200, `POST ${i + 1} is answered 200`, { answer: x.answer });
    t.match(x.contentType, /^text\/event-stream/, `POST ${i + 1} is answered with SSE`);
    t.equal(x.body?.stream, true, `POST ${i + 1} asks for stream: true`);
    t.match(x.headers.authorization ?? "", /^Bearer /, `POST ${i + 1} carries the bearer key`);
    t.equal(x.events[0]?.type, "response.created", `POST ${i + 1}: response.created first`);
    t.same(
      terminals(x.events).map((e) => e.type),
      ["response.completed"],
      `POST ${i + 1}: one terminal event, response.completed`,
    );
    t.equal(x.done, true, `POST ${i + 1}: the stream ends with data: [DONE]`);
  }
  return posts;
}

/** The final response of a turn: completed, with a text message and no further call. */
function checkFinalText(t: Test, events: EventSummary[]): void {
  const last = terminals(events).at(-1);
  t.equal(last?.response?.status, "completed", "the last response is completed");
  const output = last?.response?.output ?? [];
  t.ok(
    output.some((o) => o.type === "message" && (o.text ?? "").length > 0),
    "the last response ends the turn with a text message",
  );
  t.notOk(
    output.some((o) => o.type === "function_call"),
    "and calls no tool again",
  );
}

const reason = unavailable();
if (reason !== undefined) {
  if (process.env.CI) t.fail(`CI must run the Codex interop test: ${reason}`);
  else t.plan(0, reason);
} else {
  const report = await runDriver();
  const scenario = (name: string): ScenarioReport => {
    const found = report.scenarios.find((s) => s.name === name);
    if (!found) throw new Error(`the driver report has no scenario ${name}`);
    return found;
  };

  t.same(report.interfaces, ["lo"], "codex ran where only loopback exists");

  t.test("HTTP: a text turn", async (t) => {
    const s = scenario("http-text");
    checkRun(t, s);
    const posts = checkHttp(t, s);
    const first = posts[0]?.body;
    t.equal(posts.length, 1, "one create for a text turn");
    t.equal(first?.model, "hotline-sim-1", "the configured model is asked for");
    t.ok(
      first?.input.some((i) => i.type === "message" && i.role === "user"),
      "the input carries the user's message",
    );
    checkFinalText(t, eventsOf(posts));
  });

  t.test("HTTP: a tool round trip", async (t) => {
    const s = scenario("http-tool");
    checkRun(t, s);
    const posts = checkHttp(t, s);
    t.ok(posts.length >= 2, "a create for the call, and one for its output");
    const tools = posts[0]?.body?.tools ?? [];
    t.ok(
      tools.some((x) => x.type === "function" && x.name === "exec_command"),
      "codex offers its exec_command function tool",
    );
    const [call] = functionCalls(eventsOf(posts));
    t.equal(call?.name, "exec_command", "the server streams a call of exec_command");
    t.ok(call?.call_id, "the call has a call_id");
    const followUp = posts.find((x) =>
      x.body?.input.some((i) => i.type === "function_call_output"),
    );
    const input: BodySummary["input"] = followUp?.body?.input ?? [];
    t.ok(
      input.some((i) => i.type === "function_call_output" && i.call_id === call?.call_id),
      "codex posts the function_call_output for that call_id",
    );
    t.ok(
      input.some((i) => i.type === "function_call" && i.call_id === call?.call_id),
      "with the history, the call included (over HTTP Codex sends store: false, full input)",
    );
    t.equal(followUp?.body?.previous_response_id, undefined, "and no previous_response_id");
    checkFinalText(t, eventsOf(posts));
  });

  t.test("WebSocket: prewarm, continuations and a tool round trip on one socket", async (t) => {
    const s = scenario("ws-tool");
    checkRun(t, s);
    t.equal(s.upgrades, 1, "exactly one upgrade");
    t.equal(s.sockets.length, 1, "one socket");
    t.same(
      s.http.filter((x) => x.url.startsWith("/v1/responses")),
      [],
      "no HTTP request to /v1/responses: the socket carried the whole turn",
    );
    const socket = s.sockets[0]!;
    t.equal(socket.url, "/v1/responses", "the socket is on /v1/responses");
    t.match(
      socket.headers["openai-beta"] ?? "",
      /responses_websockets/,
      "the handshake carries Codex's OpenAI-Beta: responses_websockets",
    );
    t.match(socket.headers.authorization ?? "", /^Bearer /, "and the bearer key");
    t.equal(socket.protocol, "", "no subprotocol: the core profile");
    t.equal(
      socket.extensions,
      "",
      "no permessage-deflate: the server does not offer it by default",
    );

    // Split the timeline into creates, each with the events it caused.
    const creates: { frame: BodySummary; events: EventSummary[] }[] = [];
    for (const entry of socket.timeline) {
      if (entry.from === "client") creates.push({ frame: entry.frame, events: [] });
      else creates.at(-1)?.events.push(entry.event);
    }
    t.ok(
      creates.every((c) => c.frame.type === "response.create"),
      "every client frame is a response.create",
    );
    t.ok(creates.length >= 3, "prewarm, the turn's create, and the tool output's create");

    const [prewarm, ...rest] = creates;
    t.equal(prewarm?.frame.generate, false, "the first create is the prewarm: generate: false");
    t.same(
      terminals(prewarm?.events ?? []).map((e) => e.type),
      ["response.completed"],
      "the prewarm completes",
    );
    t.same(
      prewarm?.events.flatMap((e) => (e.item ? [e.item] : [])),
      [],
      "and generates no output item",
    );

    // Over HTTP (store: false) Codex sends the whole context in one create; over the socket
    // the prewarm carries its start and the turn's create only what follows.
    const roles = (input: BodySummary["input"] = []) => input.map((x) => `${x.type}:${x.role}`);
    const httpCreate = scenario("http-tool").http.find((x) => x.method === "POST")?.body;
    t.same(
      [...roles(prewarm?.frame.input), ...roles(rest[0]?.frame.input)],
      roles(httpCreate?.input),
      "prewarm and turn inputs together are the input of the first HTTP create",
    );

    for (const [i, create] of rest.entries()) {
      const previous = terminals(creates[i]!.events).at(-1)?.response?.id;
      t.equal(
        create.frame.previous_response_id,
        previous,
        `create ${i + 2} continues the response before it (previous_response_id)`,
      );
      t.notOk(
        create.frame.input.some((x) => x.type === "function_call"),
        `create ${i + 2} sends only new items, not the stored output`,
      );
      t.same(
        terminals(create.events).map((e) => e.type),
        ["response.completed"],
        `create ${i + 2} ends with response.completed`,
      );
    }

    const events = creates.flatMap((c) => c.events);
    const [call] = functionCalls(events);
    t.equal(call?.name, "exec_command", "the server sends a call of exec_command");
    const callIndex = creates.findIndex((c) => functionCalls(c.events).length > 0);
    const followUp = creates[callIndex + 1]?.frame;
    t.same(
      followUp?.input.map((x) => x.type),
      ["function_call_output"],
      "the next create carries only the function_call_output",
    );
    t.equal(followUp?.input[0]?.call_id, call?.call_id, "for that call_id");
    t.equal(creates.length, callIndex + 2, "and its answer ends the turn");
    checkFinalText(t, events);
  });

  t.test("WebSocket with permessage-deflate: Codex accepts the bounded window", async (t) => {
    const s = scenario("ws-deflate");
    checkRun(t, s);
    t.equal(s.sockets.length, 1, "one socket");
    const socket = s.sockets[0]!;
    t.comment(
      `offered: ${socket.headers["sec-websocket-extensions"]}; agreed: ${socket.extensions}`,
    );
    t.match(
      socket.headers["sec-websocket-extensions"] ?? "",
      /permessage-deflate/,
      "Codex offers permessage-deflate",
    );
    // TRANSPORT-21: a 2 KiB server window (server_max_window_bits=11), which Codex must take.
    t.match(
      socket.extensions,
      /^permessage-deflate;.*server_max_window_bits=11/,
      "the server agrees it with its bounded window",
    );
    const events = socket.timeline.flatMap((e) => (e.from === "server" ? [e.event] : []));
    t.ok(
      terminals(events).every((e) => e.type === "response.completed") &&
        terminals(events).length >= 2,
      "the prewarm and the turn complete over the compressed socket",
    );
    checkFinalText(t, events);
  });
}
