/**
 * CONF-13: outside `--sim` no case sends a `sim.*` hint. The wire log refuses one before it
 * leaves (a runner bug is an ERROR, never a hint reaching a paid backend), and the cases that use
 * hints in `--sim` runs (resume.abandoned, latency.l5-heartbeat) run without them otherwise.
 */
import t from "tap";
import { allCases } from "../../conformance/cases/index.js";
import { findSimHint, SimHintOutsideSim, WireLog } from "../../conformance/harness/wire-log.js";
import { runConformance } from "../../conformance/runner.js";
import { SpecIndex } from "../../conformance/spec-index.js";
import { startServer } from "../../reference-server/index.js";

t.test("the wire log refuses a sim.* hint outside --sim", async (t) => {
  const body = { type: "response.create", metadata: { "sim.output_tokens": "30000" } };
  t.equal(findSimHint(body), "sim.output_tokens");
  t.equal(findSimHint({ method: "POST", path: "v1/responses", body }), "sim.output_tokens");
  t.equal(findSimHint('{"metadata":{"sim.error":"server_error:5"}}'), "sim.error");
  t.equal(findSimHint({ metadata: { n: "1" }, input: "mention sim.delay_ms in text" }), null);
  t.throws(
    () =>
      new WireLog({ simHints: false }).add({ conn: "ws1", dir: "send", kind: "text", data: body }),
    SimHintOutsideSim,
  );
  t.doesNotThrow(() =>
    new WireLog({ simHints: true }).add({ conn: "ws1", dir: "send", kind: "text", data: body }),
  );
  // What the server sends is data, whatever it holds.
  t.doesNotThrow(() =>
    new WireLog({ simHints: false }).add({ conn: "ws1", dir: "recv", kind: "text", data: body }),
  );
});

t.test("cases that hint in --sim runs send no hint without it", async (t) => {
  const token = "sim-hints-token";
  const server = await startServer({
    port: 0,
    logLevel: "silent",
    tokens: [token],
    session: { heartbeatIntervalMs: 100, resumeWindowMs: 300 },
    backend: { tiers: { wafer: { decodeTokensPerSecond: 300, burstTokensPerSecond: 300 } } },
  });
  t.teardown(() => server.close());
  const ids = ["resume.abandoned", "latency.l5-heartbeat"];
  for (const sim of [false, true]) {
    const run = await runConformance({
      target: {
        wsUrl: server.wsUrl,
        httpUrl: server.url,
        token,
        headers: {},
        model: null,
        rttMs: 0,
      },
      cases: allCases.filter((c) => ids.includes(c.id)),
      spec: SpecIndex.load(),
      profile: "auto",
      sim,
      timeoutMs: 5_000,
    });
    for (const c of run.cases) {
      t.notOk(
        ["ERROR", "FAIL"].includes(c.verdict),
        `--sim ${sim}: ${c.id} ${c.verdict} ${c.reason ?? ""}`,
      );
      const sent = c.wire.filter((e) => e.dir === "send").map((e) => findSimHint(e.data));
      if (sim) continue;
      t.same(
        sent.filter((h) => h !== null),
        [],
        `--sim false: ${c.id} sent no sim.* hint`,
      );
    }
    if (sim) {
      t.equal(
        run.cases.find((c) => c.id === "resume.abandoned")?.verdict,
        "PASS",
        "with --sim the hint makes the response outlast the window and the case passes",
      );
    }
  }
});
