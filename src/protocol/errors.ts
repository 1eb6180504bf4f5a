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

/** Whether a code is a registered one. */
export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_REGISTRY, code);
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

/**
 * An error this process raises and will send as an `error` event (or an HTTP error body):
 * only registered codes, so its status, retry advice, close code and type come from the
 * registry and cannot disagree with spec/errors.md. What a peer sends is a
 * {@link ReceivedError}.
 */
export class ProtocolError extends Error {
  override name = "ProtocolError";
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryable: boolean;
  readonly closeCode: number | null;
  readonly errorType: string;
  readonly context: ErrorContext;

  constructor(code: ErrorCode, message: string, context: ErrorContext = {}) {
    super(message);
    const entry = ERROR_REGISTRY[code];
    this.code = code;
    this.status = entry.status;
    this.retryable = entry.retryable;
    this.closeCode = entry.closeCode;
    this.errorType = entry.type;
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
}

/** An error as a peer reported it: an `error` event, a failed response, an HTTP error body. */
export interface ReceivedErrorReport {
  /** The code as sent; a peer may send codes this registry does not know. */
  code?: string | null;
  message?: string | null;
  param?: string | null;
  /** `error.type` as sent. */
  type?: string | null;
  /** `error.retryable` as sent (hotline.v1, ERR-7). */
  retryable?: boolean | null;
}

/**
 * An error a peer sent: its code is whatever the peer wrote (registered or not), its status
 * the one the peer gave. The registry fills in only what the peer left out, so a foreign
 * server's error reads as it was sent.
 */
export class ReceivedError extends Error {
  override name = "ReceivedError";
  /** The code as sent (`server_error` when the peer sent none). */
  readonly code: string;
  /** The registry's entry for the code, when it is a registered one. */
  readonly registered: ErrorRegistryEntry | undefined;
  readonly status: number;
  readonly retryable: boolean;
  readonly closeCode: number | null;
  readonly errorType: string;
  readonly context: ErrorContext;

  constructor(report: ReceivedErrorReport, status: number | undefined, context: ErrorContext = {}) {
    super(report.message || "the server reported an error without a message");
    this.code = report.code || "server_error";
    this.registered = lookupError(this.code);
    this.status = status ?? this.registered?.status ?? 500;
    this.retryable = report.retryable ?? this.registered?.retryable ?? false;
    this.closeCode = this.registered?.closeCode ?? null;
    this.errorType = report.type || (this.registered?.type ?? "server_error");
    this.context = report.param ? { param: report.param, ...context } : context;
  }

  /** Reads an `error` event received from a peer. */
  static fromEnvelope(event: {
    status?: number;
    error: ReceivedErrorReport;
    event_id?: string;
    response_id?: string;
    client_request_id?: string;
  }): ReceivedError {
    const context: ErrorContext = {};
    if (event.event_id) context.eventId = event.event_id;
    if (event.response_id) context.responseId = event.response_id;
    if (event.client_request_id) context.clientRequestId = event.client_request_id;
    return new ReceivedError(event.error, event.status, context);
  }
}
