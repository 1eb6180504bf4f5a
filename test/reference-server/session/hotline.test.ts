/**
 * The hotline.v1 session layer over raw sockets: negotiation (TRANSPORT-3/4/6, SESSION-1/2),
 * multiplexing (RESP-14/15), cancel and truncate (INT-1..8), steer (INT-11, INT-13..18), isolation,
 * idempotency (RESUME-11/12), ping, rate limits, heartbeats, background, going-away, and the
 * core profile never seeing any of it (SESSION-3). Every frame is validated by the recorder.
 */
import { randomBytes } from "node:crypto";
import { request } from "node:http";
import t from "tap";
import { VirtualClock } from "../../../reference-server/backend/index.js";
import { type RunningServer, sessionClock, startServer } from "../../../reference-server/index.js";
import { type ServerEvent, SPEC_VERSION } from "../../../src/protocol/index.js";
import { TestSocket } from "../helpers/clients.js";
import {
  deltasOf,
  eventsWhere,
  openHotline,
  ridOf,
  sessionOf,
  terminalOf,
} from "../helpers/hotline.js";

let server: RunningServer;
t.before(async () => {
  server = await startServer({
    logLevel: "silent",
    tokens: ["secret"],
    // Slow enough that a test can act mid-stream.
    backend: { tiers: { wafer: { decodeTokensPerSecond: 400, burstTokensPerSecond: 400 } } },
    session: { heartbeatIntervalMs: 200, shutdownGraceMs: 500 },
  });
});
t.teardown(() => server.close());

const auth = { Authorization: "Bearer secret" };
const open = (extra: { headers?: Record<string, string>; extraProtocols?: string[] } = {}) =>
  openHotline(server.wsUrl, { ...extra, headers: { ...auth, ...extra.headers } });
const hint = (n: number, extra: Record<string, string> = {}) => ({
  "sim.output_tokens": String(n),
  ...extra,
});

async function created(socket: TestSocket, clientRequestId: string): Promise<string> {
  const event = await socket.next(
    "response.created",
    (e) => (e as { client_request_id?: string }).client_request_id === clientRequestId,
  );
  return event.response.id;
}

t.test(
  "negotiation: hotline.v1 selected, bearer entry not echoed, session.created first",
  async (t) => {
    const headers = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const req = request(`${server.url}/v1/responses`, {
        headers: {
          Connection: "Upgrade",
          Upgrade: "websocket",
          "Sec-WebSocket-Version": "13",
          "Sec-WebSocket-Key": randomBytes(16).toString("base64"),
          "Sec-WebSocket-Protocol": "hotline.v1, hotline.bearer.secret",
        },
      });
      req.on("upgrade", (res, socket) => {
        socket.destroy();
        resolve({ status: res.statusCode, ...res.headers });
      });
      req.on("response", (res) => resolve({ status: res.statusCode }));
      req.on("error", reject);
      req.end();
    });
    t.equal(headers.status, 101, "the bearer entry authenticates");
    t.equal(
      headers["sec-websocket-protocol"],
      "hotline.v1",
      "exactly hotline.v1, token not echoed",
    );

    const { socket, first } = await openHotline(server.wsUrl, {
      extraProtocols: ["hotline.bearer.secret"],
    });
    t.equal(socket.ws.protocol, "hotline.v1");
    t.equal(first.type, "session.created");
    const session = sessionOf(first);
    t.match(session, {
      protocol: "hotline.v1",
      version: SPEC_VERSION,
      limits: { max_in_flight: 8, resume_window_ms: 300_000, heartbeat_interval_ms: 200 },
    });
    // SESSION-22: the memory budgets the binding enforces, stated where a client can use them.
    t.match(session.limits, {
      max_unsent_bytes: 4 << 20,
      resume_buffer_bytes: 128 << 10,
      max_detached_sessions: 64,
      incomplete_message_ms: 30_000,
    });
    t.ok(session.resume_token.length > 20);
    for (const f of ["multiplex", "cancel", "steer", "resume", "heartbeat", "prewarm"]) {
      t.ok(session.features.includes(f), `feature ${f}`);
    }
    socket.recorder.assertClean();
    socket.close();
  },
);

