/**
 * `HotlineClient`: one WebSocket session to a Hotline server, with several responses at once,
 * cancel and steer, and recovery that callers do not see: a lost connection is reopened with
 * the resume token and every response continues from its last sequence number; a
 * `session.going_away` moves the session to a new connection before the deadline.
 *
 * @module
 */
import { ProtocolError } from "../protocol/errors.js";
import type {
  ErrorEvent,
  InputItem,
  RateLimit,
  ResponseCreateEvent,
  ServerEvent,
  Session,
  SessionGoingAwayEvent,
  SessionLimits,
  SessionUpdateParams,
  SessionUpdatedEvent,
} from "../protocol/types.gen.js";
import { backoffDelay, type ReconnectOptions } from "./backoff.js";
import { standardSocketFactory } from "./browser-socket.js";
import { defaultSocketFactory } from "./default-socket.js";
import { Emitter, type Unsubscribe } from "./emitter.js";
import { errorFromEvent, HotlineClientError } from "./errors.js";
import type { ClientSocket, SocketFactory } from "./socket.js";
import {
  type ResponseEvent,
  ResponseStream,
  type SteerOptions,
  type StreamController,
} from "./stream.js";

/**
 * The profile a connection speaks.
 *
 * @category Session
 */
export type Profile = "core" | "hotline.v1";

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
  error: ProtocolError | HotlineClientError;
  /** Every server event, as received (duplicates from replays included). */
  event: ServerEvent;
}

/** One socket and what arrived on it. */
interface Link {
  socket: ClientSocket | undefined;
  profile: Profile;
  /** False once replaced or lost: its frames are then ignored. */
  active: boolean;
  first: (frame: ServerEvent) => void;
}

/** A stream's wire state. */
interface Entry {
  stream: ResponseStream;
  /** The create or steer that starts it; repeated verbatim (new `event_id`) after a loss. */
  body: Record<string, unknown>;
  sent: boolean;
}

let idCounter = 0;

function randomId(prefix: string): string {
  const uuid = globalThis.crypto?.randomUUID?.();
  return `${prefix}${uuid ?? `${Date.now().toString(36)}${(idCounter++).toString(36)}${Math.random().toString(36).slice(2)}`}`;
}

function normaliseUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol === "http:") parsed.protocol = "ws:";
  if (parsed.protocol === "https:") parsed.protocol = "wss:";
  if (parsed.pathname === "/" || parsed.pathname === "") parsed.pathname = "/v1/responses";
  return parsed.toString();
}

/**
 * A Hotline session over WebSocket.
 *
 * ```ts
 * const client = new HotlineClient({ url: "ws://127.0.0.1:8080/v1/responses" });
 * await client.connect();
 * const stream = client.responses.create({ input: "Write a parser" });
 * for await (const event of stream) if (event.type === "response.output_text.delta") print(event.delta);
 * ```
 *
 * @category Session
 */
export class HotlineClient {
  /** Response operations. */
  readonly responses: { create(params: CreateParams): ResponseStream };
  readonly #options: HotlineClientOptions;
  readonly #url: string;
  readonly #factory: SocketFactory;
  readonly #emitter = new Emitter<HotlineClientEvents>();
  readonly #entries = new Map<ResponseStream, Entry>();
  readonly #byResponseId = new Map<string, ResponseStream>();
  readonly #byRequestId = new Map<string, ResponseStream>();
  readonly #waiting: ResponseStream[] = [];
  readonly #pings = new Map<string, (ms: number) => void>();
  readonly #updates: ((event: SessionUpdatedEvent) => void)[] = [];
  readonly #rateLimits = new Map<string, RateLimit>();
  #link: Link | undefined;
  #connecting: Promise<void> | undefined;
  #recovery: Promise<void> | undefined;
  #session: Session | undefined;
  #profile: Profile | undefined;
  #state: ConnectionState = "idle";
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  #eventCounter = 0;

