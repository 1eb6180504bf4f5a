/**
 * Verdicts (spec/conformance.md): the level each failed check is judged at (from its
 * requirement's provenance), a case's verdict from its checks, and run-wide findings, one per
 * root cause seen in several cases.
 */
import type { Case, Verdict } from "./case.js";
import type { CheckResult } from "./context.js";
import { type CheckLevel, provenanceOf, SCHEMA_CLAUSE } from "../src/spec/provenance.js";

/**
 * One root cause seen in several cases (a field missing from every event, a schema violation on
 * every frame): reported once, with the cases it touched; those cases keep their own verdicts.
 */
export interface Finding {
  id: string;
  anchor: string;
  message: string;
  level: CheckLevel;
  verdict: Verdict;
  cases: string[];
  /** The first case and frame it was seen at. */
  firstCase: string;
  entry?: number;
  clause?: string;
}

/** The level a failed check is judged at (src/spec/provenance.ts). */
export type Judge = (k: CheckResult) => CheckLevel;

export function decide(
  c: Case,
  checks: CheckResult[],
  judge: Judge,
  strict: boolean,
): { verdict: Verdict; reason: string | null } {
  const failed = checks.filter((k) => !k.ok);
  for (const k of failed) k.level = judge(k);
  const first = (levels: CheckLevel[]): CheckResult | undefined =>
    failed.find((k) => levels.includes(k.level as CheckLevel));
  const must = first(["MUST"]);
  if (must) return { verdict: "FAIL", reason: describeCheck(must) };
  const should = first(["SHOULD", "MAY"]);
  if (should) return { verdict: strict ? "FAIL" : "NON-STRICT", reason: describeCheck(should) };
  const recommended = first(["RECOMMENDED"]);
  if (recommended) return { verdict: "RECOMMENDED", reason: describeCheck(recommended) };
  if (checks.length === 0)
    return { verdict: "ERROR", reason: "the case recorded no check (runner bug)" };
  if (c.level === "MAY") return { verdict: "INFORMATIONAL", reason: null };
  return { verdict: "PASS", reason: null };
}

/** The verdict a finding (or a failed check) at `level` gives. */
export function verdictOf(level: CheckLevel, strict: boolean): Verdict {
  if (level === "MUST") return "FAIL";
  if (level === "RECOMMENDED") return "RECOMMENDED";
  return strict ? "FAIL" : "NON-STRICT";
}

/** One key per root cause: the rule and the message with its numbers blanked. */
function rootCause(k: CheckResult): string {
  // A field missing from every event type is one schema finding, whatever the event.
  const own = k.message.replace(/ \(and \d+ more \S+ violations in this case\)$/, "");
  const message = k.anchor === "CONF-2" ? own.replace(/^\S+ fails its schema: /, "") : own;
  return `${k.anchor}\u0000${message.replace(/\d+/g, "#")}`;
}

export function describeCheck(k: CheckResult): string {
  return `${k.anchor}: ${k.message}${k.observedIn ? ` (in ${k.observedIn}${k.entry !== undefined ? `, frame #${k.entry}` : ""})` : k.entry !== undefined ? ` (frame #${k.entry})` : ""}`;
}

/**
 * Groups failed checks of rules a case does not cite by root cause; one seen in two or more cases
 * becomes a finding (CONF-17). Returns the findings and, per root-cause key, its finding.
 */
export function findRootCauses(
  cases: { c: Case; checks: CheckResult[] }[],
  judge: Judge,
  strict: boolean,
): { findings: Finding[]; findingOf: (k: CheckResult) => Finding | undefined } {
  const seenIn = new Map<string, Set<number>>();
  cases.forEach((r, i) => {
    for (const k of r.checks) {
      if (k.ok || k.observedIn || r.c.requirements.includes(k.anchor)) continue;
      const key = rootCause(k);
      if (!seenIn.has(key)) seenIn.set(key, new Set());
      seenIn.get(key)!.add(i);
    }
  });
  const findings: Finding[] = [];
  const findingOf = new Map<string, Finding>();
  for (const [key, where] of seenIn) {
    if (where.size < 2) continue;
    const indexes = [...where].sort((x, y) => x - y);
    const firstIndex = indexes[0]!;
    const sample = cases[firstIndex]!.checks.find(
      (k) => !k.ok && !k.observedIn && rootCause(k) === key,
    )!;
    const level = judge(sample);
    const p = provenanceOf(sample.anchor);
    const finding: Finding = {
      id: `F${findings.length + 1}`,
      anchor: sample.anchor,
      message: sample.message,
      level,
      verdict: verdictOf(level, strict),
      cases: indexes.map((i) => cases[i]!.c.id),
      firstCase: cases[firstIndex]!.c.id,
      ...(sample.entry !== undefined ? { entry: sample.entry } : {}),
      ...(sample.anchor === "CONF-2"
        ? { clause: SCHEMA_CLAUSE }
        : p?.source === "open-responses" && p.clause
          ? { clause: `Open Responses ${p.keyword}: ${p.clause}` }
          : {}),
    };
    findings.push(finding);
    findingOf.set(key, finding);
  }

  return { findings, findingOf: (k) => findingOf.get(rootCause(k)) };
}
