/**
 * The plain-text summary `hotline bench` prints on stdout: one table per round trip (medians
 * over repetitions with min–max) and the ratios against the published targets.
 */
import type { BenchReport, Spread } from "./report.js";

function num(x: number | null, digits: number): string {
  return x === null ? "–" : x.toFixed(digits);
}

function range(s: Spread, digits: number): string {
  if (s.median === null) return "–";
  if (s.min === s.max) return num(s.median, digits);
  return `${num(s.median, digits)} (${num(s.min, digits)}–${num(s.max, digits)})`;
}

function pad(cells: string[][]): string {
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  return cells
    .map((row) =>
      row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  "),
    )
    .join("\n");
}

/** Renders the report as text tables. */
export function renderTable(report: BenchReport): string {
  const out: string[] = [];
  const c = report.config;
  for (const run of report.runs) {
    out.push(
      `RTT ${run.rtt_ms} ms · ${c.turns} turns × ${c.reps} reps · ${c.tier} tier · TLS 1.3 · ` +
        `context to ~${Math.round(report.workload.final_context_tokens_estimate / 1000)}k tokens · ` +
        `median of repetitions (min–max)`,
    );
    const rows: string[][] = [
      [
        "transport",
        "connect_ms",
        "rtt_overhead_ms",
        "server ms",
        "ttft_ms",
        "ttft_ms turns 2+",
        "decode ms/tok",
        "gap p99 ms",
        "wire B/tok",
        "cpu µs/tok",
        "cached tok",
        "req bytes",
        "errors",
      ],
    ];
    for (const s of run.series) {
      if (s.status !== "ok") {
        // The reason is printed as a note below the tables; keep the columns narrow.
        const cells = ["", "", "", "", "", "", "", "", "", ""];
        rows.push([s.transport, s.status.toUpperCase(), ...cells, String(s.errors)]);
        continue;
      }
      const sp = s.spread;
      rows.push([
        s.transport,
        range(sp.connect_ms_p50, 1),
        range(sp.rtt_overhead_ms_p50, 1),
        range(sp.server_overhead_ms_p50, 3),
        range(sp.ttft_ms_p50, 1),
        range(sp.ttft_ms_continuation_p50, 1),
        range(sp.decode_ms_per_token_p50, 3),
        range(sp.inter_event_gap_ms_p99, 2),
        range(sp.wire_bytes_per_token, 1),
        range(sp.server_cpu_us_per_token, 1),
        num(sp.cached_tokens.median, 0),
        num(sp.request_wire_bytes.median, 0),
        String(s.errors),
      ]);
    }
    out.push(pad(rows), "");
    if (run.ratios.length > 0) {
      const ratioRows: string[][] = [
        ["ratio vs https-per-request", "transport", "value (min–max)", "target", "goal", "verdict"],
      ];
      for (const r of run.ratios) {
        ratioRows.push([
          `${r.id}${r.headline ? " *" : ""}`,
          r.numerator,
          r.value === null ? "–" : `${r.value.toFixed(3)} (${num(r.min, 3)}–${num(r.max, 3)})`,
          `≤ ${r.target}`,
          `≤ ${r.goal}`,
          r.meets_goal
            ? "goal met"
            : r.meets_target
              ? "target met"
              : r.value === null
                ? "n/a"
                : "MISSED",
        ]);
      }
      out.push(pad(ratioRows), "* headline series (hotline.v1 when available)", "");
    }
  }
  for (const note of report.notes) out.push(`note: ${note}`);
  return out.join("\n");
}
