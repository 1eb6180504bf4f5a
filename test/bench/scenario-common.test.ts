/**
 * Scenario helpers: `within` gives the promise's value or undefined at the timeout and leaves
 * no timer behind (a pending two-minute timer once kept a finished `hotline bench --scenario
 * soak` process alive for two minutes); the overload users' back-off after a 429.
 */
import t from "tap";
import { within } from "../../bench/scenarios/common.js";
import { backoffMs } from "../../bench/scenarios/overload.js";

const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;

t.test("within: the value when the promise settles first, no timer left", async (t) => {
  const before = timers();
  t.equal(await within(Promise.resolve(42), 60_000), 42);
  t.equal(timers(), before, "the 60 s timer was cleared");
});

t.test("within: undefined at the timeout", async (t) => {
  const never = new Promise<number>(() => {});
  t.equal(await within(never, 5), undefined);
  t.equal(await within(never, -1), undefined, "a deadline already past");
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
