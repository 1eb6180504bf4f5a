/** TAP 14: one test point per case, YAML diagnostics with the requirements, failures, frames and spec links. */
import type { CaseResult, RunResult } from "../runner.js";

/** A YAML double-quoted scalar (JSON's escapes are YAML's); shortened before quoting, never after. */
function yamlString(s: string, max = Infinity): string {
  return JSON.stringify(s.length > max ? `${s.slice(0, max)}… (${s.length} chars)` : s);
}

function framesOf(
  c: CaseResult,
): { i: number; t: number; conn: string; dir: string; data: unknown }[] {
  const wanted = new Set(
    c.checks.filter((k) => !k.ok && k.entry !== undefined && !k.observedIn).map((k) => k.entry!),
  );
  return c.wire
    .filter((e) => wanted.has(e.i))
    .map((e) => ({ i: e.i, t: Number(e.t.toFixed(3)), conn: e.conn, dir: e.dir, data: e.data }));
}

/** Renders a run as TAP 14. */
export function toTap(run: RunResult): string {
  const lines = ["TAP version 14", `1..${run.cases.length + run.findings.length}`];
  run.cases.forEach((c, n) => {
    let directive = "";
    if (c.verdict === "SKIPPED") directive = ` # SKIP ${c.reason ?? ""}`;
    else if (c.expectedFailure)
      directive = ` # TODO expected failure (baseline): ${c.reason ?? ""}`;
    const okWord = c.verdict === "FAIL" || c.verdict === "ERROR" ? "not ok" : "ok";
    lines.push(
      `${okWord} ${n + 1} - ${c.id}: ${c.title.replaceAll("#", "\\#")}${directive.replaceAll("\n", " ")}`,
    );
    lines.push("  ---");
    lines.push(`  verdict: ${c.verdict}`);
    lines.push(`  level: ${c.level}`);
    if (c.findings.length > 0) lines.push(`  findings: [${c.findings.join(", ")}]`);
    lines.push(`  profile: ${c.profile}`);
    lines.push(`  duration_ms: ${c.durationMs.toFixed(1)}`);
    lines.push("  requirements:");
    for (const r of c.requirements) {
      lines.push(`    - anchor: ${r.anchor}`);
      lines.push(`      level: ${r.level}`);
      lines.push(`      link: ${yamlString(r.link)}`);
      lines.push(`      text: ${yamlString(r.text)}`);
      lines.push(`      source: ${r.source}`);
      if (r.clause) lines.push(`      clause: ${yamlString(`${r.clauseKeyword}: ${r.clause}`)}`);
    }
    if (c.reason) lines.push(`  reason: ${yamlString(c.reason)}`);
    const failed = c.checks.filter((k) => !k.ok);
    if (failed.length > 0) {
      lines.push("  failures:");
      for (const k of failed.slice(0, 20)) {
        lines.push(`    - anchor: ${k.anchor}`);
        if (k.level) lines.push(`      level: ${k.level}`);
        lines.push(`      message: ${yamlString(k.message)}`);
        if (k.observedIn) lines.push(`      case: ${k.observedIn}`);
        if (k.entry !== undefined) lines.push(`      frame: ${k.entry}`);
      }
      const frames = framesOf(c).slice(0, 10);
      if (frames.length > 0) {
        lines.push("  frames:");
        for (const f of frames) lines.push(`    - ${yamlString(JSON.stringify(f), 2000)}`);
      }
    }
    if (c.notes.length > 0) {
      lines.push("  notes:");
      for (const note of c.notes) lines.push(`    - ${yamlString(note)}`);
    }
    lines.push("  ...");
  });
  run.findings.forEach((f, i) => {
    const okWord = f.verdict === "FAIL" ? "not ok" : "ok";
    lines.push(
      `${okWord} ${run.cases.length + i + 1} - finding ${f.id}: ${f.anchor} in ${f.cases.length} cases`,
    );
    lines.push("  ---");
    lines.push(`  verdict: ${f.verdict}`);
    lines.push(`  level: ${f.level}`);
    lines.push(`  anchor: ${f.anchor}`);
    lines.push(`  message: ${yamlString(f.message, 2000)}`);
    if (f.clause) lines.push(`  clause: ${yamlString(f.clause)}`);
    lines.push(
      `  first_seen: ${yamlString(`${f.firstCase}${f.entry !== undefined ? ` frame #${f.entry}` : ""}`)}`,
    );
    lines.push("  cases:");
    for (const id of f.cases) lines.push(`    - ${id}`);
    lines.push("  ...");
  });
  const counts = Object.entries(run.counts)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  lines.push(
    `# ${counts}; ${run.findings.length} run-wide findings; ${(run.durationMs / 1000).toFixed(1)} s; profile ${run.negotiated.profile}; ${run.held ? "held to all of Hotline" : "core: Open Responses MUSTs fail, Hotline additions are RECOMMENDED"}`,
  );
  for (const id of run.unknownBaselineEntries)
    lines.push(`# expected-failures entry names no case: ${id}`);
  return `${lines.join("\n")}\n`;
}
