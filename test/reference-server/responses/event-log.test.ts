// The event log numbers events from 0, replays what a late reader missed, and never hands a
// reader an event at or below the position it asked to start after.
import t from "tap";
import type { ServerEvent } from "../../../src/protocol/index.js";
import { EventLog, type LoggedEvent } from "../../../reference-server/responses/event-log.js";

function ping(log: EventLog, terminal = false): LoggedEvent {
  return log.append(
    (sequence_number) =>
      ({ type: "response.in_progress", sequence_number }) as unknown as ServerEvent,
    terminal,
  );
}

t.test("replays kept events after the position, then goes live", async (t) => {
  const log = new EventLog({ retain: true });
  ping(log);
  ping(log);
  ping(log);
  const seen: number[] = [];
  log.subscribe((e) => seen.push(e.sequenceNumber), 0);
  ping(log, true);
  t.same(seen, [1, 2, 3]);
});

t.test("a position ahead of the log filters live events too", async (t) => {
  const log = new EventLog({ retain: true });
  ping(log);
  ping(log);
  const seen: number[] = [];
  const stop = log.subscribe((e) => seen.push(e.sequenceNumber), 3);
  ping(log); // 2
  ping(log); // 3
  ping(log); // 4
  stop();
  ping(log, true); // 5, after unsubscribing
  t.same(seen, [4]);
});

t.test("kept deltas are JSON only; live listeners get appended events' objects", async (t) => {
  const log = new EventLog({ retain: true });
  const live: (ServerEvent | undefined)[] = [];
  log.subscribe((e) => live.push(e.event));
  const delta = (sequence_number: number) =>
    ({
      type: "response.output_text.delta",
      item_id: "msg_1",
      output_index: 0,
      content_index: 0,
      delta: "tok",
      sequence_number,
    }) as unknown as ServerEvent;
  ping(log);
  log.append(delta);
  log.appendPrebuilt(
    "response.output_text.delta",
    JSON.stringify(delta(2)),
    '{"type":"response.output_text.delta","item_id":"msg_1","output_index":0,"content_index":0,"delta":',
    ',"sequence_number":',
  );
  ping(log, true);
  t.same(
    live.map((e) => e !== undefined),
    [true, true, false, true],
    "live listeners get the event object of appended events (a prebuilt entry has none)",
  );
  const kept = log.entries();
  t.same(
    kept.map((e) => e.event === undefined),
    [false, true, true, false],
    "only the kept deltas dropped their object",
  );
  t.same(JSON.parse(kept[1]!.json), delta(1), "a kept delta replays its full JSON");
  const replayed: string[] = [];
  log.subscribe((e) => replayed.push(e.json), 0);
  t.same(
    replayed.map((j) => (JSON.parse(j) as { sequence_number: number }).sequence_number),
    [1, 2, 3],
  );
});

t.test("a log without history holds what start() appended for a subscriber after it", (t) => {
  const log = new EventLog({ retain: false });
  ping(log);
  ping(log);
  const seen: number[] = [];
  log.subscribe((e) => seen.push(e.sequenceNumber));
  ping(log);
  t.same(seen, [0, 1, 2], "the held events, then live ones");
  const late = new EventLog({ retain: false });
  for (let i = 0; i < 5; i++) ping(late);
  t.throws(() => late.subscribe(() => {}), RangeError, "a longer start is not held");
  t.end();
});
