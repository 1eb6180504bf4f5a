/**
 * The engine: per-tier sequence slots and FIFO queues, prefill timing with the prefix cache,
 * and ONE deadline-driven decode loop for every stream.
 *
 * Each running generation has a deadline (end of prefill, then its next token). A single clock
 * timer is armed at the earliest deadline; when it fires, the loop emits every token that is
 * due for every stream (catching up if the process was late: the average rate stays exact)
 * and re-arms one timer. One timer per token cannot pace 1,000+ tok/s: Node timers have 1 ms
 * resolution, and 300k timers a second would swamp the event loop.
 *
 * Deltas go out on a deliberate cadence: a stream's next delta waits at least
 * `deltaIntervalMs` after its last one and then carries every token due by then, so a
 * stream at 1,200 tok/s sends a few tokens per message at an even gap instead of one message
 * per token when the loop keeps up and large ones only when it falls behind. The cost of a
 * stream is per message (a frame, a write, a syscall), so this sets the CPU per token.
 */
import type { CancelTimer, Clock } from "../../src/util/clock.js";
import { type BackendCounters, emptyCounters, sumCounters, type TierCounters } from "./counters.js";
import { Job, type JobControl, type JobSpec } from "./job.js";
import type { KvCache } from "./kv-cache.js";
import {
  burstsAt,
  prefillWorkMs,
  type TierConfig,
  type TierName,
  type TiersConfig,
} from "./tiers.js";
import type { CompletionReason, GenerationHandle, GenerationUsage } from "./types.js";
import { joinTokenIds } from "./token-ids.js";
import type { KnownEncoding } from "./tokenizer.js";

export type { JobSpec } from "./job.js";

/** The ids a job generated, when it generated any. */
function outputIds(job: Job): Int32Array | undefined {
  return job.spec.generate && job.generatedTokens > 0 ? job.spec.output.tokenIds : undefined;
}

/** What a completion tells of its text's encoding: the part of `ids` the output knows exactly. */
function encodedText(spec: JobSpec, ids: Int32Array | undefined): KnownEncoding | undefined {
  const known = spec.output.encodedText;
  if (ids === undefined || known === undefined || known.chars === 0) return undefined;
  return { chars: known.chars, ids: ids.subarray(0, known.tokens) };
}

/** Options of the scheduler. */
export interface SchedulerOptions {
  /** Time source. */
  clock: Clock;
  /** Tier figures. */
  tiers: TiersConfig;
  /** Shared prefix cache. */
  kvCache: KvCache;
  /** Deliver the tokens of one stream that fall due together as one delta (default true). */
  coalesce?: boolean;
  /** Least time between two deltas of one stream, ms (default 0: none; ignored without `coalesce`). */
  deltaIntervalMs?: number;
  /**
   * Called in a wake where some generation ended, once every stream's due delta was handed to
   * its sink and before any of the ends is: a server sends the wake's deltas here, so that no
   * stream's delta waits behind another response's end (its last events, its store and cache
   * writes). Without it the ends follow the deltas in the same synchronous turn all the same.
   */
  beforeEnds?: () => void;
}

/** The delta cadence the reference server runs at (`npm run bench:server -- --only=cadence`). */
export const DEFAULT_DELTA_INTERVAL_MS = 4;

interface TierState {
  config: TierConfig;
  /** A token's decode interval at the tier's two rates, ms (a double per token would be boxed). */
  readonly decodeMs: number;
  readonly burstMs: number;
  counters: TierCounters;
  running: number;
  queue: Job[];
}

