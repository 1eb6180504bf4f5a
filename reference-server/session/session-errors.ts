/**
 * The errors a session (either profile) answers client events with, and what each echoes of
 * the event it answers: its `event_id` and `client_request_id` (ERR-8), as error context (the
 * core envelope drops them). Errors of the responses themselves come from the responses
 * service.
 */
import { ProtocolError } from "../../src/protocol/index.js";

/** What an error answering a client event echoes of it. */
export interface Correlation {
  eventId?: string;
  clientRequestId?: string;
}

/** The `event_id` of a client event, as error context. */
export function eventIdOf(event: { event_id?: string }): { eventId?: string } {
  return event.event_id === undefined ? {} : { eventId: event.event_id };
}

/** The `event_id` and `client_request_id` of a client event, as error context. */
export function correlationOf(event: {
  event_id?: string;
  client_request_id?: string;
}): Correlation {
  return {
    ...eventIdOf(event),
    ...(event.client_request_id === undefined ? {} : { clientRequestId: event.client_request_id }),
  };
}

/** `unknown_event_type`: a client event of a type the session does not know. */
export function unknownEventType(type: string, eventId: { eventId?: string }): ProtocolError {
  return new ProtocolError("unknown_event_type", `Unknown event type '${type}'.`, {
    param: "/type",
    ...eventId,
  });
}

/** `session_replaced`: the connection lost its session to a resume elsewhere (RESUME-3). */
export function sessionReplaced(): ProtocolError {
  return new ProtocolError("session_replaced", "The session was resumed on another connection.");
}

/** `websocket_connection_limit_reached`: the connection is past its maximum age. */
export function limitReached(context: Correlation): ProtocolError {
  return new ProtocolError(
    "websocket_connection_limit_reached",
    "Responses websocket connection limit reached. Create a new websocket connection to continue.",
    context,
  );
}

/** `server_shutting_down`: a create during a shutdown, or a shutdown's deadline passed. */
export function serverShuttingDown(context: Correlation = {}): ProtocolError {
  return new ProtocolError("server_shutting_down", "The server is shutting down.", context);
}

/** `server_overloaded`: a core create past the bound of those waiting (RESP-30). */
export function tooManyQueued(maxQueued: number, context: Correlation): ProtocolError {
  return new ProtocolError(
    "server_overloaded",
    `${maxQueued} creates already wait on this connection for the one in ` +
      "flight; wait for a terminal event before sending more.",
    context,
  );
}

/** `idempotency_key_reused`: a `client_request_id` sent again with a different body. */
export function idempotencyKeyReused(
  requestId: string,
  correlation: Correlation,
  responseId: string,
): ProtocolError {
  return new ProtocolError(
    "idempotency_key_reused",
    `client_request_id '${requestId}' was used for a different request.`,
    { ...correlation, param: "/client_request_id", responseId },
  );
}

/** `too_many_in_flight`: a create beyond the session's `max_in_flight`. */
export function tooManyInFlight(maxInFlight: number, correlation: Correlation): ProtocolError {
  return new ProtocolError(
    "too_many_in_flight",
    `At most ${maxInFlight} responses may be in flight on a session.`,
    correlation,
  );
}

/** `rate_limit_exceeded`: the session's `requests` budget is spent. */
export function rateLimitExceeded(
  requestsPerMinute: number,
  correlation: Correlation,
): ProtocolError {
  return new ProtocolError(
    "rate_limit_exceeded",
    `Rate limit of ${requestsPerMinute} requests per minute reached.`,
    correlation,
  );
}

/** `response_not_active`: a cancel or steer of a response not in flight on the session. */
export function responseNotActive(responseId: string, correlation: Correlation): ProtocolError {
  return new ProtocolError(
    "response_not_active",
    `Response '${responseId}' is not in flight on this session.`,
    { ...correlation, responseId, param: "/response_id" },
  );
}

/** `response_not_found`: a resume of a response the session does not hold. */
export function responseNotFound(responseId: string, eventId: { eventId?: string }): ProtocolError {
  return new ProtocolError(
    "response_not_found",
    `Response '${responseId}' is not held by this session.`,
    { ...eventId, responseId, param: "/response_id" },
  );
}

/** `resume_position_unavailable`: the events a resume asks for are gone or never were. */
export function resumePositionUnavailable(
  after: number,
  responseId: string,
  eventId: { eventId?: string },
): ProtocolError {
  return new ProtocolError(
    "resume_position_unavailable",
    `Events after ${after} of response '${responseId}' are not available.`,
    { ...eventId, responseId, param: "/after_sequence_number" },
  );
}

/** `invalid_stream_id` (RESP-33): no echo of the bad value. */
export function invalidStreamId(correlation: Correlation): ProtocolError {
  return new ProtocolError(
    "invalid_stream_id",
    "'stream_id' must be 1 to 256 characters of [A-Za-z0-9_.-].",
    { ...correlation, param: "stream_id" },
  );
}

/** `websocket_stream_limit_reached` (RESP-34): a 33rd named lane. */
export function streamLimitReached(maxNamed: number, correlation: Correlation): ProtocolError {
  return new ProtocolError(
    "websocket_stream_limit_reached",
    `This connection already has ${maxNamed} named lanes (stream_id); reuse one or open another connection.`,
    { ...correlation, param: "stream_id" },
  );
}