t.test("a core client never receives a Hotline event or field (SESSION-3)", async (t) => {
  const socket = await TestSocket.open(server.wsUrl, { headers: auth });
  socket.send({ type: "session.ping", nonce: "x" });
  t.equal((await socket.next("error")).error.code, "unknown_event_type");
  socket.send({ type: "response.create", input: "hi", metadata: hint(20) });
  await socket.terminal();
  for (const event of socket.recorder.events) {
    t.notOk(event.type.startsWith("session.") || event.type === "rate_limits.updated", event.type);
    const e = event as unknown as Record<string, unknown>;
    for (const key of ["response_id", "client_request_id", "steered_from", "queue_position"]) {
      t.notOk(key in e, `${event.type} has no ${key}`);
    }
    t.notOk("retryable" in ((e.error as object | undefined) ?? {}), "no error.retryable");
  }
  socket.recorder.assertClean();
  socket.close();
});

t.test("8 multiplexed responses interleave, each complete and in order", async (t) => {
  const { socket } = await open();
  for (let i = 0; i < 8; i++) {
    socket.send({
      type: "response.create",
      input: `task ${i}`,
      client_request_id: `m${i}`,
      metadata: hint(40 + i),
    });
  }
  const ids = await Promise.all(Array.from({ length: 8 }, (_, i) => created(socket, `m${i}`)));
  t.equal(new Set(ids).size, 8);
  // A ninth is over the limit: an error, nothing else changes.
  socket.send({ type: "response.create", input: "ninth", client_request_id: "m8", event_id: "e9" });
  const refused = await socket.next("error");
  t.match(refused, {
    error: { code: "too_many_in_flight", retryable: true },
    event_id: "e9",
    client_request_id: "m8",
  });
  const terminals = await Promise.all(ids.map((id) => terminalOf(socket, id)));
  for (const [i, terminal] of terminals.entries()) {
    t.equal(terminal.type, "response.completed");
    const usage = (terminal as { response: { usage: { output_tokens: number } } }).response.usage;
    t.equal(usage.output_tokens, 40 + i);
  }
  // Interleaved: some response's delta comes between another's first and last delta.
  const order = socket.recorder.events
    .filter((e) => e.type === "response.output_text.delta")
    .map((e) => ridOf(e));
  const firstOf0 = order.indexOf(ids[0]);
  const lastOf0 = order.lastIndexOf(ids[0]);
  t.ok(
    order.slice(firstOf0, lastOf0).some((id) => id !== ids[0]),
    "deltas of different responses interleave",
  );
  t.equal(
    socket.recorder.events.filter((e) => e.type === "response.created").length,
    8,
    "the refused create started nothing",
  );
  // rate_limits.updated after each response.created and before its first delta (SESSION-17).
  for (const id of ids) {
    const events = socket.recorder.events;
    const createdAt = events.findIndex((e) => e.type === "response.created" && ridOf(e) === id);
    const rate = events.findIndex(
      (e, i) => i > createdAt && e.type === "rate_limits.updated" && ridOf(e) === id,
    );
    const delta = events.findIndex(
      (e) => e.type === "response.output_text.delta" && ridOf(e) === id,
    );
    t.ok(rate > createdAt && rate < delta, "rate_limits.updated between created and first delta");
  }
  socket.recorder.assertClean();
  socket.close();
});

