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
