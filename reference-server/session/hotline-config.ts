/**
 * Configuration of the hotline.v1 session layer: the protocol version and features it
 * advertises, the limits and timings of its sessions with their reference defaults
 * (spec/session.md), and the `limits` object a session advertises from them.
 */
import {
  DEFAULT_CONNECTION_MAX_AGE_MS,
  DEFAULT_CONTEXT_WINDOW_TOKENS,
  SESSION_FEATURES,
  type SessionLimits,
  SPEC_VERSION,
} from "../../src/protocol/index.js";
import type { RateLimitState } from "../policy/limits.js";

/** The protocol version string of this specification. */
export const HOTLINE_VERSION = SPEC_VERSION;

/** Features the reference server advertises: all of them. */
export const HOTLINE_FEATURES = SESSION_FEATURES;

/** Limits and timings of hotline.v1 sessions (the advertised `limits` plus server bounds). */
export interface HotlineConfig {
  maxInFlight: number;
  maxMessageBytes: number;
  contextWindowTokens: number;
  connectionMaxAgeMs: number;
  resumeWindowMs: number;
  heartbeatIntervalMs: number;
  /**
   * Unsent bytes per connection above which generation pauses (STREAM-15). Counted as frame
   * bytes; in memory each queued frame costs about twice that (the string, a header Buffer
   * and the stream's write request), and only a reader slower than the kernel's socket
   * buffers ever fills it, so it is kept small.
   */
  highWaterBytes: number;
  /** Unread bytes a response may buffer while nobody reads it (RESUME-10). */
  resumeBufferBytes: number;
  /** `requests` rate limit per minute and session (ERR-16, SESSION-17). */
  requestsPerMinute: number;
  /** Finished responses a session keeps for resume and idempotency. */
  keepFinished: number;
  /** Event bytes a session keeps for its finished responses (oldest forgotten first). */
  keepFinishedBytes: number;
  /** Grace period of a shutdown's `session.going_away`. */
  shutdownGraceMs: number;
}

/** Reference-server defaults (spec/session.md, informative). */
export const DEFAULT_HOTLINE_CONFIG: HotlineConfig = {
  maxInFlight: 8,
  maxMessageBytes: 4 * 1024 * 1024,
  contextWindowTokens: DEFAULT_CONTEXT_WINDOW_TOKENS,
  connectionMaxAgeMs: DEFAULT_CONNECTION_MAX_AGE_MS,
  resumeWindowMs: 300_000,
  heartbeatIntervalMs: 5_000,
  highWaterBytes: 32 << 10,
  resumeBufferBytes: 128 << 10,
  requestsPerMinute: 6_000,
  keepFinished: 32,
  keepFinishedBytes: 256 << 10,
  shutdownGraceMs: 5_000,
};

/** The session object's `limits`: the configured bounds and the current rate limits. */
export function advertisedLimits(
  config: HotlineConfig,
  rateLimits: readonly RateLimitState[],
  budgets: ConnectionBudgets | undefined,
): SessionLimits {
  return {
    max_in_flight: config.maxInFlight,
    max_message_bytes: config.maxMessageBytes,
    context_window_tokens: config.contextWindowTokens,
    connection_max_age_ms: config.connectionMaxAgeMs,
    resume_window_ms: config.resumeWindowMs,
    heartbeat_interval_ms: config.heartbeatIntervalMs,
    resume_buffer_bytes: config.resumeBufferBytes,
    ...budgets,
    rate_limits: [...rateLimits],
  };
}

/**
 * The memory budgets the binding enforces on a connection and its principal, stated in
 * `session.created` so a client can keep within them (SESSION-22).
 */
export type ConnectionBudgets = Pick<
  SessionLimits,
  "max_unsent_bytes" | "max_detached_sessions" | "incomplete_message_ms"
>;
