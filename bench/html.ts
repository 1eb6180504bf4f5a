/**
 * The self-contained HTML report (`--out DIR` → report.html): inline SVG charts (time to first
 * token per turn for each transport, the distribution of inter-event gaps, bytes and CPU per
 * token) and the tables, with no script and no external resource.
 */
import type { BenchReport, SeriesReport } from "./report.js";
import { renderTable } from "./table.js";

const COLORS: Record<string, string> = {
  "https-per-request": "#d62728",
  "https-keepalive": "#ff7f0e",
  wss: "#1f77b4",
  "wss-hotline": "#2ca02c",
  "wss-hotline-deflate": "#9467bd",
};

const esc = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const W = 640;
const H = 300;
const M = { left: 56, right: 150, top: 16, bottom: 40 };

function axes(xLabel: string, yLabel: string, yMax: number, ticks = 5): string {
  const ih = H - M.top - M.bottom;
  const parts = [
    `<line x1="${M.left}" y1="${H - M.bottom}" x2="${W - M.right}" y2="${H - M.bottom}" stroke="#333"/>`,
    `<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${H - M.bottom}" stroke="#333"/>`,
    `<text x="${(M.left + W - M.right) / 2}" y="${H - 6}" text-anchor="middle">${esc(xLabel)}</text>`,
    `<text x="14" y="${(M.top + H - M.bottom) / 2}" text-anchor="middle" transform="rotate(-90 14 ${(M.top + H - M.bottom) / 2})">${esc(yLabel)}</text>`,
  ];
  for (let i = 0; i <= ticks; i++) {
    const v = (yMax * i) / ticks;
    const y = H - M.bottom - (ih * i) / ticks;
    parts.push(
      `<line x1="${M.left - 4}" y1="${y}" x2="${W - M.right}" y2="${y}" stroke="#eee"/>`,
      `<text x="${M.left - 6}" y="${y + 4}" text-anchor="end">${v >= 100 ? v.toFixed(0) : v.toFixed(1)}</text>`,
    );
  }
  return parts.join("");
}

function legend(series: SeriesReport[]): string {
  return series
    .map(
      (s, i) =>
        `<rect x="${W - M.right + 10}" y="${M.top + i * 18}" width="12" height="12" fill="${COLORS[s.transport]}"/>` +
        `<text x="${W - M.right + 28}" y="${M.top + i * 18 + 10}">${esc(s.transport)}</text>`,
    )
    .join("");
}

function svg(body: string, title: string): string {
  return `<figure><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(title)}"><style>text{font:11px sans-serif;fill:#222}</style>${body}</svg><figcaption>${esc(title)}</figcaption></figure>`;
}

function ttftChart(series: SeriesReport[], rtt: number): string {
  const turns = Math.max(1, ...series.map((s) => s.per_turn.length));
  const yMax = niceMax(
    Math.max(1, ...series.flatMap((s) => s.per_turn.map((t) => t.ttft_ms.max ?? 0))),
  );
  const iw = W - M.left - M.right;
  const ih = H - M.top - M.bottom;
  const x = (turn: number) => M.left + (turns === 1 ? iw / 2 : ((turn - 1) * iw) / (turns - 1));
  const y = (v: number) => H - M.bottom - (ih * v) / yMax;
  const lines = series.map((s) => {
    const pts = s.per_turn.filter((t) => t.ttft_ms.median !== null);
    const band = pts
      .map(
        (t) =>
          `<line x1="${x(t.turn)}" y1="${y(t.ttft_ms.min!)}" x2="${x(t.turn)}" y2="${y(t.ttft_ms.max!)}" stroke="${COLORS[s.transport]}" stroke-opacity="0.4" stroke-width="3"/>`,
      )
      .join("");
    const path = pts
      .map((t) => `${x(t.turn).toFixed(1)},${y(t.ttft_ms.median!).toFixed(1)}`)
      .join(" ");
    return `${band}<polyline fill="none" stroke="${COLORS[s.transport]}" stroke-width="2" points="${path}"/>`;
  });
  const xt = Array.from({ length: turns }, (_, i) => i + 1)
    .filter((t) => turns <= 10 || t % 2 === 1)
    .map((t) => `<text x="${x(t)}" y="${H - M.bottom + 14}" text-anchor="middle">${t}</text>`)
    .join("");
  return svg(
    axes("turn", "ttft_ms", yMax) + xt + lines.join("") + legend(series),
    `Time to first token per turn, ${rtt} ms RTT (median of repetitions; bars: min–max)`,
  );
}

