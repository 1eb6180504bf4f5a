/**
 * A self-contained `report.html`: verdicts by area, failures with the frames that broke the
 * rule, and inline SVG charts of time-to-first-token and inter-event gaps. No scripts, no
 * external assets, so it opens anywhere (and in CI's headless Chromium).
 */
import { describeProvenance } from "../../src/spec/provenance.js";
import type { CaseResult, Finding, MetricSeries, RunResult } from "../runner.js";

const COLORS: Record<string, string> = {
  PASS: "#1a7f37",
  "NON-STRICT": "#9a6700",
  RECOMMENDED: "#bc4c00",
  FAIL: "#cf222e",
  INFORMATIONAL: "#0969da",
  SKIPPED: "#6e7781",
  ERROR: "#8250df",
};

function h(s: unknown): string {
  return String(s)
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}

function histogram(title: string, samples: number[], unit: string): string {
  const W = 560;
  const H = 180;
  if (samples.length === 0)
    return `<figure><figcaption>${h(title)}</figcaption><p class="muted">no samples in this run</p></figure>`;
  const sorted = [...samples].sort((a, b) => a - b);
  const max = sorted.at(-1)! || 1;
  const bins = 24;
  const counts = new Array<number>(bins).fill(0);
  for (const s of sorted) counts[Math.min(bins - 1, Math.floor((s / max) * bins))]! += 1;
  const top = Math.max(...counts);
  const bw = (W - 40) / bins;
  const bars = counts
    .map((c, i) => {
      const bh = top ? (c / top) * (H - 40) : 0;
      return `<rect x="${(30 + i * bw).toFixed(1)}" y="${(H - 20 - bh).toFixed(1)}" width="${(bw - 2).toFixed(1)}" height="${bh.toFixed(1)}" fill="#0969da"><title>${c} samples ≤ ${(((i + 1) / bins) * max).toFixed(2)} ${unit}</title></rect>`;
    })
    .join("");
  const p = (q: number): number => sorted[Math.max(0, Math.ceil((q / 100) * sorted.length) - 1)]!;
  const axis = `<line x1="30" y1="${H - 20}" x2="${W - 10}" y2="${H - 20}" stroke="#57606a"/><text x="30" y="${H - 4}" font-size="11">0</text><text x="${W - 10}" y="${H - 4}" font-size="11" text-anchor="end">${max.toFixed(2)} ${h(unit)}</text>`;
  return `<figure><figcaption>${h(title)}: n ${sorted.length}, p50 ${p(50).toFixed(2)}, p90 ${p(90).toFixed(2)}, p99 ${p(99).toFixed(2)}, max ${max.toFixed(2)} ${h(unit)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" role="img" aria-label="${h(title)}">${bars}${axis}</svg></figure>`;
}

function samplesOf(run: RunResult, name: string): number[] {
  return run.cases.flatMap((c) =>
    Object.entries(c.metrics)
      .filter(([k]) => k.split("@")[0] === name)
      .flatMap(([, v]) => v),
  );
}

function caseRow(c: CaseResult): string {
  const reqs = c.requirements
    .map(
      (r) =>
        `<a href="${h(r.link)}" title="${h(`${r.text}\nsource: ${describeProvenance(r.anchor)}`)}">${h(r.anchor)}</a> <span class="src">${h(SOURCE_BADGES[r.source] ?? r.source)}</span>`,
    )
    .join(" ");
  const findings = c.findings.map((id) => `<a href="#finding-${h(id)}">${h(id)}</a>`).join(" ");
  return `<tr><td><code>${h(c.id)}</code></td><td>${h(c.title)}</td><td>${reqs}</td><td>${h(c.level)}</td><td><span class="v" style="background:${COLORS[c.verdict]}">${h(c.verdict)}</span>${c.expectedFailure ? " (expected)" : ""}</td><td class="num">${c.durationMs.toFixed(0)}</td><td>${h(c.verdict === "PASS" ? "" : (c.reason ?? "").split("\n")[0])}${findings ? ` <span class="muted">also ${findings}</span>` : ""}</td></tr>`;
}

