/**
 * One admission path for every kind of work (issue 18, SESSION-21): a `session.update` with
 * `prewarm: true` runs a prefill on the backend like a create, so it counts toward the
 * session's `max_in_flight` and the principal's in-flight limit, and is refused like a create
 * when either is full. It once ran untracked: one token filled the wafer tier past its limit.
 * Virtual time keeps each prefill in flight until the test advances the clock.
 */
import t from "tap";
import { startServer } from "../../../reference-server/index.js";
import { VirtualClock } from "../../../reference-server/backend/index.js";
import { openHotline } from "../helpers/hotline.js";
import type { TestSocket } from "../helpers/clients.js";

const instructions = Array.from({ length: 200 }, (_, i) => `rule ${i}: be brief.`).join("\n");

/** Processed in order: once the pong is back, every earlier frame was handled. */
async function handled(socket: TestSocket, nonce: string): Promise<void> {
  socket.send({ type: "session.ping", nonce });
  await socket.next("session.pong", (e) => e.nonce === nonce);
}

t.test("a prewarm in flight counts against the principal's in-flight limit", async (t) => {
  const clock = new VirtualClock();
  const server = await startServer({
    logLevel: "silent",
    backend: { clock },
    limits: { inFlight: 1 },
  });
  t.teardown(() => server.close());
  const { socket: a } = await openHotline(server.wsUrl);
  const { socket: b } = await openHotline(server.wsUrl);
  t.teardown(() => (a.close(), b.close()));
  a.send({ type: "session.update", session: { instructions }, prewarm: true, event_id: "u1" });
  await handled(a, "p1");
  b.send({ type: "response.create", input: "hi", client_request_id: "c1" });
  const first = await b.matching((e) => e.type === "error" || e.type === "response.created");
  t.equal(first.type, "error", "the second unit of work of the token is refused");
  t.match(first, { error: { code: "rate_limit_exceeded" } });
  t.match((first as { error: { message: string } }).error.message, /principal\.in_flight/);
  // Once the prefill ends the slot is free again.
  let updated = false;
  void a.next("session.updated").then(() => (updated = true));
  for (let i = 0; i < 10_000 && !updated; i++) {
    clock.advance(1);
    await new Promise((resolve) => setImmediate(resolve));
  }
  t.ok(updated, "the prewarm answered");
  await new Promise((resolve) => setImmediate(resolve));
  b.send({ type: "response.create", input: "hi", client_request_id: "c2" });
  const second = await b.matching((e) => e.type === "error" || e.type === "response.created");
  t.equal(second.type, "response.created");
});

t.test("a prewarm counts toward max_in_flight and is refused like a create", async (t) => {
  const clock = new VirtualClock();
  const server = await startServer({
    logLevel: "silent",
    backend: { clock },
    session: { maxInFlight: 1 },
  });
  t.teardown(() => server.close());
  const { socket } = await openHotline(server.wsUrl);
  t.teardown(() => socket.close());
  socket.send({ type: "session.update", session: { instructions }, prewarm: true, event_id: "u1" });
  await handled(socket, "p1");
  socket.send({
    type: "session.update",
    session: { instructions: `${instructions}\nmore` },
    prewarm: true,
    event_id: "u2",
  });
  t.match(await socket.next("error"), {
    event_id: "u2",
    error: { code: "too_many_in_flight" },
  });
  socket.send({ type: "response.create", input: "hi", client_request_id: "c1" });
  t.match(await socket.next("error"), { error: { code: "too_many_in_flight" } });
  t.equal(server.backend.counters().total.activeSequences, 1, "one prefill on the backend");
});
