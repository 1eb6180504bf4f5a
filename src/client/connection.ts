/**
 * The connection under a `HotlineClient`: it opens a socket and waits for the session to
 * begin, reopens it with the resume token when it is lost, and moves the session to a new
 * connection when the server sends `session.going_away` (make before break). It also keeps
 * what the server said about the session: the session object, the profile, the rate limits.
 * The responses are the client's: through {@link ConnectionHost} the connection hands it
 * frames, tells it when a new link took over, and asks it to fail what cannot be recovered.
 *
 * @module
 */
import type {
  RateLimit,
  ServerEvent,
  Session,
  SessionGoingAwayEvent,
} from "../protocol/types.gen.js";
import { CORE_PROFILE, HOTLINE_PROFILE } from "../protocol/events.gen.js";
import { backoffDelay } from "./backoff.js";
import { standardSocketFactory } from "./browser-socket.js";
import type {
  ConnectionInfo,
  ConnectionState,
  HotlineClientEvents,
  HotlineClientOptions,
  Profile,
} from "./client-types.js";
import { defaultSocketFactory } from "./default-socket.js";
import type { Emitter } from "./emitter.js";
import { HotlineClientError } from "./errors.js";
import { IdleWatchdog, idleTimeoutMs } from "./idle-watchdog.js";
import type { ClientSocket, SocketFactory } from "./socket.js";

/** One socket and what arrived on it. */
export interface Link {
  socket: ClientSocket | undefined;
  profile: Profile;
  /** False once replaced or lost: its frames are then ignored. */
  active: boolean;
  /** Takes the session's first frame (`session.created` or `.resumed`) while opening. */
  first: (frame: ServerEvent) => void;
}

/** What the connection needs from the client that owns the responses. */
export interface ConnectionHost {
  /** A text frame arrived on `link`. */
  onFrame(link: Link, data: string): void;
  /**
   * `link` became current: resume, resend or requeue what was in flight, then send what
   * waits. `resumed` says the server kept the session; `presentedToken` that it was asked to.
   */
  onAdopted(link: Link, resumed: boolean, presentedToken: boolean): void;
  /** Whether a response has been sent and has not finished. */
  hasInFlight(): boolean;
  /** Whether a create waits for a free slot. */
  hasWaiting(): boolean;
  /** Fails the responses that were sent. */
  failInFlight(error: HotlineClientError): void;
  /** Fails every response, sent or waiting. */
  failAll(error: HotlineClientError): void;
  /** Sends waiting creates while the session has free slots. */
  pump(): void;
}

function normaliseUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol === "http:") parsed.protocol = "ws:";
  if (parsed.protocol === "https:") parsed.protocol = "wss:";
  if (parsed.pathname === "/" || parsed.pathname === "") parsed.pathname = "/v1/responses";
  return parsed.toString();
}

/** The current link of one client, its recovery, and the session state it carries. */
export class Connection {
  readonly #options: HotlineClientOptions;
  readonly #url: string;
  readonly #factory: SocketFactory;
  readonly #emitter: Emitter<HotlineClientEvents>;
  readonly #host: ConnectionHost;
  readonly #rateLimits = new Map<string, RateLimit>();
  readonly #watchdog = new IdleWatchdog();
  #link: Link | undefined;
  #connecting: Promise<void> | undefined;
  #recovery: Promise<void> | undefined;
  #session: Session | undefined;
  #profile: Profile | undefined;
  #state: ConnectionState = "idle";
  #eventCounter = 0;

  constructor(
    options: HotlineClientOptions,
    emitter: Emitter<HotlineClientEvents>,
    host: ConnectionHost,
  ) {
    this.#options = options;
    this.#url = normaliseUrl(options.url);
    this.#factory =
      options.socketFactory ??
      (options.WebSocket ? standardSocketFactory(options.WebSocket) : defaultSocketFactory());
    this.#emitter = emitter;
    this.#host = host;
  }

  /** The current link; frames go out on it while it is active. */
  get link(): Link | undefined {
    return this.#link;
  }

  /** The negotiated profile (after the first connect). */
  get profile(): Profile | undefined {
    return this.#profile;
  }

  /** The current session object (`hotline.v1`). */
  get session(): Session | undefined {
    return this.#session;
  }

