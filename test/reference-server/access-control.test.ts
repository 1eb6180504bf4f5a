/**
 * Access control and per-principal limits (issue 8): bearer tokens refused with 401 before
 * any upgrade, the browser subprotocol form, the tokens file and HOTLINE_TOKENS, the origin
 * allowlist (403 before the upgrade), each per-principal limit's error over the socket and the
 * HTTP binding (429 with `Retry-After`), every limit advertised in `session.created`, tokens
 * never logged, and one principal unable to read, cancel or resume another's responses or
 * session.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { Writable } from "node:stream";
import { pino } from "pino";
import t, { type Test } from "tap";
import WebSocket from "ws";
import {
  type RunningServer,
  type ServerOptions,
  startServer,
} from "../../reference-server/index.js";
import type { ServerEvent } from "../../src/protocol/index.js";
import { ROOT } from "../helpers/repo.js";
import { TestSocket } from "./helpers/clients.js";
import { eventsWhere, openHotline, sessionOf, terminalOf } from "./helpers/hotline.js";

const TOKEN = "tok-alpha-7f3c9e";
const OTHER = "tok-beta-19ad42";
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

async function serve(t: Test, options: ServerOptions = {}): Promise<RunningServer> {
  const server = await startServer({ logLevel: "silent", tokens: [TOKEN, OTHER], ...options });
  t.teardown(() => server.close());
  return server;
}

type ErrorBody = { error: { code: string; message: string; type: string } };
type Upgrade =
  | { opened: true; protocol: string }
  | { opened: false; status: number; body: ErrorBody; retryAfter: string | undefined };
type Limit = { name: string; limit: number; remaining: number; reset_ms: number };
const advertised = (first: ServerEvent): Limit[] =>
  (sessionOf(first).limits as unknown as { rate_limits: Limit[] }).rate_limits;

/** Attempts an upgrade; reports the refusal's status and JSON body, or the open protocol. */
function upgrade(
  url: string,
  options: { headers?: Record<string, string>; protocols?: string[]; origin?: string } = {},
): Promise<Upgrade> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options.protocols ?? [], {
      headers: options.headers ?? {},
      ...(options.origin ? { origin: options.origin } : {}),
    });
    ws.once("open", () => {
      resolve({ opened: true, protocol: ws.protocol });
      ws.close();
    });
    ws.once("unexpected-response", (_req, res) => {
      let text = "";
      res.on("data", (chunk: Buffer) => (text += chunk.toString()));
      res.on("end", () => {
        resolve({
          opened: false,
          status: res.statusCode ?? 0,
          body: JSON.parse(text) as ErrorBody,
          retryAfter: res.headers["retry-after"],
        });
        ws.terminate();
      });
    });
    ws.once("error", reject);
  });
}

