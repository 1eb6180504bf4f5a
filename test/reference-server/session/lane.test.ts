/**
 * The lanes (session/lane.ts): one FIFO per `stream_id` and a default lane (core: one at a
 * time, RESP-31; hotline.v1: `max_in_flight`), a connection-wide slot limit under which creates
 * wait rather than being refused (RESP-35), the bound on waiting creates (RESP-30) and on named
 * lanes (RESP-34), and `stream_id` validation (RESP-33).
 */
import t from "tap";
import { isStreamId, LaneSet } from "../../../reference-server/session/lane.js";

t.test("core default lane: one runs, the rest wait in arrival order up to the bound", async (t) => {
  const lanes = new LaneSet<string>({ defaultConcurrency: 1, maxQueued: 2 });
  t.equal(lanes.admit("", "a", true), "start");
  lanes.started("");
  t.equal(lanes.admit("", "b", true), "queued", "its lane is busy: it waits");
  t.equal(lanes.admit("", "c", true), "queued");
  t.equal(lanes.admit("", "d", true), "full", "past the bound: refused, not queued");
  t.equal(lanes.queued, 2);
  t.equal(lanes.next(true), undefined, "nothing starts while its lane runs");
  lanes.ended("");
  t.same(lanes.next(true), { lane: "", item: "b" });
  lanes.started("");
  t.same(
    lanes.clear().map((x) => x.item),
    ["c"],
  );
  t.equal(lanes.queued, 0);
});

t.test("named lanes run at once; each is FIFO", async (t) => {
  const lanes = new LaneSet<string>({ defaultConcurrency: 1, maxQueued: 8 });
  t.equal(lanes.admit("a", "a1", true), "start");
  lanes.started("a");
  t.equal(lanes.admit("b", "b1", true), "start", "another lane is not blocked by lane a");
  lanes.started("b");
  t.equal(lanes.admit("a", "a2", true), "queued", "lane a runs a1: a2 waits");
  t.equal(lanes.next(true), undefined);
  lanes.ended("b");
  t.equal(lanes.next(true), undefined, "lane b's end does not start lane a's next");
  lanes.ended("a");
  t.same(lanes.next(true), { lane: "a", item: "a2" });
});

t.test(
  "a full connection queues instead of refusing, oldest first when a slot frees",
  async (t) => {
    const lanes = new LaneSet<string>({ defaultConcurrency: 1, maxQueued: 8 });
    t.equal(lanes.admit("x", "x1", false), "queued", "no slot: it waits");
    t.equal(lanes.admit("y", "y1", false), "queued");
    t.equal(lanes.next(false), undefined, "still no slot");
    t.same(lanes.next(true), { lane: "x", item: "x1" }, "the oldest waiting goes first");
    t.equal(lanes.admit("z", "z1", true), "start", "a free lane with a slot starts at once");
  },
);

t.test("hotline.v1's default lane runs max_in_flight at once", async (t) => {
  const lanes = new LaneSet<string>({ defaultConcurrency: 2, maxQueued: 0 });
  t.ok(lanes.canStart("", true));
  lanes.started("");
  t.ok(lanes.canStart("", true));
  lanes.started("");
  t.notOk(lanes.canStart("", true));
  t.equal(lanes.admit("", "x", true), "full", "no queue: refused");
});

t.test("at most 32 named lanes; the default lane is not counted", async (t) => {
  const lanes = new LaneSet<string>({ defaultConcurrency: 1, maxQueued: 64 });
  lanes.started("");
  for (let i = 0; i < 32; i++) {
    t.notOk(lanes.overLimit(`l${i}`));
    lanes.started(`l${i}`);
  }
  t.equal(lanes.namedCount, 32);
  t.ok(lanes.overLimit("l32"), "a 33rd name is over the limit");
  t.notOk(lanes.overLimit("l0"), "a lane already open is not");
  t.notOk(lanes.overLimit(""), "nor the default lane");
});

t.test("stream_id: 1 to 256 characters of [A-Za-z0-9_.-]", async (t) => {
  t.ok(isStreamId("a"));
  t.ok(isStreamId("lane_1.x-Y"));
  t.ok(isStreamId("x".repeat(256)));
  t.notOk(isStreamId(""));
  t.notOk(isStreamId("x".repeat(257)));
  t.notOk(isStreamId("a b"));
  t.notOk(isStreamId("é"));
  t.notOk(isStreamId(7));
});
