// Generated from schemas/ by `npm run generate`. Do not edit by hand.

/** The protocol version these constants were generated for. */
export const SPEC_VERSION = "2026-11-21";

/** The WebSocket subprotocol token that selects the session layer. */
export const HOTLINE_PROFILE = "hotline.v1";

/** The profile of a WebSocket connection that does not negotiate the subprotocol. */
export const CORE_PROFILE = "core";

/** The two WebSocket profiles. */
export const PROFILES = [
  "core",
  "hotline.v1",
] as const;

/** A WebSocket profile. */
export type Profile = (typeof PROFILES)[number];

/** The events that end a response (spec/index.md, Conventions): exactly one per response. */
export const TERMINAL_EVENT_TYPES = [
  "response.cancelled",
  "response.completed",
  "response.failed",
  "response.incomplete",
] as const;

/** A terminal event `type`. */
export type TerminalEventType = (typeof TERMINAL_EVENT_TYPES)[number];

/** Members of `response.create` that the HTTP create body (CreateResponseBody) does not have. */
export const CREATE_EVENT_ONLY_MEMBERS = [
  "type",
  "event_id",
  "stream_id",
  "generate",
  "client_request_id",
] as const;

/** Every client event `type`. */
export const CLIENT_EVENT_TYPES = [
  "response.cancel",
  "response.create",
  "response.interrupt",
  "response.resume",
  "response.steer",
  "session.ping",
  "session.update",
] as const;

/** Every server event `type`. */
export const SERVER_EVENT_TYPES = [
  "error",
  "rate_limits.updated",
  "response.cancelled",
  "response.completed",
  "response.content_part.added",
  "response.content_part.done",
  "response.created",
  "response.failed",
  "response.function_call_arguments.delta",
  "response.function_call_arguments.done",
  "response.in_progress",
  "response.incomplete",
  "response.interrupt.accepted",
  "response.output_item.added",
  "response.output_item.done",
  "response.output_item.interrupted",
  "response.output_text.annotation.added",
  "response.output_text.delta",
  "response.output_text.done",
  "response.queued",
  "response.reasoning.delta",
  "response.reasoning.done",
  "response.reasoning_summary_part.added",
  "response.reasoning_summary_part.done",
  "response.reasoning_summary_text.delta",
  "response.reasoning_summary_text.done",
  "response.refusal.delta",
  "response.refusal.done",
  "response.steer.accepted",
  "response.steer.failed",
  "response.steer.pending",
  "session.created",
  "session.going_away",
  "session.heartbeat",
  "session.pong",
  "session.resumed",
  "session.updated",
] as const;

/** Client events only the hotline.v1 profile accepts. */
export const HOTLINE_ONLY_CLIENT_EVENT_TYPES = [
  "response.cancel",
  "response.resume",
  "session.ping",
  "session.update",
] as const;

/** Server events a core-profile client never receives. */
export const HOTLINE_ONLY_SERVER_EVENT_TYPES = [
  "rate_limits.updated",
  "response.cancelled",
  "session.created",
  "session.going_away",
  "session.heartbeat",
  "session.pong",
  "session.resumed",
  "session.updated",
] as const;

/** Every feature a server may advertise in `session.created` (Session.features). */
export const SESSION_FEATURES = [
  "multiplex",
  "lanes",
  "cancel",
  "steer",
  "resume",
  "heartbeat",
  "going_away",
  "rate_limits",
  "idempotency",
  "prewarm",
  "background",
  "queue",
] as const;

/** A client event `type`. */
export type ClientEventType = (typeof CLIENT_EVENT_TYPES)[number];
/** A server event `type`. */
export type ServerEventType = (typeof SERVER_EVENT_TYPES)[number];
