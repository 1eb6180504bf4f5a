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
    const d = run.deployment;
    out.push(
      `RTT ${run.rtt_ms} ms · ${d.kind === "fleet" ? `fleet of ${d.instances} behind nginx` : "one server"} · ${c.turns} turns × ${c.reps} reps · ${c.tier} tier · TLS 1.3 · ` +
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
        "cache hit",
        "req bytes",
        "errors",
      ],
    ];
    for (const s of run.series) {
      if (s.status !== "ok") {
        // The reason is printed as a note below the tables; keep the columns narrow.
        const cells = ["", "", "", "", "", "", "", "", "", "", ""];
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
        range(sp.prefix_cache_hit_rate, 2),
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
  const compare = fleetComparison(report);
  if (compare) out.push(compare, "");
  for (const note of report.notes) out.push(`note: ${note}`);
  return out.join("\n");
}

/**
 * Fleet beside one server, per round trip and transport: the headline medians, which instance
 * ran how many measured turns, and each deployment's own ratios against its own baseline.
 */
function fleetComparison(report: BenchReport): string | undefined {
  const out: string[] = [];
  for (const fleet of report.runs.filter((r) => r.deployment.kind === "fleet")) {
    const single = report.runs.find(
      (r) => r.deployment.kind === "single" && r.rtt_ms === fleet.rtt_ms,
    );
    if (!single) continue;
    out.push(
      `RTT ${fleet.rtt_ms} ms · fleet of ${fleet.deployment.instances} vs one server (one / fleet)`,
    );
    const rows: string[][] = [
      [
        "transport",
        "rtt_overhead_ms",
        "server ms",
        "ttft_ms turns 2+",
        "cache hit",
        "L1",
        "L2-cpu",
        "L3",
        "turns per instance",
      ],
    ];
    const ratio = (run: typeof fleet, id: string, transport: string) =>
      run.ratios.find((r) => r.id === id && r.numerator === transport)?.value ?? null;
    for (const f of fleet.series) {
      const s = single.series.find((x) => x.transport === f.transport);
      const pair = (pick: (x: typeof f) => number | null, digits: number) =>
        `${s && s.status === "ok" ? num(pick(s), digits) : "–"} / ${f.status === "ok" ? num(pick(f), digits) : f.status.toUpperCase()}`;
      rows.push([
        f.transport,
        pair((x) => x.spread.rtt_overhead_ms_p50.median, 1),
        pair((x) => x.spread.server_overhead_ms_p50.median, 3),
        pair((x) => x.spread.ttft_ms_continuation_p50.median, 1),
        pair((x) => x.spread.prefix_cache_hit_rate.median, 2),
        `${num(ratio(single, "L1", f.transport), 3)} / ${num(ratio(fleet, "L1", f.transport), 3)}`,
        `${num(ratio(single, "L2-cpu", f.transport), 3)} / ${num(ratio(fleet, "L2-cpu", f.transport), 3)}`,
        `${num(ratio(single, "L3", f.transport), 3)} / ${num(ratio(fleet, "L3", f.transport), 3)}`,
        f.instance_turns.join(" + "),
      ]);
    }
    out.push(pad(rows), "L1-L3: each deployment's WebSocket series over its own https-per-request");
  }
  return out.length ? out.join("\n") : undefined;
}
