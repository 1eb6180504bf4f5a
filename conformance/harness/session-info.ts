/**
 * What the runner learned about the server before running cases: the negotiated profile and,
 * for `hotline.v1`, the session's features and limits.
 */
import {
  CORE_MAX_MESSAGE_BYTES,
  DEFAULT_CONNECTION_MAX_AGE_MS,
  DEFAULT_CONTEXT_WINDOW_TOKENS,
  type Profile,
  type Session,
  type SessionLimits,
} from "../../src/protocol/index.js";

/** A `Session.features` entry. */
export type Feature = Session["features"][number];

/** `SessionLimits` as advertised (without the optional rate limits). */
export type Limits = Omit<SessionLimits, "rate_limits">;

/** The probe's outcome. */
export interface SessionInfo {
  /** The profile the server selected when the runner offered what `--profile` allows. */
  profile: Profile;
  features: Feature[];
  limits: Limits | null;
  /**
   * false: hotline.v1 was selected but the probe saw no session.created first (SESSION-1), so
   * connections do not wait for one and features are unknown.
   */
  sessionCreated?: boolean;
  /** Limits given on the command line (`--max-message-bytes`, `--context-window`); they win. */
  declared?: { max_message_bytes?: number; context_window_tokens?: number };
  /** The run has `--sim`: cases may send `sim.*` hints (CONF-13). */
  sim?: boolean;
  /** What the runner found out before the cases (conformance/capabilities.ts). */
  capabilities?: Capabilities;
  /**
   * Optional create parameters probed so far (CaseContext.refuses), once per run: null when the
   * server accepted one, else what it answered.
   */
  params?: Map<string, string | null>;
}

/** Optional features found by probing once; a missing one makes the cases needing it SKIPPED. */
export interface Capabilities {
  /** Why the WebSocket binding is unusable (null: it upgrades). */
  noWebSocket: string | null;
  /** Why the HTTP binding is unusable (null: POST /v1/responses answers). */
  noHttp: string | null;
}

/** 2^31 - 1 output tokens: more than any server's context window holds. */
export const UNHOLDABLE_TOKENS = 2_147_483_647;

/** Limits a core-profile server implies (TRANSPORT-12's floor, the Open Responses window). */
export const CORE_LIMITS: Limits = {
  max_in_flight: 1,
  max_message_bytes: CORE_MAX_MESSAGE_BYTES,
  context_window_tokens: DEFAULT_CONTEXT_WINDOW_TOKENS,
  connection_max_age_ms: DEFAULT_CONNECTION_MAX_AGE_MS,
  resume_window_ms: 0,
  heartbeat_interval_ms: 0,
};