  /** The latest known rate limits by name. */
  get rateLimits(): ReadonlyMap<string, RateLimit> {
    return this.#rateLimits;
  }

  /** Where the connection stands. */
  get state(): ConnectionState {
    return this.#state;
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

  /** Closes the current link for good; failing the responses is the client's part. */
  close(): void {
    this.#setState("closed");
    const link = this.#link;
    this.#link = undefined;
    if (link) {
      link.active = false;
      link.socket?.close(1000, "client closed");
    }
    this.#watchdog.clear();
  }

  /** Sends one client event on the current link (dropped when there is none). */
  send(event: Record<string, unknown>): void {
    const link = this.#link;
    if (!link?.socket || !link.active) return;
    const withId =
      link.profile === "core" ? event : { ...event, event_id: `ev_${++this.#eventCounter}` };
    link.socket.send(JSON.stringify(withId));
  }

  /** Takes a session object the server sent, with the rate limits it carries. */
  adoptSession(session: Session): void {
    this.#session = session;
    if (session.limits.rate_limits) {
      for (const limit of session.limits.rate_limits) this.#rateLimits.set(limit.name, limit);
      this.#emitter.emit("rate_limits", this.#rateLimits);
    }
    this.#emitter.emit("session", session);
  }

  /** Takes a `rate_limits.updated`. */
  updateRateLimits(limits: RateLimit[]): void {
    for (const limit of limits) this.#rateLimits.set(limit.name, limit);
    this.#emitter.emit("rate_limits", this.#rateLimits);
  }

  /** Takes a `session.going_away` that arrived on `link`: migrates with the new token. */
  goingAway(link: Link, event: SessionGoingAwayEvent): void {
    this.#emitter.emit("going_away", event);
    if (this.#session) this.#session = { ...this.#session, resume_token: event.resume_token };
    this.#startRecovery(link);
  }

  // ---- connection -----------------------------------------------------------------------

  #setState(state: ConnectionState): void {
    if (this.#state === state || (this.#state === "closed" && state !== "closed")) return;
    this.#state = state;
    this.#emitter.emit("state", state);
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
        protocols: wantHotline ? [HOTLINE_PROFILE] : [],
        ...(this.#options.token ? { bearerToken: this.#options.token } : {}),
        ...(resumeToken && wantHotline ? { resumeToken } : {}),
        handlers: {
          onMessage: (data) => this.#host.onFrame(link, data),
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
    link.profile = socket.protocol === HOTLINE_PROFILE ? HOTLINE_PROFILE : CORE_PROFILE;
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

  /** Makes `link` current and has the client resume whatever was in flight. */
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
      this.adoptSession(first.session);
    }
    this.#host.onAdopted(link, resumed, presentedToken);
  }

  #onLinkClosed(link: Link, code: number, reason: string): void {
    if (!link.active) return;
    link.active = false;
    if (this.#link !== link) return;
    this.#watchdog.clear();
    if (this.#state === "closed") return;
    const inFlight = this.#host.hasInFlight();
    const canResume =
      link.profile === "hotline.v1" &&
      this.#options.reconnect !== false &&
      this.#session?.features.includes("resume") === true &&
      code !== 4002;
    if (!canResume) {
      this.#host.failInFlight(
        new HotlineClientError(
          "connection_lost",
          `The connection closed (${code}${reason ? ` ${reason}` : ""}).`,
        ),
      );
      this.#link = undefined;
      this.#setState("idle");
      this.#host.pump();
      return;
    }
    if (inFlight || this.#host.hasWaiting()) this.#startRecovery(link);
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
    this.#host.failAll(error);
    this.#link = undefined;
    this.#setState("idle");
  }

  // ---- idle watchdog --------------------------------------------------------------------

  /** Re-arms the watchdog while a response is in flight; every frame counts as activity. */
  armIdle(): void {
    this.#watchdog.clear();
    const link = this.#link;
    if (!link?.active || !this.#host.hasInFlight()) return;
    this.#watchdog.arm(idleTimeoutMs(this.#options.idleTimeoutMs, this.#session), () => {
      if (!link.active || this.#link !== link) return;
      this.#emitter.emit(
        "error",
        new HotlineClientError("idle_timeout", "No frame arrived within the idle timeout."),
      );
      link.socket?.abort();
      this.#onLinkClosed(link, 4999, "idle timeout");
    });
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
