/**
 * The scenarios' waiting helper: `within` gives the promise's value or undefined at the
 * timeout, and leaves no timer behind (a pending two-minute timer once kept a finished
 * `hotline bench --scenario soak` process alive for two minutes).
 */
import t from "tap";
import { within } from "../../bench/scenarios/common.js";

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
