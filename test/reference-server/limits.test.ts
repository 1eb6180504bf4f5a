/**
 * Per-principal limits as a unit: a refusal carries its limit's reset, and `Retry-After` is
 * that reset in whole seconds, rounded up, never below 1.
 */
import t from "tap";
import { LimitExceeded, PrincipalLimits } from "../../reference-server/policy/limits.js";

t.test("Retry-After is the reset in whole seconds, rounded up, at least 1", async (t) => {
  for (const [resetMs, seconds] of [
    [0, 1],
    [1, 1],
    [999, 1],
    [1000, 1],
    [1001, 2],
    [59_999, 60],
    [60_000, 60],
  ] as const) {
    t.equal(new LimitExceeded("m", resetMs).retryAfterSeconds, seconds, `${resetMs} ms`);
  }
});

t.test("each refusal is a LimitExceeded with its limit's reset", async (t) => {
  const limits = new PrincipalLimits({ connections: 1, requestsPerMinute: 1 });
  const release = limits.openConnection("p");
  t.type(release, "function");
  const second = limits.openConnection("p");
  t.type(second, LimitExceeded);
  t.equal((second as LimitExceeded).resetMs, 0, "a connection slot has no known reset");
  t.equal((second as LimitExceeded).retryAfterSeconds, 1);
  t.equal(limits.admit("p"), undefined, "the first request is admitted");
  const refused = limits.admit("p");
  t.type(refused, LimitExceeded);
  t.equal(refused?.code, "rate_limit_exceeded");
  const state = limits.states("p").find((l) => l.name === "principal.requests")!;
  t.ok(refused!.resetMs > 59_000 && refused!.resetMs <= 60_000, `reset ${refused!.resetMs} ms`);
  t.ok(Math.abs(refused!.resetMs - state.reset_ms) < 50, "the advertised reset_ms");
  t.equal(refused!.retryAfterSeconds, 60);
  t.match(refused!.message, `retry in ${refused!.resetMs} ms`, "the message says the same");
});

t.test("what one fleet instance spends is charged to the others' buckets", async (t) => {
  const a = new PrincipalLimits({ requestsPerMinute: 3, tokensPerMinute: 1000 });
  const b = new PrincipalLimits({ requestsPerMinute: 3, tokensPerMinute: 1000 });
  t.equal(a.admit("p"), undefined);
  t.equal(a.admit("p"), undefined);
  const spent = a.drainSpent();
  t.same([...spent], [["p", { requests: 2, tokens: 0 }]], "two requests spent on A");
  t.equal(a.drainSpent().size, 0, "read once");
  for (const [principal, s] of spent) b.spentElsewhere(principal, s);
  t.equal(b.admit("p"), undefined, "B admits the third request of the fleet");
  t.equal(b.admit("p")?.code, "rate_limit_exceeded", "and refuses the fourth");
  b.spentElsewhere("q", { requests: 0, tokens: 1500 });
  const refused = b.admit("q");
  t.match(refused?.message, /principal\.tokens/, "tokens spent elsewhere empty the token bucket");
});
