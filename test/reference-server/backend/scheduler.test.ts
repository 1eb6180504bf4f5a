import t from "tap";
import { Backend, type BackendOptions } from "../../../reference-server/backend/backend.js";
import { VirtualClock } from "../../../src/util/clock.js";
import type { GenerationRequest } from "../../../reference-server/backend/types.js";
import { inputOf, RecordingSink } from "./recording-sink.js";

function setup(options: Omit<BackendOptions, "clock"> = {}) {
  const clock = new VirtualClock();
  const backend = new Backend({ clock, coalesceDeltas: false, ...options });
  const run = (request: Partial<GenerationRequest> & { outputTokens?: number }) => {
    const sink = new RecordingSink(clock);
    const { outputTokens, ...rest } = request;
    const metadata =
      outputTokens === undefined
        ? rest.metadata
        : { ...rest.metadata, "sim.output_tokens": String(outputTokens) };
    const handle = backend.submit(
      { inputTokens: inputOf(1000), tier: "wafer", ...rest, metadata },
      sink,
    );
    return { sink, handle };
  };
  return { clock, backend, run };
}

t.test("wafer: prefill and decode follow the configured rates", (t) => {
  const { clock, run } = setup();
  const { sink } = run({ outputTokens: 300 });
  t.equal(sink.started?.prefillMs, 1000 / 50 + 15, "1000 tokens at 50k tok/s plus the 15 ms floor");
  clock.runAll();
  const span = sink.textSpan!;
  t.equal(span.first, 35, "first token when prefill ends");
  t.equal(sink.textTokens, 300);
  const interval = 1000 / 1200;
  t.ok(
    Math.abs(span.last - span.first + interval - 250) <= interval,
    `300 tokens in ${span.last - span.first + interval} ms`,
  );
  t.equal(sink.completion?.reason, "stop");
  t.same(sink.completion?.usage, { inputTokens: 1000, cachedTokens: 0, outputTokens: 300 });
  t.end();
});

t.test("gpu: 90 tok/s, 8k tok/s prefill, 150 ms floor", (t) => {
  const { clock, run } = setup();
  const { sink } = run({ tier: "gpu", outputTokens: 91 });
  t.equal(sink.started?.prefillMs, 125 + 150);
  clock.runAll();
  const span = sink.textSpan!;
  t.equal(span.first, 275);
  t.ok(Math.abs(span.last - span.first - 1000) < 1e-6, "90 intervals take one second");
  t.end();
});

t.test("burst modes: always runs at the burst rate, speculative in between", (t) => {
  const always = setup({ tiers: { wafer: { burstMode: "always" } } });
  const a = always.run({ outputTokens: 401 });
  always.clock.runAll();
  t.ok(
    Math.abs(a.sink.textSpan!.last - a.sink.textSpan!.first - 100) < 1e-6,
    "400 intervals at 4000 tok/s",
  );
  const spec = setup({ tiers: { wafer: { burstMode: "speculative", burstFraction: 0.5 } } });
  const s = spec.run({ outputTokens: 1601 });
  spec.clock.runAll();
  const ms = s.sink.textSpan!.last - s.sink.textSpan!.first;
  t.ok(ms > 400 && ms < 1300, `1600 speculative intervals in ${ms} ms`);
  t.end();
});

t.test("a late wake-up emits every due token, coalesced into one delta", (t) => {
  // A clock whose timers fire on a 5 ms grid, like a coarse or busy event loop.
  const inner = new VirtualClock();
  const coarse = {
    now: () => inner.now(),
    setTimer: (at: number, fn: () => void) => inner.setTimer(Math.ceil(at / 5) * 5, fn),
  };
  const backend = new Backend({ clock: coarse });
  const sink = new RecordingSink(coarse);
  backend.submit(
    { inputTokens: inputOf(1000), tier: "wafer", metadata: { "sim.output_tokens": "120" } },
    sink,
  );
  inner.advanceTo(60);
  const interval = 1000 / 1200;
  const due = Math.floor((60 - 35) / interval + 1e-9) + 1;
  t.ok(Math.abs(sink.textTokens - due) <= 1, `${sink.textTokens} tokens by 60 ms, ${due} due`);
  t.ok(sink.events.filter((e) => e.kind === "text").length <= 6, "one delta per wake");
  inner.runAll();
  t.equal(sink.textTokens, 120);
  const span = sink.textSpan!;
  t.ok(span.last - span.first <= 119 * interval + 5, "the average rate holds");
  t.end();
});

