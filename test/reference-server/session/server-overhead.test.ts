/**
 * `server_overhead_ms` over a WebSocket: a create counts from when its message arrived (the
 * binding hands the session that time), through parsing and validation, to its
 * `response.created`; a create that waited in its lane counts from when it left the lane.
 */
import t from "tap";
import { Backend, VirtualClock } from "../../../reference-server/backend/index.js";
import { ResponsesService } from "../../../reference-server/responses/service.js";
import {
  DEFAULT_HOTLINE_CONFIG,
  Session,
  type SessionPort,
} from "../../../reference-server/session/session.js";
import { sessionClock } from "../../../reference-server/session/clock.js";

function setup() {
  const clock = new VirtualClock();
  const overheads: { id: string; ms: number }[] = [];
  const service = new ResponsesService({
    backend: new Backend({ clock }),
    observer: { onStarted: (run, ms) => overheads.push({ id: run.id, ms }) },
  });
  const session = new Session({
    profile: "core",
    service,
    principal: "p",
    config: DEFAULT_HOTLINE_CONFIG,
    clock: sessionClock(clock, 0),
  });
  const sent: { type: string }[] = [];
  const port: SessionPort = {
    send: (json) => sent.push(JSON.parse(json) as { type: string }),
    close: () => {},
    bufferedAmount: () => 0,
    onDrain: (fn) => fn(),
  };
  session.attach(port);
  return { clock, session, overheads, sent };
}

t.test("a create counts from its arrival, not from when the service saw it", (t) => {
  const { session, overheads, sent } = setup();
  // Arrived 40 ms ago (a frame the binding parsed and validated slowly, say).
  session.handle({ type: "response.create", input: "hello" }, performance.now() - 40);
  t.equal(sent[0]?.type, "response.created");
  t.equal(overheads.length, 1);
  t.ok(overheads[0]!.ms >= 40, `${overheads[0]!.ms.toFixed(2)} ms includes the 40 ms before`);
  t.end();
});

t.test("a create that waited in its lane counts from leaving it", (t) => {
  const { clock, session, overheads } = setup();
  const arrived = performance.now() - 40;
  session.handle({ type: "response.create", input: "one" }, arrived);
  // Core: one at a time on the default lane; the second waits for the first to end.
  session.handle({ type: "response.create", input: "two" }, arrived);
  t.equal(overheads.length, 1, "the second waits");
  clock.runAll();
  t.equal(overheads.length, 2, "and starts once the first ended");
  t.ok(overheads[1]!.ms < 40, `${overheads[1]!.ms.toFixed(2)} ms: its wait is not counted`);
  t.end();
});
