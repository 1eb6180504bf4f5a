import { unitHash } from "./random.js";

/**
 * Serving tiers: the hardware figures the simulator paces requests by, and the `auto` routing
 * rule. Defaults follow spec/backend-simulation.md ("Model and default figures"); every value
 * can be overridden per backend.
 */

/** A concrete serving tier. */
export type TierName = "wafer" | "gpu";

/** What a request may ask for: a concrete tier or `auto` routing. */
export type TierPreference = TierName | "auto";

/** How a tier's decode speed varies between its steady and burst rates. */
export type BurstMode =
  /** Every token at `decodeTokensPerSecond`. */
  | "off"
  /** Every token at `burstTokensPerSecond`. */
  | "always"
  /** Runs of `burstRunTokens` tokens; a seeded `burstFraction` of the runs go at the burst rate
   * (speculative decoding accepting a whole draft). */
  | "speculative";

/** Figures of one tier; all rates are per sequence (stream), in tokens per second. */
export interface TierConfig {
  /** Steady decode rate of one stream. */
  decodeTokensPerSecond: number;
  /** Decode rate while bursting (see `burstMode`). */
  burstTokensPerSecond: number;
  /** Whether and how streams burst. */
  burstMode: BurstMode;
  /** Share of runs decoded at the burst rate in `speculative` mode, 0..1. */
  burstFraction: number;
  /** Length of one speculative run in tokens. */
  burstRunTokens: number;
  /** Prefill rate: uncached input tokens processed per second. */
  prefillTokensPerSecond: number;
  /** Fixed time added to every prefill (scheduling, first forward pass). */
  firstTokenFloorMs: number;
  /** Sequences decoding (or prefilling) at once; more requests wait in the queue. */
  maxConcurrentSequences: number;
  /** Requests allowed to wait; one more is refused with `server_overloaded`. */
  maxQueue: number;
}

/** The `auto` routing rule. */
export interface AutoRoutingConfig {
  /** Requests with more input tokens than this go to `gpu` (long context is throughput work). */
  longInputTokens: number;
}

/** Configuration of every tier plus routing. */
export interface TiersConfig {
  /** The wafer-scale tier: fast decode, few sequences. */
  wafer: TierConfig;
  /** The GPU tier: slower decode, many sequences. */
  gpu: TierConfig;
  /** How `auto` picks a tier. */
  auto: AutoRoutingConfig;
}

/** A partial override of {@link TiersConfig}, merged field by field onto the defaults. */
export interface TiersOverrides {
  /** Overrides for the wafer tier. */
  wafer?: Partial<TierConfig>;
  /** Overrides for the gpu tier. */
  gpu?: Partial<TierConfig>;
  /** Overrides for the routing rule. */
  auto?: Partial<AutoRoutingConfig>;
}

/** Default wafer tier: ~1,200 tok/s per stream (bursts to 4,000), 50k tok/s prefill, 15 ms floor. */
export const DEFAULT_WAFER_TIER: Readonly<TierConfig> = Object.freeze({
  decodeTokensPerSecond: 1200,
  burstTokensPerSecond: 4000,
  burstMode: "off",
  burstFraction: 0.25,
  burstRunTokens: 16,
  prefillTokensPerSecond: 50_000,
  firstTokenFloorMs: 15,
  maxConcurrentSequences: 64,
  maxQueue: 256,
});

/** Default GPU tier: ~90 tok/s per stream, 8k tok/s prefill, 150 ms floor, 256 sequences. */
export const DEFAULT_GPU_TIER: Readonly<TierConfig> = Object.freeze({
  decodeTokensPerSecond: 90,
  burstTokensPerSecond: 90,
  burstMode: "off",
  burstFraction: 0,
  burstRunTokens: 16,
  prefillTokensPerSecond: 8000,
  firstTokenFloorMs: 150,
  maxConcurrentSequences: 256,
  maxQueue: 1024,
});

