/**
 * One WebSocket connection: frame checks (binary → 1003, oversized → 1009), JSON parsing,
 * schema validation and routing by `type` into its {@link Session}. Bad input gets an error
 * event and the session goes on (ERR-9..13); only frame-level errors close.
 */
import type { WebSocket } from "ws";
import type { Clock } from "../../src/util/clock.js";
import {
  type ClientEvent,
  HOTLINE_ONLY_CLIENT_EVENT_TYPES,
  ProtocolError,
  validateClientEvent,
} from "../../src/protocol/index.js";
import type { Profile, SessionPort } from "../session/session.js";
import { type Corkable, turnCork } from "./turn-cork.js";

/** What a connection feeds: its session, while it is the connection attached to it. */
export interface ConnectionTarget {
  /** Handles one validated client event that arrived whole at `receivedAt` (`performance.now()`). */
  handle(event: ClientEvent, receivedAt?: number): void;
  /** Sends an error envelope. */
  sendError(error: ProtocolError): void;
  /** Sends an error and closes with its close code. */
  fail(error: ProtocolError): void;
  /** The connection closed. */
  closed(): void;
}

/** Options of a connection. */
export interface ConnectionOptions {
  profile: Profile;
  /** Largest accepted message in bytes (TRANSPORT-12/13). */
  maxMessageBytes: number;
  /** Unsent bytes past which the connection is closed (TRANSPORT-18). */
  maxUnsentBytes?: number;
  /**
   * The socket under the WebSocket: corked for the rest of a turn that writes to it, and
   * written a zero-length chunk to learn when the frames before it were written.
   */
  socket?: PortSocket;
  /** Real time, for the wait on a close frame that a peer which stopped reading never takes. */
  io: Clock;
  /** Binds the connection's port to its session. */
  bind(port: SessionPort): ConnectionTarget;
  /**
   * What must be loaded before `event` is handled (a fleet: a `previous_response_id` another
   * instance generated), or undefined. Later events wait behind it, so the order holds.
   */
  before?: (event: ClientEvent) => Promise<void> | undefined;
}

const HOTLINE_ONLY = new Set<string>(HOTLINE_ONLY_CLIENT_EVENT_TYPES);

/** Default bound on a connection's unsent bytes (TRANSPORT-18). */
export const DEFAULT_MAX_UNSENT_BYTES = 4 << 20;

/** The close code of a connection whose peer stopped reading (TRANSPORT-18): policy violation. */
export const SEND_BUFFER_FULL_CLOSE = 1008;

/** How long the 1008 close frame may wait behind unread bytes before the socket is cut. */
export const SEND_BUFFER_FULL_GRACE_MS = 5_000;

/** The socket under a WebSocket, as its port uses it (a `net.Socket` or `tls.TLSSocket`). */
export interface PortSocket extends Corkable {
  write(chunk: Uint8Array, callback: (error?: Error | null) => void): boolean;
}

/** How a port sends a frame and learns that everything it sent was written. */
interface Drain {
  send(json: string): void;
  onDrain(fn: () => void): void;
}

const NOTHING = new Uint8Array(0);

/**
 * The drain without compression: `ws` hands each frame to the socket as it is sent, so a
 * zero-length write queued behind them completes once they were written. No callback a frame:
 * a write callback makes the socket's `writev` allocate a closure, a copy of its queue and a
 * tick a write, which was about 5% of the server's CPU at 256 streams. A drain is waited for
 * rarely (a slow reader's backpressure), one zero-length write each time.
 */
function socketDrain(ws: WebSocket, socket: PortSocket): Drain {
  return {
    send: (json) => ws.send(json),
    onDrain: (fn) => {
      if (ws.readyState !== 1 || ws.bufferedAmount === 0) fn();
      else socket.write(NOTHING, () => fn());
    },
  };
}

/**
 * The drain when `ws` may hold frames back (compressing them with permessage-deflate) or the
 * socket is not at hand: frames sent against frames written, counted by each send's callback,
 * which `ws` calls in order once its frame was written.
 */
function frameDrain(ws: WebSocket): Drain {
  let sent = 0;
  let written = 0;
  let waiting: (() => void)[] = [];
  const onWritten = (): void => {
    written++;
    if (written !== sent || waiting.length === 0) return;
    const due = waiting;
    waiting = [];
    for (const fn of due) fn();
  };
  return {
    send: (json) => {
      sent++;
      ws.send(json, onWritten);
    },
    onDrain: (fn) => {
      if (ws.readyState === 1 && written !== sent) waiting.push(fn);
      else fn();
    },
  };
}

