/**
 * The simulated wafer-scale inference backend: public entry point.
 *
 * `new Backend({ clock })`, then `backend.submit(request, sink)` per response; see
 * `types.ts` for the request, sink and handle contract.
 */
export { Backend, type BackendOptions, type BackendStats } from "./backend.js";
export { DEFAULT_DELTA_INTERVAL_MS } from "./scheduler.js";
export {
  type CancelTimer,
  type Clock,
  RealClock,
  type RealClockOptions,
  VirtualClock,
  type VirtualClockOptions,
} from "../../src/util/clock.js";
export type { BackendCounters, TierCounters } from "./counters.js";
export {
  HINT_DELAY_MS,
  HINT_ERROR,
  HINT_ERROR_AFTER_TOKENS,
  HINT_FORCE_TOOL_CALL,
  HINT_MAXIMA,
  HINT_OUTPUT_TOKENS,
  type HintRangeError,
  hintOutOfRange,
  parseHints,
  type SimulationHints,
} from "./hints.js";
export { KvCache, type KvCacheOptions, type KvCacheStats } from "./kv-cache.js";
export {
  type AutoRoutingConfig,
  type BurstMode,
  DEFAULT_AUTO_ROUTING,
  DEFAULT_GPU_TIER,
  DEFAULT_WAFER_TIER,
  resolveTiersConfig,
  routeTier,
  type TierConfig,
  type TierName,
  type TierPreference,
  type TiersConfig,
  type TiersOverrides,
  tierFromServiceTier,
} from "./tiers.js";
export {
  countTokens,
  decode,
  ENCODING_NAME,
  encode,
  TokenCache,
  type TokenCacheOptions,
  type TokenCacheStats,
} from "./tokenizer.js";
export type {
  BackendErrorCode,
  CompletionReason,
  FunctionCallDone,
  FunctionCallStart,
  FunctionTool,
  GenerationCompletion,
  GenerationFailure,
  GenerationHandle,
  GenerationMetadata,
  GenerationRequest,
  GenerationSink,
  GenerationStart,
  GenerationState,
  GenerationUsage,
  JsonSchema,
  JsonValue,
  ToolChoice,
} from "./types.js";
