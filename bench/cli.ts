/**
 * `hotline bench`: the latency reproduction of the published persistent-connection claims.
 * Parses the options, runs the benchmark with a progress bar on stderr, prints the table on
 * stdout and, with `--out DIR`, writes report.json (checked against bench/report.schema.json)
 * and report.html.
 */
import { existsSync, readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { UsageError } from "../src/util/usage-error.js";
import { packageRoot, packageVersion } from "../src/util/package-root.js";
import { renderHtml } from "./html.js";
import { findNginx } from "./nginx.js";
import { progressBar } from "./progress.js";
import { haveRedisServer } from "./redis-server.js";
import { type BenchReport, buildReport } from "./report.js";
import { runBench } from "./runner.js";
import { renderTable } from "./table.js";
import { TRANSPORT_NAMES, type TransportName } from "./transports.js";

export const HELP = `Usage: hotline bench [options]

Measures the same reference server and workload over five transports, through a simulated
network round trip with real TLS 1.3: https-per-request (new TCP + TLS connection per turn,
full history, SSE), https-keepalive (one connection, previous_response_id, SSE), wss (core
WebSocket, previous_response_id), wss-hotline (hotline.v1 with session prewarm) and
wss-hotline-deflate (the same with permessage-deflate). Reports connect_ms, rtt_overhead_ms,
server_overhead_ms (the server's own part of it), ttft_ms, decode_ms_per_token, inter_event_gap_ms, wire_bytes_per_token,
server_cpu_us_per_token and cached tokens, and the ratios L1-L3 against https-per-request.

Options:
  --rtt-ms LIST       simulated round trips in ms, comma-separated (default 20), e.g. 5,20,50
  --turns N           turns of the scripted coding session (default 20; context ~64k tokens)
  --reps N            repetitions of every series (default 5)
  --transports LIST   comma-separated subset of: ${TRANSPORT_NAMES.join(", ")}
                      (default all)
  --seed N            workload seed (default 1)
  --out DIR           write DIR/report.json and DIR/report.html
  --fleet N           also run every series against a fleet beside the one server: N >= 2
                      reference-server processes sharing one redis-server, behind nginx on
                      loopback (TLS 1.3 terminated there, round robin, keep-alive upstreams);
                      HTTPS requests land wherever nginx sends them, each WebSocket stays on
                      its instance. Needs redis-server and nginx installed (not root)
  --scenario NAME     run a scenario instead (slow-reader, disconnect-storm, overload, soak,
                      non-reader, idle-deflate, lanes; see \`hotline bench --scenario NAME --help\`)
  -h, --help          show this help`;

function positiveInt(name: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    throw new UsageError(`--${name} must be an integer >= ${min}, got '${value}'`);
  }
  return n;
}

/** Every option `hotline bench` takes (each is described in {@link HELP}). */
export const BENCH_OPTIONS = {
  "rtt-ms": { type: "string" },
  turns: { type: "string" },
  reps: { type: "string" },
  transports: { type: "string" },
  seed: { type: "string" },
  out: { type: "string" },
  fleet: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** The parsed options of `hotline bench`. */
export interface BenchCliOptions {
  rttMs: number[];
  turns: number;
  reps: number;
  transports: TransportName[];
  seed: number;
  out: string | undefined;
  /** Instances of the fleet run beside the one server (0: none). */
  fleet: number;
  help: boolean;
}

/** Parses `hotline bench` arguments; throws {@link UsageError} on bad input. */
export function parseBenchArgs(argv: string[]): BenchCliOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: BENCH_OPTIONS,
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const rttText = (values["rtt-ms"] as string | undefined) ?? "20";
  const rttMs = rttText.split(",").map((part) => {
    const n = Number(part.trim());
    if (part.trim() === "" || !Number.isFinite(n) || n < 0 || n > 10_000) {
      throw new UsageError(
        `--rtt-ms takes comma-separated numbers from 0 to 10000, got '${rttText}'`,
      );
    }
    return n;
  });
  const transportsText = values.transports as string | undefined;
  const transports = transportsText
    ? transportsText.split(",").map((t) => {
        const name = t.trim() as TransportName;
        if (!TRANSPORT_NAMES.includes(name)) {
          throw new UsageError(
            `unknown transport '${t.trim()}' (known: ${TRANSPORT_NAMES.join(", ")})`,
          );
        }
        return name;
      })
    : [...TRANSPORT_NAMES];
  if (new Set(transports).size !== transports.length) {
    throw new UsageError("--transports lists a transport twice");
  }
  const seedText = values.seed as string | undefined;
  const seed = seedText === undefined ? 1 : Number(seedText);
  if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 31) {
    throw new UsageError(`--seed must be an integer from 0 to 2^31, got '${seedText}'`);
  }
  const fleet = values.fleet === undefined ? 0 : positiveInt("fleet", values.fleet as string, 0, 2);
  if (fleet > 16) throw new UsageError(`--fleet takes 2 to 16 instances, got ${fleet}`);
  const out = values.out as string | undefined;
  if (out === "") throw new UsageError("--out needs a directory");
  return {
    rttMs: [...new Set(rttMs)],
    turns: positiveInt("turns", values.turns as string | undefined, 20),
    reps: positiveInt("reps", values.reps as string | undefined, 5),
    transports,
    seed,
    out,
    fleet,
    help: values.help === true,
  };
}

