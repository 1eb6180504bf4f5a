/**
 * The backend's public contract: what the responses service submits, the callbacks it gets,
 * and the handle it steers a generation with. Field names are camelCase; the service maps
 * them to wire names (`usage.input_tokens_details.cached_tokens` and so on).
 */
import type { TierName, TierPreference } from "./tiers.js";
import type { JsonSchema } from "./tool-arguments.js";
import type { TokenIds } from "./token-ids.js";
import type { KnownEncoding } from "./tokenizer.js";

export type { JsonSchema, JsonValue } from "./tool-arguments.js";

/** A function tool as in the Open Responses create body (`tools[]` with `type: "function"`). */
export interface FunctionTool {
  /** Always `"function"`. */
  type: "function";
  /** Name the model calls the tool by. */
  name: string;
  /** What the tool does (unused by the simulator). */
  description?: string | null;
  /** JSON Schema of the arguments; the simulator's arguments match its simple keywords. */
  parameters?: JsonSchema | null;
  /** Strict schema adherence flag (unused by the simulator). */
  strict?: boolean | null;
}

/** `tool_choice` of the create body. */
export type ToolChoice = "none" | "auto" | "required" | { type: "function"; name: string };

/** `metadata` of the create body: string values; `sim.*` keys are simulator hints. */
export type GenerationMetadata = Readonly<
  Record<string, string | number | boolean | null | undefined>
>;

/** One generation to run. */
export interface GenerationRequest {
  /** o200k ids of the full rendered context (instructions, history, new input). */
  inputTokens: TokenIds;
  /** Tier to run on, or `auto` (routes by length and `background`). */
  tier: TierPreference;
  /** Whether this is a background request (only `auto` routing looks at it). */
  background?: boolean;
  /** Conversation the context belongs to: its prefix-cache chain is tracked under this key. */
  conversationKey?: string;
  /** Upper bound of output tokens (`max_output_tokens`); the context window also bounds it. */
  maxOutputTokens?: number;
  /** Function tools the model may call. */
  tools?: readonly FunctionTool[];
  /** Tool choice; `required` or a named function forces a call. */
  toolChoice?: ToolChoice;
  /**
   * The new input ends with a tool's output: under `auto` the model answers it in text
   * instead of calling again (SIM-13), so a client's tool loop ends.
   */
  answersToolOutput?: boolean;
  /** The latest user message, which `auto` reads to decide on a call (SIM-12). */
  prompt?: string;
  /** `parallel_tool_calls` (default true) and `max_tool_calls` of the request (SIM-16). */
  parallelToolCalls?: boolean;
  maxToolCalls?: number;
  /** Create-body metadata; `sim.*` hints are read from it (see `hints.ts`). */
  metadata?: GenerationMetadata;
  /** Seed: the same seed and input produce the same output and pacing (default 0). */
  seed?: number;
  /** `false`: prefill only (warm the cache), complete with zero output tokens. */
  generate?: boolean;
}

/** Token accounting of one generation, as reported in the response's `usage`. */
export interface GenerationUsage {
  /** Input (context) tokens. */
  inputTokens: number;
  /** Input tokens served from the prefix cache (`input_tokens_details.cached_tokens`). */
  cachedTokens: number;
  /** Output tokens actually generated (text and function-call arguments). */
  outputTokens: number;
}

/** Told to the sink when a generation gets its sequence slot and starts prefilling. */
export interface GenerationStart {
  /** Tier it runs on (after `auto` routing). */
  tier: TierName;
  /** Input tokens. */
  inputTokens: number;
  /** Input tokens found in the prefix cache. */
  cachedTokens: number;
  /** Time until the first output token: prefill, floor and any `sim.delay_ms`. */
  prefillMs: number;
}

/** A function call the model starts. */
export interface FunctionCallStart {
  /** Call id (`call_...`), for the `function_call` output item. */
  callId: string;
  /** Name of the called tool. */
  name: string;
}

/** A finished function call. */
export interface FunctionCallDone extends FunctionCallStart {
  /** JSON text of the arguments (as streamed; may be cut short by `max_output_tokens`). */
  arguments: string;
}

/** Why a generation ended without error. */
export type CompletionReason =
  /** The model finished (or `generate: false` finished its prefill). */
  | "stop"
  /** `max_output_tokens` (or the context window) cut the output. */
  | "max_output_tokens"
  /** `cancel()` was called. */
  | "cancelled";

/** Told to the sink once, at the end of a generation that did not fail. */
export interface GenerationCompletion {
  /** Why it ended. */
  reason: CompletionReason;
  /** Final token accounting. */
  usage: GenerationUsage;
  /**
   * The leading part of the text output whose ids the model has as its exact encoding (whole
   * code blocks, see `OutputSource.encodedText`), when there is one: a render of the output can
   * take these ids instead of encoding the text again.
   */
  encodedText?: KnownEncoding;
}

/** Error codes the backend reports (from the error registry), or any `sim.error` code. */
export type BackendErrorCode =
  "context_length_exceeded" | "server_overloaded" | "server_error" | (string & {});

/** Told to the sink once, when a generation fails (before or during decoding). */
export interface GenerationFailure {
  /** Registry error code. */
  code: BackendErrorCode;
  /** Human-readable sentence. */
  message: string;
  /** Whether retrying the same request may succeed. */
  retryable: boolean;
  /** Token accounting up to the failure. */
  usage: GenerationUsage;
}

/**
 * Receives a generation's events. Exactly one of `onComplete` or `onError` ends every
 * generation, and nothing follows it. Callbacks may run synchronously inside `submit` (queued,
 * started, or an immediate error) and inside `cancel` (the completion); they may call back into
 * the backend (cancel, pause, submit).
 */
export interface GenerationSink {
  /** The generation waits for a slot at this 1-based position; called again as it moves. */
  onQueued?(position: number): void;
  /** The generation got a slot and is prefilling. */
  onStart?(start: GenerationStart): void;
  /** Output text; `tokens` is how many tokens the delta holds (due tokens are coalesced). */
  onText?(delta: string, tokens: number): void;
  /** A function call begins (its arguments follow). */
  onFunctionCallStart?(call: FunctionCallStart): void;
  /** A piece of the current function call's JSON arguments. */
  onFunctionCallArguments?(delta: string, tokens: number, callId: string): void;
  /** The current function call is complete. */
  onFunctionCallDone?(call: FunctionCallDone): void;
  /** The generation ended normally or was cancelled. */
  onComplete(completion: GenerationCompletion): void;
  /** The generation failed. */
  onError(failure: GenerationFailure): void;
}

/** Where a generation is in its life. */
export type GenerationState = "queued" | "prefill" | "decoding" | "done";

/** Controls one submitted generation. */
export interface GenerationHandle {
  /** Backend-unique id, increasing with submission order. */
  readonly id: number;
  /** Tier it runs (or waits) on. */
  readonly tier: TierName;
  /** Current state. */
  readonly state: GenerationState;
  /** Output tokens emitted so far. */
  readonly generatedTokens: number;
  /** 1-based queue position while queued, otherwise undefined. */
  readonly queuePosition: number | undefined;
  /** Whether `pause()` is in effect. */
  readonly paused: boolean;
  /**
   * Stops the generation now: no event but the completion (reason `cancelled`, delivered before
   * this returns) follows, and its slot and compute are released. No-op once done.
   */
  cancel(): void;
  /** Backpressure: emit nothing until `resume()`; the pending deadline shifts by the pause. */
  pause(): void;
  /** Ends a pause. */
  resume(): void;
}