t.test("saturation queues with positions; a full queue is server_overloaded", (t) => {
  const { clock, backend, run } = setup({
    tiers: { wafer: { maxConcurrentSequences: 2, maxQueue: 2 } },
  });
  const jobs = Array.from({ length: 5 }, () => run({ outputTokens: 50 }));
  t.ok(jobs[0]!.sink.started && jobs[1]!.sink.started, "two run");
  t.same(jobs[2]!.sink.positions, [1]);
  t.same(jobs[3]!.sink.positions, [2]);
  t.equal(jobs[3]!.handle.queuePosition, 2);
  t.equal(jobs[4]!.sink.failure?.code, "server_overloaded");
  t.equal(jobs[4]!.sink.failure?.retryable, true);
  t.equal(jobs[4]!.handle.state, "done");
  t.match(backend.counters().tiers.wafer, { activeSequences: 2, queued: 2, rejected: 1 });
  jobs[0]!.handle.cancel();
  t.ok(jobs[2]!.sink.started, "the head of the queue starts when a slot frees");
  t.same(jobs[3]!.sink.positions, [2, 1], "the rest move up");
  jobs[3]!.handle.cancel();
  t.equal(jobs[3]!.sink.completion?.reason, "cancelled");
  clock.runAll();
  t.ok(
    jobs.every((j) => j.sink.terminals === 1),
    "exactly one terminal each",
  );
  t.match(backend.counters().total, { activeSequences: 0, queued: 0, completed: 2, cancelled: 2 });
  t.end();
});

t.test("cancel takes effect at once and counts only generated tokens", (t) => {
  const { clock, backend, run } = setup();
  const job = run({ outputTokens: 500 });
  job.sink.onEvent = (e) => {
    if (e.kind === "text" && job.sink.textTokens === 10) job.handle.cancel();
  };
  clock.runAll();
  t.equal(job.sink.textTokens, 10, "nothing after cancel returned");
  t.equal(job.sink.events.at(-1)?.kind, "complete");
  t.equal(job.sink.completion?.reason, "cancelled");
  t.equal(job.sink.completion?.usage.outputTokens, 10);
  t.equal(backend.counters().total.tokensGenerated, 10);
  t.equal(clock.pendingTimers, 0, "no timer left behind");
  job.handle.cancel();
  t.equal(job.sink.terminals, 1, "a second cancel is a no-op");

  const between = run({ outputTokens: 500 });
  clock.advance(60);
  const before = between.sink.textTokens;
  between.handle.cancel();
  clock.advance(1000);
  t.equal(between.sink.textTokens, before);
  t.equal(between.sink.completion?.usage.outputTokens, before);
  t.end();
});

t.test("pause emits nothing and shifts the deadline; resume continues", (t) => {
  const { clock, backend, run } = setup();
  const { sink, handle } = run({ outputTokens: 121 });
  clock.advanceTo(35 + 50);
  const before = sink.textTokens;
  handle.pause();
  t.equal(backend.counters().total.paused, 1);
  clock.advance(500);
  t.equal(sink.textTokens, before, "nothing while paused");
  t.equal(clock.pendingTimers, 0, "a paused stream keeps no timer armed");
  handle.resume();
  clock.runAll();
  t.equal(sink.textTokens, 121);
  t.ok(
    Math.abs(sink.textSpan!.last - (35 + 100 + 500)) < 1e-6,
    "the whole schedule moved by the pause",
  );
  t.end();
});

t.test("pause from a sink callback (backpressure) stops the batch at once", (t) => {
  const { clock, run } = setup({ coalesceDeltas: true });
  const job = run({ outputTokens: 200 });
  let pausedAt = -1;
  job.sink.onEvent = (e) => {
    if (e.kind === "text" && pausedAt < 0 && job.sink.textTokens >= 20) {
      pausedAt = job.sink.textTokens;
      job.handle.pause();
    }
  };
  clock.advance(35 + 30);
  t.equal(job.sink.textTokens, pausedAt);
  job.handle.resume();
  clock.runAll();
  t.equal(job.sink.textTokens, 200);
  t.end();
});

