// The connection cache holds what a continuation reads, not the finished run (its event log
// made eight runs per hotline.v1 session the server's largest per-response retainer).
import t from "tap";
import { ConnectionCache } from "../../../reference-server/responses/connection-cache.js";
import type { ResponseRun } from "../../../reference-server/responses/run.js";
import { EMPTY_CONTEXT } from "../../../reference-server/responses/render.js";

// A finished run as far as the cache can see it; `log` stands for everything a run holds.
function fakeRun(id: string): ResponseRun {
  return {
    id,
    conversationKey: `conv_${id}`,
    log: { entries: ["a large event log"] },
    continuationContext: () => EMPTY_CONTEXT,
  } as unknown as ResponseRun;
}

t.test("the cache keeps continuation points, never the run", (t) => {
  const cache = new ConnectionCache(2);
  const run = fakeRun("resp_1");
  cache.remember(run);
  const point = cache.get("resp_1");
  t.ok(point, "found");
  t.not(point, run, "not the run itself");
  t.notOk("log" in point!, "no event log retained");
  t.equal(point!.conversationKey, "conv_resp_1");
  t.equal(point!.continuationContext(), EMPTY_CONTEXT);
  t.end();
});

t.test("capacity bounds the cache; evict and clear drop entries", (t) => {
  const cache = new ConnectionCache(2);
  for (const id of ["a", "b", "c"]) cache.remember(fakeRun(id));
  t.equal(cache.size, 2);
  t.notOk(cache.get("a"), "the oldest fell out");
  cache.evict("b");
  t.notOk(cache.get("b"));
  cache.clear();
  t.equal(cache.size, 0);
  t.end();
});