function post(
  server: RunningServer,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${server.url}/v1/responses`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

/** The `Retry-After` a 429 must carry: the message's `retry in N ms`, in whole seconds (>= 1). */
async function expectRetryAfter(t: Test, res: Response, limit: RegExp): Promise<void> {
  const body = (await res.json()) as ErrorBody;
  t.match(body, { error: { code: "rate_limit_exceeded", message: limit } });
  const resetMs = Number(/retry in (\d+) ms/.exec(body.error.message)?.[1] ?? 0);
  const expected = String(Math.max(1, Math.ceil(resetMs / 1000)));
  t.equal(
    res.headers.get("retry-after"),
    expected,
    `Retry-After ${expected} (reset ${resetMs} ms)`,
  );
}

const create = (id: string, tokens: number, extra: Record<string, string> = {}) => ({
  type: "response.create",
  input: "x",
  client_request_id: id,
  metadata: { "sim.output_tokens": String(tokens), ...extra },
});

t.test("WebSocket upgrades without or with a wrong token get 401 before any upgrade", async (t) => {
  const server = await serve(t);
  for (const [label, headers, protocols] of [
    ["no token", {}, ["hotline.v1"]],
    ["wrong header token", bearer("tok-wrong"), ["hotline.v1"]],
    ["wrong subprotocol token", {}, ["hotline.v1", "hotline.bearer.tok-wrong"]],
    ["core profile, no token", {}, []],
  ] as const) {
    const result = await upgrade(server.wsUrl, { headers, protocols: [...protocols] });
    t.match(result, { opened: false, status: 401 }, label);
    if (!result.opened) {
      t.match(result.body, { error: { code: "unauthorized", type: "authentication_error" } });
    }
  }
  t.equal(server.sessions.size, 0, "no session was created");
});

t.test("the browser form hotline.bearer.<token> is accepted and never echoed", async (t) => {
  const server = await serve(t);
  const { socket, first } = await openHotline(server.wsUrl, {
    extraProtocols: [`hotline.bearer.${TOKEN}`],
  });
  t.equal(socket.ws.protocol, "hotline.v1", "the selected subprotocol is hotline.v1");
  t.equal(first.type, "session.created");
  socket.send(create("b1", 5));
  const done = await socket.next("response.completed");
  t.ok(done);
  t.notOk(JSON.stringify(socket.recorder.events).includes(TOKEN), "no frame has the token");
  socket.recorder.assertClean();
  socket.close();
  // The header form works for the core profile too.
  const core = await upgrade(server.wsUrl, { headers: bearer(OTHER) });
  t.match(core, { opened: true });
});

t.test("HTTP without or with a wrong token: 401 JSON unauthorized", async (t) => {
  const server = await serve(t);
  for (const headers of [{}, bearer("tok-wrong")]) {
    const denied = await post(server, { input: "x" }, headers);
    t.equal(denied.status, 401);
    t.match(await denied.json(), { error: { code: "unauthorized" } });
    const get = await fetch(`${server.url}/v1/responses/resp_x`, { headers });
    t.equal(get.status, 401, "GET needs a token too");
    await get.body?.cancel();
  }
});

t.test("serve reads --tokens-file and HOTLINE_TOKENS", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "hotline-tokens-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, "tokens");
  writeFileSync(file, "# operators\n  tok-from-file  \n\n#tok-commented\n");
  const child = spawn(
    process.execPath,
    [
      "--import=tsx",
      "-e",
      `import('./src/cli/main.ts').then(m => m.main(['serve','--port','0','--log-level','silent','--tokens-file',${JSON.stringify(file)}])).then(c => process.exit(c))`,
    ],
    {
      cwd: ROOT,
      env: { ...process.env, HOTLINE_TOKENS: "tok-from-env-a, tok-from-env-b" },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  t.teardown(() => {
    if (child.exitCode === null) child.kill("SIGKILL");
  });
  const lines = createInterface({ input: child.stdout! });
  const [first] = (await once(lines, "line")) as [string];
  const url = /listening on (http:\/\/\S+)/.exec(first)?.[1];
  t.ok(url, first);
  const status = async (token: string | undefined) => {
    const res = await fetch(`${url}/v1/responses`, {
      method: "POST",
      headers: token === undefined ? {} : bearer(token),
      body: JSON.stringify({ input: "x", metadata: { "sim.output_tokens": "2" } }),
    });
    await res.body?.cancel();
    return res.status;
  };
  t.equal(await status("tok-from-file"), 200, "file token, trimmed");
  t.equal(await status("tok-from-env-a"), 200, "first env token");
  t.equal(await status("tok-from-env-b"), 200, "second env token, trimmed");
  t.equal(await status("tok-commented"), 401, "a # line is a comment");
  t.equal(await status("# operators"), 401, "a # line is a comment");
  t.equal(await status(undefined), 401, "tokens are now required");
  child.kill("SIGTERM");
  const [code] = (await once(child, "exit")) as [number | null];
  t.equal(code, 0);
});

t.test("origin allowlist: 403 forbidden_origin before the upgrade", async (t) => {
  const server = await serve(t, { tokens: [], allowedOrigins: ["https://app.example"] });
  const refused = await upgrade(server.wsUrl, {
    protocols: ["hotline.v1"],
    origin: "https://evil.example",
  });
  t.match(refused, { opened: false, status: 403, body: { error: { code: "forbidden_origin" } } });
  t.match(
    await upgrade(server.wsUrl, { protocols: ["hotline.v1"], origin: "https://app.example" }),
    { opened: true, protocol: "hotline.v1" },
    "an allowed origin connects",
  );
  t.match(
    await upgrade(server.wsUrl, { protocols: ["hotline.v1"] }),
    { opened: true },
    "no Origin (not a browser) connects",
  );
});

t.test("connections per principal: the next upgrade gets 429 with the error body", async (t) => {
  const server = await serve(t, { limits: { connections: 2 } });
  const a = await openHotline(server.wsUrl, { headers: bearer(TOKEN) });
  const b = await TestSocket.open(server.wsUrl, { headers: bearer(TOKEN) });
  const third = await upgrade(server.wsUrl, { headers: bearer(TOKEN), protocols: ["hotline.v1"] });
  t.match(third, {
    opened: false,
    status: 429,
    body: { error: { code: "rate_limit_exceeded", message: /principal\.connections/ } },
    retryAfter: "1",
  });
  t.match(
    await upgrade(server.wsUrl, { headers: bearer(OTHER) }),
    { opened: true },
    "another principal is not counted",
  );
  b.close();
  await b.closed;
  // The slot is released once the connection is gone.
  let again: Upgrade | undefined;
  for (let i = 0; i < 50; i++) {
    again = await upgrade(server.wsUrl, { headers: bearer(TOKEN) });
    if (again.opened) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  t.match(again, { opened: true }, "a closed connection frees its slot");
  a.socket.close();
});

t.test("in flight per principal: rate_limit_exceeded across sessions and HTTP", async (t) => {
  const server = await serve(t, {
    limits: { inFlight: 1 },
    backend: { tiers: { wafer: { decodeTokensPerSecond: 400, burstTokensPerSecond: 400 } } },
  });
  const { socket: a } = await openHotline(server.wsUrl, { headers: bearer(TOKEN) });
  const { socket: b } = await openHotline(server.wsUrl, { headers: bearer(TOKEN) });
  a.send(create("f1", 2000));
  const started = await a.next("response.created");
  b.send(create("f2", 5));
  const refused = await b.next("error");
  t.match(refused, {
    error: { code: "rate_limit_exceeded", message: /principal\.in_flight/ },
    client_request_id: "f2",
  });
  const http = await post(server, { input: "x" }, bearer(TOKEN));
  t.equal(http.status, 429);
  await expectRetryAfter(t, http, /principal\.in_flight/);
  const other = await post(
    server,
    { input: "x", metadata: { "sim.output_tokens": "2" } },
    bearer(OTHER),
  );
  t.equal(other.status, 200, "another principal is admitted");
  a.send({ type: "response.cancel", response_id: started.response.id });
  await terminalOf(a, started.response.id);
  // Freed: the next create is admitted.
  b.send(create("f3", 3));
  t.equal((await b.next("response.completed")).type, "response.completed");
  a.recorder.assertClean();
  b.recorder.assertClean();
  a.close();
  b.close();
});

t.test("requests per minute: rate_limit_exceeded over the socket, 429 over HTTP", async (t) => {
  const server = await serve(t, { limits: { requestsPerMinute: 2 } });
  const { socket } = await openHotline(server.wsUrl, { headers: bearer(TOKEN) });
  socket.send(create("r1", 2));
  socket.send(create("r2", 2));
  socket.send(create("r3", 2));
  const refused = await socket.next("error");
  t.match(refused, {
    error: { code: "rate_limit_exceeded", message: /principal\.requests/ },
    client_request_id: "r3",
  });
  const http = await post(server, { input: "x" }, bearer(TOKEN));
  t.equal(http.status, 429);
  await expectRetryAfter(t, http, /principal\.requests.*retry in \d+ ms/);
  const other = await post(
    server,
    { input: "x", metadata: { "sim.output_tokens": "2" } },
    bearer(OTHER),
  );
  t.equal(other.status, 200, "another principal has its own bucket");
  // Sent beside each response's start, so already received: search them all.
  const [updated] = (await eventsWhere(
    socket,
    (e) => e.type === "rate_limits.updated",
  )) as unknown as [{ rate_limits: Limit[] }];
  t.match(
    updated.rate_limits.find((l) => l.name === "principal.requests"),
    { limit: 2 },
    "rate_limits.updated carries the principal's limits",
  );
  socket.recorder.assertClean();
  socket.close();
});

t.test("tokens per minute: a spent budget refuses the next create", async (t) => {
  const server = await serve(t, { limits: { tokensPerMinute: 50 } });
  const { socket } = await openHotline(server.wsUrl, { headers: bearer(TOKEN) });
  socket.send(create("k1", 120));
  await socket.next("response.completed");
  // The run is charged once it ended; give the tracker's then() a turn.
  await new Promise((resolve) => setTimeout(resolve, 20));
  socket.send(create("k2", 2));
  t.match(await socket.next("error"), {
    error: { code: "rate_limit_exceeded", message: /principal\.tokens/ },
    client_request_id: "k2",
  });
  const http = await post(server, { input: "x" }, bearer(TOKEN));
  t.equal(http.status, 429);
  await expectRetryAfter(t, http, /principal\.tokens.*retry in \d+ ms/);
  socket.recorder.assertClean();
  socket.close();
});

t.test("session.created advertises every per-principal limit", async (t) => {
  const limits = { connections: 3, inFlight: 4, requestsPerMinute: 50, tokensPerMinute: 9000 };
  const server = await serve(t, { limits });
  const { socket, first } = await openHotline(server.wsUrl, { headers: bearer(TOKEN) });
  const byName = new Map(advertised(first).map((l) => [l.name, l]));
  t.match(byName.get("principal.connections"), { limit: 3, remaining: 2 });
  t.match(byName.get("principal.in_flight"), { limit: 4, remaining: 4 });
  t.match(byName.get("principal.requests"), { limit: 50, remaining: 50 });
  t.match(byName.get("principal.tokens"), { limit: 9000, remaining: 9000 });
  t.ok(byName.has("requests"), "the session's own limit too");
  socket.close();
  // A disabled limit (0) is not advertised.
  const open = await serve(t, { limits: { tokensPerMinute: 0 } });
  const { socket: s2, first: f2 } = await openHotline(open.wsUrl, { headers: bearer(TOKEN) });
  const names = advertised(f2).map((l) => l.name);
  t.notOk(names.includes("principal.tokens"));
  s2.close();
});

t.test("tokens never reach the log, at level trace", async (t) => {
  let log = "";
  const sink = new Writable({
    write(chunk, _encoding, done) {
      log += String(chunk);
      done();
    },
  });
  const server = await serve(t, {
    logger: pino({ level: "trace" }, sink),
    allowedOrigins: ["https://app.example"],
    limits: { connections: 1, requestsPerMinute: 1 },
  });
  const wrong = "tok-wrong-5e5e5e";
  await upgrade(server.wsUrl, { headers: bearer(wrong) });
  await upgrade(server.wsUrl, { protocols: ["hotline.v1", `hotline.bearer.${wrong}`] });
  await upgrade(server.wsUrl, { headers: bearer(TOKEN), origin: "https://evil.example" });
  const { socket } = await openHotline(server.wsUrl, {
    extraProtocols: [`hotline.bearer.${TOKEN}`],
  });
  await upgrade(server.wsUrl, { headers: bearer(TOKEN) }); // over the connection limit
  socket.send(create("l1", 2));
  await socket.next("response.completed");
  socket.close();
  await socket.closed;
  for (const headers of [bearer(TOKEN), bearer(wrong), {}]) {
    const res = await post(server, { input: "x" }, headers);
    await res.body?.cancel();
    const get = await fetch(`${server.url}/v1/responses/resp_none`, { headers });
    await get.body?.cancel();
  }
  await server.close();
  t.match(log, /upgrade refused: token/, "refusals are logged");
  t.match(log, /upgrade refused: origin/);
  t.match(log, /upgrade refused: connection limit/);
  t.match(log, /request refused: token/);
  t.match(log, /"principal":"token:[0-9a-f]{16}"/, "principals are logged as digests");
  for (const token of [TOKEN, wrong]) {
    t.notOk(log.includes(token), `${token} is not in the log`);
    t.notOk(log.includes(token.slice(4)), "nor its tail");
  }
});

t.test("a principal cannot read, cancel or resume another principal's responses", async (t) => {
  const server = await serve(t, {
    backend: { tiers: { wafer: { decodeTokensPerSecond: 400, burstTokensPerSecond: 400 } } },
  });
  // Stored over HTTP: GET and cancel by another principal are 404s.
  const made = await post(
    server,
    { input: "x", background: true, metadata: { "sim.output_tokens": "400" } },
    bearer(TOKEN),
  );
  const id = ((await made.json()) as { id: string }).id;
  const get = await fetch(`${server.url}/v1/responses/${id}`, { headers: bearer(OTHER) });
  t.equal(get.status, 404);
  t.match(await get.json(), { error: { code: "response_not_found" } });
  const stream = await fetch(`${server.url}/v1/responses/${id}?stream=true`, {
    headers: bearer(OTHER),
  });
  t.equal(stream.status, 404, "nor stream it");
  await stream.body?.cancel();
  const cancel = await fetch(`${server.url}/v1/responses/${id}/cancel`, {
    method: "POST",
    headers: bearer(OTHER),
  });
  t.equal(cancel.status, 404);
  await cancel.body?.cancel();
  // Over hotline.v1: another principal's session cannot resume or cancel it.
  const { socket: b } = await openHotline(server.wsUrl, { headers: bearer(OTHER) });
  b.send({ type: "response.resume", response_id: id, after_sequence_number: -1 });
  t.match(await b.next("error"), { error: { code: "response_not_found" } });
  b.send({ type: "response.cancel", response_id: id });
  t.match(await b.next("error"), { error: { code: /response_not_(found|active)/ } });
  const own = await fetch(`${server.url}/v1/responses/${id}`, { headers: bearer(TOKEN) });
  t.match(await own.json(), { id, status: /in_progress|queued|completed/ }, "still its own");
  b.close();
});

t.test("a resume token presented by another principal starts a new session", async (t) => {
  const server = await serve(t, { session: { shutdownGraceMs: 100 } });
  const { socket: a, first } = await openHotline(server.wsUrl, { headers: bearer(TOKEN) });
  const { id, resume_token } = sessionOf(first);
  a.send(create("s1", 3));
  const done = await a.next("response.completed");
  const { socket: b, first: bFirst } = await openHotline(server.wsUrl, {
    headers: { ...bearer(OTHER), "Hotline-Resume-Token": resume_token },
  });
  t.equal(bFirst.type, "session.created", "not session.resumed");
  t.not(sessionOf(bFirst).id, id, "a different session");
  t.match(
    await b.next("error"),
    { error: { code: "resume_expired" } },
    "answered as an unknown token (RESUME-4)",
  );
  b.send({ type: "response.resume", response_id: done.response.id, after_sequence_number: -1 });
  t.match(await b.next("error"), { error: { code: "response_not_found" } });
  t.equal(a.ws.readyState, WebSocket.OPEN, "the owner's connection is untouched");
  // The owner itself may resume with it.
  a.close();
  await a.closed;
  const { socket: a2, first: again } = await openHotline(server.wsUrl, {
    headers: { ...bearer(TOKEN), "Hotline-Resume-Token": resume_token },
  });
  t.equal(again.type, "session.resumed");
  t.equal(sessionOf(again).id, id);
  a2.close();
  b.close();
});
