import t from "tap";
import { RealClock, VirtualClock } from "../../../src/util/clock.js";

t.test("virtual clock runs timers in deadline order and sets now to each deadline", (t) => {
  const clock = new VirtualClock();
  const seen: [string, number][] = [];
  clock.setTimer(20, () => seen.push(["b", clock.now()]));
  clock.setTimer(10, () => seen.push(["a", clock.now()]));
  clock.setTimer(20, () => seen.push(["c", clock.now()]));
  t.equal(clock.pendingTimers, 3);
  t.equal(clock.advance(15), 1);
  t.equal(clock.now(), 15);
  clock.advance(10);
  t.same(seen, [
    ["a", 10],
    ["b", 20],
    ["c", 20],
  ]);
  t.equal(clock.now(), 25);
  t.end();
});

t.test("virtual clock: cancel, timers armed in the past, and timers armed by timers", (t) => {
  const clock = new VirtualClock({ startMs: 100 });
  const seen: number[] = [];
  const cancel = clock.setTimer(110, () => seen.push(-1));
  cancel();
  cancel();
  clock.setTimer(50, () => {
    seen.push(clock.now());
    clock.setTimer(clock.now() + 5, () => seen.push(clock.now()));
  });
  t.equal(clock.pendingTimers, 1);
  clock.advance(0);
  t.same(seen, [100]);
  clock.advance(5);
  t.same(seen, [100, 105]);
  t.end();
});

t.test("virtual clock runAll stops at its safety cap", (t) => {
  const clock = new VirtualClock();
  const loop = (): void => {
    clock.setTimer(clock.now() + 1, loop);
  };
  loop();
  t.throws(() => clock.runAll(100), /more than 100/);
  const other = new VirtualClock();
  other.setTimer(5, () => {});
  other.setTimer(9, () => {});
  t.equal(other.runAll(), 2);
  t.equal(other.now(), 9);
  t.end();
});

t.test("real clock fires at or after the deadline, and cancel prevents firing", async (t) => {
  for (const clock of [new RealClock(), new RealClock({ spinBelowMs: 1 })]) {
    const target = clock.now() + 5.5;
    const firedAt = await new Promise<number>((resolve) => {
      clock.setTimer(target, () => resolve(clock.now()));
    });
    t.ok(firedAt >= target, `fired ${firedAt - target} ms after the deadline`);
    let fired = false;
    const cancel = clock.setTimer(clock.now() + 2, () => {
      fired = true;
    });
    cancel();
    await new Promise((r) => setTimeout(r, 10));
    t.notOk(fired);
    const dueNow = await new Promise<boolean>((resolve) => {
      let sync = true;
      clock.setTimer(clock.now() - 1, () => resolve(sync));
      sync = false;
    });
    t.notOk(dueNow, "a due timer still runs asynchronously");
  }
});

t.test("a precise real timer keeps its deadline to well under a millisecond", async (t) => {
  const clock = new RealClock();
  const lateness = async (precise: boolean): Promise<number> => {
    const target = clock.now() + 3.3;
    const firedAt = await new Promise<number>((resolve) => {
      clock.setTimer(target, () => resolve(clock.now()), precise);
    });
    t.ok(firedAt >= target, "never early");
    return firedAt - target;
  };
  const plain: number[] = [];
  const precise: number[] = [];
  for (let i = 0; i < 15; i++) {
    plain.push(await lateness(false));
    precise.push(await lateness(true));
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[values.length >> 1]!;
  t.ok(median(precise) < 0.5, `precise: median ${median(precise).toFixed(3)} ms late`);
  t.ok(
    median(precise) < median(plain),
    `and earlier than a plain one (${median(plain).toFixed(3)} ms)`,
  );
});