t.test("the scheduler keeps at most one timer, whatever the stream count", (t) => {
  const { clock, backend, run } = setup({
    tiers: { wafer: { maxConcurrentSequences: 64, maxQueue: 1000 } },
  });
  const jobs = Array.from({ length: 200 }, (_, i) =>
    run({ inputTokens: inputOf(100 + i, i), outputTokens: 20 + (i % 37) }),
  );
  let maxPending = clock.pendingTimers;
  for (let step = 0; step < 2000 && backend.counters().total.activeSequences > 0; step++) {
    clock.advance(0.37);
    if (step % 50 === 0) jobs[step % jobs.length]!.handle.pause();
    if (step % 50 === 25) jobs[(step - 25) % jobs.length]!.handle.resume();
    maxPending = Math.max(maxPending, clock.pendingTimers);
  }
  for (const job of jobs) job.handle.resume();
  clock.runAll();
  t.equal(maxPending, 1);
  t.ok(jobs.every((j) => j.sink.completion?.reason === "stop"));
  t.equal(clock.pendingTimers, 0);
  t.end();
});

t.test("an abandoned stream stops costing compute immediately", (t) => {
  const { clock, backend, run } = setup();
  const long = run({ outputTokens: 100_000 });
  clock.advance(100);
  const spent = backend.counters().total.computeMsSpent;
  t.ok(spent > 0);
  long.handle.cancel();
  t.equal(backend.counters().total.activeSequences, 0);
  clock.advance(10_000);
  t.equal(backend.counters().total.computeMsSpent, spent);
  t.equal(backend.counters().total.cancelled, 1);

  const inPrefill = run({ inputTokens: inputOf(50_000, 5), outputTokens: 10 });
  clock.advance(100);
  inPrefill.handle.cancel();
  const c = backend.counters().total;
  t.ok(c.computeMsSpent - spent <= 100 + 1e-9, "only the elapsed part of the prefill is charged");
  t.ok(c.prefillTokens < 50_000, "and only that share of its tokens");
  t.end();
});

t.test("same seed, same input: same text and same pacing", (t) => {
  const once = (seed: number) => {
    const { clock, run } = setup({ tiers: { wafer: { burstMode: "speculative" } } });
    const { sink } = run({ seed });
    clock.runAll();
    return sink.events.map((e) => `${e.at.toFixed(6)} ${e.kind === "text" ? e.delta : e.kind}`);
  };
  t.same(once(11), once(11));
  t.not(once(11).join(), once(12).join());
  t.end();
});

t.test("the delta cadence: deltas at least deltaIntervalMs apart, every due token in each", (t) => {
  const { clock, run } = setup({ coalesceDeltas: true, deltaIntervalMs: 4 });
  const { sink } = run({ outputTokens: 300 });
  clock.runAll();
  const texts = sink.events.filter((e) => e.kind === "text");
  const times = texts.map((e) => e.at);
  t.equal(sink.textTokens, 300, "every token delivered");
  t.equal(times[0], 35, "the first token at the end of prefill, not a slot later");
  const gaps = times.slice(1).map((at, i) => at - times[i]!);
  t.ok(
    gaps.every((g) => g >= 4 - 1e-9),
    `no two deltas closer than 4 ms (smallest ${Math.min(...gaps)})`,
  );
  t.ok(
    gaps.every((g) => g < 4 + 1000 / 1200 + 1e-9),
    "and none later than the first token due after the slot",
  );
  // 1,200 tok/s for 4 ms: about 5 tokens a delta, not one.
  t.ok(texts.length <= Math.ceil(250 / 4) + 1, `${texts.length} deltas for 300 tokens`);
  const interval = 1000 / 1200;
  t.ok(
    Math.abs(times.at(-1)! - 35 - 299 * interval) < 4,
    "the last token no later than its due time plus one slot: the rate is kept",
  );
  t.end();
});

