/**
 * The whole runner against the reference server, in both profiles: every case passes (or is
 * SKIPPED because the server does not offer it yet), apart from the known server findings in
 * fixtures/reference-server-known-failures.txt, which the stale check keeps honest.
 */
import { join } from "node:path";
import t from "tap";
import { allCases } from "../../conformance/cases/index.js";
import { runConformance, type RunResult } from "../../conformance/runner.js";
import { SpecIndex } from "../../conformance/spec-index.js";
import { startServer } from "../../reference-server/index.js";
import { readBaseline } from "../../src/cli/conform.js";

const spec = SpecIndex.load();
const known = await readBaseline(
  join(import.meta.dirname, "fixtures", "reference-server-known-failures.txt"),
);

async function runAgainstReference(profile: "core" | "auto"): Promise<RunResult> {
  const token = "conformance-test-token";
  const server = await startServer({
    port: 0,
    logLevel: "silent",
    hotline: profile !== "core",
    tokens: [token],
    allowedOrigins: ["https://ok.test"],
    // Observable by latency.l5-heartbeat (it skips intervals over 1 s).
    session: { heartbeatIntervalMs: 250 },
  });
  try {
    return await runConformance({
      target: {
        wsUrl: server.wsUrl,
        httpUrl: server.url,
        token,
        headers: {},
        model: null,
        rttMs: 0,
        deniedOrigin: "https://denied.test",
      },
      cases: allCases,
      spec,
      profile,
      sim: true,
      timeoutMs: 10_000,
      expectedFailures: known,
    });
  } finally {
    await server.close();
  }
}

for (const profile of ["core", "auto"] as const) {
  t.test(`every case passes against the reference server (--profile ${profile})`, async (t) => {
    const started = performance.now();
    const run = await runAgainstReference(profile);
    const seconds = (performance.now() - started) / 1000;
    const bad = run.cases.filter(
      (c) => (c.verdict === "FAIL" || c.verdict === "ERROR") && !c.expectedFailure,
    );
    t.same(
      bad.map((c) => `${c.id}: ${c.reason}`),
      [],
      "no unexpected FAIL or ERROR",
    );
    t.equal(run.exitCode, 0);
    t.ok(seconds < 60, `full run took ${seconds.toFixed(1)} s`);
    const pending = run.cases.filter((c) => c.verdict === "SKIPPED").map((c) => c.id);
    t.comment(
      `${profile}: ${JSON.stringify(run.counts)} in ${seconds.toFixed(1)} s; negotiated ${run.negotiated.profile}; skipped: ${pending.join(", ")}`,
    );
  });
}