/** Queues, admits, prefills and decodes generations on a shared clock. */
export class Scheduler implements JobControl {
  readonly #clock: Clock;
  readonly #kv: KvCache;
  readonly #coalesce: boolean;
  readonly #deltaIntervalMs: number;
  readonly #beforeEnds: (() => void) | undefined;
  readonly #tiers: Record<TierName, TierState>;
  /** Jobs holding a slot (prefill or decoding). Set iteration visits jobs added mid-loop. */
  readonly #running = new Set<Job>();
  #timerAt: number | undefined;
  /** Whether the armed timer was asked to be precise (a prefill's end: a first token). */
  #timerPrecise = false;
  #cancelTimer: CancelTimer | undefined;
  #inWake = false;
  /** Generations that ended in this wake, completed once every due delta is out. */
  readonly #ends: { job: Job; end: () => void }[] = [];
  /** The delta being gathered by {@link #step}; a sink never steps another job meanwhile. */
  readonly #delta: {
    kind: "text" | "arguments" | undefined;
    text: string;
    tokens: number;
    callId: string;
  } = { kind: undefined, text: "", tokens: 0, callId: "" };

  /** Creates an idle scheduler. */
  constructor(options: SchedulerOptions) {
    this.#clock = options.clock;
    this.#kv = options.kvCache;
    this.#coalesce = options.coalesce ?? true;
    // One token per delta (no coalescing) means no cadence either: the rate would drop.
    this.#deltaIntervalMs = this.#coalesce ? (options.deltaIntervalMs ?? 0) : 0;
    this.#beforeEnds = options.beforeEnds;
    const tier = (config: TierConfig): TierState => ({
      config,
      decodeMs: 1000 / config.decodeTokensPerSecond,
      burstMs: 1000 / config.burstTokensPerSecond,
      counters: emptyCounters(),
      running: 0,
      queue: [],
    });
    this.#tiers = { wafer: tier(options.tiers.wafer), gpu: tier(options.tiers.gpu) };
  }

  /**
   * Starts a generation, or queues it when the tier's slots are full; a full queue fails it with
   * `server_overloaded` (synchronously, through the sink). Returns its handle either way.
   */
  submit(spec: JobSpec): GenerationHandle {
    const job = new Job(spec, this);
    const tier = this.#tiers[spec.tier];
    if (tier.running < tier.config.maxConcurrentSequences) {
      tier.counters.submitted++;
      this.#admit(job, tier);
      this.#arm();
    } else if (tier.queue.length < tier.config.maxQueue) {
      tier.counters.submitted++;
      tier.queue.push(job);
      job.queuePosition = tier.queue.length;
      spec.sink.onQueued?.(job.queuePosition);
    } else {
      tier.counters.rejected++;
      job.state = "done";
      spec.sink.onError({
        code: "server_overloaded",
        message: `The ${spec.tier} tier is saturated and its queue (${tier.config.maxQueue}) is full.`,
        retryable: true,
        usage: this.#usage(job),
      });
    }
    return job;
  }

  /** Refuses a generation before scheduling it (e.g. the context window check), through its sink. */
  reject(spec: JobSpec, code: string, message: string): GenerationHandle {
    const job = new Job(spec, this);
    job.state = "done";
    this.#tiers[spec.tier].counters.rejected++;
    spec.sink.onError({ code, message, retryable: false, usage: this.#usage(job) });
    return job;
  }

  /** Cancels a generation at once (see {@link GenerationHandle.cancel}). */
  cancel(job: Job): void {
    if (job.state === "done") return;
    const now = this.#clock.now();
    if (job.state === "prefill")
      this.#chargePrefill(job, Math.min(job.prefillWorkMs, now - job.admittedAt));
    this.#tiers[job.tier].counters.cancelled++;
    this.#end(job);
    const { spec } = job;
    spec.sink.onComplete({
      reason: "cancelled",
      usage: this.#usage(job),
      encodedText: encodedText(spec, outputIds(job)),
    });
  }

  /** Cancels every queued and running generation (shutdown). */
  cancelAll(): void {
    for (const tier of Object.values(this.#tiers)) for (const job of [...tier.queue]) job.cancel();
    for (const job of [...this.#running]) job.cancel();
  }

  /** Pauses a generation's output (see {@link GenerationHandle.pause}). */
  pause(job: Job): void {
    if (job.state === "done" || job.paused) return;
    job.paused = true;
    job.pausedAt = this.#clock.now();
    this.#arm();
  }

  /** Resumes a paused generation, shifting its deadline by the time it was paused. */
  resume(job: Job): void {
    if (!job.paused) return;
    job.paused = false;
    if (job.state === "prefill" || job.state === "decoding") {
      job.dueAt += this.#clock.now() - job.pausedAt;
      this.#arm();
    }
  }

  /** Counters per tier and in total, with the gauges sampled now. */
  counters(): BackendCounters {
    const snapshot = (name: TierName): TierCounters => {
      const tier = this.#tiers[name];
      let paused = 0;
      for (const job of this.#running) if (job.tier === name && job.paused) paused++;
      for (const job of tier.queue) if (job.paused) paused++;
      return { ...tier.counters, activeSequences: tier.running, queued: tier.queue.length, paused };
    };
    const tiers = { wafer: snapshot("wafer"), gpu: snapshot("gpu") };
    return { total: sumCounters([tiers.wafer, tiers.gpu]), tiers };
  }

  /** Deadline the single scheduler timer is armed for, or undefined when idle. */
  get timerAt(): number | undefined {
    return this.#timerAt;
  }

  #admit(job: Job, tier: TierState): void {
    const { spec } = job;
    const now = this.#clock.now();
    tier.running++;
    this.#running.add(job);
    job.state = "prefill";
    job.queuePosition = undefined;
    job.admittedAt = now;
    if (job.paused) job.pausedAt = now;
    job.cachedTokens = this.#kv.lookup(spec.inputTokens);
    job.prefillWorkMs = prefillWorkMs(tier.config, spec.inputTokens.length, job.cachedTokens);
    const prefillMs = job.prefillWorkMs + tier.config.firstTokenFloorMs + spec.extraDelayMs;
    job.dueAt = now + prefillMs;
    tier.counters.cachedTokens += job.cachedTokens;
    spec.sink.onStart?.({
      tier: spec.tier,
      inputTokens: spec.inputTokens.length,
      cachedTokens: job.cachedTokens,
      prefillMs,
    });
  }

  readonly #wake = (): void => {
    this.#timerAt = undefined;
    this.#cancelTimer = undefined;
    this.#inWake = true;
    try {
      const now = this.#clock.now();
      for (const job of this.#running) {
        if (!job.paused && job.dueAt <= now && job.flushAt <= now) this.#step(job, now);
      }
      // Deltas first: every stream's are out before any response's end costs the loop its time
      // (when many end together, their ends took tens of ms before the others' deltas left).
      if (this.#ends.length > 0) {
        this.#beforeEnds?.();
        for (const { job, end } of this.#ends.splice(0)) {
          // A sink may have cancelled it meanwhile (its connection closed): that ended it.
          if (job.state !== "done") end();
        }
      }
    } finally {
      this.#inWake = false;
      this.#arm();
    }
  };

  // Runs one job up to `now`: finishes its prefill if due, then emits every due token. The
  // tokens of one delta are counted in `#delta` (one object per scheduler, not per step).
  #step(job: Job, now: number): void {
    const { spec } = job;
    const tier = this.#tiers[spec.tier];
    if (job.state === "prefill") {
      job.state = "decoding";
      this.#chargePrefill(job, job.prefillWorkMs);
      this.#kv.insert(spec.inputTokens, spec.conversationKey);
      if (!spec.generate) {
        this.#endAfterDeltas(job, () => this.#finish(job, "stop"));
        return;
      }
    }
    const delta = this.#delta;
    delta.kind = undefined;
    delta.text = "";
    delta.tokens = 0;
    delta.callId = "";
    const output = spec.output;
    while (job.dueAt <= now) {
      const failure = spec.injectedError;
      if (failure !== undefined && job.generatedTokens >= failure.afterTokens) {
        if (this.#flush(job, now)) this.#endAfterDeltas(job, () => this.#fail(job, failure.code));
        return;
      }
      // Text tokens take the source's per-token path (nothing allocated: the delta's text is
      // taken from the source once, in #flush); the rest its events.
      let kind: "text" | "arguments";
      let text = "";
      let callId: string | undefined;
      if (output.advanceText?.() === true) {
        kind = "text";
      } else {
        const event = output.next();
        if (event === undefined) {
          if (!this.#flush(job, now)) return;
          const reason = output.finishReason;
          this.#endAfterDeltas(job, () =>
            failure !== undefined ? this.#fail(job, failure.code) : this.#finish(job, reason),
          );
          return;
        }
        if (event.type === "function_call.start" || event.type === "function_call.done") {
          if (!this.#flush(job, now)) return;
          if (event.type === "function_call.start") spec.sink.onFunctionCallStart?.(event);
          else spec.sink.onFunctionCallDone?.(event);
          if (job.state === "done" || job.paused) return;
          continue;
        }
        kind = event.type === "text" ? "text" : "arguments";
        text = event.text;
        if (event.type === "function_call.arguments") callId = event.callId;
      }
      if (delta.kind !== kind && !this.#flush(job, now)) return;
      delta.kind = kind;
      if (callId !== undefined) delta.callId = callId;
      if (text !== "") delta.text += text;
      delta.tokens++;
      const bursts = burstsAt(tier.config, spec.seed, job.generatedTokens);
      const interval = bursts ? tier.burstMs : tier.decodeMs;
      job.generatedTokens++;
      job.dueAt += interval;
      tier.counters.tokensGenerated++;
      tier.counters.computeMsSpent += interval;
      if (!this.#coalesce && !this.#flush(job, now)) return;
    }
    this.#flush(job, now);
  }

  // Ends `job` once this wake has handed out every due delta (steps run only in a wake). If a
  // sink throws before the ends run, they stay queued and the next wake runs them.
  #endAfterDeltas(job: Job, end: () => void): void {
    this.#ends.push({ job, end });
  }

  // Hands the gathered delta to the sink; false when the job stopped or paused meanwhile.
  #flush(job: Job, now: number): boolean {
    const delta = this.#delta;
    if (delta.tokens === 0) return true;
    const { tokens, callId } = delta;
    let text = delta.text;
    delta.text = "";
    delta.tokens = 0;
    job.flushAt = now + this.#deltaIntervalMs;
    if (delta.kind === "text") {
      // A source with the per-token path never mixes it with text events (OutputSource).
      const advanced = job.spec.output.takeText?.();
      if (advanced !== undefined && advanced !== "") text = advanced;
      job.spec.sink.onText?.(text, tokens);
    } else job.spec.sink.onFunctionCallArguments?.(text, tokens, callId);
    return job.state !== "done" && !job.paused;
  }

  #chargePrefill(job: Job, ms: number): void {
    if (job.prefillCharged) return;
    job.prefillCharged = true;
    const counters = this.#tiers[job.tier].counters;
    counters.computeMsSpent += Math.max(0, ms);
    const total = job.spec.inputTokens.length - job.cachedTokens;
    const share = job.prefillWorkMs > 0 ? Math.min(1, Math.max(0, ms) / job.prefillWorkMs) : 1;
    counters.prefillTokens += Math.round(total * share);
  }

  #finish(job: Job, reason: Exclude<CompletionReason, "cancelled">): void {
    const { spec } = job;
    this.#tiers[spec.tier].counters.completed++;
    this.#end(job);
    const ids = outputIds(job);
    // The KV of generated tokens exists too: the next turn's context starts with input+output.
    if (ids !== undefined)
      this.#kv.insert(joinTokenIds(spec.inputTokens, [ids]), spec.conversationKey);
    spec.sink.onComplete({ reason, usage: this.#usage(job), encodedText: encodedText(spec, ids) });
  }

  #fail(job: Job, code: string): void {
    this.#tiers[job.tier].counters.failed++;
    this.#end(job);
    job.spec.sink.onError({
      code,
      message: `Simulated failure (${code}) after ${job.generatedTokens} output tokens.`,
      retryable: code === "server_error" || code === "server_overloaded",
      usage: this.#usage(job),
    });
  }

  // Releases the job's slot or queue entry, admits waiting work, re-arms the timer.
  #end(job: Job): void {
    const tier = this.#tiers[job.tier];
    const wasQueued = job.state === "queued";
    job.state = "done";
    job.paused = false;
    job.dueAt = Number.POSITIVE_INFINITY;
    if (wasQueued) {
      const i = tier.queue.indexOf(job);
      if (i >= 0) tier.queue.splice(i, 1);
      job.queuePosition = undefined;
      this.#renumber(tier, i);
    } else {
      tier.running--;
      this.#running.delete(job);
      this.#drain(tier);
    }
    this.#arm();
  }

  // Fills free slots from the head of the queue, then tells the rest where they now stand.
  #drain(tier: TierState): void {
    let admitted = 0;
    while (tier.running < tier.config.maxConcurrentSequences && tier.queue.length > 0) {
      const job = tier.queue.shift()!;
      admitted++;
      this.#admit(job, tier);
    }
    if (admitted > 0) this.#renumber(tier, 0);
  }

  #renumber(tier: TierState, from: number): void {
    const moved: Job[] = [];
    for (let i = Math.max(0, from); i < tier.queue.length; i++) {
      const job = tier.queue[i]!;
      if (job.queuePosition !== i + 1) {
        job.queuePosition = i + 1;
        moved.push(job);
      }
    }
    // Callbacks may cancel other queued jobs: re-read each position when notifying.
    for (const job of moved) {
      if (job.state === "queued" && job.queuePosition !== undefined) {
        job.spec.sink.onQueued?.(job.queuePosition);
      }
    }
  }

  #usage(job: Job): GenerationUsage {
    return {
      inputTokens: job.spec.inputTokens.length,
      cachedTokens: job.cachedTokens,
      outputTokens: job.generatedTokens,
    };
  }

  // Keeps exactly one timer armed, at the earliest time an unpaused running job may step: its
  // deadline, or its next delta slot when that is later. When that is a prefill's end (a first
  // token, which a person waits on) the timer is precise; tokens after it keep the cadence.
  #arm(): void {
    if (this.#inWake) return;
    let earliest = Number.POSITIVE_INFINITY;
    let precise = false;
    for (const job of this.#running) {
      if (job.paused) continue;
      const at = job.dueAt > job.flushAt ? job.dueAt : job.flushAt;
      if (at < earliest) {
        earliest = at;
        precise = job.state === "prefill";
      } else if (at === earliest && job.state === "prefill") precise = true;
    }
    if (earliest === this.#timerAt && precise === this.#timerPrecise) return;
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#timerAt = undefined;
    if (earliest === Number.POSITIVE_INFINITY) return;
    this.#timerAt = earliest;
    this.#timerPrecise = precise;
    this.#cancelTimer = this.#clock.setTimer(earliest, this.#wake, precise);
  }
}
