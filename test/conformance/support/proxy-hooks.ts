/**
 * The shape of a rule-breaking proxy's behaviour: hooks on the upgrade, on every WebSocket frame
 * in each direction, on closes, and on HTTP requests, JSON answers and SSE events. A mutation
 * (test/conformance/mutations/) is one rule plus the hooks that break it; a setting is hooks
 * (and server options) every run of some mutations shares.
 */
import type { ServerOptions } from "../../../reference-server/index.js";
import type { Profile, ResponseResource } from "../../../src/protocol/index.js";

/** A JSON event as it crosses the proxy, editable in place. */
export interface WireEvent {
  type: string;
  sequence_number?: number;
  response_id?: string;
  response?: ResponseResource;
  error?: { code: string; message: string; param?: string | null; retryable?: boolean };
  [field: string]: unknown;
}

/** A frame the proxy sends: an event (as JSON text), raw text, or a Buffer (a binary frame). */
export type Outgoing = WireEvent | string | Buffer;

/**
 * What a frame hook answers: `undefined` relays the frame as it came (edits in place are lost),
 * `null` drops it, an event or a list is sent instead.
 */
export type Relay = undefined | null | Outgoing | Outgoing[];

/** A client frame: its bytes, and the event when it is a JSON object with a string type. */
export interface ClientMessage {
  raw: Buffer;
  binary: boolean;
  event: WireEvent | null;
}

/** A WebSocket close, editable by `serverClose`. */
export interface Close {
  code: number;
  reason: string;
}

/** The upgrade request as it will go upstream: headers (lower-case) and subprotocols offered. */
export interface Upgrade {
  headers: Record<string, string>;
  protocols: string[];
  /** Sec-WebSocket-Extensions as the client offered it (never relayed: the proxy negotiates none). */
  readonly extensions: string;
}

/** An HTTP answer the proxy gives instead of the server's (an upgrade refusal, a JSON body). */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  /** A JSON value, or raw text. */
  body: unknown;
}

/** Facts every hook may use: what the deployment accepts, and state shared by every connection. */
export interface ProxyEnv {
  /** A bearer token the server accepts. */
  readonly token: string;
  /** Proxy-wide state of one hook set, created on first use. */
  shared<T>(key: object, init: () => T): T;
}

/** One relayed WebSocket connection, as hooks see it. */
export interface WsConnection {
  readonly env: ProxyEnv;
  /** `hotline.v1` or `core`, as the client sees the connection. */
  readonly profile: Profile;
  /** Per-connection state of one hook set, created on first use. */
  state<T>(key: object, init: () => T): T;
  /** Queues frames to the client behind everything queued before them. */
  toClient(...frames: Outgoing[]): void;
  /** Sends a frame to the server. */
  toServer(frame: Outgoing): void;
  /** Holds the client-bound queue for `ms`: frames queued later wait behind the pause. */
  pauseClient(ms: number): void;
  /** Closes the client side once everything queued before it was sent. */
  closeClient(code: number, reason?: string): void;
  /** Sends the client a WebSocket ping; resolves with its round trip when the pong comes. */
  pingClient(): Promise<number>;
  /** The response an event belongs to: its response_id, response.id, or the current core response. */
  responseOf(event: WireEvent): string | null;
  /** Responses of this connection that started (response.created seen) and did not end. */
  readonly inFlight: ReadonlySet<string>;
  /** How many responses started on this connection before `id` (0 for the first). */
  ordinal(id: string): number;
}

/** What `clientClose` decides: relay the close (default) or keep the server side open. */
export type CloseDecision = "relay" | "keep-upstream";

/** One HTTP request as it will go upstream. */
export interface HttpRequest {
  method: string;
  /** Path and query, e.g. `/v1/responses/resp_1?stream=true`. */
  path: string;
  headers: Record<string, string>;
  /** The parsed JSON body, or null when there is none (or it is not JSON). */
  json: Record<string, unknown> | null;
  /** True for the first request on its TCP connection. */
  newConnection: boolean;
}

/** One SSE message: its `event:` name and `data:`, parsed when JSON. */
export interface SseMessage {
  event: string | null;
  data: string;
  json: WireEvent | null;
}

/** Hooks on the HTTP binding. */
export interface HttpHooks {
  /** Edits the request before it goes upstream, or answers it instead (may wait first). */
  request?(req: HttpRequest, env: ProxyEnv): void | Answer | Promise<void | Answer>;
  /** Edits a JSON (non-SSE) answer; `req` is the request as sent upstream. */
  response?(answer: Answer, req: HttpRequest, env: ProxyEnv): void | Answer;
  /**
   * Edits one SSE message: `undefined` relays it, `null` drops it, a message or list replaces
   * it. `stream` is per-request state.
   */
  sseMessage?(
    message: SseMessage,
    req: HttpRequest,
    stream: Map<string, unknown>,
  ): undefined | null | SseMessage | SseMessage[];
  /** Keep reading the server's stream when the client goes away (default: abort it too). */
  keepUpstreamOnAbort?: boolean;
}

/** Everything one hook set may do; every hook is optional. */
export interface ProxyHooks {
  /** Edits the upgrade before it goes upstream, or refuses it. */
  upgrade?(up: Upgrade, env: ProxyEnv): void | Answer | Promise<void | Answer>;
  /** Picks the subprotocol the client gets (default: the server's choice, "" for none). */
  selectProtocol?(offered: string[], upstream: string): string;
  /** Both sides are open. */
  open?(conn: WsConnection): void;
  /** A server frame on its way to the client. */
  fromServer?(event: WireEvent, conn: WsConnection): Relay;
  /** A client frame on its way to the server. */
  fromClient?(message: ClientMessage, conn: WsConnection): Relay;
  /** The server closed: edit the close the client gets. */
  serverClose?(close: Close, conn: WsConnection): void;
  /** The client closed (`dropped`: without a close frame). */
  clientClose?(close: Close & { dropped: boolean }, conn: WsConnection): CloseDecision | void;
  http?: HttpHooks;
}

/** A proxy behaviour that breaks exactly one rule of spec/. */
export interface Mutation extends ProxyHooks {
  /** Unique, kebab-case. */
  readonly name: string;
  /** The requirement it breaks (an anchor in spec/). */
  readonly rule: string;
  /** What the proxied server then does wrong. */
  readonly description: string;
  /** A shared setting its runs need (see mutations/settings.ts). */
  readonly setting?: string;
  /** Profiles whose runs can see it, when not the default (see mutations.test.ts). */
  readonly profiles?: readonly ("auto" | "core")[];
  /**
   * Cases that necessarily fail too although they do not cite `rule`, each with the reason
   * (another rule asks the same thing of the same connection).
   */
  readonly alsoFails?: Readonly<Record<string, string>>;
  /**
   * Set when the cases citing `rule` cannot prove this break (they miss it, or fail a correct
   * server too): a bug in those cases, reported, not fixed here. Its test is a todo that shows
   * the bug, and it proves nothing.
   */
  readonly caseBug?: string;
}

/** Hooks and server options several mutations' runs share, control included. */
export interface Setting {
  readonly name: string;
  readonly description: string;
  readonly server?: ServerOptions;
  readonly proxy?: ProxyHooks;
}

/** Defines a mutation; an identity function that keeps mutation files declarative and typed. */
export function defineMutation(m: Mutation): Mutation {
  return m;
}