t.test("cancel mid-stream with truncate", async (t) => {
  const { socket } = await open();
  socket.send({
    type: "response.create",
    input: "write a lot",
    client_request_id: "c1",
    store: true,
    metadata: hint(2000),
  });
  const id = await created(socket, "c1");
  await eventsWhere(socket, (e) => e.type === "response.output_text.delta" && ridOf(e) === id, 5);
  socket.send({ type: "response.cancel", response_id: id, truncate: { text_chars: 7 } });
  const before = deltasOf(socket, id).length;
  const terminal = (await terminalOf(socket, id)) as Extract<
    ServerEvent,
    { type: "response.cancelled" }
  >;
  t.equal(terminal.type, "response.cancelled");
  t.equal(terminal.response.status, "cancelled");
  t.ok(deltasOf(socket, id).length <= before + 1, "at most one delta after the cancel (INT-2)");
  const streamed = socket.recorder.text(id);
  const output = terminal.response.output as { content?: { text: string }[] }[];
  const text = output
    .flatMap((i) => i.content ?? [])
    .map((c) => c.text)
    .join("");
  t.equal(text, [...streamed].slice(0, 7).join(""), "the cancelled output is truncated (INT-7)");
  const usage = terminal.response.usage!;
  t.ok(usage.output_tokens > 0 && usage.output_tokens < 2000, "usage counts generated tokens");
  t.equal(server.backend.counters().total.activeSequences, 0, "the sequence slot is free");
  // The store holds the truncated output too.
  const stored = await fetch(`${server.url}/v1/responses/${id}`, { headers: auth });
  const body = (await stored.json()) as { output: { content?: { text: string }[] }[] };
  t.equal(
    body.output
      .flatMap((i) => i.content ?? [])
      .map((c) => c.text)
      .join(""),
    text,
  );
  // No event for it after its terminal (STREAM-5), and cancelling again: response_not_active.
  socket.send({ type: "response.cancel", response_id: id, event_id: "again" });
  t.match(await socket.next("error"), {
    error: { code: "response_not_active" },
    response_id: id,
    event_id: "again",
  });
  socket.send({ type: "response.cancel", response_id: "resp_unknown" });
  t.match(await socket.next("error"), { error: { code: "response_not_active" } });
  // A steer that lost the race with the response's end: response.steer.failed returns its
  // input and echoes its client_request_id (INT-16, INT-17), so the client knows the
  // continuation will never start.
  socket.send({
    type: "response.steer",
    previous_response_id: id,
    input: "late",
    client_request_id: "s9",
  });
  t.match(await socket.next("response.steer.failed"), {
    steer: { previous_response_id: id, input: "late" },
    error: { code: "response_not_active", type: "invalid_request_error" },
    client_request_id: "s9",
  });
  // The session goes on, and the cancelled response is chainable (INT-8).
  socket.send({
    type: "response.create",
    input: "go on",
    previous_response_id: id,
    client_request_id: "c2",
    metadata: hint(5),
  });
  const next = await created(socket, "c2");
  t.equal((await terminalOf(socket, next)).type, "response.completed");
  socket.recorder.assertClean();
  socket.close();
});

t.test("cancelling a queued response ends it without in_progress (INT-5)", async (t) => {
  const { socket } = await open();
  socket.send({
    type: "response.create",
    input: "later",
    client_request_id: "q1",
    metadata: hint(5, { "sim.delay_ms": "400" }),
  });
  const id = await created(socket, "q1");
  socket.send({ type: "response.cancel", response_id: id });
  t.equal((await terminalOf(socket, id)).type, "response.cancelled");
  t.notOk(deltasOf(socket, id).length, "no output");
  socket.recorder.assertClean();
  socket.close();
});

t.test("a session cannot cancel, steer or resume another session's response", async (t) => {
  const { socket: a } = await open();
  const { socket: b } = await open();
  a.send({ type: "response.create", input: "mine", client_request_id: "x1", metadata: hint(400) });
  const id = await created(a, "x1");
  b.send({ type: "response.cancel", response_id: id });
  t.match(await b.next("error"), { error: { code: "response_not_active" }, response_id: id });
  b.send({ type: "response.steer", previous_response_id: id, input: "hijack" });
  t.match(await b.next("response.steer.failed"), { error: { code: "response_not_found" } });
  b.send({ type: "response.resume", response_id: id, after_sequence_number: -1 });
  t.match(await b.next("error"), { error: { code: "response_not_found" } });
  t.equal((await terminalOf(a, id)).type, "response.completed", "untouched");
  t.notOk(
    b.recorder.events.some((e) => ridOf(e) === id && e.type !== "error"),
    "nothing leaked",
  );
  a.recorder.assertClean();
  b.recorder.assertClean();
  a.close();
  b.close();
});

