/**
 * Issue 12: a server that fails everything is judged within 60 s with the default 30 s
 * per-turn timeout, because each case ends at the server's answer, not at the timeout.
 */
import t from "tap";
import { allCases } from "../../conformance/cases/index.js";
import { runConformance } from "../../conformance/runner.js";
import { SpecIndex } from "../../conformance/spec-index.js";
import { startFailingServer } from "./support/failing-server.js";

t.test("a server that fails everything is judged within 60 s", async (t) => {
  const server = await startFailingServer();
  t.teardown(() => server.close());
  const started = performance.now();
  const run = await runConformance({
    target: {
      wsUrl: server.wsUrl,
      httpUrl: server.url,
      token: null,
      headers: {},
      model: null,
      rttMs: 0,
    },
    cases: allCases,
    spec: SpecIndex.load(),
    profile: "auto",
  });
  const seconds = (performance.now() - started) / 1000;
  const slowest = [...run.cases].sort((a, b) => b.durationMs - a.durationMs).slice(0, 5);
  t.comment(
    `${seconds.toFixed(1)} s: ${JSON.stringify(run.counts)}; slowest ${slowest.map((c) => `${c.id} ${(c.durationMs / 1000).toFixed(1)} s`).join(", ")}`,
  );
  t.ok(seconds < 60, `judged in ${seconds.toFixed(1)} s`);
  t.ok(run.counts.FAIL > 0, `${run.counts.FAIL} cases FAIL`);
  // It does upgrade and send JSON text frames: the few cases about only that may pass.
  t.ok(
    run.counts.PASS <= 3,
    `passing: ${run.cases
      .filter((c) => c.verdict === "PASS")
      .map((c) => c.id)
      .join(", ")}`,
  );
  t.equal(run.exitCode, 1);
});