/**
 * The {@link SessionPort} of a ws connection: the one send path of both profiles. Generation
 * pauses well before `maxUnsentBytes` (the high-water mark); what else a peer can make the
 * server send without reading (error replies, resume replays) is bounded here: a frame that
 * would take the unsent bytes past the bound closes the connection instead (1008), and nothing
 * is queued after that. With `socket` (the stream under `ws`), the frames of one turn leave in
 * one write ({@link turnCork}), each still its own frame.
 */
export function portOf(
  ws: WebSocket,
  io: Clock,
  maxUnsentBytes = DEFAULT_MAX_UNSENT_BYTES,
  socket?: PortSocket,
): SessionPort {
  const cork = socket === undefined ? undefined : turnCork(socket);
  const compressed = ws.extensions.includes("permessage-deflate");
  const drain = socket !== undefined && !compressed ? socketDrain(ws, socket) : frameDrain(ws);
  return {
    send: (json) => {
      if (ws.readyState !== 1) return;
      if (ws.bufferedAmount + json.length > maxUnsentBytes) {
        ws.close(SEND_BUFFER_FULL_CLOSE, "send_buffer_full");
        // The close frame waits behind what the peer has not read: a peer that reads again
        // finds it within the grace, one that does not is cut off then.
        io.setTimer(io.now() + SEND_BUFFER_FULL_GRACE_MS, () => ws.terminate());
        return;
      }
      cork?.();
      drain.send(json);
    },
    close: (code, reason) => ws.close(code, reason),
    bufferedAmount: () => ws.bufferedAmount,
    onDrain: drain.onDrain,
  };
}

/** Wires a WebSocket to its session; returns the target it feeds. */
export function attachConnection(ws: WebSocket, options: ConnectionOptions): ConnectionTarget {
  const target = options.bind(portOf(ws, options.io, options.maxUnsentBytes, options.socket));
  const handle = inOrder(target, options.before);
  ws.on("message", (data, isBinary) => {
    const receivedAt = performance.now();
    if (isBinary) {
      const error = new ProtocolError(
        "binary_frame_not_supported",
        "Binary frames are not supported; send text frames.",
      );
      target.fail(error);
      return;
    }
    const bytes = byteLength(data);
    if (bytes > options.maxMessageBytes) {
      target.fail(
        new ProtocolError(
          "message_too_large",
          `The message is ${bytes} bytes; the limit is ${options.maxMessageBytes} bytes.`,
        ),
      );
      return;
    }
    const text = String(data);
    const event = parseEvent(text, options.profile, target);
    if (event) handle(event, receivedAt);
  });
  ws.on("close", () => {
    handle.closed = true;
    target.closed();
  });
  // Socket errors end in 'close'; listening here keeps them from becoming uncaught.
  ws.on("error", () => {});
  return target;
}

/**
 * Hands events to `target` in arrival order; an event `before` returns a promise for waits for
 * it, and every later one waits behind it. Without `before`, the events go straight through.
 */
function inOrder(
  target: ConnectionTarget,
  before: ConnectionOptions["before"],
): ((event: ClientEvent, receivedAt: number) => void) & { closed: boolean } {
  const waiting: { event: ClientEvent; receivedAt: number }[] = [];
  let blocked = false;
  const drain = (): void => {
    while (!blocked && !handle.closed && waiting.length > 0) {
      const { event, receivedAt } = waiting[0]!;
      const wait = before?.(event);
      if (wait === undefined) {
        waiting.shift();
        target.handle(event, receivedAt);
        continue;
      }
      blocked = true;
      void wait.then(() => {
        blocked = false;
        waiting.shift();
        // A connection that closed meanwhile handles nothing more (its client left).
        if (!handle.closed) target.handle(event, receivedAt);
        drain();
      });
    }
  };
  const handle = Object.assign(
    (event: ClientEvent, receivedAt: number): void => {
      if (!before) {
        target.handle(event, receivedAt);
        return;
      }
      waiting.push({ event, receivedAt });
      drain();
    },
    { closed: false },
  );
  return handle;
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
  session: Pick<ConnectionTarget, "sendError">,
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
  // Echo only well-formed correlation ids: an invalid one would make the error invalid too.
  const eventId = isEchoable(record.event_id) ? { eventId: record.event_id } : {};
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
  // `background` asks for what a core connection cannot give (RESP-25); `stream` and
  // `stream_options` are accepted by the schema and ignored (RESP-22).
  if (type === "response.create" && profile === "core" && record.background === true) {
    session.sendError(
      new ProtocolError(
        "invalid_event",
        "'background' is not available on a core-profile connection.",
        {
          param: "/background",
          ...eventId,
          ...clientRequestId(record),
        },
      ),
    );
    return undefined;
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
  return isEchoable(record.client_request_id) ? { clientRequestId: record.client_request_id } : {};
}

/** A string of 1..128 characters: the schema of `event_id` and `client_request_id`. */
function isEchoable(value: unknown): value is string {
  return typeof value === "string" && value.length >= 1 && value.length <= 128;
}
