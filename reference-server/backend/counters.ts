/**
 * Backend counters, per tier and in total, for tests and the Prometheus `/metrics` endpoint.
 * Cumulative counters only grow; gauges (`activeSequences`, `queued`, `paused`) are sampled.
 */
import type { TierName } from "./tiers.js";

/** Counters of one tier (or the total over tiers). */
export interface TierCounters {
  /** Generations accepted (queued or started). */
  submitted: number;
  /** Generations refused before running (`server_overloaded`, `context_length_exceeded`). */
  rejected: number;
  /** Generations that completed (`stop` or `max_output_tokens`). */
  completed: number;
  /** Generations cancelled (including abandoned ones). */
  cancelled: number;
  /** Generations that failed after starting (`sim.error`). */
  failed: number;
  /** Output tokens emitted. */
  tokensGenerated: number;
  /** Input tokens prefilled (uncached part only). */
  prefillTokens: number;
  /** Input tokens served from the prefix cache. */
  cachedTokens: number;
  /** Simulated accelerator time: prefill work plus one decode interval per emitted token. */
  computeMsSpent: number;
  /** Gauge: generations holding a sequence slot (prefilling or decoding, paused included). */
  activeSequences: number;
  /** Gauge: generations waiting for a slot. */
  queued: number;
  /** Gauge: generations paused by backpressure. */
  paused: number;
}

/** All counters: per tier and summed. */
export interface BackendCounters {
  /** Sum over tiers. */
  total: TierCounters;
  /** Per tier. */
  tiers: Record<TierName, TierCounters>;
}

/** A zeroed counters record. */
export function emptyCounters(): TierCounters {
  return {
    submitted: 0,
    rejected: 0,
    completed: 0,
    cancelled: 0,
    failed: 0,
    tokensGenerated: 0,
    prefillTokens: 0,
    cachedTokens: 0,
    computeMsSpent: 0,
    activeSequences: 0,
    queued: 0,
    paused: 0,
  };
}

/** Field-by-field sum of counters records. */
export function sumCounters(records: readonly TierCounters[]): TierCounters {
  const total = emptyCounters();
  for (const record of records) {
    for (const key of Object.keys(total) as (keyof TierCounters)[]) total[key] += record[key];
  }
  return total;
}
