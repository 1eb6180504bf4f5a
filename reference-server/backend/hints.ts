/**
 * `sim.*` metadata hints: test levers that make the simulated model do something specific.
 * They are never needed by the conformance runner; a real server ignores them. Metadata values
 * are strings on the wire, so numbers and booleans are accepted in string form too. A hint
 * that is not a number where one is expected is ignored; a number outside its range is refused
 * before anything starts ({@link hintOutOfRange}, SIM-17), so no hint can arm a timer Node cannot
 * hold (2^31 - 1 ms) or ask for more tokens than any context holds.
 */
import type { GenerationMetadata } from "./types.js";

/** Metadata key: exact number of output tokens (still capped by `max_output_tokens`). */
export const HINT_OUTPUT_TOKENS = "sim.output_tokens";
/** Metadata key: `"true"` to force a function call, or the name of the tool to call. */
export const HINT_FORCE_TOOL_CALL = "sim.force_tool_call";
/** Metadata key: fail with this error code; `"code:N"` fails after N output tokens. */
export const HINT_ERROR = "sim.error";
/** Metadata key: output tokens before the `sim.error` failure (alternative to `code:N`). */
export const HINT_ERROR_AFTER_TOKENS = "sim.error_after_tokens";
/** Metadata key: extra milliseconds before the first token. */
export const HINT_DELAY_MS = "sim.delay_ms";

/** The largest value of each numeric hint (SIM-17); the smallest is 0. */
export const HINT_MAXIMA: Readonly<Record<string, number>> = {
  [HINT_OUTPUT_TOKENS]: 10_000_000,
  [HINT_ERROR_AFTER_TOKENS]: 10_000_000,
  [HINT_DELAY_MS]: 600_000,
};

/** A numeric hint outside its range: its key and the sentence to refuse the request with. */
export interface HintRangeError {
  key: string;
  message: string;
}

/** The first numeric `sim.*` hint given as a number outside [0, its maximum], if any. */
export function hintOutOfRange(
  metadata: GenerationMetadata | undefined,
): HintRangeError | undefined {
  if (metadata === undefined) return undefined;
  for (const [key, max] of Object.entries(HINT_MAXIMA)) {
    const value = metadata[key];
    const n =
      typeof value === "number"
        ? value
        : typeof value === "string" && value.trim() !== ""
          ? Number(value)
          : NaN;
    // Not a number at all: ignored, as documented; a number must be in range.
    if (Number.isNaN(n) || (n >= 0 && n <= max)) continue;
    return { key, message: `${key} must be a number from 0 to ${max}; got ${String(value)}.` };
  }
  return undefined;
}

/** A failure injected by `sim.error`. */
export interface InjectedError {
  /** Error code to fail with. */
  code: string;
  /** Output tokens emitted before failing. */
  afterTokens: number;
}

/** The parsed hints of one request. */
export interface SimulationHints {
  /** `sim.output_tokens`. */
  outputTokens?: number;
  /** `sim.force_tool_call`: true for any tool, or a tool name. */
  forceToolCall?: boolean | string;
  /** `sim.error` (with `sim.error_after_tokens`). */
  error?: InjectedError;
  /** `sim.delay_ms`. */
  delayMs?: number;
}

/** Reads the `sim.*` hints from request metadata. */
export function parseHints(metadata: GenerationMetadata | undefined): SimulationHints {
  const hints: SimulationHints = {};
  if (metadata === undefined) return hints;
  const outputTokens = nonNegativeInteger(metadata[HINT_OUTPUT_TOKENS]);
  if (outputTokens !== undefined) hints.outputTokens = outputTokens;
  const delayMs = nonNegativeNumber(metadata[HINT_DELAY_MS]);
  // Clamped as well: a caller that skipped hintOutOfRange still arms no overflowing timer.
  if (delayMs !== undefined) hints.delayMs = Math.min(delayMs, HINT_MAXIMA[HINT_DELAY_MS]!);
  const force = metadata[HINT_FORCE_TOOL_CALL];
  if (force === true || force === "true" || force === "1") hints.forceToolCall = true;
  else if (typeof force === "string" && force !== "" && force !== "false" && force !== "0") {
    hints.forceToolCall = force;
  }
  const error = metadata[HINT_ERROR];
  if (typeof error === "string" && error.trim() !== "") {
    const [code, after] = error.trim().split(/[:@]/, 2);
    const afterTokens =
      nonNegativeInteger(after) ?? nonNegativeInteger(metadata[HINT_ERROR_AFTER_TOKENS]) ?? 0;
    hints.error = { code: code!, afterTokens };
  }
  return hints;
}

function nonNegativeNumber(value: unknown): number | undefined {
  const n = typeof value === "number" ? value : typeof value === "string" ? Number(value) : NaN;
  return Number.isFinite(n) && n >= 0 && (typeof value !== "string" || value.trim() !== "")
    ? n
    : undefined;
}

function nonNegativeInteger(value: unknown): number | undefined {
  const n = nonNegativeNumber(value);
  return n !== undefined && Number.isInteger(n) ? n : undefined;
}
