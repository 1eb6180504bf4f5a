/**
 * CONF-16: a case that waits for a batch of responses times out on silence, not on a fixed
 * window. Against a correct server whose batch takes several per-turn timeouts in all (a slow
 * tier of two sequences, the rest queued), the batch cases pass: every response event restarts
 * the wait (and the case's own bound counts silence too). Before, `multiplex.queue-position`
 * failed such a server with "no 8 terminal events within 3000 ms".
 */
import t from "tap";
import { allCases } from "../../conformance/cases/index.js";
import { runConformance } from "../../conformance/runner.js";
import { SpecIndex } from "../../conformance/spec-index.js";
import { startServer } from "../../reference-server/index.js";

const TIMEOUT_MS = 1_000;

t.test("batch waits end on silence only", async (t) => {
  const token = "slow-server-token";
  const server = await startServer({
    port: 0,
    logLevel: "silent",
    tokens: [token],
    // 16 output tokens at 20 tok/s: about 800 ms a response, two at a time, the rest queued.
    backend: {
      tiers: {
        wafer: {
          decodeTokensPerSecond: 20,
          burstTokensPerSecond: 20,
          maxConcurrentSequences: 2,
          maxQueue: 64,
        },
      },
    },
  });
  t.teardown(() => server.close());
  const ids = [
    "multiplex.queue-position",
    "lifecycle.queued-announced",
    "lifecycle.core-sequential",
  ];
  const started = performance.now();
  const run = await runConformance({
    target: { wsUrl: server.wsUrl, httpUrl: server.url, token, headers: {}, model: null, rttMs: 0 },
    cases: allCases.filter((c) => ids.includes(c.id)),
    spec: SpecIndex.load(),
    profile: "auto",
    sim: true,
    timeoutMs: TIMEOUT_MS,
  });
  const byId = new Map(run.cases.map((c) => [c.id, c]));
  const queue = byId.get("multiplex.queue-position")!;
  t.equal(queue.verdict, "PASS", `multiplex.queue-position: ${queue.reason ?? ""}`);
  t.ok(
    queue.durationMs > 2 * TIMEOUT_MS,
    `its batch took ${queue.durationMs.toFixed(0)} ms, more than two per-turn timeouts`,
  );
  for (const id of ids) {
    const c = byId.get(id)!;
    t.ok(["PASS", "SKIPPED"].includes(c.verdict), `${id}: ${c.verdict} ${c.reason ?? ""}`);
  }
  t.comment(`run took ${((performance.now() - started) / 1000).toFixed(1)} s`);
});
