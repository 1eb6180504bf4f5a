/**
 * Errors that cross the wire. Every code comes from the generated registry, so status,
 * retry advice and close code can never disagree with spec/errors.md. Errors that stay in
 * a process (a socket that failed to open, a timeout) are other types, defined where they
 * arise.
 */
import { ERROR_REGISTRY, type ErrorCode, type ErrorRegistryEntry } from "./errors.gen.js";
import { HOTLINE_PROFILE, type Profile } from "./events.gen.js";
import type { ErrorEvent, ErrorPayload } from "./types.gen.js";

export { ERROR_REGISTRY, type ErrorCode, type ErrorRegistryEntry } from "./errors.gen.js";

/** Looks up a code; undefined when the code is not registered (a peer may send new ones). */
export function lookupError(code: string): ErrorRegistryEntry | undefined {
  return Object.hasOwn(ERROR_REGISTRY, code) ? ERROR_REGISTRY[code as ErrorCode] : undefined;
}

/** Where an error belongs, for the envelope's correlation fields. */
export interface ErrorContext {
  /** JSON pointer of the offending field, sent as `error.param`. */
  param?: string;
  /** The `event_id` of the client event that caused it. */
  eventId?: string;
  /** The response it concerns. */
  responseId?: string;
  /** The `client_request_id` of the create that caused it. */
  clientRequestId?: string;
}

/**
 * The WebSocket error envelope a server builds: the generated {@link ErrorEvent} with the
 * members a registry error always fills (`status`, and `code`, `type` and `param` of `error`).
 */
export type ErrorEnvelope = Omit<ErrorEvent, "status" | "error"> & {
  status: number;
  error: ErrorPayload & { code: string; type: string; param: string | null };
};

/** An error that is, or will be, an `error` event on the wire. */
export class ProtocolError extends Error {
  override name = "ProtocolError";
  readonly code: string;
  readonly status: number;
  readonly retryable: boolean;
  readonly closeCode: number | null;
  readonly errorType: string;
  readonly context: ErrorContext;

  constructor(code: ErrorCode | string, message: string, context: ErrorContext = {}) {
    super(message);
    const entry = lookupError(code);
    this.code = code;
    this.status = entry?.status ?? 500;
    this.retryable = entry?.retryable ?? false;
    this.closeCode = entry?.closeCode ?? null;
    this.errorType = entry?.type ?? "server_error";
    this.context = context;
  }

  /** Builds the envelope; core-profile envelopes carry no Hotline fields. */
  toEnvelope(profile: Profile): ErrorEnvelope {
    const envelope: ErrorEnvelope = {
      type: "error",
      status: this.status,
      error: {
        code: this.code,
        message: this.message,
        type: this.errorType,
        param: this.context.param ?? null,
      },
    };
    if (profile === HOTLINE_PROFILE) {
      envelope.error.retryable = this.retryable;
      if (this.context.eventId !== undefined) envelope.event_id = this.context.eventId;
      if (this.context.responseId !== undefined) envelope.response_id = this.context.responseId;
      if (this.context.clientRequestId !== undefined) {
        envelope.client_request_id = this.context.clientRequestId;
      }
    }
    return envelope;
  }

  /** Reads an `error` event received from a peer. */
  static fromEnvelope(event: {
    status?: number;
    error: { code?: string | null; message: string; param?: string | null };
    event_id?: string;
    response_id?: string;
    client_request_id?: string;
  }): ProtocolError {
    const context: ErrorContext = {};
    if (event.error.param) context.param = event.error.param;
    if (event.event_id) context.eventId = event.event_id;
    if (event.response_id) context.responseId = event.response_id;
    if (event.client_request_id) context.clientRequestId = event.client_request_id;
    return new ProtocolError(event.error.code ?? "server_error", event.error.message, context);
  }
}