t.test("steer keeps the partial output and chains the new response", async (t) => {
  const { socket } = await open();
  socket.send({
    type: "response.create",
    input: "plan",
    client_request_id: "s1",
    metadata: hint(2000),
  });
  const id = await created(socket, "s1");
  await eventsWhere(socket, (e) => e.type === "response.output_text.delta" && ridOf(e) === id, 3);
  socket.send({
    type: "response.steer",
    previous_response_id: id,
    input: "use iterators instead",
    client_request_id: "s2",
    metadata: hint(10),
  });
  const steered = await socket.next(
    "response.created",
    (e) => (e as { steered_from?: string }).steered_from === id,
  );
  const events = socket.recorder.events;
  const accepted = events.findIndex((e) => e.type === "response.steer.accepted");
  t.match(events[accepted], {
    steer: { id: /^steer_/, previous_response_id: id },
    client_request_id: "s2",
  });
  const endedAt = events.findIndex((e) => e.type === "response.incomplete" && ridOf(e) === id);
  t.ok(accepted < endedAt, "accepted before the steered response ends (INT-13)");
  t.ok(endedAt >= 0 && endedAt < events.indexOf(steered), "incomplete before created (INT-15)");
  const cancelled = events[endedAt] as Extract<ServerEvent, { type: "response.incomplete" }>;
  t.equal(cancelled.response.incomplete_details?.reason, "steered", "reason steered (INT-14)");
  t.equal((steered as { client_request_id?: string }).client_request_id, "s2");
  t.equal(steered.response.previous_response_id, id);
  const partial = socket.recorder.text(id);
  t.ok(partial.length > 0, "partial output");
  const kept = (cancelled.response.output as { content?: { text: string }[] }[])
    .flatMap((i) => i.content ?? [])
    .map((c) => c.text)
    .join("");
  t.equal(kept, partial, "the partial output is kept");
  const done = (await terminalOf(socket, steered.response.id)) as Extract<
    ServerEvent,
    { type: "response.completed" }
  >;
  t.equal(done.type, "response.completed");
  t.ok(done.response.usage!.input_tokens > 0);
  socket.recorder.assertClean();
  socket.close();
});

t.test("client_request_id is idempotent: same body attaches, other body is refused", async (t) => {
  const { socket } = await open();
  const body = {
    type: "response.create",
    input: "once",
    client_request_id: "i1",
    metadata: hint(30),
  };
  socket.send(body);
  const id = await created(socket, "i1");
  await terminalOf(socket, id);
  const before = server.backend.counters().total;
  socket.send({ ...body, event_id: "retry" });
  const replayed = await socket.next("response.created", (e) => ridOf(e) === id);
  t.equal(replayed.sequence_number, 0, "replayed from the start");
  await socket.next("response.completed", (e) => ridOf(e) === id);
  socket.send({ ...body, input: "different" });
  t.match(await socket.next("error"), {
    error: { code: "idempotency_key_reused" },
    client_request_id: "i1",
    response_id: id,
  });
  const after = server.backend.counters().total;
  t.equal(after.submitted, before.submitted, "no second generation");
  t.equal(
    socket.recorder.events.filter((e) => e.type === "response.created" && ridOf(e) !== id).length,
    0,
  );
  socket.close();
});

t.test("session.ping is answered with session.pong even during token traffic", async (t) => {
  const { socket } = await open();
  socket.send({
    type: "response.create",
    input: "busy",
    client_request_id: "p1",
    metadata: hint(300),
  });
  const id = await created(socket, "p1");
  socket.send({ type: "session.ping", nonce: "n-1" });
  const pong = await socket.next("session.pong");
  t.equal(pong.nonce, "n-1");
  t.ok(Math.abs(pong.server_time_ms - Date.now()) < 5000);
  t.notOk(
    socket.recorder.events.some((e) => TERMINAL.has(e.type) && ridOf(e) === id),
    "answered while the response was still streaming",
  );
  await terminalOf(socket, id);
  socket.recorder.assertClean();
  socket.close();
});
const TERMINAL = new Set(["response.completed", "response.cancelled", "response.incomplete"]);

t.test("a response silent in a long prefill still gets heartbeats (SESSION-12)", async (t) => {
  const { socket } = await open();
  const started = performance.now();
  socket.send({
    type: "response.create",
    input: "think",
    client_request_id: "h1",
    metadata: hint(5, { "sim.delay_ms": "1000" }),
  });
  const id = await created(socket, "h1");
  await terminalOf(socket, id);
  const beats = socket.recorder.events.filter((e) => e.type === "session.heartbeat");
  t.ok(
    beats.length >= 3,
    `${beats.length} heartbeats in ${Math.round(performance.now() - started)} ms`,
  );
  socket.recorder.assertClean();
  socket.close();
});

t.test("session.update sets defaults; session.updated holds the session", async (t) => {
  const { socket } = await open();
  socket.send({ type: "session.update", session: { instructions: "Be brief." } });
  const updated = await socket.next("session.updated");
  t.equal((updated.session.defaults as { instructions: string }).instructions, "Be brief.");
  socket.send({ type: "response.create", input: "hi", client_request_id: "d1", metadata: hint(3) });
  const id = await created(socket, "d1");
  const done = (await terminalOf(socket, id)) as Extract<
    ServerEvent,
    { type: "response.completed" }
  >;
  t.equal(done.response.instructions, "Be brief.", "the default applies (SESSION-7)");
  socket.recorder.assertClean();
  socket.close();
});

