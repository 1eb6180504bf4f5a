/**
 * Errors of the client itself, as opposed to errors that crossed the wire. A server's `error`
 * event becomes a {@link ReceivedError} (its code and status as the server sent them, the registry
 * filling in only what was left out); a
 * socket that would not open, a watchdog that fired or a resume that came too late become a
 * {@link HotlineClientError}. Both carry `retryable`, so callers can decide with one test.
 *
 * @module
 */
import { ReceivedError } from "../protocol/errors.js";
import type { ErrorEvent, ResponseSteerPendingEvent } from "../protocol/types.gen.js";

/** What went wrong inside the client. */
export type ClientErrorCode =
  /** The WebSocket could not be opened (refused, 401, DNS...). */
  | "connect_failed"
  /** The connection dropped and could not be recovered within the reconnect budget. */
  | "connection_lost"
  /** No frame (not even a heartbeat) arrived within the idle timeout. */
  | "idle_timeout"
  /** The server started a fresh session, so in-flight responses of the old one are gone. */
  | "session_lost"
  /** The session does not offer what was asked (cancel in core, steer over HTTP...). */
  | "unsupported"
  /** The client was closed by its owner. */
  | "closed"
  /** The server broke the protocol (an unparseable frame, a missing first frame...). */
  | "protocol_violation"
  /** The caller aborted the operation. */
  | "aborted"
  /** A steer waits for the steered response's tool output ({@link SteerPendingError}). */
  | "steer_pending";

const RETRYABLE: Readonly<Record<ClientErrorCode, boolean>> = {
  connect_failed: true,
  connection_lost: true,
  idle_timeout: true,
  session_lost: true,
  unsupported: false,
  closed: false,
  protocol_violation: false,
  aborted: false,
  steer_pending: false,
};

/**
 * An error raised by the client, never sent by a server.
 *
 * @category Errors
 */
export class HotlineClientError extends Error {
  override name = "HotlineClientError";
  /** What went wrong. */
  readonly code: ClientErrorCode;
  /** Whether repeating the operation later can succeed. */
  readonly retryable: boolean;

  constructor(code: ClientErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = RETRYABLE[code];
  }
}

/**
 * The steered response stopped for client-owned tool output, so the steer's successor does not
 * start on its own (`response.steer.pending`, INT-20): the steer's stream ends with this error.
 * Send the results `requiredInput` names in a `responses.create` continuing
 * `previousResponseId` on the same lane; the server puts the steer's input before them (INT-21).
 *
 * @category Errors
 */
export class SteerPendingError extends HotlineClientError {
  override name = "SteerPendingError";
  /** The steer, still queued on the server. */
  readonly steerId: string;
  /** The steered response, to continue. */
  readonly previousResponseId: string;
  /** Stubs of the results owed: fill each in (a `function_call_output`'s `output`) and send it. */
  readonly requiredInput: readonly { type: string; call_id?: string; name?: string }[];

  constructor(event: ResponseSteerPendingEvent) {
    const calls = event.required_input.map((i) => i.call_id ?? i.type).join(", ");
    super(
      "steer_pending",
      `The steered response ${event.steer.previous_response_id} waits for tool output (${calls}): continue it with those results and the steer's input goes first.`,
    );
    this.steerId = event.steer.id;
    this.previousResponseId = event.steer.previous_response_id;
    this.requiredInput = event.required_input;
  }
}

/**
 * Turns a received `error` event into a {@link ReceivedError}: code, status and `retryable`
 * as the server sent them, the registry's values where it sent none (ERR-7).
 *
 * @category Errors
 */
export function errorFromEvent(event: ErrorEvent): ReceivedError {
  return ReceivedError.fromEnvelope(event);
}

export { ReceivedError };