/** Default routing: more than 32k input tokens counts as long. */
export const DEFAULT_AUTO_ROUTING: Readonly<AutoRoutingConfig> = Object.freeze({
  longInputTokens: 32_768,
});

/** Builds a full tiers configuration from the defaults and optional overrides; validates it. */
export function resolveTiersConfig(overrides: TiersOverrides = {}): TiersConfig {
  const config: TiersConfig = {
    wafer: { ...DEFAULT_WAFER_TIER, ...overrides.wafer },
    gpu: { ...DEFAULT_GPU_TIER, ...overrides.gpu },
    auto: { ...DEFAULT_AUTO_ROUTING, ...overrides.auto },
  };
  for (const name of ["wafer", "gpu"] as const) validateTier(name, config[name]);
  return config;
}

function validateTier(name: TierName, tier: TierConfig): void {
  const positive: (keyof TierConfig)[] = [
    "decodeTokensPerSecond",
    "burstTokensPerSecond",
    "prefillTokensPerSecond",
    "maxConcurrentSequences",
    "burstRunTokens",
  ];
  for (const key of positive) {
    const value = tier[key];
    if (typeof value !== "number" || !(value > 0)) {
      throw new RangeError(`tier ${name}: ${key} must be > 0, got ${String(value)}`);
    }
  }
  if (!(tier.firstTokenFloorMs >= 0)) throw new RangeError(`tier ${name}: firstTokenFloorMs < 0`);
  if (!(tier.maxQueue >= 0)) throw new RangeError(`tier ${name}: maxQueue < 0`);
  if (!(tier.burstFraction >= 0 && tier.burstFraction <= 1)) {
    throw new RangeError(`tier ${name}: burstFraction must be within 0..1`);
  }
}

/** What `auto` routing looks at. */
export interface RoutingInput {
  /** Input tokens of the request (full rendered context). */
  inputTokens: number;
  /** Whether the request runs in the background (`background: true`). */
  background?: boolean;
}

/** Picks the tier: explicit tiers win; `auto` sends background or long requests to `gpu`. */
export function routeTier(
  preference: TierPreference,
  input: RoutingInput,
  routing: AutoRoutingConfig = DEFAULT_AUTO_ROUTING,
): TierName {
  if (preference !== "auto") return preference;
  if (input.background === true || input.inputTokens > routing.longInputTokens) return "gpu";
  return "wafer";
}

/**
 * Maps a wire `service_tier` to a tier preference: `default`/`priority` → wafer, `flex` → gpu,
 * `wafer`/`gpu`/`auto` as named; absent or unknown → `auto`.
 */
export function tierFromServiceTier(serviceTier: string | null | undefined): TierPreference {
  switch (serviceTier) {
    case "wafer":
    case "default":
    case "priority":
      return "wafer";
    case "gpu":
    case "flex":
      return "gpu";
    default:
      return "auto";
  }
}

/** Prefill work (uncached tokens at the prefill rate) in milliseconds, without the floor. */
export function prefillWorkMs(tier: TierConfig, inputTokens: number, cachedTokens: number): number {
  return (Math.max(0, inputTokens - cachedTokens) * 1000) / tier.prefillTokensPerSecond;
}

/**
 * Whether output token `index` (0-based) of a stream decodes at the burst rate. Deterministic in
 * (`seed`, `index`), so a replay with the same seed is paced identically. A boolean, so the
 * decode loop picks a precomputed interval and allocates nothing a token.
 */
export function burstsAt(tier: TierConfig, seed: number, index: number): boolean {
  switch (tier.burstMode) {
    case "off":
      return false;
    case "always":
      return true;
    case "speculative":
      return unitHash(seed, Math.floor(index / tier.burstRunTokens)) < tier.burstFraction;
  }
}

/** Decode interval before output token `index` (0-based) of a stream, in ms (see {@link burstsAt}). */
export function decodeIntervalMs(tier: TierConfig, seed: number, index: number): number {
  const rate = burstsAt(tier, seed, index) ? tier.burstTokensPerSecond : tier.decodeTokensPerSecond;
  return 1000 / rate;
}
