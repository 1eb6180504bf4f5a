/** JUnit XML: one testsuite per area, one testcase per case (h2spec's CI format). */
import type { CaseResult, RunResult } from "../runner.js";

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
        `${k.anchor}: ${k.message}${k.observedIn ? ` (in ${k.observedIn})` : ""}${k.entry !== undefined ? ` [frame #${k.entry}]` : ""}`,
    );
  const reqs = c.requirements
    .map((r) => `${r.anchor} (${r.level}) ${r.text} <${r.link}>`)
    .join("\n");
  let body = "";
  if (c.verdict === "SKIPPED") body = `<skipped message="${esc(c.reason ?? "")}"/>`;
  else if (c.verdict === "FAIL" && !c.expectedFailure)
    body = `<failure message="${esc(c.reason ?? "")}" type="${esc(c.level)}">${esc(failures.join("\n"))}</failure>`;
  else if (c.verdict === "ERROR" && !c.expectedFailure)
    body = `<error message="${esc((c.reason ?? "").split("\n")[0] ?? "")}" type="runner">${esc(c.reason ?? "")}</error>`;
  const out = `<system-out>${esc(`verdict: ${c.verdict}${c.expectedFailure ? " (expected failure)" : ""}\n${reqs}${failures.length ? `\n${failures.join("\n")}` : ""}`)}</system-out>`;
  return `    <testcase ${attrs}>${body}${out}</testcase>`;
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
  const total = run.cases.length;
  const failures = run.cases.filter((c) => c.verdict === "FAIL" && !c.expectedFailure).length;
  const errors = run.cases.filter((c) => c.verdict === "ERROR" && !c.expectedFailure).length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="hotline conform" tests="${total}" failures="${failures}" errors="${errors}" time="${(run.durationMs / 1000).toFixed(3)}">\n${suites.join("\n")}\n</testsuites>\n`;
}
