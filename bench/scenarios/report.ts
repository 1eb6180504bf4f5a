/**
 * What every fault scenario reports: errors, lost and duplicated events, RSS over time, p99
 * time to first token over time, and compute spent on abandoned responses (backend counters),
 * plus the scenario's pass/fail checks against the issue's bounds.
 */
import type { TierCounters } from "../../reference-server/index.js";
import type { CheckingClient } from "../../src/testing/index.js";
import type { ScenarioServer, ServerStats } from "./server-child.js";

/** One check against a bound. */
export interface ScenarioCheck {
  name: string;
  value: number;
  bound: string;
  ok: boolean;
}

/** The JSON report of one scenario run. */
export interface ScenarioReport {
  scenario: string;
  command: string;
  started_at: string;
  duration_s: number;
  params: Record<string, number | string>;
  passed: boolean;
  checks: ScenarioCheck[];
  errors: number;
  error_codes: Record<string, number>;
  lost_events: number;
  duplicated_events: number;
  responses: {
    started: number;
    by_status: Record<string, number>;
    refused: Record<string, number>;
    resumes: number;
  };
  /**
   * Server memory (after a full GC when `rss_after_gc`), with the responses finished by then
   * (per-response growth).
   */
  rss_after_gc: boolean;
  rss_mib: {
    t_s: number;
    rss_mib: number;
    heap_mib: number;
    sessions: number;
    in_flight: number;
    finished: number;
  }[];
  ttft_p99_ms: { t_s: number; p99_ms: number; n: number }[];
  abandoned: {
    tokens_generated: number;
    tokens_delivered_completed: number;
    tokens_abandoned: number;
    generations_cancelled: number;
    compute_ms_spent_total: number;
    compute_ms_spent_abandoned_est: number;
  };
  backend: TierCounters;
  extra: Record<string, number>;
}

/** Collects samples during a run. */
export class ScenarioRecorder {
  readonly startedAt = performance.now();
  readonly #server: ScenarioServer;
  readonly #windowMs: number;
  readonly #ttft: { t: number; ms: number }[] = [];
  readonly rss: ScenarioReport["rss_mib"] = [];
  readonly refused: Record<string, number> = {};
  readonly byStatus: Record<string, number> = {};
  readonly errorCodes: Record<string, number> = {};
  readonly extra: Record<string, number> = {};
  started = 0;
  deliveredCompletedTokens = 0;
  #timer: NodeJS.Timeout | undefined;
  #baseline: TierCounters | undefined;
  readonly #log: ((line: string) => void) | undefined;
  readonly #gc: boolean;
  #loggedAt = Number.NEGATIVE_INFINITY;
  last: ServerStats | undefined;

  /**
   * @param windowMs width of the p99 time-to-first-token windows in the report
   * @param log where a progress line goes, at most every 10 s of sampling
   * @param gc whether each sample collects garbage in the server first (exact retained
   *   memory, but a pause of the server each time: latency scenarios pass false)
   */
  constructor(
    server: ScenarioServer,
    windowMs: number,
    log?: (line: string) => void,
    { gc = true }: { gc?: boolean } = {},
  ) {
    this.#server = server;
    this.#windowMs = windowMs;
    this.#log = log;
    this.#gc = gc;
  }

  /** Seconds since the start. */
  now(): number {
    return (performance.now() - this.startedAt) / 1000;
  }

  /** Starts sampling the server every `sampleMs`. */
  async start(sampleMs: number): Promise<void> {
    const first = await this.sample();
    this.#baseline = first.counters;
    this.#timer = setInterval(() => void this.sample().catch(() => {}), sampleMs);
  }

