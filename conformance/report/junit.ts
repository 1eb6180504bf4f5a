/** JUnit XML: one testsuite per area, one testcase per case (h2spec's CI format). */
import { describeProvenance } from "../../src/spec/provenance.js";
import type { CaseResult, Finding, RunResult } from "../runner.js";

// XML 1.0 forbids most control characters even when escaped.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g;

function esc(s: string): string {
  return s
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replace(CONTROL, "");
}

function testcase(c: CaseResult): string {
  const attrs = `name="${esc(c.id)}" classname="hotline.conformance.${esc(c.area)}" time="${(c.durationMs / 1000).toFixed(3)}"`;
  const failures = c.checks
    .filter((k) => !k.ok)
    .map(
      (k) =>
        `${k.level ? `[${k.level}] ` : ""}${k.anchor}: ${k.message}${k.observedIn ? ` (in ${k.observedIn})` : ""}${k.entry !== undefined ? ` [frame #${k.entry}]` : ""}`,
    );
  const reqs = c.requirements
    .map(
      (r) =>
        `${r.anchor} (${r.level}) ${r.text} <${r.link}>\n  source: ${describeProvenance(r.anchor)}`,
    )
    .join("\n");
  const findings = c.findings.length
    ? `\nalso observed run-wide findings ${c.findings.join(", ")} (testsuite "run-wide findings")`
    : "";
  let body = "";
  if (c.verdict === "SKIPPED") body = `<skipped message="${esc(c.reason ?? "")}"/>`;
  else if (c.verdict === "FAIL" && !c.expectedFailure)
    body = `<failure message="${esc(c.reason ?? "")}" type="${esc(c.level)}">${esc(failures.join("\n"))}</failure>`;
  else if (c.verdict === "ERROR" && !c.expectedFailure)
    body = `<error message="${esc((c.reason ?? "").split("\n")[0] ?? "")}" type="runner">${esc(c.reason ?? "")}</error>`;
  const out = `<system-out>${esc(`verdict: ${c.verdict}${c.expectedFailure ? " (expected failure)" : ""}${c.reason && c.verdict !== "FAIL" && c.verdict !== "ERROR" ? `\nreason: ${c.reason}` : ""}\n${reqs}${failures.length ? `\n${failures.join("\n")}` : ""}${findings}`)}</system-out>`;
  return `    <testcase ${attrs}>${body}${out}</testcase>`;
}

/** A run-wide finding (CONF-17) as a test case: failing when its verdict is FAIL. */
function findingCase(f: Finding): string {
  const attrs = `name="${esc(`${f.id} ${f.anchor}`)}" classname="hotline.conformance.findings" time="0.000"`;
  const text = [
    `verdict: ${f.verdict} (${f.level})`,
    `${f.anchor}: ${f.message}`,
    `source: ${f.clause ?? describeProvenance(f.anchor)}`,
    `first seen in ${f.firstCase}${f.entry !== undefined ? ` [frame #${f.entry}]` : ""}`,
    `cases (${f.cases.length}): ${f.cases.join(", ")}`,
  ].join("\n");
  const body =
    f.verdict === "FAIL"
      ? `<failure message="${esc(`${f.anchor}: ${f.message}`)}" type="${esc(f.level)}">${esc(text)}</failure>`
      : "";
  return `    <testcase ${attrs}>${body}<system-out>${esc(text)}</system-out></testcase>`;
}

/** Renders the run as JUnit XML. */
export function toJunit(run: RunResult): string {
  const areas = [...new Set(run.cases.map((c) => c.area))];
  const suites = areas.map((area, id) => {
    const cases = run.cases.filter((c) => c.area === area);
    const failures = cases.filter((c) => c.verdict === "FAIL" && !c.expectedFailure).length;
    const errors = cases.filter((c) => c.verdict === "ERROR" && !c.expectedFailure).length;
    const skipped = cases.filter((c) => c.verdict === "SKIPPED").length;
    const time = cases.reduce((t, c) => t + c.durationMs, 0) / 1000;
    return [
      `  <testsuite name="${esc(area)}" id="${id}" package="hotline.conformance" hostname="${esc(new URL(run.target.wsUrl).host)}" timestamp="${run.startedAt.slice(0, 19)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${time.toFixed(3)}">`,
      ...cases.map(testcase),
      "  </testsuite>",
    ].join("\n");
  });
  if (run.findings.length > 0) {
    const failing = run.findings.filter((f) => f.verdict === "FAIL").length;
    suites.push(
      [
        `  <testsuite name="run-wide findings" id="${areas.length}" package="hotline.conformance" hostname="${esc(new URL(run.target.wsUrl).host)}" timestamp="${run.startedAt.slice(0, 19)}" tests="${run.findings.length}" failures="${failing}" errors="0" skipped="0" time="0.000">`,
        ...run.findings.map(findingCase),
        "  </testsuite>",
      ].join("\n"),
    );
  }
  const total = run.cases.length + run.findings.length;
  const failures =
    run.cases.filter((c) => c.verdict === "FAIL" && !c.expectedFailure).length +
    run.findings.filter((f) => f.verdict === "FAIL").length;
  const errors = run.cases.filter((c) => c.verdict === "ERROR" && !c.expectedFailure).length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="hotline conform" tests="${total}" failures="${failures}" errors="${errors}" time="${(run.durationMs / 1000).toFixed(3)}">\n${suites.join("\n")}\n</testsuites>\n`;
}
