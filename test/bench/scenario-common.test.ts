/**
 * Scenario helpers: `withTimeout` gives the promise's value or the fallback at the timeout and
 * leaves no timer behind (a pending two-minute timer once kept a finished `hotline bench --scenario
 * soak` process alive for two minutes); the overload users' back-off after a 429.
 */
import t from "tap";
import { withTimeout } from "../../src/testing/index.js";
import { backoffMs } from "../../bench/scenarios/overload.js";

/** Runs `fn` recording the timers it creates and clears. */
async function watchTimers<T>(
  fn: () => Promise<T>,
): Promise<{ value: T; created: NodeJS.Timeout[]; cleared: unknown[] }> {
  const real = { set: globalThis.setTimeout, clear: globalThis.clearTimeout };
  const created: NodeJS.Timeout[] = [];
  const cleared: unknown[] = [];
  globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => {
    const timer = real.set(...args);
    created.push(timer);
    return timer;
  }) as typeof setTimeout;
  globalThis.clearTimeout = ((timer: NodeJS.Timeout) => {
    cleared.push(timer);
    real.clear(timer);
  }) as typeof clearTimeout;
  try {
    return { value: await fn(), created, cleared };
  } finally {
    globalThis.setTimeout = real.set;
    globalThis.clearTimeout = real.clear;
  }
}

t.test("withTimeout: the value when the promise settles first, no timer left", async (t) => {
  const { value, created, cleared } = await watchTimers(() =>
    withTimeout(Promise.resolve(42), 60_000, "late"),
  );
  t.equal(value, 42);
  t.equal(created.length, 1, "one timer");
  t.notOk(created[0]!.hasRef(), "it never holds the process");
  t.ok(cleared.includes(created[0]), "and it was cleared");
});

t.test("withTimeout: the fallback at the timeout", async (t) => {
  // Its timer does not hold the process (a scenario's sockets do): this test holds it.
  const hold = setInterval(() => {}, 1_000);
  t.teardown(() => clearInterval(hold));
  const never = new Promise<number>(() => {});
  t.equal(await withTimeout(never, 5, "late"), "late");
  t.equal(await withTimeout(never, -1, undefined), undefined, "a deadline already past");
});

t.test("overload back-off: full jitter under a doubling cap of 250 ms", async (t) => {
  const top = (attempt: number) => backoffMs(() => 0.999999, attempt);
  t.same(
    [0, 1, 2, 3, 4, 5, 10].map((n) => Math.round(top(n))),
    [10, 20, 40, 80, 160, 250, 250],
    "the cap doubles from 10 ms per refusal in a row, up to 250 ms",
  );
  t.equal(
    backoffMs(() => 0, 7),
    0,
    "uniform from 0 (full jitter)",
  );
  t.equal(
    backoffMs(() => 0.5, 2),
    20,
    "half-way through [0, 40]",
  );
});