  /** One sample of the server's memory. */
  async sample(): Promise<ServerStats> {
    const stats = await this.#server.stats({ gc: this.#gc });
    this.last = stats;
    this.rss.push({
      t_s: round(this.now(), 1),
      rss_mib: round(stats.rss / 2 ** 20, 1),
      heap_mib: round(stats.heapUsed / 2 ** 20, 1),
      sessions: stats.sessions,
      in_flight: stats.inFlight,
      finished: Object.values(this.byStatus).reduce((a, b) => a + b, 0),
    });
    if (this.#log && this.now() - this.#loggedAt >= 10) {
      this.#loggedAt = this.now();
      const s = this.rss.at(-1)!;
      const refused = Object.values(this.refused).reduce((a, b) => a + b, 0);
      const { p99, n } = this.ttftP99(this.now() - 10);
      this.#log(
        `  ${s.t_s.toFixed(0)} s: RSS ${s.rss_mib} MiB, heap ${s.heap_mib} MiB, ` +
          `${s.sessions} sessions, ${s.in_flight} in flight, ${s.finished} finished, ` +
          `${refused} refused, p99 TTFT ${n > 0 ? `${p99.toFixed(1)} ms` : "-"} (last 10 s)`,
      );
    }
    return stats;
  }

  /** Stops sampling. */
  stop(): void {
    clearInterval(this.#timer);
  }

  /** A response's time to first token. */
  ttft(ms: number): void {
    this.#ttft.push({ t: performance.now(), ms });
  }

  /** p99 of every TTFT recorded since `fromS` seconds. */
  ttftP99(fromS = 0, toS = Number.POSITIVE_INFINITY): { p99: number; n: number } {
    const values = this.#ttft
      .filter((s) => {
        const t = (s.t - this.startedAt) / 1000;
        return t >= fromS && t < toS;
      })
      .map((s) => s.ms);
    return { p99: percentile(values, 0.99), n: values.length };
  }

  /** Counts a finished response of a client. */
  finished(status: string, outputTokens: number): void {
    this.byStatus[status] = (this.byStatus[status] ?? 0) + 1;
    if (status === "completed") this.deliveredCompletedTokens += outputTokens;
  }

  /** Counts a refused create. */
  refuse(code: string): void {
    this.refused[code] = (this.refused[code] ?? 0) + 1;
  }

  /** Builds the report (after a last sample). */
  async report(options: {
    scenario: string;
    command: string;
    params: Record<string, number | string>;
    clients: readonly CheckingClient[];
    decodeTokensPerSecond: number;
    checks: (partial: Omit<ScenarioReport, "checks" | "passed">) => ScenarioCheck[];
  }): Promise<ScenarioReport> {
    this.stop();
    const stats = await this.sample();
    const base = this.#baseline ?? stats.counters;
    const counters = Object.fromEntries(
      Object.entries(stats.counters).map(([k, v]) => [k, v - (base[k as keyof TierCounters] ?? 0)]),
    ) as unknown as TierCounters;
    let lost = 0;
    let duplicated = 0;
    let resumes = 0;
    for (const client of options.clients) {
      lost += client.stats.lost;
      duplicated += client.stats.duplicated;
      resumes += client.stats.resumes;
      for (const code of client.stats.errors) {
        this.errorCodes[code] = (this.errorCodes[code] ?? 0) + 1;
      }
    }
    const windows: ScenarioReport["ttft_p99_ms"] = [];
    const total = this.now();
    for (let from = 0; from < total; from += this.#windowMs / 1000) {
      const { p99, n } = this.ttftP99(from, from + this.#windowMs / 1000);
      if (n > 0)
        windows.push({ t_s: round(from + this.#windowMs / 1000, 1), p99_ms: round(p99, 1), n });
    }
    const abandonedTokens = Math.max(0, counters.tokensGenerated - this.deliveredCompletedTokens);
    const partial: Omit<ScenarioReport, "checks" | "passed"> = {
      scenario: options.scenario,
      command: options.command,
      started_at: new Date(Date.now() - total * 1000).toISOString(),
      duration_s: round(total, 1),
      params: options.params,
      errors: Object.values(this.errorCodes).reduce((a, b) => a + b, 0),
      error_codes: this.errorCodes,
      lost_events: lost,
      duplicated_events: duplicated,
      responses: {
        started: this.started,
        by_status: this.byStatus,
        refused: this.refused,
        resumes,
      },
      rss_after_gc: this.#gc,
      rss_mib: this.rss,
      ttft_p99_ms: windows,
      abandoned: {
        tokens_generated: counters.tokensGenerated,
        tokens_delivered_completed: this.deliveredCompletedTokens,
        tokens_abandoned: abandonedTokens,
        generations_cancelled: counters.cancelled,
        compute_ms_spent_total: round(counters.computeMsSpent, 1),
        compute_ms_spent_abandoned_est: round(
          (abandonedTokens * 1000) / options.decodeTokensPerSecond,
          1,
        ),
      },
      backend: counters,
      extra: this.extra,
    };
    const checks = options.checks(partial);
    return { ...partial, checks, passed: checks.every((c) => c.ok) };
  }
}

/** The q-quantile (nearest rank) of `values`; NaN when empty. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

/** Rounds to `digits` decimals. */
export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** A check helper. */
export function check(name: string, value: number, bound: string, ok: boolean): ScenarioCheck {
  return { name, value: round(value, 2), bound, ok };
}

/** A short human summary of a report. */
export function formatReport(report: ScenarioReport): string {
  const lines = [
    `scenario ${report.scenario}: ${report.passed ? "PASS" : "FAIL"} (${report.duration_s} s)`,
    `  responses started ${report.responses.started}, by status ${JSON.stringify(report.responses.by_status)}, refused ${JSON.stringify(report.responses.refused)}, resumes ${report.responses.resumes}`,
    `  errors ${report.errors} ${JSON.stringify(report.error_codes)}, lost events ${report.lost_events}, duplicated events ${report.duplicated_events}`,
    `  RSS MiB${report.rss_after_gc ? " (after a full GC)" : ""}: ${report.rss_mib.map((s) => s.rss_mib).join(" ")}`,
    `  heap MiB: ${report.rss_mib.map((s) => s.heap_mib).join(" ")}`,
    `  p99 TTFT ms per window: ${report.ttft_p99_ms.map((w) => w.p99_ms).join(" ")}`,
    `  abandoned: ${report.abandoned.tokens_abandoned} of ${report.abandoned.tokens_generated} tokens generated (~${report.abandoned.compute_ms_spent_abandoned_est} ms of decode), ${report.abandoned.generations_cancelled} generations cancelled`,
  ];
  if (Object.keys(report.extra).length > 0) lines.push(`  ${JSON.stringify(report.extra)}`);
  for (const c of report.checks) {
    lines.push(`  ${c.ok ? "ok  " : "FAIL"} ${c.name} = ${c.value} (${c.bound})`);
  }
  return lines.join("\n");
}