t.test("without coalescing there is no cadence: one token a delta at the decode rate", (t) => {
  const { clock, run } = setup({ coalesceDeltas: false, deltaIntervalMs: 4 });
  const { sink } = run({ outputTokens: 100 });
  clock.runAll();
  t.equal(sink.events.filter((e) => e.kind === "text").length, 100);
  t.ok(Math.abs(sink.textSpan!.last - sink.textSpan!.first - 99 * (1000 / 1200)) < 1e-6);
  t.end();
});

t.test("the timer for a prefill's end (a first token) is precise; decode timers are not", (t) => {
  const inner = new VirtualClock();
  const armed: { at: number; precise: boolean }[] = [];
  const recording = {
    now: () => inner.now(),
    setTimer: (at: number, fn: () => void, precise?: boolean) => {
      armed.push({ at, precise: precise === true });
      return inner.setTimer(at, fn);
    },
  };
  const backend = new Backend({ clock: recording });
  const sink = new RecordingSink(recording);
  backend.submit(
    { inputTokens: inputOf(1000), tier: "wafer", metadata: { "sim.output_tokens": "40" } },
    sink,
  );
  inner.runAll();
  t.equal(sink.textTokens, 40);
  t.same(
    armed[0],
    { at: 35, precise: true },
    "the prefill's end: 1000 tokens at 50k tok/s + 15 ms",
  );
  t.ok(armed.length > 2, `${armed.length} timers`);
  t.ok(
    armed.slice(1).every((a) => !a.precise),
    "every timer after the first token keeps the cadence",
  );
  t.end();
});

t.test("a wake hands out every due delta before the ends in it, with beforeEnds between", (t) => {
  const log: string[] = [];
  let hooks = 0;
  const { clock, run } = setup({
    beforeEnds: () => {
      hooks++;
      log.push("beforeEnds");
    },
  });
  // Submitted together with the same input: their tokens fall due in the same wakes, and the
  // short one ends in a wake where the long one still has a token due.
  const short = run({ outputTokens: 10 });
  const long = run({ outputTokens: 20 });
  short.sink.onEvent = (e) => log.push(`short:${e.kind}`);
  long.sink.onEvent = (e) => log.push(`long:${e.kind}`);
  clock.runAll();
  t.equal(short.sink.completion?.reason, "stop");
  t.equal(long.sink.completion?.reason, "stop");
  const shortEnd = log.indexOf("short:complete");
  t.same(
    log.slice(shortEnd - 2, shortEnd + 1),
    ["long:text", "beforeEnds", "short:complete"],
    "the long stream's delta of that wake, then the hook, then the short one's end",
  );
  t.equal(log.indexOf("short:text", shortEnd), -1, "nothing of the short one after its end");
  t.equal(hooks, 2, "called once in each wake where a generation ended, and only there");
  t.end();
});

t.test("an end a sink cancels before it runs ends the generation once", (t) => {
  const { clock, run } = setup();
  const short = run({ outputTokens: 10 });
  const long = run({ outputTokens: 20 });
  // In the wake where the short one ends, the long one's delta (handed out before that end)
  // cancels it, as a session whose connection closed would.
  long.sink.onEvent = (e) => {
    if (e.kind === "text" && long.sink.textTokens === 11) short.handle.cancel();
  };
  clock.runAll();
  const ends = short.sink.events.filter((e) => e.kind === "complete" || e.kind === "error");
  t.equal(ends.length, 1, "one end");
  t.equal(short.sink.completion?.reason, "cancelled");
  t.equal(short.sink.textTokens, 10, "every token it generated was handed out");
  t.end();
});

t.test("an end a throwing sink kept from running runs in the next wake, once", (t) => {
  const { clock, run } = setup();
  const short = run({ outputTokens: 10 });
  const long = run({ outputTokens: 20 });
  let thrown = false;
  long.sink.onEvent = (e) => {
    if (!thrown && e.kind === "text" && long.sink.textTokens === 11) {
      thrown = true;
      throw new Error("sink failed");
    }
  };
  t.throws(() => clock.runAll(), /sink failed/, "the wake where the short one ran out threw");
  t.equal(short.sink.completion, undefined, "before its end ran");
  clock.runAll();
  t.equal(short.sink.completion?.reason, "stop", "the next wake ended it");
  t.equal(short.sink.events.filter((e) => e.kind === "complete").length, 1, "once");
  t.equal(long.sink.completion?.reason, "stop");
  t.end();
});
