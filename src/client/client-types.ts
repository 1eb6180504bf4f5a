/**
 * The public vocabulary of {@link HotlineClient}: its options, the events it emits, the
 * states its connection goes through and what `connect()` and `responses.create` deal in.
 * They live apart from the class so the client and its connection share them without
 * importing each other.
 *
 * @module
 */
import type { ReceivedError } from "../protocol/errors.js";
import type { Profile } from "../protocol/events.gen.js";
import type {
  RateLimit,
  ResponseCreateEvent,
  ServerEvent,
  Session,
  SessionGoingAwayEvent,
} from "../protocol/types.gen.js";
import type { ReconnectOptions } from "./backoff.js";
import type { HotlineClientError } from "./errors.js";
import type { SocketFactory } from "./socket.js";

/** The profile a connection speaks (one source: the generated protocol constants). */
export type { Profile };

/**
 * What {@link HotlineClient.responses}.create takes: the `response.create` body without
 * `type`; `client_request_id` is generated when omitted.
 *
 * @category Streaming
 */
export type CreateParams = Omit<ResponseCreateEvent, "type" | "event_id">;

/**
 * Where the connection stands.
 *
 * @category Session
 */
export type ConnectionState = "idle" | "connecting" | "open" | "reconnecting" | "closed";

/**
 * Options of {@link HotlineClient}.
 *
 * @category Session
 */
export interface HotlineClientOptions {
  /** `ws(s)://host:port/v1/responses`; an `http(s)://host:port` base is converted. */
  url: string;
  /** Bearer token (a header on Node, a `hotline.bearer.` subprotocol entry in browsers). */
  token?: string;
  /** `hotline.v1` (default: offered, core accepted as a fallback) or `core` (never offered). */
  profile?: Profile;
  /** Reconnect policy, or `false` to fail in-flight responses on the first loss. */
  reconnect?: ReconnectOptions | false;
  /**
   * Milliseconds without any frame, while a response is in flight, after which the
   * connection is presumed dead and recovered. Default: three heartbeat intervals in
   * `hotline.v1` (heartbeats count as activity, SESSION-12), 60,000 in core.
   */
  idleTimeoutMs?: number;
  /** How long to wait for the socket and its first frame (default 10,000 ms). */
  connectTimeoutMs?: number;
  /** A standard `WebSocket` constructor to use instead of the platform default. */
  WebSocket?: typeof WebSocket;
  /** Full control over how sockets are opened (tests, proxies). */
  socketFactory?: SocketFactory;
}

/**
 * What `connect()` resolves with.
 *
 * @category Session
 */
export interface ConnectionInfo {
  profile: Profile;
  /** The session object (`hotline.v1` only). */
  session: Session | undefined;
}

/**
 * Listener payloads of {@link HotlineClient.on}.
 *
 * @category Session
 */
export interface HotlineClientEvents {
  /** The connection state changed. */
  state: ConnectionState;
  /** A session object arrived (`session.created`, `.resumed` or `.updated`). */
  session: Session;
  /** Rate limits changed (`rate_limits.updated`, or the session's initial limits). */
  rate_limits: ReadonlyMap<string, RateLimit>;
  /** The server announced it will close; the client is migrating. */
  going_away: SessionGoingAwayEvent;
  /** An error that belongs to no response (session-scoped, or a failed recovery). */
  error: ReceivedError | HotlineClientError;
  /** Every server event, as received (duplicates from replays included). */
  event: ServerEvent;
}
