/**
 * What the self-proof tests share (faults.test.ts against a faulty server, mutations.test.ts
 * through a rule-breaking proxy): the server settings every run uses, one conformance run
 * against a target, the cases a run failed and how to print them, and the re-run of timing
 * checks that a loaded machine fails now and then.
 */
import { join } from "node:path";
import type { Test } from "tap";
import type { Case } from "../../../conformance/case.js";
import { allCases } from "../../../conformance/cases/index.js";
import type { Target } from "../../../conformance/context.js";
import { type ProfileMode, runConformance, type RunResult } from "../../../conformance/runner.js";
import { checkLevel } from "../../../src/spec/provenance.js";
import { SpecIndex } from "../../../conformance/spec-index.js";
import type { ServerOptions } from "../../../reference-server/index.js";
import { readBaseline } from "../../../src/cli/conform.js";
import {
  CORE_MAX_MESSAGE_BYTES,
  DEFAULT_CONTEXT_WINDOW_TOKENS,
} from "../../../src/protocol/index.js";

/** The requirements of spec/, loaded once. */
export const spec = SpecIndex.load();

/** Cases the reference server fails today (the runner's baseline): never counted as failing. */
export const knownFailures = await readBaseline(
  join(import.meta.dirname, "..", "fixtures", "reference-server-known-failures.txt"),
);

/** The bearer token every self-proof server accepts. */
export const TOKEN = "fault-token";

/** The Origin the servers' allowlist refuses (TRANSPORT-8). */
export const DENIED_ORIGIN = "https://denied.test";

/** Every self-proof server: auth, an origin allowlist and a heartbeat short enough for L5. */
export const BASE: ServerOptions = {
  port: 0,
  logLevel: "silent",
  tokens: [TOKEN],
  allowedOrigins: ["https://ok.test"],
  session: { heartbeatIntervalMs: 100 },
};

/** Where a self-proof run sends its cases. */
export interface Endpoints {
  wsUrl: string;
  httpUrl: string;
}

/** Runs `cases` against `at` with the self-proof settings (token, denied origin, --sim, 3 s turns). */
export function runCases(at: Endpoints, profile: ProfileMode, cases: Case[]): Promise<RunResult> {
  const target: Target = {
    wsUrl: at.wsUrl,
    httpUrl: at.httpUrl,
    token: TOKEN,
    headers: {},
    model: null,
    rttMs: 0,
    deniedOrigin: DENIED_ORIGIN,
  };
  // The reference server's defaults, given as a user of a core-profile server would give them.
  const limits = {
    maxMessageBytes: CORE_MAX_MESSAGE_BYTES,
    contextWindowTokens: DEFAULT_CONTEXT_WINDOW_TOKENS,
  };
  return runConformance({ target, cases, spec, profile, sim: true, timeoutMs: 3_000, limits });
}

/**
 * The cases a run failed. A broken SHOULD shows as NON-STRICT rather than FAIL, so for a rule
 * that is not a MUST the cases citing that rule also count when NON-STRICT (other NON-STRICT
 * verdicts, the latency SHOULDs of a loaded machine, do not).
 */
export function failed(r: RunResult, shouldRule?: string): string[] {
  // The reference server implements all of Hotline: a RECOMMENDED (a Hotline addition missed
  // in a core-profile run) is a failure here as a FAIL is.
  return r.cases
    .filter(
      (c) =>
        (c.verdict === "FAIL" ||
          c.verdict === "ERROR" ||
          (c.verdict === "RECOMMENDED" && recommendedCounts(c, shouldRule)) ||
          (c.verdict === "NON-STRICT" &&
            shouldRule !== undefined &&
            c.requirements.some((a) => a.anchor === shouldRule))) &&
        !knownFailures.includes(c.id),
    )
    .map((c) => c.id)
    .sort();
}

/**
 * A RECOMMENDED (a Hotline addition missed in a core-profile run) counts as FAIL would when a
 * Hotline MUST was missed, and as NON-STRICT would (only for the broken rule) for a SHOULD.
 */
function recommendedCounts(c: RunResult["cases"][number], shouldRule: string | undefined): boolean {
  const missed = c.checks.filter((k) => !k.ok && k.level === "RECOMMENDED");
  return (
    missed.some((k) => spec.isMust(k.anchor)) ||
    (shouldRule !== undefined && c.requirements.some((a) => a.anchor === shouldRule))
  );
}

/**
 * `failed`'s rule argument for `rule`: the rule itself unless it is a MUST, or when Open
 * Responses makes it weaker (a SHOULD there, judged NON-STRICT in a core-profile run).
 */
export function nonStrictRule(rule: string): string | undefined {
  const weaker = checkLevel(rule, spec.get(rule).level, false) === "SHOULD";
  return spec.isMust(rule) && !weaker ? undefined : rule;
}

/** One line per failing case with its first failure, for a failed assertion's diagnostics. */
export function describeFailures(r: RunResult): string[] {
  return r.cases
    .filter(
      (c) =>
        c.verdict === "FAIL" ||
        c.verdict === "ERROR" ||
        c.verdict === "NON-STRICT" ||
        c.verdict === "RECOMMENDED",
    )
    .map((c) => `${c.id}: ${c.verdict} ${c.reason ?? ""}`)
    .concat(
      r.findings.map(
        (f) => `${f.id} (${f.cases.join(", ")}): ${f.verdict} ${f.anchor}: ${f.message}`,
      ),
    );
}

/** The ids of the cases a run did not skip. */
export function ranCases(r: RunResult): Set<string> {
  return new Set(r.cases.filter((c) => c.verdict !== "SKIPPED").map((c) => c.id));
}

/**
 * Cases whose timing checks have a margin a loaded 2-core machine eats now and then, against a
 * correct server too. Where a run should pass one and it fails, it runs again (up to RETRIES
 * times, noted in the output) and only a failure every time counts. A failure a fault or a
 * mutation is expected to cause is never re-run.
 */
export const TIMING_FLAKY: Readonly<Record<string, string>> = {
  "interrupt.cancel":
    "INT-2 allows one delta between the cancel and the terminal; with the runner or the server busy (the fault and mutation tables side by side on two cores), a second one sent before the server read the cancel arrives after it was sent",
  "latency.l4-cancel":
    "L4's bound is two decode intervals (about 2.5 ms, at times the 1 ms floor) on loopback; 1 of 8 control runs measured a 3.1 ms p99 cancel ack",
};
export const RETRIES = 2;

/** The cases a run failed, a timing-flaky one only if it also failed every re-run. */
export async function settled(
  t: Test,
  r: RunResult,
  should: string | undefined,
  expected: readonly string[],
  rerun: (cases: Case[]) => Promise<RunResult>,
): Promise<string[]> {
  let failing = failed(r, should);
  for (let i = 0; i < RETRIES; i++) {
    const flaky = failing.filter((id) => id in TIMING_FLAKY && !expected.includes(id));
    if (flaky.length === 0) break;
    t.comment(
      `timing: re-running ${flaky.join(", ")} (${flaky.map((id) => TIMING_FLAKY[id]).join("; ")})`,
    );
    const again = failed(await rerun(allCases.filter((c) => flaky.includes(c.id))), should);
    failing = failing.filter((id) => !flaky.includes(id) || again.includes(id));
  }
  return failing;
}
