/**
 * The `Backend` facade the responses service talks to: validates and routes a request, reads
 * its `sim.*` hints, builds its deterministic output and hands it to the scheduler.
 */
import { DEFAULT_CONTEXT_WINDOW_TOKENS } from "../../src/protocol/index.js";
import { type Clock, RealClock } from "../../src/util/clock.js";
import type { BackendCounters } from "./counters.js";
import { createOutput } from "./generator.js";
import { parseHints } from "./hints.js";
import { KvCache, type KvCacheOptions, type KvCacheStats } from "./kv-cache.js";
import { DEFAULT_DELTA_INTERVAL_MS, type JobSpec, Scheduler } from "./scheduler.js";
import {
  resolveTiersConfig,
  routeTier,
  type TierName,
  type TiersConfig,
  type TiersOverrides,
} from "./tiers.js";
import type { GenerationHandle, GenerationRequest, GenerationSink } from "./types.js";
import type { TokenIds } from "./token-ids.js";

/** Options of a {@link Backend}. */
export interface BackendOptions {
  /** Time source (default: a new `RealClock`). Tests pass a `VirtualClock`. */
  clock?: Clock;
  /** Tier overrides, merged onto the defaults. */
  tiers?: TiersOverrides;
  /** Context window in tokens (default `DEFAULT_CONTEXT_WINDOW_TOKENS`); longer inputs fail with `context_length_exceeded`. */
  contextWindowTokens?: number;
  /** Prefix cache size and block size. */
  kvCache?: KvCacheOptions;
  /** Range of output lengths when neither `sim.output_tokens` nor a limit decides (48..320). */
  naturalOutputTokens?: { min: number; max: number };
  /** Deliver tokens of one stream falling due together as one delta (default true). */
  coalesceDeltas?: boolean;
  /**
   * The delta cadence: a stream's deltas go out at most every this many ms, each with every
   * token due by then (default {@link DEFAULT_DELTA_INTERVAL_MS}; 0: as soon as a token is due).
   */
  deltaIntervalMs?: number;
  /**
   * Called in a scheduler wake where a generation ended, after every stream's due delta was
   * handed out and before the ends are: the server sends the wake's deltas there (the
   * scheduler's `beforeEnds`).
   */
  beforeEnds?: () => void;
}

/** Everything observable about the backend at one moment. */
export interface BackendStats {
  /** Generation counters, per tier and total. */
  counters: BackendCounters;
  /** Prefix cache counters and size. */
  kvCache: KvCacheStats;
}

/** The simulated wafer-scale inference engine. */
export class Backend {
  /** The clock everything is paced by. */
  readonly clock: Clock;
  /** Resolved tier figures. */
  readonly tiers: TiersConfig;
  /** Context window in tokens. */
  readonly contextWindowTokens: number;
  /** The shared prefix cache. */
  readonly kvCache: KvCache;
  readonly #scheduler: Scheduler;
  readonly #natural: { min: number; max: number } | undefined;

  /** Creates a backend; see {@link BackendOptions}. */
  constructor(options: BackendOptions = {}) {
    this.clock = options.clock ?? new RealClock();
    this.tiers = resolveTiersConfig(options.tiers);
    this.contextWindowTokens = options.contextWindowTokens ?? DEFAULT_CONTEXT_WINDOW_TOKENS;
    this.kvCache = new KvCache(options.kvCache);
    this.#natural = options.naturalOutputTokens;
    this.#scheduler = new Scheduler({
      clock: this.clock,
      tiers: this.tiers,
      kvCache: this.kvCache,
      coalesce: options.coalesceDeltas ?? true,
      deltaIntervalMs: options.deltaIntervalMs ?? DEFAULT_DELTA_INTERVAL_MS,
      ...(options.beforeEnds ? { beforeEnds: options.beforeEnds } : {}),
    });
  }

  /**
   * Submits a generation. Its events go to `sink`; some may arrive before this returns (an
   * immediate error, `onQueued`, `onStart`). Errors: `context_length_exceeded` (input longer
   * than the window), `server_overloaded` (tier saturated and its queue full), `sim.error`.
   */
  submit(request: GenerationRequest, sink: GenerationSink): GenerationHandle {
    const tier = this.routeTier(request);
    const inputLength = request.inputTokens.length;
    const room = this.contextWindowTokens - inputLength;
    const hints = parseHints(request.metadata);
    const seed = request.seed ?? 0;
    const limit = request.maxOutputTokens ?? Number.POSITIVE_INFINITY;
    const spec: JobSpec = {
      tier,
      inputTokens: request.inputTokens,
      conversationKey: request.conversationKey,
      generate: request.generate ?? true,
      seed,
      output: createOutput({
        seed,
        inputTokens: request.inputTokens,
        maxOutputTokens: Math.max(0, Math.floor(Math.min(limit, room))),
        exactOutputTokens: hints.outputTokens,
        naturalTokens: this.#natural,
        tools: request.tools,
        toolChoice: request.toolChoice,
        answersToolOutput: request.answersToolOutput,
        prompt: request.prompt,
        parallelToolCalls: request.parallelToolCalls,
        maxToolCalls: request.maxToolCalls,
        forceToolCall: hints.forceToolCall,
      }),
      extraDelayMs: hints.delayMs ?? 0,
      injectedError: hints.error,
      sink,
    };
    if (room < 0) {
      const message =
        `The input is ${inputLength} tokens; the context window is ` +
        `${this.contextWindowTokens} tokens.`;
      return this.#scheduler.reject(spec, "context_length_exceeded", message);
    }
    return this.#scheduler.submit(spec);
  }

  /**
   * Keeps `tokens` in the prefix cache under a conversation: the caller's rendering of the
   * context a continuation will start with (the backend's own copy of a finished turn holds
   * the generated token ids, which a re-rendered transcript does not reproduce exactly).
   */
  retainPrefix(tokens: TokenIds, conversationKey: string): void {
    this.kvCache.insert(tokens, conversationKey);
  }

  /** The tier a request runs on (explicit tier, or the `auto` rule). */
  routeTier(request: Pick<GenerationRequest, "tier" | "inputTokens" | "background">): TierName {
    return routeTier(
      request.tier,
      { inputTokens: request.inputTokens.length, background: request.background },
      this.tiers.auto,
    );
  }

  /** Generation counters (per tier and total) with gauges sampled now. */
  counters(): BackendCounters {
    return this.#scheduler.counters();
  }

  /** Counters plus prefix-cache statistics. */
  stats(): BackendStats {
    return { counters: this.counters(), kvCache: this.kvCache.stats() };
  }

  /** Cancels every queued and running generation (each sink gets its `cancelled` completion). */
  close(): void {
    this.#scheduler.cancelAll();
  }
}
