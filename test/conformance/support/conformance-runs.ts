/**
 * What the self-proof tests share (faults.test.ts against a faulty server, mutations.test.ts
 * through a rule-breaking proxy): the server settings every run uses, one conformance run
 * against a target, the cases a run failed and how to print them.
 */
import { join } from "node:path";
import type { Case } from "../../../conformance/case.js";
import type { Target } from "../../../conformance/context.js";
import { type ProfileMode, runConformance, type RunResult } from "../../../conformance/runner.js";
import { SpecIndex } from "../../../conformance/spec-index.js";
import type { ServerOptions } from "../../../reference-server/index.js";
import { readBaseline } from "../../../src/cli/conform.js";

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
  return runConformance({ target, cases, spec, profile, sim: true, timeoutMs: 3_000 });
}

/**
 * The cases a run failed. A broken SHOULD shows as NON-STRICT rather than FAIL, so for a rule
 * that is not a MUST the cases citing that rule also count when NON-STRICT (other NON-STRICT
 * verdicts, the latency SHOULDs of a loaded machine, do not).
 */
export function failed(r: RunResult, shouldRule?: string): string[] {
  return r.cases
    .filter(
      (c) =>
        (c.verdict === "FAIL" ||
          c.verdict === "ERROR" ||
          (c.verdict === "NON-STRICT" &&
            shouldRule !== undefined &&
            c.requirements.some((a) => a.anchor === shouldRule))) &&
        !knownFailures.includes(c.id),
    )
    .map((c) => c.id)
    .sort();
}

/** `failed`'s rule argument for `rule`: the rule itself unless it is a MUST. */
export function nonStrictRule(rule: string): string | undefined {
  return spec.isMust(rule) ? undefined : rule;
}

/** One line per failing case with its first failure, for a failed assertion's diagnostics. */
export function describeFailures(r: RunResult): string[] {
  return r.cases
    .filter((c) => c.verdict === "FAIL" || c.verdict === "ERROR" || c.verdict === "NON-STRICT")
    .map((c) => `${c.id}: ${c.verdict} ${c.reason ?? ""}`);
}

/** The ids of the cases a run did not skip. */
export function ranCases(r: RunResult): Set<string> {
  return new Set(r.cases.filter((c) => c.verdict !== "SKIPPED").map((c) => c.id));
}
