/**
 * `hotline bench --scenario NAME`: the scenarios (slow-reader, disconnect-storm, overload,
 * soak, non-reader, idle-deflate, lanes). Each runs a reference server in a child process on loopback, prints a
 * summary and its checks, and with `--out FILE` writes the JSON report. Exit code 1 when a
 * check failed.
 */
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { UsageError } from "../../src/util/usage-error.js";
import type { Scenario } from "./common.js";
import { disconnectStorm } from "./disconnect-storm.js";
import { idleDeflate } from "./idle-deflate.js";
import { nonReader } from "./non-reader.js";
import { lanes } from "./lanes.js";
import { overload } from "./overload.js";
import { formatReport, type ScenarioReport } from "./report.js";
import { slowReader } from "./slow-reader.js";
import { soak } from "./soak.js";

/** Every scenario, by name. */
export const SCENARIOS: readonly Scenario[] = [
  slowReader,
  disconnectStorm,
  overload,
  soak,
  nonReader,
  idleDeflate,
  lanes,
];

const HELP = `Usage: hotline bench --scenario NAME [options]

Fault scenarios against a reference server in a child process (loopback only):
${SCENARIOS.map((s) => `  ${s.name.padEnd(17)} ${s.summary} (default ${s.defaults.sessions} sessions, ${s.defaults.durationS} s)`).join("\n")}

Each reports errors, lost and duplicated events (every sequence number is checked), server RSS
over time, p99 time to first token over time and compute spent on abandoned responses.

Options:
  --scenario NAME   one of: ${SCENARIOS.map((s) => s.name).join(", ")}
  --duration-s N    how long the load runs (scenario default above)
  --sessions N      sessions (readers, users; for overload: the backend capacity, users = 2N)
  --seed N          random seed (default 1)
  --fleet N         disconnect-storm only: N reference servers (2 to 8) sharing a fresh
                    redis-server; each session starts on a random instance and every resume
                    lands on a random one, so most resumes cross instances (spec/fleet.md)
  --out FILE        write the JSON report to FILE
  -h, --help        show this help`;

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} must be a positive number`);
  return n;
}

/** Runs one scenario programmatically (tests use this with short durations). */
export function runScenario(
  name: string,
  options: {
    durationS?: number;
    sessions?: number;
    seed?: number;
    /** disconnect-storm: instances of a fleet on one redis-server (0: one server). */
    fleet?: number;
    command?: string;
    /** Progress lines (default: stderr). */
    log?: (line: string) => void;
  } = {},
): Promise<ScenarioReport> {
  const scenario = SCENARIOS.find((s) => s.name === name);
  if (!scenario) throw new UsageError(`unknown scenario '${name}'`);
  return scenario.run({
    durationS: options.durationS ?? scenario.defaults.durationS,
    sessions: options.sessions ?? scenario.defaults.sessions,
    seed: options.seed ?? 1,
    fleet: options.fleet ?? 0,
    command: options.command ?? `hotline bench --scenario ${name}`,
    log: options.log ?? ((line) => console.error(line)),
  });
}

/** `hotline bench --scenario ...`; resolves to the exit code. */
export async function run(argv: string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        scenario: { type: "string" },
        "duration-s": { type: "string" },
        sessions: { type: "string" },
        seed: { type: "string" },
        fleet: { type: "string" },
        out: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const name = values.scenario as string | undefined;
  const scenario = SCENARIOS.find((s) => s.name === name);
  if (!scenario) {
    throw new UsageError(
      `unknown scenario '${name ?? ""}' (known: ${SCENARIOS.map((s) => s.name).join(", ")})`,
    );
  }
  let fleet = 0;
  if (values.fleet !== undefined) {
    if (scenario.name !== "disconnect-storm") {
      throw new UsageError(`--fleet applies to disconnect-storm only, not ${scenario.name}`);
    }
    fleet = Number(values.fleet);
    if (!Number.isInteger(fleet) || fleet < 2 || fleet > 8) {
      throw new UsageError(`--fleet takes 2 to 8 instances, got ${String(values.fleet)}`);
    }
  }
  const report = await runScenario(scenario.name, {
    fleet,
    durationS: positive(
      "duration-s",
      values["duration-s"] as string | undefined,
      scenario.defaults.durationS,
    ),
    sessions: Math.round(
      positive("sessions", values.sessions as string | undefined, scenario.defaults.sessions),
    ),
    seed: Math.round(positive("seed", values.seed as string | undefined, 1)),
    command: ["hotline", "bench", ...argv].join(" "),
  });
  console.log(formatReport(report));
  if (typeof values.out === "string") {
    await writeFile(values.out, `${JSON.stringify(report, null, 2)}\n`);
    console.error(`hotline bench: wrote ${values.out}`);
  }
  return report.passed ? 0 : 1;
}
