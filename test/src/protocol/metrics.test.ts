import t from "tap";
import { percentile, summarize } from "../../../src/protocol/metrics.js";

t.test("nearest-rank percentiles", async (t) => {
  const values = Array.from({ length: 100 }, (_, i) => 100 - i);
  t.same(summarize(values), { n: 100, p50: 50, p90: 90, p99: 99, max: 100 });
  t.equal(percentile([7], 99), 7);
  t.ok(Number.isNaN(percentile([], 50)));
  t.same(summarize([3, 1, 2]), { n: 3, p50: 2, p90: 3, p99: 3, max: 3 });
});
