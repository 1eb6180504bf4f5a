/**
 * What a hotline.v1 session keeps is bounded (docs/reliability.md rows 22 and 24): its request
 * budget is a sliding minute on the injectable clock (ERR-16), and the finished responses it
 * keeps for resume and idempotency are forgotten oldest first past a count and a byte bound,
 * never those still running.
 */
import t from "tap";
import type { ResponseRun } from "../../../reference-server/responses/run.js";
import { RequestBudget } from "../../../reference-server/session/request-budget.js";
import { TrackedResponses } from "../../../reference-server/session/tracked-responses.js";
import { VirtualClock } from "../../../src/util/clock.js";

t.test("the request budget refuses past its limit and frees a slot a minute later", (t) => {
  const clock = new VirtualClock();
  const budget = new RequestBudget(3, clock);
  t.ok(budget.take() && budget.take());
  clock.advance(30_000);
  t.ok(budget.take(), "the third within the minute");
  t.notOk(budget.take(), "the fourth is refused");
  t.match(budget.state(), { name: "requests", limit: 3, remaining: 0, reset_ms: 30_000 });
  clock.advance(30_000);
  t.ok(budget.take(), "a minute after the first two, their slots are free again");
  t.equal(budget.state().remaining, 1);
  t.end();
});

/** The part of a run the tracker reads. */
function run(id: string, done: boolean, keptBytes: number, clientRequestId: string | null = null) {
  return {
    id,
    done,
    log: { keptBytes },
    params: { clientRequestId, background: false },
  } as unknown as ResponseRun;
}

t.test("finished responses are forgotten oldest first past the count bound", (t) => {
  const tracked = new TrackedResponses();
  for (let i = 0; i < 10; i++) tracked.track(run(`r${i}`, true, 100, `c${i}`), "{}", true);
  tracked.track(run("live", false, 100), undefined, true);
  tracked.forgetOldFinished(4, 1 << 20);
  t.same(
    [...tracked.values()].map((x) => x.run.id),
    ["r6", "r7", "r8", "r9", "live"],
    "the 4 newest finished and the running one",
  );
  t.equal(tracked.byRequestId("c0"), undefined, "a forgotten one's client_request_id with it");
  t.equal(tracked.byRequestId("c9")?.run.id, "r9");
  t.end();
});

t.test("finished responses are forgotten past the byte bound, the newest always kept", (t) => {
  const tracked = new TrackedResponses();
  for (let i = 0; i < 5; i++) tracked.track(run(`r${i}`, true, 100_000), undefined, true);
  tracked.forgetOldFinished(32, 250_000);
  t.same(
    [...tracked.values()].map((x) => x.run.id),
    ["r3", "r4"],
  );
  tracked.track(run("huge", true, 10_000_000), undefined, true);
  tracked.forgetOldFinished(32, 250_000);
  t.same(
    [...tracked.values()].map((x) => x.run.id),
    ["huge"],
    "one finished response is kept however large (it is the one a retry resumes)",
  );
  t.end();
});