function gapChart(series: SeriesReport[], rtt: number): string {
  const bounds = series[0]?.gap_histogram.upper_bounds_ms ?? [];
  const buckets = bounds.length;
  const iw = W - M.left - M.right;
  const ih = H - M.top - M.bottom;
  const group = iw / Math.max(1, buckets);
  const bw = (group * 0.8) / Math.max(1, series.length);
  const fractions = series.map((s) => {
    const total = s.gap_histogram.counts.reduce((a, b) => a + b, 0) || 1;
    return s.gap_histogram.counts.map((c) => c / total);
  });
  const yMax = niceMax(Math.max(0.01, ...fractions.flat()));
  const bars = series.flatMap((s, si) =>
    fractions[si]!.map((f, bi) => {
      const h = (ih * f) / yMax;
      return `<rect x="${(M.left + bi * group + group * 0.1 + si * bw).toFixed(1)}" y="${(H - M.bottom - h).toFixed(1)}" width="${bw.toFixed(1)}" height="${h.toFixed(1)}" fill="${COLORS[s.transport]}"/>`;
    }),
  );
  const labels = bounds
    .map((b, i) => {
      const text = b >= 1e9 ? `>${bounds[i - 1]}` : `≤${b}`;
      return `<text x="${M.left + i * group + group / 2}" y="${H - M.bottom + 14}" text-anchor="middle">${text}</text>`;
    })
    .join("");
  return svg(
    axes("gap between output deltas (ms)", "share of gaps", yMax) +
      bars.join("") +
      labels +
      legend(series),
    `Distribution of inter_event_gap_ms, ${rtt} ms RTT (all turns and repetitions)`,
  );
}

function barChart(
  series: SeriesReport[],
  pick: (s: SeriesReport) => number | null,
  label: string,
  title: string,
): string {
  const values = series.map(pick);
  const xMax = niceMax(Math.max(1, ...values.map((v) => v ?? 0)));
  const iw = W - M.left - M.right;
  const rowH = Math.min(36, (H - M.top - M.bottom) / Math.max(1, series.length));
  const bars = series.map((s, i) => {
    const v = values[i] ?? 0;
    const w = (iw * v) / xMax;
    const yy = M.top + i * rowH;
    return (
      `<rect x="${M.left}" y="${yy + 4}" width="${w.toFixed(1)}" height="${rowH - 8}" fill="${COLORS[s.transport]}"/>` +
      `<text x="${M.left + w + 4}" y="${yy + rowH / 2 + 4}">${values[i] === null ? "n/a" : v.toFixed(1)}</text>`
    );
  });
  const axis = `<line x1="${M.left}" y1="${H - M.bottom}" x2="${W - M.right}" y2="${H - M.bottom}" stroke="#333"/><text x="${(M.left + W - M.right) / 2}" y="${H - 6}" text-anchor="middle">${esc(label)}</text>`;
  return svg(axis + bars.join("") + legend(series), title);
}

function niceMax(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/** Renders the whole report as one HTML document. */
export function renderHtml(report: BenchReport): string {
  const sections = report.runs.map((run) => {
    const ok = run.series.filter((s) => s.status === "ok");
    return `<section><h2>${run.rtt_ms} ms round trip${run.deployment.kind === "fleet" ? `, fleet of ${run.deployment.instances} behind nginx` : ""}</h2>
${ttftChart(ok, run.rtt_ms)}
${gapChart(ok, run.rtt_ms)}
${barChart(ok, (s) => s.spread.wire_bytes_per_token.median, "wire_bytes_per_token (whole run, median of repetitions)", `Server→client bytes per output token, ${run.rtt_ms} ms RTT`)}
${barChart(ok, (s) => s.spread.server_cpu_us_per_token.median, "server_cpu_us_per_token (whole run, median of repetitions)", `Server CPU per output token, ${run.rtt_ms} ms RTT`)}
</section>`;
  });
  const m = report.machine;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>hotline bench report</title>
<style>body{font:14px/1.45 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
pre{background:#f6f6f6;padding:1em;overflow-x:auto;font-size:12px}figure{margin:1.5em 0}figcaption{font-size:12px;color:#555}</style></head>
<body><h1>hotline bench</h1>
<p>${esc(report.generated_at)} · <code>${esc(report.command)}</code> · Node ${esc(m.node)} on ${esc(m.platform)}/${esc(m.arch)}, ${m.cpus} × ${esc(m.cpu)}, ${(m.memory_bytes / 2 ** 30).toFixed(1)} GiB</p>
<p>Workload: ${report.workload.turns} turns, seed ${report.workload.seed}, context to ~${report.workload.final_context_tokens_estimate} tokens, ${report.workload.output_tokens_per_turn} output tokens per turn, digest <code>${report.workload.digest.slice(0, 16)}…</code>.
Wire bytes: ${esc(report.config.wire_bytes_source)}. Server CPU: ${esc(report.config.server_cpu_source)}. ${esc(report.config.server_per_series)}.</p>
<pre>${esc(renderTable(report))}</pre>
${sections.join("\n")}
</body></html>
`;
}
