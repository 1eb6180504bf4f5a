/**
 * Turns raw samples into the bench report (bench/report.schema.json): one metric series per
 * normative metric with n, p50, p90, p99, max and errors (METRIC-2/4/5), per-turn medians with
 * min–max over repetitions, whole-run per-token costs, and the ratios L1–L3.
 */
import { cpus, totalmem } from "node:os";
import { METRICS, type MetricName, SPEC_VERSION, summarize } from "../src/protocol/index.js";
import type { RawResults, SeriesRun, TurnSample } from "./runner.js";
import { TRANSPORTS, type TransportLabels, type TransportName } from "./transports.js";

/** `{name, unit, n, p50, p90, p99, max, errors, labels}` (spec/metrics-and-targets.md). */
export interface MetricSeries {
  name: MetricName;
  unit: string;
  n: number;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
  errors: number;
  labels: TransportLabels & { rtt_ms: number; turns: "all" | "continuation" };
}

/** Median and range of one figure over the repetitions. */
export interface Spread {
  median: number | null;
  min: number | null;
  max: number | null;
}

/** One transport at one round trip. */
export interface SeriesReport {
  transport: TransportName;
  labels: TransportLabels;
  status: "ok" | "failed" | "skipped";
  reason: string | null;
  reps_ok: number;
  errors: number;
  metrics: MetricSeries[];
  /** Over repetitions: each repetition's p50 (latencies) or whole-run value (per-token costs). */
  spread: {
    connect_ms_p50: Spread;
    rtt_overhead_ms_p50: Spread;
    server_overhead_ms_p50: Spread;
    ttft_ms_p50: Spread;
    ttft_ms_continuation_p50: Spread;
    decode_ms_per_token_p50: Spread;
    inter_event_gap_ms_p99: Spread;
    wire_bytes_per_token: Spread;
    server_cpu_us_per_token: Spread;
    cached_tokens: Spread;
    /** Whole run: cached input tokens / input tokens. */
    prefix_cache_hit_rate: Spread;
    request_wire_bytes: Spread;
  };
  /** Measured turns each instance ran, over all repetitions (one entry for one server). */
  instance_turns: number[];
  per_turn: {
    turn: number;
    ttft_ms: Spread;
    rtt_overhead_ms: Spread;
    input_tokens: Spread;
    cached_tokens: Spread;
    wire_bytes_per_token: Spread;
    server_cpu_us_per_token: Spread;
  }[];
  /** Inter-event gaps, all turns and repetitions: counts per bucket (upper bounds in ms). */
  gap_histogram: { upper_bounds_ms: number[]; counts: number[] };
  repetitions: Omit<SeriesRun, "gaps">[];
}

/** A ratio target checked against the baseline. */
export interface RatioReport {
  id: "L1" | "L2-bytes" | "L2-cpu" | "L3";
  description: string;
  numerator: TransportName;
  denominator: TransportName;
  /** The spec's series for this target (hotline.v1), or the stand-in used while it is missing. */
  headline: boolean;
  value: number | null;
  /** Range of the ratio over repetitions paired by index. */
  min: number | null;
  max: number | null;
  target: number;
  goal: number;
  meets_target: boolean | null;
  meets_goal: boolean | null;
}

/** What the series of a run ran against. */
export interface DeploymentReport {
  kind: "single" | "fleet";
  instances: number;
  /** How requests reached the instances (null: straight to the one server). */
  balancer: string | null;
  /** The fleet's shared store (null: one server). */
  store: string | null;
}

/** The whole report. */
export interface BenchReport {
  tool: "hotline bench";
  version: string;
  spec_version: string;
  generated_at: string;
  command: string;
  machine: {
    node: string;
    platform: string;
    arch: string;
    cpu: string;
    cpus: number;
    memory_bytes: number;
  };
  config: {
    rtt_ms: number[];
    turns: number;
    reps: number;
    seed: number;
    transports: TransportName[];
    warmup_turns: number;
    tier: "wafer";
    max_output_tokens: number;
    tls: "TLSv1.3, self-signed ECDSA P-256 certificate made at run time";
    wire_bytes_source: string;
    server_cpu_source: string;
    server_per_series: string;
  };
  workload: {
    seed: number;
    digest: string;
    turns: number;
    new_item_tokens_per_turn: number[];
    final_context_tokens_estimate: number;
    output_tokens_per_turn: number;
  };
  runs: {
    rtt_ms: number;
    deployment: DeploymentReport;
    series: SeriesReport[];
    ratios: RatioReport[];
  }[];
  notes: string[];
}

const GAP_BOUNDS = [0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 20, 50, Number.POSITIVE_INFINITY];