  constructor(options: HotlineClientOptions) {
    this.#options = options;
    this.#url = normaliseUrl(options.url);
    this.#factory =
      options.socketFactory ??
      (options.WebSocket ? standardSocketFactory(options.WebSocket) : defaultSocketFactory());
    this.responses = { create: (params) => this.#create(params) };
  }

  /** The negotiated profile (after `connect()`). */
  get profile(): Profile | undefined {
    return this.#profile;
  }

  /** The current session object (`hotline.v1`). */
  get session(): Session | undefined {
    return this.#session;
  }

  /** The session's limits (`hotline.v1`); undefined in core. */
  get limits(): SessionLimits | undefined {
    return this.#session?.limits;
  }

  /** The latest known rate limits by name. */
  get rateLimits(): ReadonlyMap<string, RateLimit> {
    return this.#rateLimits;
  }

  /** Where the connection stands. */
  get state(): ConnectionState {
    return this.#state;
  }

  /** Adds a listener; returns its remover. */
  on<K extends keyof HotlineClientEvents>(
    name: K,
    listener: (value: HotlineClientEvents[K]) => void,
  ): Unsubscribe {
    return this.#emitter.on(name, listener);
  }

  /** Opens the connection (if not open) and resolves with the negotiated profile and session. */
  async connect(): Promise<ConnectionInfo> {
    if (this.#state === "closed") throw new HotlineClientError("closed", "The client is closed.");
    if (!this.#link?.active) {
      this.#connecting ??= this.#openAndAdopt(this.#session?.resume_token).finally(() => {
        this.#connecting = undefined;
      });
      await this.#connecting;
    }
    return { profile: this.#profile!, session: this.#session };
  }

  /** Round trip through `session.ping`; resolves with the milliseconds it took. */
  async ping(): Promise<number> {
    await this.connect();
    this.#requireHotline("ping");
    const nonce = randomId("n_");
    const started = Date.now();
    return new Promise<number>((resolve) => {
      this.#pings.set(nonce, () => resolve(Date.now() - started));
      this.#send({ type: "session.ping", nonce });
    });
  }

  /** Changes the session defaults (`session.update`), optionally prefilling them. */
  async updateSession(
    session: SessionUpdateParams,
    options: { prewarm?: boolean } = {},
  ): Promise<SessionUpdatedEvent> {
    await this.connect();
    this.#requireHotline("updateSession");
    return new Promise<SessionUpdatedEvent>((resolve) => {
      this.#updates.push(resolve);
      this.#send({
        type: "session.update",
        session,
        ...(options.prewarm ? { prewarm: true } : {}),
      });
    });
  }

  /** Closes the connection; in-flight responses fail with `closed`. */
  close(): void {
    if (this.#state === "closed") return;
    this.#setState("closed");
    const link = this.#link;
    this.#link = undefined;
    if (link) {
      link.active = false;
      link.socket?.close(1000, "client closed");
    }
    this.#clearIdle();
    const error = new HotlineClientError("closed", "The client was closed.");
    for (const stream of [...this.#entries.keys()]) this.#failStream(stream, error);
    this.#waiting.length = 0;
  }

  // ---- responses ------------------------------------------------------------------------

  #create(params: CreateParams): ResponseStream {
    const clientRequestId = params.client_request_id ?? randomId("req_");
    const controller: StreamController = {
      cancel: (stream, chars) => this.#cancel(stream, chars),
      steer: (stream, input, options) => this.#steer(stream, input, options),
    };
    const stream = new ResponseStream(controller, clientRequestId);
    const body = { ...params, type: "response.create", client_request_id: clientRequestId };
    if (this.#state === "closed") {
      stream.fail(new HotlineClientError("closed", "The client is closed."));
      return stream;
    }
    this.#entries.set(stream, { stream, body, sent: false });
    this.#byRequestId.set(clientRequestId, stream);
    this.#waiting.push(stream);
    this.connect().then(
      () => this.#pump(),
      (error: unknown) => this.#failStream(stream, error),
    );
    return stream;
  }

  /** Sends waiting creates while the session has free slots. */
  #pump(): void {
    const link = this.#link;
    if (!link?.active) return;
    const max = this.#profile === "core" ? 1 : (this.#session?.limits.max_in_flight ?? 1);
    let inFlight = 0;
    for (const entry of this.#entries.values()) if (entry.sent) inFlight++;
    while (this.#waiting.length > 0 && inFlight < max) {
      const stream = this.#waiting.shift()!;
      const entry = this.#entries.get(stream);
      if (!entry) continue;
      entry.sent = true;
      inFlight++;
      if (link.profile === "core" && "client_request_id" in entry.body) {
        // Core servers reject unknown fields: the key stays client-side.
        const { client_request_id: _drop, ...core } = entry.body;
        this.#send(core);
      } else {
        this.#send(entry.body);
      }
    }
    this.#armIdle();
  }

  #cancel(stream: ResponseStream, chars: number | undefined): void {
    this.#requireHotline("cancel");
    this.#send({
      type: "response.cancel",
      response_id: stream.responseId,
      ...(chars === undefined ? {} : { truncate: { text_chars: chars } }),
    });
  }

  #steer(stream: ResponseStream, input: string | InputItem[], options: SteerOptions) {
    const clientRequestId = options.clientRequestId ?? randomId("req_");
    const controller: StreamController = {
      cancel: (s, chars) => this.#cancel(s, chars),
      steer: (s, i, o) => this.#steer(s, i, o),
    };
    const next = new ResponseStream(controller, clientRequestId, stream.responseId);
    if (this.#profile === "core" || (this.#session && !this.#session.features.includes("steer"))) {
      next.fail(new HotlineClientError("unsupported", "This session does not offer steer."));
      return next;
    }
    this.#byRequestId.set(clientRequestId, next);
    stream.id().then(
      (responseId) => {
        const body: Record<string, unknown> = {
          type: "response.steer",
          response_id: responseId,
          input,
          client_request_id: clientRequestId,
        };
        if (options.maxOutputTokens !== undefined) body.max_output_tokens = options.maxOutputTokens;
        if (options.metadata !== undefined) body.metadata = options.metadata;
        // The steered response's slot passes to the new one (INT-11): no queueing.
        this.#entries.set(next, { stream: next, body, sent: true });
        if (this.#link?.active) this.#send(body);
      },
      (error: unknown) => next.fail(error),
    );
    return next;
  }

  #failStream(stream: ResponseStream, error: unknown, event?: ErrorEvent): void {
    stream.fail(error, event);
    this.#forget(stream);
  }

  #forget(stream: ResponseStream): void {
    this.#entries.delete(stream);
    this.#byRequestId.delete(stream.clientRequestId);
    if (stream.responseId) this.#byResponseId.delete(stream.responseId);
    const index = this.#waiting.indexOf(stream);
    if (index >= 0) this.#waiting.splice(index, 1);
    queueMicrotask(() => this.#pump());
  }

  // ---- frames ---------------------------------------------------------------------------

  #send(event: Record<string, unknown>): void {
    const link = this.#link;
    if (!link?.socket || !link.active) return;
    const withId =
      link.profile === "core" ? event : { ...event, event_id: `ev_${++this.#eventCounter}` };
    link.socket.send(JSON.stringify(withId));
  }

  #onFrame(link: Link, data: string): void {
    if (!link.active) return;
    let event: ServerEvent;
    try {
      event = JSON.parse(data) as ServerEvent;
    } catch (error) {
      this.#emitter.emit(
        "error",
        new HotlineClientError("protocol_violation", "The server sent a frame that is not JSON.", {
          cause: error,
        }),
      );
      return;
    }
    this.#armIdle();
    this.#emitter.emit("event", event);
    switch (event.type) {
      case "session.created":
      case "session.resumed":
        link.first(event);
        return;
      case "session.updated":
        this.#adoptSession(event.session);
        this.#updates.shift()?.(event);
        return;
      case "session.pong":
        this.#pings.get(event.nonce)?.(0);
        this.#pings.delete(event.nonce);
        return;
      case "session.heartbeat":
        return;
      case "session.going_away":
        this.#emitter.emit("going_away", event);
        if (this.#session) this.#session = { ...this.#session, resume_token: event.resume_token };
        this.#startRecovery(link);
        return;
      case "rate_limits.updated":
        for (const limit of event.rate_limits) this.#rateLimits.set(limit.name, limit);
        this.#emitter.emit("rate_limits", this.#rateLimits);
        return;
      case "error":
        this.#onError(link, event);
        return;
      default:
        this.#route(link, event);
    }
  }

  #route(link: Link, event: ResponseEvent): void {
    let stream: ResponseStream | undefined;
    const responseId = (event as { response_id?: string }).response_id;
    if (event.type === "response.created") {
      const key = event.client_request_id;
      stream = key ? this.#byRequestId.get(key) : undefined;
      if (!stream && link.profile === "core") stream = this.#coreCurrent();
      if (stream) this.#byResponseId.set(event.response.id, stream);
    } else if (responseId !== undefined) {
      stream = this.#byResponseId.get(responseId);
    } else if (link.profile === "core") {
      stream = this.#coreCurrent();
    }
    if (!stream) return;
    const result = stream.deliver(event);
    if (result === "gap" && stream.responseId) {
      // Never expected on one ordered connection; ask for the missing events rather than
      // hand the caller a hole.
      this.#send({
        type: "response.resume",
        response_id: stream.responseId,
        after_sequence_number: stream.lastSequenceNumber,
      });
    }
    if (stream.done) this.#forget(stream);
  }

  #coreCurrent(): ResponseStream | undefined {
    for (const entry of this.#entries.values()) if (entry.sent) return entry.stream;
    return undefined;
  }

  #onError(link: Link, event: ErrorEvent): void {
    const error = errorFromEvent(event);
    let stream: ResponseStream | undefined;
    if (event.response_id !== undefined) stream = this.#byResponseId.get(event.response_id);
    if (!stream && event.client_request_id) stream = this.#byRequestId.get(event.client_request_id);
    if (!stream && link.profile === "core" && event.sequence_number === undefined) {
      // Core errors carry no correlation: one before response.created rejected the create.
      const current = this.#coreCurrent();
      if (current && current.responseId === undefined) stream = current;
    }
    if (stream && event.sequence_number !== undefined) {
      stream.deliver(event);
      return;
    }
    if (stream && error.code !== "response_not_active") {
      // A rejected create or steer, or a resume the server cannot serve.
      this.#failStream(stream, error, event);
      return;
    }
    if (error.code === "resume_expired") return; // handled when session.created arrived
    if (!stream) this.#emitter.emit("error", error);
  }

  // ---- connection -----------------------------------------------------------------------

  #setState(state: ConnectionState): void {
    if (this.#state === state || (this.#state === "closed" && state !== "closed")) return;
    this.#state = state;
    this.#emitter.emit("state", state);
  }

  #adoptSession(session: Session): void {
    this.#session = session;
    if (session.limits.rate_limits) {
      for (const limit of session.limits.rate_limits) this.#rateLimits.set(limit.name, limit);
      this.#emitter.emit("rate_limits", this.#rateLimits);
    }
    this.#emitter.emit("session", session);
  }

  #requireHotline(what: string): void {
    if (this.#profile !== "hotline.v1") {
      throw new HotlineClientError("unsupported", `${what} needs the hotline.v1 profile.`);
    }
  }

  /** Opens a link; resolves with it and its first frame (undefined in core). */
  async #open(resumeToken: string | undefined): Promise<{ link: Link; first?: ServerEvent }> {
    const timeoutMs = this.#options.connectTimeoutMs ?? 10_000;
    let resolveFirst!: (frame: ServerEvent) => void;
    const firstFrame = new Promise<ServerEvent>((resolve) => (resolveFirst = resolve));
    const link: Link = { socket: undefined, profile: "core", active: true, first: resolveFirst };
    let closedEarly: ((error: HotlineClientError) => void) | undefined;
    const early = new Promise<never>((_, reject) => (closedEarly = reject));
    early.catch(() => undefined);
    const wantHotline = this.#options.profile !== "core";
    const socket = await withTimeout(
      this.#factory({
        url: this.#url,
        protocols: wantHotline ? ["hotline.v1"] : [],
        ...(this.#options.token ? { bearerToken: this.#options.token } : {}),
        ...(resumeToken && wantHotline ? { resumeToken } : {}),
        handlers: {
          onMessage: (data) => this.#onFrame(link, data),
          onClose: (code, reason) => {
            closedEarly?.(
              new HotlineClientError(
                "connect_failed",
                `Closed before the session began (${code}).`,
              ),
            );
            this.#onLinkClosed(link, code, reason);
          },
        },
      }),
      timeoutMs,
      "connect_failed",
    );
    link.socket = socket;
    link.profile = socket.protocol === "hotline.v1" ? "hotline.v1" : "core";
    if (link.profile === "core") return { link };
    try {
      const first = await withTimeout(
        Promise.race([firstFrame, early]),
        timeoutMs,
        "connect_failed",
      );
      closedEarly = undefined;
      return { link, first };
    } catch (error) {
      link.active = false;
      socket.abort();
      throw error;
    }
  }

  /** Opens a link and makes it the current one. */
  async #openAndAdopt(resumeToken: string | undefined): Promise<void> {
    this.#setState(this.#session ? "reconnecting" : "connecting");
    const { link, first } = await this.#open(resumeToken);
    this.#adopt(link, first, resumeToken !== undefined);
  }

  /** Makes `link` current and resumes whatever was in flight. */
  #adopt(link: Link, first: ServerEvent | undefined, presentedToken: boolean): void {
    const old = this.#link;
    if (old && old !== link) {
      old.active = false;
      old.socket?.close(1000, "migrated");
    }
    this.#link = link;
    this.#profile = link.profile;
    if (this.#state === "closed") {
      link.active = false;
      link.socket?.close(1000, "client closed");
      return;
    }
    this.#setState("open");
    const resumed = first?.type === "session.resumed";
    if (first?.type === "session.created" || first?.type === "session.resumed") {
      this.#adoptSession(first.session);
    }
    for (const entry of [...this.#entries.values()]) {
      const { stream } = entry;
      if (!entry.sent) continue;
      if (stream.responseId !== undefined && resumed) {
        this.#send({
          type: "response.resume",
          response_id: stream.responseId,
          after_sequence_number: stream.lastSequenceNumber,
        });
      } else if (
        stream.responseId !== undefined ||
        (presentedToken && !resumed && stream.steeredFrom)
      ) {
        this.#failStream(
          stream,
          new HotlineClientError(
            "session_lost",
            "The server no longer holds the session; the response cannot be resumed.",
          ),
        );
      } else if (link.profile === "hotline.v1") {
        // An ambiguous create: the same body and client_request_id attach to the response
        // if the server got it (RESUME-11) and start it if not.
        this.#send(entry.body);
      } else {
        entry.sent = false;
        this.#waiting.unshift(stream);
      }
    }
    this.#pump();
  }

  #onLinkClosed(link: Link, code: number, reason: string): void {
    if (!link.active) return;
    link.active = false;
    if (this.#link !== link) return;
    this.#clearIdle();
    if (this.#state === "closed") return;
    const inFlight = [...this.#entries.values()].some((e) => e.sent);
    const canResume =
      link.profile === "hotline.v1" &&
      this.#options.reconnect !== false &&
      this.#session?.features.includes("resume") === true &&
      code !== 4002;
    if (!canResume) {
      const error = new HotlineClientError(
        "connection_lost",
        `The connection closed (${code}${reason ? ` ${reason}` : ""}).`,
      );
      for (const entry of [...this.#entries.values()]) {
        if (entry.sent) this.#failStream(entry.stream, error);
      }
      this.#link = undefined;
      this.#setState("idle");
      this.#pump();
      return;
    }
    if (inFlight || this.#waiting.length > 0) this.#startRecovery(link);
    else this.#setState("idle");
  }

  /**
   * Reopens the session on a new connection with the resume token. After a going-away the
   * old link is still open and stays in use until the new one is resumed (make before break).
   */
  #startRecovery(from: Link): void {
    if (this.#recovery) return;
    this.#recovery = this.#recover(from).finally(() => {
      this.#recovery = undefined;
    });
  }

  async #recover(from: Link): Promise<void> {
    this.#setState("reconnecting");
    const options = this.#options.reconnect || {};
    const maxAttempts = options.maxAttempts ?? 8;
    let lastError: unknown;
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const delay = backoffDelay(attempt, options);
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      if (this.#state === "closed") return;
      try {
        const { link, first } = await this.#open(this.#session?.resume_token);
        this.#adopt(link, first, true);
        return;
      } catch (error) {
        lastError = error;
      }
    }
    const error = new HotlineClientError(
      "connection_lost",
      `Could not reconnect after ${maxAttempts} attempts.`,
      { cause: lastError },
    );
    this.#emitter.emit("error", error);
    if (this.#link === from && from.active) {
      this.#setState("open"); // migration failed but the old link still works
      return;
    }
    for (const stream of [...this.#entries.keys()]) this.#failStream(stream, error);
    this.#link = undefined;
    this.#setState("idle");
  }

  // ---- idle watchdog --------------------------------------------------------------------

  #idleTimeoutMs(): number {
    if (this.#options.idleTimeoutMs !== undefined) return this.#options.idleTimeoutMs;
    const heartbeat = this.#session?.features.includes("heartbeat")
      ? this.#session.limits.heartbeat_interval_ms
      : undefined;
    return heartbeat !== undefined ? heartbeat * 3 : 60_000;
  }

  /** Re-arms the watchdog while a response is in flight; every frame counts as activity. */
  #armIdle(): void {
    this.#clearIdle();
    const link = this.#link;
    if (!link?.active || ![...this.#entries.values()].some((e) => e.sent)) return;
    this.#idleTimer = setTimeout(() => {
      if (!link.active || this.#link !== link) return;
      this.#emitter.emit(
        "error",
        new HotlineClientError("idle_timeout", "No frame arrived within the idle timeout."),
      );
      link.socket?.abort();
      this.#onLinkClosed(link, 4999, "idle timeout");
    }, this.#idleTimeoutMs());
  }

  #clearIdle(): void {
    if (this.#idleTimer !== undefined) clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, code: "connect_failed"): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new HotlineClientError(code, `No answer within ${ms} ms.`)),
      ms,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
