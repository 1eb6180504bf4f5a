/**
 * The normative metric names of spec/metrics-and-targets.md and the one way every report
 * summarises them (n, p50, p90, p99, max), so the bench, the conformance runner and the
 * server never disagree on what "p99" means.
 */

/** Every normative metric, with its unit and definition. */
export const METRICS = {
  connect_ms: {
    unit: "ms",
    definition: "start of TCP connect to WebSocket open (or request written, for HTTP)",
  },
  rtt_overhead_ms: {
    unit: "ms",
    definition:
      "request sent to the first server event of that request, connection set-up included when the transport needs one per request",
  },
  server_overhead_ms: {
    unit: "ms",
    definition:
      "at the server: the create arrived whole to its response.created, without lane queueing or prefill",
  },
  ttft_ms: { unit: "ms", definition: "request sent to the first output delta" },
  decode_ms_per_token: {
    unit: "ms",
    definition: "(last delta - first delta) / (output tokens - 1)",
  },
  inter_event_gap_ms: { unit: "ms", definition: "gaps between consecutive deltas of one response" },
  wire_bytes_per_token: {
    unit: "bytes",
    definition: "bytes on the wire, server to client, per output token",
  },
  server_cpu_us_per_token: { unit: "µs", definition: "server process CPU time per output token" },
  cancel_ack_ms: { unit: "ms", definition: "cancel sent to the response's terminal event" },
  deltas_after_cancel: {
    unit: "count",
    definition: "output deltas received after the cancel was sent",
  },
  resume_gap_ms: { unit: "ms", definition: "reconnect start to the first replayed event" },
} as const;

/** A normative metric name. */
export type MetricName = keyof typeof METRICS;

/** The summary every report gives of a distribution. */
export interface Summary {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/**
 * Exact nearest-rank percentile of an ascending-sorted list (the smallest value with at least
 * p% of the values at or below it); NaN for an empty list.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

/** Summarises samples as n, p50, p90, p99 and max. */
export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.length ? (sorted[sorted.length - 1] as number) : Number.NaN,
  };
}
