/**
 * A short bench run (2 turns, 1 repetition, 2 ms RTT) through the public functions: every
 * transport either completes or is reported as skipped with a reason (hotline.v1 before the
 * session layer exists), the numbers are sane, and the report validates against
 * bench/report.schema.json (ajv 2020-12).
 */
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import t from "tap";
import { BENCH_OPTIONS, HELP, parseBenchArgs, writeReport } from "../../bench/cli.js";
import { SCENARIOS } from "../../bench/scenarios/cli.js";
import { buildReport } from "../../bench/report.js";
import { runBench } from "../../bench/runner.js";
import { renderTable } from "../../bench/table.js";
import { TRANSPORT_NAMES } from "../../bench/transports.js";
import { makeWorkload } from "../../bench/workload.js";
import { ROOT } from "../helpers/repo.js";

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

t.test("the workload is deterministic and grows by about 3.2k tokens a turn", async (t) => {
  const a = makeWorkload({ turns: 20, seed: 7 });
  const b = makeWorkload({ turns: 20, seed: 7 });
  t.equal(a.digest, b.digest);
  t.same(JSON.stringify(a.turns), JSON.stringify(b.turns));
  t.not(makeWorkload({ turns: 20, seed: 8 }).digest, a.digest);
  t.ok(a.finalContextTokens > 56_000 && a.finalContextTokens < 72_000, `${a.finalContextTokens}`);
});

t.test("options: defaults, lists and one-line errors", async (t) => {
  const d = parseBenchArgs([]);
  t.same(d.rttMs, [20]);
  t.equal(d.reps, 5);
  t.equal(d.turns, 20);
  t.same(d.transports, [...TRANSPORT_NAMES]);
  t.same(parseBenchArgs(["--rtt-ms", "5,20,50"]).rttMs, [5, 20, 50]);
  t.throws(() => parseBenchArgs(["--rtt-ms", "5,x"]), { name: "UsageError" });
  t.throws(() => parseBenchArgs(["--reps", "0"]), { name: "UsageError" });
  t.throws(() => parseBenchArgs(["--transports", "carrier-pigeon"]), { name: "UsageError" });
  t.throws(() => parseBenchArgs(["--bogus"]), { name: "UsageError" });
  t.equal(d.fleet, 0, "no fleet unless asked");
  t.equal(parseBenchArgs(["--fleet", "3"]).fleet, 3);
  t.throws(() => parseBenchArgs(["--fleet", "1"]), { name: "UsageError" }, "a fleet is 2 or more");
  t.throws(() => parseBenchArgs(["--fleet", "17"]), { name: "UsageError" });
});

t.test("--help names every scenario and describes every option", async (t) => {
  for (const scenario of SCENARIOS) t.match(HELP, scenario.name, scenario.name);
  for (const option of Object.keys(BENCH_OPTIONS)) {
    t.match(HELP, new RegExp(`^\\s+(-\\w, )?--${option}\\b`, "m"), `--${option}`);
  }
  t.match(HELP, /--fleet N .*\n(.*\n)*.*nginx/, "--fleet names its balancer");
});

t.test("a short run completes for every available transport and validates", async (t) => {
  const raw = await runBench({ rttMs: [2], turns: 2, reps: 1, warmupTurns: 1 });
  const report = buildReport(raw, { version: "test", command: "test" });
  const schema = JSON.parse(
    readFileSync(join(ROOT, "bench", "report.schema.json"), "utf8"),
  ) as object;
  const ajv = new Ajv2020({ strict: true });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  t.ok(validate(report), JSON.stringify(validate.errors?.slice(0, 3)));

  const run = report.runs[0]!;
  t.equal(run.series.length, TRANSPORT_NAMES.length);
  for (const s of run.series) {
    if (s.transport.startsWith("wss-hotline") && s.status === "skipped") {
      t.ok(s.reason, `${s.transport} skipped with a reason: ${s.reason}`);
      continue;
    }
    t.equal(s.status, "ok", `${s.transport}: ${s.reason}`);
    t.equal(s.errors, 0);
    const turns = s.repetitions[0]!.turns;
    t.equal(turns.length, 2);
    for (const turn of turns) {
      t.ok(turn.output_tokens > 0);
      t.ok(turn.ttft_ms! >= turn.rtt_overhead_ms!, "first delta after response.created");
      t.ok(turn.rtt_overhead_ms! >= 2, "at least one simulated round trip");
      t.ok(
        turn.server_overhead_ms !== null &&
          turn.server_overhead_ms > 0 &&
          turn.server_overhead_ms < turn.rtt_overhead_ms!,
        `the server's own part, measured in the server, within the round trip (${turn.server_overhead_ms} of ${turn.rtt_overhead_ms} ms)`,
      );
      t.ok(turn.wire_bytes > 0 && turn.server_cpu_us > 0);
    }
  }
  // Byte-identical inputs: every transport's server saw the same token counts each turn.
  const inputs = run.series
    .filter((s) => s.status === "ok")
    .map((s) => s.repetitions[0]!.turns.map((x) => x.input_tokens).join(","));
  t.equal(new Set(inputs).size, 1, `input tokens per turn: ${inputs.join(" | ")}`);
  const perRequest = run.series.find((s) => s.transport === "https-per-request")!;
  t.ok(perRequest.repetitions[0]!.turns.every((x) => x.new_connection));
  t.ok(run.ratios.some((r) => r.id === "L1" && r.headline));
  t.match(renderTable(report), /https-per-request/);

  const dir = await mkdtemp(join(tmpdir(), "hotline-bench-"));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeReport(report, dir);
  t.ok(validate(JSON.parse(await readFile(join(dir, "report.json"), "utf8"))));
  t.match(await readFile(join(dir, "report.html"), "utf8"), /<svg[\s\S]*Time to first token/);
});
