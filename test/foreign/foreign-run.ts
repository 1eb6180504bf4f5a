/**
 * What the foreign-server tests share: one conformance run against a server the project did not
 * write, in the core profile a user would see, and its comparison with a checked-in
 * expectations file (verdict per case; for each FAIL, the Open Responses clause it rests on).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { allCases } from "../../conformance/cases/index.js";
import { provenanceOf } from "../../src/spec/provenance.js";
import { runConformance, type RunResult } from "../../conformance/runner.js";
import { SpecIndex } from "../../conformance/spec-index.js";

const spec = SpecIndex.load();

/** One case's expected outcome. */
export interface Expectation {
  verdict: string;
  /** For FAIL: the rule and the Open Responses clause the server breaks. */
  rule?: string;
  clause?: string;
}

/** The expectations file: verdict per case and per run-wide finding. */
export interface Expectations {
  server: string;
  cases: Record<string, Expectation>;
  findings: Record<string, Expectation & { cases: number }>;
}

/** Runs every case against a foreign server (no token, no --sim, short turns). */
export function runForeign(wsUrl: string, httpUrl: string): Promise<RunResult> {
  return runConformance({
    target: { wsUrl, httpUrl, token: null, headers: {}, model: null, rttMs: 0 },
    cases: allCases,
    spec,
    profile: "auto",
    timeoutMs: 3_000,
  });
}

/** The rule a FAIL rests on and its Open Responses clause (from its first MUST-level failure). */
function failedRule(checks: RunResult["cases"][number]["checks"]): Expectation {
  const k = checks.find((x) => !x.ok && x.level === "MUST");
  const p = k ? provenanceOf(k.anchor) : undefined;
  return {
    verdict: "FAIL",
    ...(k ? { rule: k.anchor } : {}),
    ...(p?.clause ? { clause: `${p.keyword ?? ""} ${p.clause}`.trim() } : {}),
  };
}

/** The run as an expectations document. */
export function expectationsOf(server: string, r: RunResult): Expectations {
  const cases: Record<string, Expectation> = {};
  for (const c of r.cases)
    cases[c.id] = c.verdict === "FAIL" ? failedRule(c.checks) : { verdict: c.verdict };
  const findings: Expectations["findings"] = {};
  for (const f of r.findings) {
    const key = `${f.anchor}: ${f.message.replace(/^\S+ fails its schema: /, "")}`;
    const p = provenanceOf(f.anchor);
    findings[key] = {
      verdict: f.verdict,
      cases: f.cases.length,
      ...(f.verdict === "FAIL" ? { rule: f.anchor } : {}),
      ...(f.verdict === "FAIL" && f.clause ? { clause: f.clause } : {}),
      ...(f.verdict === "FAIL" && !f.clause && p?.clause ? { clause: p.clause } : {}),
    };
  }
  return { server, cases, findings };
}

/** Reads an expectations file, or writes it from `actual` when UPDATE_EXPECTATIONS=1. */
export function expected(file: string, actual: Expectations): Expectations {
  if (process.env.UPDATE_EXPECTATIONS === "1") {
    writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
  }
  return JSON.parse(readFileSync(file, "utf8")) as Expectations;
}
