/**
 * Core profile rules over a raw socket: sequential turns (RESP-4), the connection-local cache
 * and store rules (RESP-11..16), eviction after a failed continuation (RESP-15), the
 * connection age limit (TRANSPORT-15), `generate: false` (RESP-9/10) and no subprotocol
 * selected (TRANSPORT-2). Every frame is validated by the recorder.
 */
import { randomBytes } from "node:crypto";
import { request } from "node:http";
import t from "tap";
import { VirtualClock } from "../../../reference-server/backend/index.js";
import { type RunningServer, sessionClock, startServer } from "../../../reference-server/index.js";
import { TestSocket } from "../helpers/clients.js";

let server: RunningServer;
t.before(async () => {
  server = await startServer({ logLevel: "silent" });
});
t.teardown(() => server.close());

const short = (n: number) => ({ "sim.output_tokens": String(n) });

t.test(
  "with hotline: false, no subprotocol is selected, even when hotline.v1 is offered",
  async (t) => {
    const coreOnly = await startServer({ logLevel: "silent", hotline: false });
    t.teardown(() => coreOnly.close());
    // A raw upgrade: the ws client would itself abort on a missing subprotocol answer.
    const headers = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const req = request(`${coreOnly.url}/v1/responses`, {
        headers: {
          Connection: "Upgrade",
          Upgrade: "websocket",
          "Sec-WebSocket-Version": "13",
          "Sec-WebSocket-Key": randomBytes(16).toString("base64"),
          "Sec-WebSocket-Protocol": "hotline.v1",
        },
      });
      req.on("upgrade", (res, socket) => {
        socket.destroy();
        resolve({ status: res.statusCode, ...res.headers });
      });
      req.on("error", reject);
      req.end();
    });
    t.equal(headers.status, 101);
    t.notOk("sec-websocket-protocol" in headers);
  },
);

t.test("creates are processed one at a time, in order", async (t) => {
  const socket = await TestSocket.open(server.wsUrl);
  socket.send({ type: "response.create", input: "one", metadata: short(30) });
  socket.send({ type: "response.create", input: "two", metadata: short(5) });
  const first = await socket.terminal();
  const second = await socket.terminal();
  const types = socket.recorder.events.map((e) => e.type);
  const firstEnd = types.indexOf("response.completed");
  t.equal(
    types.indexOf("response.created", 1),
    firstEnd + 1,
    "the second starts after the first ends",
  );
  t.not(
    (first as { response: { id: string } }).response.id,
    (second as { response: { id: string } }).response.id,
  );
  socket.recorder.assertClean();
  socket.close();
});

t.test("store=false: continuation works on the same connection only", async (t) => {
  const a = await TestSocket.open(server.wsUrl);
  a.send({ type: "response.create", input: "hello", store: false, metadata: short(5) });
  const done = (await a.next("response.completed")).response;
  t.equal(done.store, false);
  const b = await TestSocket.open(server.wsUrl);
  b.send({ type: "response.create", input: "more", previous_response_id: done.id, store: false });
  const error = await b.next("error");
  t.equal(error.error.code, "previous_response_not_found");
  // store:true falls back to the store, which never holds store:false responses (RESP-16).
  b.send({ type: "response.create", input: "more", previous_response_id: done.id, store: true });
  t.equal((await b.next("error")).error.code, "previous_response_not_found");
  a.send({
    type: "response.create",
    input: "more",
    previous_response_id: done.id,
    store: false,
    metadata: short(5),
  });
  const continued = (await a.next("response.completed")).response;
  t.equal(continued.previous_response_id, done.id);
  // Only the most recent response is cached in core: the first is gone now.
  a.send({ type: "response.create", input: "again", previous_response_id: done.id, store: false });
  t.equal((await a.next("error")).error.code, "previous_response_not_found");
  a.recorder.assertClean();
  b.recorder.assertClean();
  a.close();
  b.close();
});

