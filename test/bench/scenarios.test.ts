/**
 * Smoke runs of every `hotline bench --scenario` (a few seconds, a few sessions) and of the
 * fuzzer: no event lost or duplicated, no client error, no crash. The scenarios' own bounds
 * (RSS growth, TTFT ratio) need the full runs and are not asserted here.
 */
import t from "tap";
import { runScenario } from "../../bench/scenarios/cli.js";
import { runFuzz } from "../../scripts/fuzz.js";
import { haveRedis } from "../reference-server/fleet/helpers.js";

const quiet = { command: "test", log: () => {} };

for (const [name, sessions] of [
  ["slow-reader", 4],
  ["disconnect-storm", 8],
  ["soak", 12],
] as const) {
  t.test(`${name}: zero lost or duplicated events, zero errors`, async (t) => {
    const report = await runScenario(name, { ...quiet, durationS: 2, sessions });
    t.equal(report.lost_events, 0, "lost events");
    t.equal(report.duplicated_events, 0, "duplicated events");
    t.equal(report.errors, 0, `errors ${JSON.stringify(report.error_codes)}`);
    t.ok(report.responses.started > 0, "responses started");
    t.notOk(
      report.checks.some((c) => c.name === "server_crashed" && !c.ok),
      "server did not crash",
    );
  });
}

t.test(
  "disconnect-storm --fleet 2: resumes land on either instance, nothing lost or duplicated",
  async (t) => {
    if (!haveRedis(t)) return;
    const report = await runScenario("disconnect-storm", {
      ...quiet,
      durationS: 2,
      sessions: 8,
      fleet: 2,
    });
    t.equal(report.lost_events, 0, "lost events");
    t.equal(report.duplicated_events, 0, "duplicated events");
    t.ok(report.extra.cross_instance_resumes! > 0, "some resumes crossed instances");
    // Known gap (issue 17, README): on a saturated machine about 1 resume in 60 is refused
    // (resume_expired, then response_not_found), so errors are reported here, not asserted.
    t.comment(`errors ${report.errors} ${JSON.stringify(report.error_codes)}`);
  },
);

t.test("overload: no crash, the excess refused with 429s, nothing lost", async (t) => {
  const report = await runScenario("overload", { ...quiet, durationS: 2, sessions: 4 });
  const check = (name: string) => report.checks.find((c) => c.name === name);
  t.equal(check("server_crashed")?.ok, true, "server did not crash");
  t.ok(
    (report.responses.refused.rate_limit_exceeded ?? 0) > 0 ||
      (report.extra.backend_queue_peak ?? 0) > 0,
    `429s or queueing: ${JSON.stringify(report.responses.refused)}, queue peak ${report.extra.backend_queue_peak}`,
  );
  t.equal(report.lost_events, 0, "lost events");
  t.equal(report.duplicated_events, 0, "duplicated events");
  t.equal(report.errors, 0, `errors ${JSON.stringify(report.error_codes)}`);
});

t.test("non-reader: the hostile non-readers run, no crash", async (t) => {
  const report = await runScenario("non-reader", { ...quiet, durationS: 2, sessions: 1 });
  const check = (name: string) => report.checks.find((c) => c.name === name);
  t.equal(check("server_crashed")?.ok, true, "server did not crash");
  t.ok(report.responses.started > 0, "responses started");
  t.ok(report.rss_mib.length > 1, "RSS sampled");
});

t.test("fuzz: 2 s of hostile frames, zero crashes, probes still served", async (t) => {
  const report = await runFuzz({ durationS: 2, seed: 7 });
  t.ok(report.frames_tried > 1000, `${report.frames_tried} frames tried`);
  t.ok(report.probes_ok > 0, `${report.probes_ok} probe turns completed`);
  t.equal(report.crashes, 0, "crashes");
  t.equal(report.probes_failed, 0, "failed probes");
  t.equal(report.victim_disturbed, 0, "disturbed victims");
});

t.test("idle-deflate: three configurations measured side by side", async (t) => {
  const report = await runScenario("idle-deflate", { ...quiet, sessions: 20 });
  for (const label of ["off", "ws_defaults", "bounded"]) {
    t.type(report.extra[`${label}_kib_per_connection`], "number", `${label} measured`);
  }
  t.equal(report.extra.off_deflate_negotiated, 0, "off: nothing negotiated");
  t.equal(report.extra.bounded_deflate_negotiated, 20, "bounded: every connection compresses");
  t.ok(
    report.extra.bounded_bytes_per_token! < report.extra.off_bytes_per_token!,
    "deflate saves bytes on the wire",
  );
});

t.test(
  "lanes: N stream_id lanes on one connection beside N connections, both measured",
  async (t) => {
    const report = await runScenario("lanes", { ...quiet, durationS: 2, sessions: 4 });
    t.ok(report.passed, JSON.stringify(report.checks));
    t.equal(report.errors, 0, `errors ${JSON.stringify(report.error_codes)}`);
    for (const prefix of ["lanes", "connections"]) {
      t.ok(report.extra[`${prefix}_responses`]! > 0, `${prefix}: responses completed`);
      for (const figure of ["ttft_p50_ms", "ttft_p99_ms", "gap_p99_ms"]) {
        t.ok(Number.isFinite(report.extra[`${prefix}_${figure}`]), `${prefix}_${figure} measured`);
      }
    }
  },
);
