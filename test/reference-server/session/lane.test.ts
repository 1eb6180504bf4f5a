/**
 * The lane (session/lane.ts): core's one in flight with a bounded FIFO queue (RESP-3, RESP-30),
 * hotline.v1's `max_in_flight` with no queue (RESP-15).
 */
import t from "tap";
import { Lane } from "../../../reference-server/session/lane.js";

t.test("core: one runs, the rest wait in arrival order up to the bound", async (t) => {
  const lane = new Lane<string>(1, 2);
  t.equal(lane.admit("a", 0), "start");
  t.equal(lane.admit("b", 1), "queued");
  t.equal(lane.admit("c", 1), "queued");
  t.equal(lane.admit("d", 1), "full", "past the bound: refused, not queued");
  t.equal(lane.queued, 2);
  t.equal(lane.next(1), undefined, "nothing starts while one runs");
  t.equal(lane.next(0), "b");
  t.equal(lane.admit("e", 1), "queued", "a freed queue place is taken again");
  t.equal(lane.next(0), "c");
  t.same(lane.clear(), ["e"]);
  t.equal(lane.queued, 0);
});

t.test("a create never overtakes one that waits", async (t) => {
  const lane = new Lane<string>(1, 4);
  t.equal(lane.admit("a", 1), "queued");
  t.equal(lane.admit("b", 0), "queued", "room, but 'a' waits: 'b' goes behind it");
  t.equal(lane.next(0), "a");
});

t.test("hotline.v1: max_in_flight at once, no queue", async (t) => {
  const lane = new Lane<string>(2, 0);
  t.ok(lane.hasRoom(1));
  t.notOk(lane.hasRoom(2));
  t.equal(lane.admit("x", 2), "full");
  t.equal(lane.queued, 0);
});