// ajv-formats is CommonJS: its default export arrives as `.default` under NodeNext.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

let validator: ((report: unknown) => string | undefined) | undefined;

/** Checks a report against bench/report.schema.json; returns the first problem or undefined. */
export function validateReport(
  report: unknown,
  schemaPath = defaultSchemaPath(),
): string | undefined {
  if (!validator) {
    const schema = JSON.parse(readFileSync(schemaPath, "utf8")) as object;
    const ajv = new Ajv2020({ allErrors: false, strict: true });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    validator = (value) =>
      validate(value)
        ? undefined
        : `${validate.errors?.[0]?.instancePath || "/"} ${validate.errors?.[0]?.message ?? "invalid"}`;
  }
  return validator(report);
}

function defaultSchemaPath(): string {
  return join(packageRoot(), "bench", "report.schema.json");
}

/** Writes report.json and report.html into `dir`; the JSON is validated first. */
export async function writeReport(report: BenchReport, dir: string): Promise<void> {
  if (existsSync(defaultSchemaPath())) {
    const problem = validateReport(report);
    if (problem) throw new Error(`the report does not match bench/report.schema.json: ${problem}`);
  }
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "report.json"), `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(join(dir, "report.html"), renderHtml(report));
}

/** Runs `hotline bench`; resolves to the exit code. */
export async function run(argv: string[]): Promise<number> {
  // Fault scenarios (issue 8) have their own options: bench/scenarios/cli.ts.
  if (argv.some((a) => a === "--scenario" || a.startsWith("--scenario="))) {
    return (await import("./scenarios/cli.js")).run(argv);
  }
  const options = parseBenchArgs(argv);
  if (options.help) {
    console.log(HELP);
    return 0;
  }
  if (options.fleet > 0) {
    const missing = [haveRedisServer() ? "" : "redis-server", findNginx() ? "" : "nginx"].filter(
      Boolean,
    );
    if (missing.length > 0) {
      console.error(
        `hotline bench: --fleet needs ${missing.join(" and ")} (Debian/Ubuntu: apt-get install ${missing.join(" ")})`,
      );
      return 1;
    }
  }
  const bar = progressBar();
  let report: BenchReport;
  try {
    const raw = await runBench({
      rttMs: options.rttMs,
      turns: options.turns,
      reps: options.reps,
      transports: options.transports,
      seed: options.seed,
      fleet: options.fleet,
      onProgress: bar.update,
    });
    report = buildReport(raw, {
      version: packageVersion(),
      command: ["hotline", "bench", ...argv].join(" "),
    });
  } catch (error) {
    bar.done();
    console.error(`hotline bench: ${(error as Error).message}`);
    return 1;
  }
  bar.done();
  console.log(renderTable(report));
  if (options.out) {
    const dir = resolve(options.out);
    try {
      await writeReport(report, dir);
    } catch (error) {
      console.error(`hotline bench: ${(error as Error).message}`);
      return 1;
    }
    console.error(`hotline bench: wrote ${join(dir, "report.json")} and report.html`);
  }
  // Every series failing is a failed run; skipped transports (server lacks a profile) are not.
  const failed = report.runs.some((r) => r.series.some((s) => s.status === "failed"));
  return failed ? 1 : 0;
}