t.test("background responses run on the gpu tier beside interactive ones", async (t) => {
  const { socket } = await open();
  socket.send({
    type: "response.create",
    input: "long task",
    background: true,
    service_tier: "auto",
    client_request_id: "b1",
    metadata: hint(20),
  });
  for (let i = 0; i < 8; i++) {
    socket.send({
      type: "response.create",
      input: `i${i}`,
      client_request_id: `bi${i}`,
      metadata: hint(20),
    });
  }
  const bg = await created(socket, "b1");
  const interactive = await Promise.all(
    Array.from({ length: 8 }, (_, i) => created(socket, `bi${i}`)),
  );
  t.equal(interactive.length, 8, "background does not count toward max_in_flight (RESP-20)");
  const done = (await terminalOf(socket, bg)) as Extract<
    ServerEvent,
    { type: "response.completed" }
  >;
  t.equal(done.response.service_tier, "gpu");
  await Promise.all(interactive.map((id) => terminalOf(socket, id)));
  socket.recorder.assertClean();
  socket.close();
});

t.test("an unknown resume token: session.created then resume_expired (RESUME-4)", async (t) => {
  const { socket, first } = await open({ headers: { "Hotline-Resume-Token": "rt_nope" } });
  t.equal(first.type, "session.created");
  t.match(await socket.next("error"), { error: { code: "resume_expired" } });
  socket.recorder.assertClean();
  socket.close();
});

t.test("resuming while the old connection is open replaces it (RESUME-3)", async (t) => {
  const { socket: a, first } = await open();
  const token = sessionOf(first).resume_token;
  const { socket: b, first: resumed } = await open({ extraProtocols: [`hotline.resume.${token}`] });
  t.equal(resumed.type, "session.resumed");
  t.equal(sessionOf(resumed).id, sessionOf(first).id);
  t.not(sessionOf(resumed).resume_token, token, "a fresh token");
  t.equal(b.ws.protocol, "hotline.v1", "the resume entry is not echoed");
  const closed = await a.closed;
  t.equal(closed.code, 4002);
  t.ok(a.recorder.events.some((e) => e.type === "error" && e.error.code === "session_replaced"));
  b.close();
});

t.test("server close sends session.going_away with a deadline and resume token", async (t) => {
  const local = await startServer({ logLevel: "silent", session: { shutdownGraceMs: 300 } });
  const { socket } = await openHotline(local.wsUrl);
  socket.send({
    type: "response.create",
    input: "x",
    client_request_id: "g1",
    metadata: hint(5, { "sim.delay_ms": "150" }),
  });
  await created(socket, "g1");
  const closing = local.close();
  const away = await socket.next("session.going_away");
  t.equal(away.reason, "shutdown");
  t.ok(away.deadline_ms > 0 && away.resume_token.length > 0);
  const closed = await socket.closed;
  t.equal(closed.code, 4001);
  t.ok(
    socket.recorder.events.some((e) => e.type === "response.completed"),
    "finished first",
  );
  await closing;
});

t.test("max age: going_away with reason max_age before the age, then close 4000", async (t) => {
  // On the session's virtual clock: the notice comes a tenth of the age early (40 ms here).
  const sessionTime = new VirtualClock();
  const local = await startServer({
    logLevel: "silent",
    connectionMaxAgeMs: 400,
    sessionClock: sessionClock(sessionTime, Date.now()),
  });
  t.teardown(() => local.close());
  const { socket } = await openHotline(local.wsUrl);
  let closedAt: number | undefined;
  void socket.closed.then(() => (closedAt = sessionTime.now()));
  sessionTime.advance(360);
  const away = await socket.next("session.going_away");
  t.equal(away.reason, "max_age");
  t.equal(away.deadline_ms, 40);
  sessionTime.advance(39);
  socket.send({ type: "session.ping", nonce: "still-open" });
  t.equal((await socket.next("session.pong")).nonce, "still-open");
  t.equal(closedAt, undefined, "not before the deadline");
  sessionTime.advance(1);
  const closed = await socket.closed;
  t.equal(closed.code, 4000);
});
