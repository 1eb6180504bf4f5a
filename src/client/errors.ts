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
import type { ErrorEvent } from "../protocol/types.gen.js";

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
  | "aborted";

const RETRYABLE: Readonly<Record<ClientErrorCode, boolean>> = {
  connect_failed: true,
  connection_lost: true,
  idle_timeout: true,
  session_lost: true,
  unsupported: false,
  closed: false,
  protocol_violation: false,
  aborted: false,
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
 * Turns a received `error` event into a {@link ReceivedError}: code, status and `retryable`
 * as the server sent them, the registry's values where it sent none (ERR-7).
 *
 * @category Errors
 */
export function errorFromEvent(event: ErrorEvent): ReceivedError {
  return ReceivedError.fromEnvelope(event);
}

export { ReceivedError };
