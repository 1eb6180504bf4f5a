import t from "tap";
import {
  DelayLine,
  type DelayLineSink,
  Link,
  type Scheduler,
} from "../../../src/netsim/delay-line.js";

/** A virtual clock whose timers run only when the test advances it. */
class VirtualScheduler implements Scheduler {
  time = 0;
  #timers: { at: number; fn: () => void; live: boolean }[] = [];
  timersArmed = 0;

  now(): number {
    return this.time;
  }

  setTimer(fn: () => void, delayMs: number): () => void {
    const timer = { at: this.time + delayMs, fn, live: true };
    this.#timers.push(timer);
    this.timersArmed++;
    return () => {
      timer.live = false;
    };
  }

  get pending(): number {
    return this.#timers.filter((timer) => timer.live).length;
  }

  advanceTo(time: number): void {
    for (;;) {
      const due = this.#timers
        .filter((timer) => timer.live && timer.at <= time)
        .sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.time = Math.max(this.time, due.at);
      due.live = false;
      due.fn();
    }
    this.time = time;
  }
}

interface Delivery {
  at: number;
  what: string;
}

function recordingSink(
  clock: VirtualScheduler,
  log: Delivery[],
  accept = () => true,
): DelayLineSink {
  return {
    write: (chunk) => {
      log.push({ at: clock.time, what: chunk.toString() });
      return accept();
    },
    end: () => log.push({ at: clock.time, what: "<end>" }),
    reset: () => log.push({ at: clock.time, what: "<reset>" }),
  };
}

t.test("delivers each chunk exactly delayMs later, in order, on one timer", async (t) => {
  const clock = new VirtualScheduler();
  const log: Delivery[] = [];
  const line = new DelayLine({ delayMs: 20, scheduler: clock });
  line.attach(recordingSink(clock, log));
  line.push(Buffer.from("a"));
  clock.advanceTo(5);
  line.push(Buffer.from("b"));
  line.push(Buffer.from("c"));
  t.equal(clock.pending, 1, "one timer for the whole queue");
  clock.advanceTo(19.9);
  t.same(log, [], "nothing early");
  clock.advanceTo(100);
  t.same(log, [
    { at: 20, what: "a" },
    { at: 25, what: "b" },
    { at: 25, what: "c" },
  ]);
  t.equal(line.queuedBytes, 0);
});

t.test("a timer firing early re-arms instead of delivering early", async (t) => {
  const clock = new VirtualScheduler();
  const log: Delivery[] = [];
  const line = new DelayLine({ delayMs: 10.4, scheduler: clock });
  line.attach(recordingSink(clock, log));
  line.push(Buffer.from("x"));
  // The timer was asked for ceil(10.4) = 11 ms; make it fire at 10 as a coarse clock might.
  clock.advanceTo(10);
  t.same(log, []);
  clock.advanceTo(10.3);
  t.same(log, []);
  clock.advanceTo(20);
  t.equal(log.length, 1);
  t.ok(log[0]!.at >= 10.4);
});

t.test("openAt holds items until the connection would be open", async (t) => {
  const clock = new VirtualScheduler();
  const log: Delivery[] = [];
  const line = new DelayLine({ delayMs: 20, openAt: 40, scheduler: clock });
  line.attach(recordingSink(clock, log));
  line.push(Buffer.from("hello"));
  clock.advanceTo(59);
  t.same(log, []);
  clock.advanceTo(100);
  t.same(log, [{ at: 60, what: "hello" }]);
});

t.test("nothing is delivered before attach, then due items flow at once", async (t) => {
  const clock = new VirtualScheduler();
  const log: Delivery[] = [];
  const line = new DelayLine({ delayMs: 10, scheduler: clock });
  line.push(Buffer.from("early"));
  clock.advanceTo(30);
  t.same(log, []);
  line.attach(recordingSink(clock, log));
  t.same(log, [{ at: 30, what: "early" }]);
});

t.test("a link serialises chunks at its rate, shared by two lines", async (t) => {
  const clock = new VirtualScheduler();
  const link = new Link(1000); // 1 byte per ms
  const logA: Delivery[] = [];
  const logB: Delivery[] = [];
  const a = new DelayLine({ delayMs: 5, link, scheduler: clock });
  const b = new DelayLine({ delayMs: 5, link, scheduler: clock });
  a.attach(recordingSink(clock, logA));
  b.attach(recordingSink(clock, logB));
  a.push(Buffer.alloc(10, "a"));
  b.push(Buffer.alloc(10, "b"));
  a.push(Buffer.alloc(1, "c"));
  clock.advanceTo(100);
  t.same(
    logA.map((d) => d.at),
    [15, 26],
  );
  t.same(
    logB.map((d) => d.at),
    [25],
  );
});

t.test("end and reset markers follow the data sent before them", async (t) => {
  const clock = new VirtualScheduler();
  const log: Delivery[] = [];
  const line = new DelayLine({ delayMs: 10, link: new Link(1000), scheduler: clock });
  line.attach(recordingSink(clock, log));
  line.push(Buffer.alloc(30, "z"));
  line.pushEnd();
  line.pushReset();
  line.push(Buffer.from("after reset is dropped"));
  clock.advanceTo(100);
  t.same(
    log.map((d) => [d.at, d.what.startsWith("<") ? d.what : "data"]),
    [
      [40, "data"],
      [40, "<end>"],
      [40, "<reset>"],
    ],
  );
  t.equal(line.length, 0);
  t.equal(clock.pending, 0);
});

t.test("backpressure: pauses the source above the high-water mark, resumes at half", async (t) => {
  const clock = new VirtualScheduler();
  const log: Delivery[] = [];
  const pressure: boolean[] = [];
  let sinkAccepts = true;
  const line = new DelayLine({
    delayMs: 10,
    scheduler: clock,
    highWaterMark: 10,
    onPressure: (pause) => pressure.push(pause),
  });
  line.attach(recordingSink(clock, log, () => sinkAccepts));
  line.push(Buffer.alloc(6, "1"));
  line.push(Buffer.alloc(5, "2"));
  t.same(pressure, [true]);
  sinkAccepts = false;
  clock.advanceTo(50);
  t.equal(log.length, 1, "a full sink stops delivery");
  t.equal(line.queuedBytes, 5);
  t.same(pressure, [true, false]);
  sinkAccepts = true;
  line.resume();
  t.equal(log.length, 2);
  t.equal(line.queuedBytes, 0);
});

t.test("close drops the queue and the timer", async (t) => {
  const clock = new VirtualScheduler();
  const log: Delivery[] = [];
  const line = new DelayLine({ delayMs: 10, scheduler: clock });
  line.attach(recordingSink(clock, log));
  line.push(Buffer.from("lost"));
  line.close();
  line.push(Buffer.from("ignored"));
  clock.advanceTo(100);
  t.same(log, []);
  t.equal(clock.pending, 0);
});

t.test("rejects nonsense parameters", async (t) => {
  t.throws(() => new DelayLine({ delayMs: -1 }), RangeError);
  t.throws(() => new Link(0), RangeError);
});