function failureBlock(c: CaseResult): string {
  const failed = c.checks.filter((k) => !k.ok);
  const entries = new Set(
    failed.filter((k) => k.entry !== undefined && !k.observedIn).map((k) => k.entry!),
  );
  const frames = c.wire.filter((e) => entries.has(e.i)).slice(0, 12);
  return `<section class="failure"><h3><code>${h(c.id)}</code> <span class="v" style="background:${COLORS[c.verdict]}">${h(c.verdict)}</span></h3>
<ul>${c.requirements.map((r) => `<li><a href="${h(r.link)}">${h(r.anchor)}</a> (${h(r.level)}): ${h(r.text)}<br><span class="muted">source: ${h(describeProvenance(r.anchor))}</span></li>`).join("")}</ul>
<ol>${failed
    .slice(0, 20)
    .map(
      (k) =>
        `<li>${k.level ? `[${h(k.level)}] ` : ""}<b>${h(k.anchor)}</b> ${h(k.message)}${k.observedIn ? ` <i>(observed in ${h(k.observedIn)})</i>` : ""}${k.entry !== undefined ? ` [frame #${k.entry}]` : ""}</li>`,
    )
    .join("")}</ol>
${frames.map((f) => `<pre>#${f.i} ${f.t.toFixed(3)} ms ${h(f.conn)} ${h(f.dir)} ${h(JSON.stringify(f.data)).slice(0, 3000)}</pre>`).join("")}
${c.reason && !failed.length ? `<pre>${h(c.reason)}</pre>` : ""}</section>`;
}

/** Short source labels beside each requirement (the full line is in its tooltip). */
const SOURCE_BADGES: Record<string, string> = {
  "open-responses": "OR",
  "openai-ws": "OpenAI WS",
  hotline: "Hotline",
};

function findingTable(findings: Finding[]): string {
  if (findings.length === 0) return "<p>None.</p>";
  const rows = findings.map(
    (f) =>
      `<tr id="finding-${h(f.id)}"><td>${h(f.id)}</td><td><span class="v" style="background:${COLORS[f.verdict]}">${h(f.verdict)}</span> ${h(f.level)}</td><td>${h(f.anchor)}</td><td>${h(f.message)}</td><td>${h(f.clause ?? describeProvenance(f.anchor))}</td><td><code>${h(f.firstCase)}</code>${f.entry !== undefined ? ` frame #${f.entry}` : ""}</td><td>${f.cases.map((id) => `<code>${h(id)}</code>`).join(", ")}</td></tr>`,
  );
  return `<table class="findings"><thead><tr><th>finding</th><th>verdict</th><th>rule</th><th>what was seen</th><th>source</th><th>first seen</th><th>cases</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function metricTable(metrics: MetricSeries[]): string {
  if (metrics.length === 0) return "<p class=muted>no metrics</p>";
  const rows = metrics.map(
    (m) =>
      `<tr><td><code>${h(m.name)}</code></td><td>${h(m.series)}</td><td>${h(m.transport)}</td><td>${h(m.profile)}</td><td class="num">${m.rtt_ms}</td><td>${m.tls ? "on" : "off"}</td><td>${m.compression ? "on" : "off"}</td>${[m.n, m.p50, m.p90, m.p99, m.max].map((v) => `<td class="num">${Number.isFinite(v) ? Number(v).toFixed(Number.isInteger(v) ? 0 : 3) : "–"}</td>`).join("")}<td class="num">${m.errors}</td></tr>`,
  );
  return `<table><thead><tr><th>metric</th><th>series</th><th>transport</th><th>profile</th><th>rtt ms</th><th>TLS</th><th>compression</th><th>n</th><th>p50</th><th>p90</th><th>p99</th><th>max</th><th>errors</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

/** Renders the run as one HTML document. */
export function toHtml(run: RunResult): string {
  const areas = [...new Set(run.cases.map((c) => c.area))];
  const summary = Object.entries(run.counts)
    .map(([k, v]) => `<span class="v" style="background:${COLORS[k]}">${h(k)} ${v}</span>`)
    .join(" ");
  const failures = run.cases.filter(
    (c) =>
      c.verdict === "FAIL" ||
      c.verdict === "ERROR" ||
      c.verdict === "NON-STRICT" ||
      c.verdict === "RECOMMENDED",
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Hotline conformance report</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1f2328;background:#fff}
table{border-collapse:collapse;width:100%;margin:8px 0 20px}th,td{border:1px solid #d0d7de;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f6f8fa}.num{text-align:right}.v{color:#fff;border-radius:4px;padding:1px 6px;font-size:12px;white-space:nowrap}
.muted{color:#6e7781}.src{font-size:11px;color:#57606a}pre{background:#f6f8fa;padding:6px;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
.failure{border-left:4px solid #cf222e;padding-left:12px;margin:12px 0}figure{display:inline-block;margin:8px 16px 8px 0}
</style></head><body>
<h1>Hotline conformance report</h1>
<p>Spec ${h(run.version)} · ${run.held ? "held to all of Hotline" : "core: Open Responses MUSTs fail, SHOULDs are NON-STRICT, Hotline additions RECOMMENDED"} · target <code>${h(run.target.wsUrl)}</code> and <code>${h(run.target.httpUrl)}</code>${run.target.fleet ? ` · second instance <code>${h(run.target.fleet.wsUrl)}</code> and <code>${h(run.target.fleet.httpUrl)}</code>` : ""} · profile ${h(run.negotiated.profile)} (mode ${h(run.profileMode)}) · features ${h(run.negotiated.features.join(", ") || "none")} · ${run.strict ? "strict" : "not strict"} · ${(run.durationMs / 1000).toFixed(1)} s · ${h(run.startedAt)}</p>
<p id="summary">${summary} · exit status ${run.exitCode}</p>
<h2>Verdicts by area</h2>
${areas
  .map(
    (a) =>
      `<h3 id="area-${h(a)}">${h(a)}</h3><table class="verdicts"><thead><tr><th>case</th><th>title</th><th>requirements</th><th>level</th><th>verdict</th><th>ms</th><th>reason</th></tr></thead><tbody>${run.cases
        .filter((c) => c.area === a)
        .map(caseRow)
        .join("")}</tbody></table>`,
  )
  .join("\n")}
<h2 id="findings">Run-wide findings</h2>
<p class="muted">A defect seen in several cases that do not cite its rule, reported once (CONF-17); each case keeps its own verdict.</p>
${findingTable(run.findings)}
<h2>Failures</h2>
${failures.length ? failures.map(failureBlock).join("\n") : "<p>None.</p>"}
<h2>Latency</h2>
${histogram("Time to first token (ttft_ms)", samplesOf(run, "ttft_ms"), "ms")}
${histogram("Inter-event gaps (inter_event_gap_ms)", samplesOf(run, "inter_event_gap_ms"), "ms")}
<h2>Metrics</h2>
${metricTable(run.metrics)}
</body></html>
`;
}
