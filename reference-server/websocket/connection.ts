/**
 * One WebSocket connection: frame checks (binary → 1003, oversized → 1009), JSON parsing,
 * schema validation and routing by `type` into its {@link Session}. Bad input gets an error
 * event and the session goes on (ERR-9..13); only the frame-level faults close.
 */
import type { Socket } from "node:net";
import type { WebSocket } from "ws";
import {
  type ClientEvent,
  HOTLINE_ONLY_CLIENT_EVENT_TYPES,
  ProtocolError,
  validateClientEvent,
} from "../../src/protocol/index.js";
import type { ResponsesService } from "../responses/service.js";
import { type Profile, Session, type SessionPort } from "../session/session.js";

/** Options of a connection. */
export interface ConnectionOptions {
  profile: Profile;
  principal: string;
  service: ResponsesService;
  /** Largest accepted message in bytes (TRANSPORT-12/13). */
  maxMessageBytes: number;
  /** Connection age limit. */
  maxAgeMs: number;
  /** Unsent bytes above which generation pauses. */
  highWaterBytes: number;
  /** Called with the session once it exists (telemetry, session registry). */
  onOpen?: (session: Session) => void;
  /** Called when the session ended. */
  onClose?: (session: Session) => void;
}

const HOTLINE_ONLY = new Set<string>(HOTLINE_ONLY_CLIENT_EVENT_TYPES);

/** Wires a WebSocket to a new session; returns the session. */
export function attachConnection(ws: WebSocket, options: ConnectionOptions): Session {
  const raw = (ws as unknown as { _socket?: Socket })._socket;
  const port: SessionPort = {
    send: (json) => {
      if (ws.readyState === 1) ws.send(json);
    },
    close: (code, reason) => ws.close(code, reason),
    bufferedAmount: () => ws.bufferedAmount,
    onDrain: (fn) => {
      if (raw && !raw.destroyed) raw.once("drain", fn);
      else fn();
    },
  };
  const session = new Session({
    profile: options.profile,
    principal: options.principal,
    service: options.service,
    port,
    maxAgeMs: options.maxAgeMs,
    highWaterBytes: options.highWaterBytes,
    ...(options.onClose ? { onClose: options.onClose } : {}),
  });
  options.onOpen?.(session);
  ws.on("message", (data, isBinary) => {
    if (isBinary) {
      session.fail(
        new ProtocolError(
          "binary_frame_not_supported",
          "Binary frames are not supported; send text frames.",
        ),
      );
      return;
    }
    const bytes = byteLength(data);
    if (bytes > options.maxMessageBytes) {
      session.fail(
        new ProtocolError(
          "message_too_large",
          `The message is ${bytes} bytes; the limit is ${options.maxMessageBytes} bytes.`,
        ),
      );
      return;
    }
    const event = parseEvent(String(data), options.profile, session);
    if (event) session.handle(event);
  });
  ws.on("close", () => session.close());
  // Socket errors end in 'close'; listening here keeps them from becoming uncaught.
  ws.on("error", () => {});
  return session;
}

function byteLength(data: unknown): number {
  if (Buffer.isBuffer(data)) return data.length;
  if (Array.isArray(data)) return data.reduce((n: number, b: Buffer) => n + b.length, 0);
  if (data instanceof ArrayBuffer) return data.byteLength;
  return 0;
}

/** Parses and validates one text frame; sends the error and returns undefined when bad. */
export function parseEvent(
  text: string,
  profile: Profile,
  session: Session,
): ClientEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    session.sendError(
      new ProtocolError("invalid_json", `The frame is not valid JSON: ${(error as Error).message}`),
    );
    return undefined;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    session.sendError(new ProtocolError("invalid_json", "The frame must hold one JSON object."));
    return undefined;
  }
  const record = value as Record<string, unknown>;
  const eventId = typeof record.event_id === "string" ? { eventId: record.event_id } : {};
  const type = record.type;
  if (typeof type !== "string" || (profile === "core" && HOTLINE_ONLY.has(type))) {
    const what = typeof type === "string" ? `'${type}'` : "missing";
    session.sendError(
      new ProtocolError("unknown_event_type", `Unknown event type ${what}.`, {
        param: "/type",
        ...eventId,
      }),
    );
    return undefined;
  }
  if (type === "response.create") {
    // RESP-2/3: HTTP-only members over the socket, named exactly.
    for (const key of ["stream", "stream_options", ...(profile === "core" ? ["background"] : [])]) {
      if (key in record) {
        session.sendError(
          new ProtocolError(
            "invalid_event",
            `'${key}' is not allowed over the WebSocket binding.`,
            {
              param: `/${key}`,
              ...eventId,
              ...clientRequestId(record),
            },
          ),
        );
        return undefined;
      }
    }
  }
  const result = validateClientEvent(value);
  if (!result.ok) {
    const issue = result.issues[0]!;
    const code = issue.keyword === "unknown_event_type" ? "unknown_event_type" : "invalid_event";
    session.sendError(
      new ProtocolError(code, issue.message, {
        param: issue.pointer,
        ...eventId,
        ...clientRequestId(record),
      }),
    );
    return undefined;
  }
  return result.value;
}

function clientRequestId(record: Record<string, unknown>): { clientRequestId?: string } {
  return typeof record.client_request_id === "string"
    ? { clientRequestId: record.client_request_id }
    : {};
}