t.test("store=true: a response is found from another connection", async (t) => {
  const a = await TestSocket.open(server.wsUrl);
  a.send({ type: "response.create", input: "hello", metadata: short(5) });
  const done = (await a.next("response.completed")).response;
  const b = await TestSocket.open(server.wsUrl);
  b.send({
    type: "response.create",
    input: "more",
    previous_response_id: done.id,
    metadata: short(5),
  });
  const continued = (await b.next("response.completed")).response;
  t.equal(continued.previous_response_id, done.id);
  a.recorder.assertClean();
  b.recorder.assertClean();
  a.close();
  b.close();
});

t.test("a failed continuation evicts the referenced response", async (t) => {
  const socket = await TestSocket.open(server.wsUrl);
  socket.send({ type: "response.create", input: "hello", store: false, metadata: short(5) });
  const done = (await socket.next("response.completed")).response;
  socket.send({
    type: "response.create",
    input: "x",
    previous_response_id: done.id,
    store: false,
    max_output_tokens: 200_000,
  });
  t.equal((await socket.next("error")).error.code, "context_length_exceeded");
  socket.send({
    type: "response.create",
    input: "retry",
    previous_response_id: done.id,
    store: false,
  });
  t.equal((await socket.next("error")).error.code, "previous_response_not_found");
  // A failure after response.created (a backend fault) evicts too.
  socket.send({ type: "response.create", input: "base", store: false, metadata: short(5) });
  const base = (await socket.next("response.completed")).response;
  socket.send({
    type: "response.create",
    input: "fail",
    previous_response_id: base.id,
    store: false,
    metadata: { "sim.error": "server_error:3" },
  });
  const failed = await socket.next("response.failed");
  t.equal(failed.response.error?.code, "server_error");
  t.equal(socket.recorder.ofType("error").filter((e) => e.sequence_number !== undefined).length, 0);
  socket.send({
    type: "response.create",
    input: "retry",
    previous_response_id: base.id,
    store: false,
  });
  t.equal((await socket.next("error")).error.code, "previous_response_not_found");
  socket.recorder.assertClean();
  socket.close();
});

t.test("generate:false prefills, completes empty, and is chainable", async (t) => {
  const socket = await TestSocket.open(server.wsUrl);
  socket.send({ type: "response.create", input: "warm this up ".repeat(100), generate: false });
  const warm = (await socket.next("response.completed")).response;
  t.same(warm.output, []);
  t.equal(warm.usage?.output_tokens, 0);
  socket.send({
    type: "response.create",
    input: "go",
    previous_response_id: warm.id,
    metadata: short(5),
  });
  const next = (await socket.next("response.completed")).response;
  t.ok((next.usage?.input_tokens_details.cached_tokens ?? 0) > 0, "the warm-up is cached");
  socket.recorder.assertClean();
  socket.close();
});

t.test("connection age limit: error then close 4000, after the response in flight", async (t) => {
  // The age limit runs on the session's virtual clock: it passes while the response runs.
  const sessionTime = new VirtualClock();
  const aged = await startServer({
    logLevel: "silent",
    connectionMaxAgeMs: 200,
    sessionClock: sessionClock(sessionTime, Date.now()),
  });
  t.teardown(() => aged.close());
  const socket = await TestSocket.open(aged.wsUrl);
  socket.send({ type: "response.create", input: "long", metadata: short(600) });
  await socket.next("response.created");
  sessionTime.advance(200);
  const closed = await socket.closed;
  t.equal(closed.code, 4000);
  t.equal(closed.reason, "websocket_connection_limit_reached");
  const types = socket.recorder.events.map((e) => e.type);
  t.equal(types.at(-2), "response.completed", "the response in flight finished first");
  const last = socket.recorder.events.at(-1) as { type: string; error: { code: string } };
  t.equal(last.error.code, "websocket_connection_limit_reached");
  socket.recorder.assertClean();
});