function fin(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function spread(values: (number | null)[]): Spread {
  const v = values
    .filter((x): x is number => x !== null && Number.isFinite(x))
    .sort((a, b) => a - b);
  if (v.length === 0) return { median: null, min: null, max: null };
  return { median: summarize(v).p50, min: v[0]!, max: v[v.length - 1]! };
}

function p50(values: (number | null)[]): number | null {
  const v = values.filter((x): x is number => x !== null);
  return v.length ? summarize(v).p50 : null;
}

function series(
  name: MetricName,
  samples: number[],
  errors: number,
  labels: MetricSeries["labels"],
): MetricSeries {
  const s = summarize(samples);
  return {
    name,
    unit: METRICS[name].unit,
    n: s.n,
    p50: fin(s.p50),
    p90: fin(s.p90),
    p99: fin(s.p99),
    max: fin(s.max),
    errors,
    labels,
  };
}

function values(turns: TurnSample[], key: keyof TurnSample): number[] {
  return turns.map((t) => t[key]).filter((x): x is number => typeof x === "number");
}

function seriesReport(
  transport: TransportName,
  rttMs: number,
  instances: number,
  runs: SeriesRun[],
): SeriesReport {
  const labels = TRANSPORTS[transport];
  const ok = runs.filter((r) => r.status === "ok");
  const measured = runs.filter((r) => r.status !== "skipped");
  const turns = measured.flatMap((r) => r.turns);
  const failedTurns = turns.filter((t) => t.error !== null).length;
  const turnsPerRun = Math.max(0, ...runs.map((r) => r.turns.length));
  // A failed conversation stops; its missing turns count as errors too (METRIC-5).
  const missing = measured.reduce(
    (n, r) => n + (r.status === "failed" ? Math.max(0, turnsPerRun - r.turns.length) : 0),
    0,
  );
  const errors =
    failedTurns +
    missing +
    measured.filter((r) => r.status === "failed" && r.turns.length === 0).length;
  const good = turns.filter((t) => t.error === null);
  const continuation = good.filter((t) => t.turn >= 2);
  const all = { ...labels, rtt_ms: rttMs, turns: "all" as const };
  const connect = [
    ...measured.map((r) => r.setup.connect_ms).filter((x): x is number => x !== null),
    ...values(good, "connect_ms"),
  ];
  const gaps = measured.flatMap((r) => r.gaps.flat());
  const metrics: MetricSeries[] = [
    series("connect_ms", connect, errors, all),
    series("rtt_overhead_ms", values(good, "rtt_overhead_ms"), errors, all),
    series("rtt_overhead_ms", values(continuation, "rtt_overhead_ms"), errors, {
      ...all,
      turns: "continuation",
    }),
    series("server_overhead_ms", values(good, "server_overhead_ms"), errors, all),
    series("ttft_ms", values(good, "ttft_ms"), errors, all),
    series("ttft_ms", values(continuation, "ttft_ms"), errors, { ...all, turns: "continuation" }),
    series("decode_ms_per_token", values(good, "decode_ms_per_token"), errors, all),
    series("inter_event_gap_ms", gaps, errors, all),
    series("wire_bytes_per_token", values(good, "wire_bytes_per_token"), errors, all),
    series("server_cpu_us_per_token", values(good, "server_cpu_us_per_token"), errors, all),
  ];
  const counts = GAP_BOUNDS.map(() => 0);
  for (const g of gaps) counts[GAP_BOUNDS.findIndex((b) => g <= b)]!++;
  const perRun = (f: (r: SeriesRun) => number | null) => spread(ok.map(f));
  const turnCount = Math.max(0, ...ok.map((r) => r.turns.length));
  const per_turn = Array.from({ length: turnCount }, (_, i) => {
    const at = ok
      .map((r) => r.turns[i])
      .filter((t): t is TurnSample => t !== undefined && t.error === null);
    return {
      turn: i + 1,
      ttft_ms: spread(at.map((t) => t.ttft_ms)),
      rtt_overhead_ms: spread(at.map((t) => t.rtt_overhead_ms)),
      input_tokens: spread(at.map((t) => t.input_tokens)),
      cached_tokens: spread(at.map((t) => t.cached_tokens)),
      wire_bytes_per_token: spread(at.map((t) => t.wire_bytes_per_token)),
      server_cpu_us_per_token: spread(at.map((t) => t.server_cpu_us_per_token)),
    };
  });
  const status =
    ok.length > 0 ? "ok" : runs.every((r) => r.status === "skipped") ? "skipped" : "failed";
  return {
    transport,
    labels,
    status,
    reason: status === "ok" ? null : (runs.find((r) => r.reason)?.reason ?? null),
    reps_ok: ok.length,
    errors,
    metrics,
    spread: {
      connect_ms_p50: perRun((r) => p50([r.setup.connect_ms, ...r.turns.map((t) => t.connect_ms)])),
      rtt_overhead_ms_p50: perRun((r) => p50(r.turns.map((t) => t.rtt_overhead_ms))),
      server_overhead_ms_p50: perRun((r) => p50(r.turns.map((t) => t.server_overhead_ms))),
      ttft_ms_p50: perRun((r) => p50(r.turns.map((t) => t.ttft_ms))),
      ttft_ms_continuation_p50: perRun((r) =>
        p50(r.turns.filter((t) => t.turn >= 2).map((t) => t.ttft_ms)),
      ),
      decode_ms_per_token_p50: perRun((r) => p50(r.turns.map((t) => t.decode_ms_per_token))),
      inter_event_gap_ms_p99: perRun((r) => {
        const g = r.gaps.flat();
        return g.length ? summarize(g).p99 : null;
      }),
      wire_bytes_per_token: perRun((r) =>
        r.totals.output_tokens ? r.totals.wire_bytes / r.totals.output_tokens : null,
      ),
      server_cpu_us_per_token: perRun((r) =>
        r.totals.output_tokens ? r.totals.server_cpu_us / r.totals.output_tokens : null,
      ),
      cached_tokens: perRun((r) => r.totals.cached_tokens),
      prefix_cache_hit_rate: perRun((r) =>
        r.totals.input_tokens ? r.totals.cached_tokens / r.totals.input_tokens : null,
      ),
      request_wire_bytes: perRun((r) => r.totals.request_wire_bytes),
    },
    instance_turns: Array.from(
      { length: instances },
      (_, i) => turns.filter((t) => t.instance === i).length,
    ),
    per_turn,
    gap_histogram: {
      upper_bounds_ms: GAP_BOUNDS.map((b) => (Number.isFinite(b) ? b : 1e9)),
      counts,
    },
    repetitions: runs.map((r) => {
      const { gaps: _gaps, ...rest } = r;
      void _gaps;
      return rest;
    }),
  };
}

const TARGETS = {
  L1: {
    target: 0.2,
    goal: 0.1,
    description: "p50 rtt_overhead_ms, WebSocket / HTTPS new connection per request",
  },
  "L2-bytes": {
    target: 0.7,
    goal: 0.5,
    description: "wire_bytes_per_token (whole run), WebSocket / SSE per request",
  },
  "L2-cpu": {
    target: 0.7,
    goal: 0.5,
    description: "server_cpu_us_per_token (whole run), WebSocket / SSE per request",
  },
  L3: {
    target: 0.5,
    goal: 0.4,
    description: "p50 ttft_ms of continuation turns, WebSocket / stateless HTTPS with full history",
  },
} as const;

function ratios(series: SeriesReport[]): RatioReport[] {
  const base = series.find((s) => s.transport === "https-per-request" && s.status === "ok");
  if (!base) return [];
  const sockets = series.filter((s) => s.labels.binding === "wss" && s.status === "ok");
  const headline =
    sockets.find((s) => s.transport === "wss-hotline") ??
    sockets.find((s) => s.transport === "wss");
  const out: RatioReport[] = [];
  const pooled: Record<RatioReport["id"], (s: SeriesReport) => number | null> = {
    L1: (s) =>
      s.metrics.find((m) => m.name === "rtt_overhead_ms" && m.labels.turns === "all")?.p50 ?? null,
    "L2-bytes": (s) => s.spread.wire_bytes_per_token.median,
    "L2-cpu": (s) => s.spread.server_cpu_us_per_token.median,
    L3: (s) =>
      s.metrics.find((m) => m.name === "ttft_ms" && m.labels.turns === "continuation")?.p50 ?? null,
  };
  for (const s of sockets) {
    for (const id of Object.keys(TARGETS) as RatioReport["id"][]) {
      const t = TARGETS[id];
      const num = pooled[id](s);
      const den = pooled[id](base);
      const value = num !== null && den ? num / den : null;
      // Pair repetitions by index for the range (each repetition's figure over the baseline's).
      const reps = (x: SeriesReport) =>
        x.repetitions.filter((r) => r.status === "ok").map((r) => figureOf(id, r));
      const a = reps(s);
      const b = reps(base);
      const paired = a
        .slice(0, Math.min(a.length, b.length))
        .map((x, i) => (x !== null && b[i] ? x / b[i]! : null))
        .filter((x): x is number => x !== null);
      out.push({
        id,
        description: t.description,
        numerator: s.transport,
        denominator: "https-per-request",
        headline: s === headline,
        value,
        min: paired.length ? Math.min(...paired) : null,
        max: paired.length ? Math.max(...paired) : null,
        target: t.target,
        goal: t.goal,
        meets_target: value === null ? null : value <= t.target,
        meets_goal: value === null ? null : value <= t.goal,
      });
    }
  }
  return out;
}

function figureOf(id: RatioReport["id"], r: Omit<SeriesRun, "gaps">): number | null {
  switch (id) {
    case "L1":
      return p50(r.turns.map((t) => t.rtt_overhead_ms));
    case "L2-bytes":
      return r.totals.output_tokens ? r.totals.wire_bytes / r.totals.output_tokens : null;
    case "L2-cpu":
      return r.totals.output_tokens ? r.totals.server_cpu_us / r.totals.output_tokens : null;
    case "L3":
      return p50(r.turns.filter((t) => t.turn >= 2).map((t) => t.ttft_ms));
  }
}

function deploymentReport(d: { kind: "single" | "fleet"; instances: number }): DeploymentReport {
  if (d.kind === "single") return { kind: "single", instances: 1, balancer: null, store: null };
  return {
    kind: "fleet",
    instances: d.instances,
    balancer:
      "nginx on loopback: TLS 1.3 terminated there, round robin, keep-alive to the instances, WebSocket upgrade passed through, proxy_buffering off",
    store: "redis-server on loopback, fresh for every series",
  };
}

/** Builds the report of a run. */
export function buildReport(
  raw: RawResults,
  meta: { version: string; command: string },
): BenchReport {
  const o = raw.options;
  const w = raw.workload;
  const runs = raw.byRtt.map(({ rttMs, deployment, series }) => {
    const reports = [...series].map(([t, r]) => seriesReport(t, rttMs, deployment.instances, r));
    return {
      rtt_ms: rttMs,
      deployment: deploymentReport(deployment),
      series: reports,
      ratios: ratios(reports),
    };
  });
  const notes: string[] = [];
  for (const run of runs) {
    const where = `${run.rtt_ms} ms${run.deployment.kind === "fleet" ? `, fleet of ${run.deployment.instances}` : ""}`;
    for (const s of run.series) {
      if (s.status !== "ok") notes.push(`${where}: ${s.transport} ${s.status}: ${s.reason}`);
    }
    const head = run.ratios.find((r) => r.headline);
    if (head && head.numerator !== "wss-hotline") {
      notes.push(
        `${where}: the targets name hotline.v1; it did not run, so the headline ratios use the core WebSocket profile (wss).`,
      );
    }
  }
  if (runs.some((r) => r.deployment.kind === "fleet")) {
    notes.push(
      "fleet series: server CPU is the sum over the reference-server processes (nginx and redis-server CPU are in each repetition's fleet_cpu_us); wire bytes are counted between the client and nginx, as between the client and the one server",
    );
  }
  const cpu = cpus();
  return {
    tool: "hotline bench",
    version: meta.version,
    spec_version: SPEC_VERSION,
    generated_at: new Date().toISOString(),
    command: meta.command,
    machine: {
      node: process.version,
      platform: process.platform,
      arch: process.arch,
      cpu: cpu[0]?.model ?? "unknown",
      cpus: cpu.length,
      memory_bytes: totalmem(),
    },
    config: {
      rtt_ms: o.rttMs,
      turns: o.turns,
      reps: o.reps,
      seed: o.seed,
      transports: o.transports,
      warmup_turns: o.warmupTurns,
      tier: "wafer",
      max_output_tokens: w.maxOutputTokens,
      tls: "TLSv1.3, self-signed ECDSA P-256 certificate made at run time",
      wire_bytes_source:
        "the delay proxy: TCP payload bytes delivered server→client (TLS records, HTTP/SSE or WebSocket framing, after compression)",
      server_cpu_source:
        "process.cpuUsage() (user + system) of the reference server's own process, read over IPC at every turn boundary; the load generator and proxy run in another process",
      server_per_series:
        "every series (transport × repetition) runs against a fresh server process, so no series hits another's prefix cache; each starts with a warm-up conversation of unrelated content",
    },
    workload: {
      seed: w.seed,
      digest: w.digest,
      turns: w.turns.length,
      new_item_tokens_per_turn: w.turns.map((t) => t.tokens),
      final_context_tokens_estimate: w.finalContextTokens,
      output_tokens_per_turn: w.maxOutputTokens,
    },
    runs,
    notes,
  };
}
