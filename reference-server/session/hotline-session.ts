/**
 * The hotline.v1 session layer (spec/session.md, responses.md, interruption.md, resume.md): a
 * session that outlives its connection. It multiplexes up to
 * `max_in_flight` responses, stamps `response_id` on their events, answers cancel, steer,
 * resume, update and ping, keeps each response's events in a bounded resume buffer, sends
 * heartbeats, rate-limit updates and going-away notices, and pauses generation instead of
 * buffering without bound (a slow reader, or nobody reading while the session is detached).
 *
 * This file holds the session's lifecycle and the client events it answers; the responses it
 * holds, their delivery, its timers and its request budget are collaborators beside it.
 */
import type {
  ClientEvent,
  ResponseCancelEvent,
  ResponseCreateEvent,
  ResponseResumeEvent,
  ResponseSteerEvent,
  RateLimitsUpdatedEvent,
  ServerEvent,
  Session as SessionObject,
  SessionDefaults,
  SessionPingEvent,
  SessionUpdateEvent,
} from "../../src/protocol/index.js";
import { ProtocolError } from "../../src/protocol/index.js";
import type { PrincipalLimits, RateLimitState } from "../limits.js";
import { ConnectionCache } from "../responses/connection-cache.js";
import { newSessionId } from "../responses/ids.js";
import type { CreateBody } from "../responses/params.js";
import { contextTokens, EMPTY_CONTEXT } from "../responses/render.js";
import type { ResponseRun } from "../responses/run.js";
import type { ResponsesService } from "../responses/service.js";
import { canonicalJson } from "./canonical-json.js";
import type { SessionClock } from "./clock.js";
import { prewarmBody, steerBody, updatedDefaults, withDefaults } from "./create-bodies.js";
import {
  advertisedLimits,
  HOTLINE_FEATURES,
  HOTLINE_VERSION,
  type HotlineConfig,
} from "./hotline-config.js";
import {
  type Correlation,
  correlationOf,
  eventIdOf,
  idempotencyKeyReused,
  limitReached,
  rateLimitExceeded,
  responseNotActive,
  responseNotFound,
  sessionReplaced,
  tooManyInFlight,
  unknownEventType,
} from "./session-errors.js";
import { type GoingAwayReason, HotlineTimers } from "./hotline-timers.js";
import type { SessionRegistry } from "./registry.js";
import { RequestBudget } from "./request-budget.js";
import { ResponseDelivery } from "./response-delivery.js";
import type { SessionPort } from "./session.js";
import { type Tracked, TrackedResponses } from "./tracked-responses.js";

export { canonicalJson } from "./canonical-json.js";
export { DEFAULT_HOTLINE_CONFIG, HOTLINE_FEATURES, HOTLINE_VERSION } from "./hotline-config.js";
export type { HotlineConfig } from "./hotline-config.js";

/** Options of a {@link HotlineSession}. */
export interface HotlineSessionOptions {
  service: ResponsesService;
  principal: string;
  registry: SessionRegistry<HotlineSession>;
  config: HotlineConfig;
  /** Responses run at once (default `config.maxInFlight`, the limit `session.created` advertises). */
  maxInFlight?: number;
  /** The index of the responses held (default: a new one). */
  responses?: TrackedResponses;
  /** The time of its timers, its request budget and `server_time_ms`. */
  clock: SessionClock;
  /** Per-principal limits, checked after the session's own (advertised with them). */
  limits?: PrincipalLimits;
  /** Tokens of a prefix now in the prefix cache (prewarm's `cached_tokens`). */
  cachedTokens?: (tokens: readonly number[]) => number;
  /** Called once when the session is discarded. */
  onClose?: (session: HotlineSession) => void;
}

/** One hotline.v1 session. */
export class HotlineSession {
  readonly id = newSessionId();
  readonly profile = "hotline.v1" as const;
  readonly principal: string;
  readonly cache: ConnectionCache;
  readonly maxInFlight: number;
  readonly #service: ResponsesService;
  readonly #registry: SessionRegistry<HotlineSession>;
  readonly #config: HotlineConfig;
  readonly #clock: SessionClock;
  readonly #limits: PrincipalLimits | undefined;
  readonly #cachedTokens: ((tokens: readonly number[]) => number) | undefined;
  readonly #onClose: ((session: HotlineSession) => void) | undefined;
  readonly #responses: TrackedResponses;
  readonly #budget: RequestBudget;
  /** Prefills of `session.update {prewarm: true}` still running: in flight like responses. */
  readonly #prewarms = new Set<ResponseRun>();
  readonly #delivery: ResponseDelivery;
  readonly #timers: HotlineTimers;
  #defaults: SessionDefaults = { model: null, instructions: null, tools: [], service_tier: "auto" };
  #port: SessionPort | undefined;
  #resumeToken = "";
  #discarded = false;

  /** Creates a detached session; {@link attach} gives it its first connection. */
  constructor(options: HotlineSessionOptions) {
    this.#service = options.service;
    this.principal = options.principal;
    this.#registry = options.registry;
    this.#config = options.config;
    this.#limits = options.limits;
    this.#cachedTokens = options.cachedTokens;
    this.#onClose = options.onClose;
    this.maxInFlight = options.maxInFlight ?? options.config.maxInFlight;
    this.#responses = options.responses ?? new TrackedResponses();
    this.cache = new ConnectionCache(Math.max(options.config.maxInFlight, 8));
    this.#clock = options.clock;
    this.#budget = new RequestBudget(options.config.requestsPerMinute, options.clock);
    this.#delivery = new ResponseDelivery(options.config, this.#responses, {
      port: () => this.#port,
      write: (port, json) => this.#write(port, json),
      send: (event) => this.#send(event),
      sendError: (error) => this.sendError(error),
      rateLimitsEvent: (responseId) => this.#rateLimitsEvent(responseId),
      responseEnded: () => this.#timers.maybeCloseIdle(),
    });
    this.#timers = new HotlineTimers(options.config, options.clock, {
      port: () => this.#port,
      inFlightCount: () => this.inFlightCount,
      anyRunning: () => this.#responses.anyRunning,
      write: (port, json) => this.#write(port, json),
      announceGoingAway: (reason, deadlineMs) => this.#announceGoingAway(reason, deadlineMs),
      endRunning: () => {
        for (const t of [...this.#responses.values()]) {
          if (!t.run.done) t.run.cancel("incomplete");
        }
      },
      fail: (error) => this.fail(error),
      discard: () => this.discard(),
    });
  }

  /** The connection currently attached, if any. */
  get port(): SessionPort | undefined {
    return this.#port;
  }

  /** Whether the session was discarded (window ended, or the server stopped). */
  get discarded(): boolean {
    return this.#discarded;
  }

  /** Non-background responses in flight, prewarms included. */
  get inFlightCount(): number {
    return this.#responses.inFlightCount + this.#prewarms.size;
  }

  /** The run of a response in flight on this session, if it is one. */
  active(responseId: string): ResponseRun | undefined {
    const run = this.#responses.get(responseId)?.run;
    return run && !run.done ? run : undefined;
  }

  /** The id of the response a create with this `client_request_id` started, if still held. */
  heldFor(clientRequestId: string): string | undefined {
    return this.#responses.byRequestId(clientRequestId)?.run.id;
  }

  /** Responses held (in flight or finished and still resumable). */
  get responseCount(): number {
    return this.#responses.size;
  }

  /**
   * Attaches a new connection. A session still connected elsewhere loses that connection
   * (RESUME-3); the first frame is `session.created`, or `session.resumed` for a resume.
   */
  attach(port: SessionPort, resumed: boolean): void {
    const old = this.#port;
    if (old) {
      this.#delivery.detachAll();
      const error = sessionReplaced();
      old.send(JSON.stringify(error.toEnvelope("hotline.v1")));
      old.close(error.closeCode ?? 4002, error.code);
    }
    this.#timers.attached();
    this.#port = port;
    this.#resumeToken = this.#registry.issue(this);
    if (resumed) {
      this.#send({
        type: "session.resumed",
        session: this.#sessionObject(),
        responses: [...this.#responses.values()].map((t) => ({
          response_id: t.run.id,
          status: t.run.status,
          last_sequence_number: t.run.log.nextSequenceNumber - 1,
        })),
      });
    } else {
      this.#send({ type: "session.created", session: this.#sessionObject() });
    }
    this.#timers.arm();
  }

  /** The connection closed: the session waits `resume_window_ms` for a resume (RESUME-5). */
  detach(port: SessionPort): void {
    if (port !== this.#port) return;
    this.#port = undefined;
    this.#timers.clearConnection();
    this.#delivery.detachAll();
    this.#timers.settleGoingAway();
    if (this.#discarded) return;
    this.#timers.startResumeWindow();
  }

  /**
   * Discards the session (RESUME-13): its non-background responses stop (recorded
   * `cancelled`), its tokens stop working, its connection (if any) is closed.
   */
  discard(): void {
    if (this.#discarded) return;
    this.#discarded = true;
    this.#timers.clearAll();
    this.#registry.remove(this);
    for (const t of this.#responses.values()) {
      if (!t.background && !t.run.done) t.run.cancel("cancelled");
    }
    this.#responses.clear();
    this.cache.clear();
    const port = this.#port;
    this.#port = undefined;
    if (port) port.close(1001, "session discarded");
    this.#onClose?.(this);
  }

  /**
   * Announces a close (SESSION-13): `session.going_away` with a deadline and a fresh resume
   * token, then closes at the deadline, or (shutdown) as soon as nothing is in flight.
   * Resolves once the connection is gone.
   */
  goAway(reason: GoingAwayReason, deadlineMs: number): Promise<void> {
    return this.#timers.goAway(reason, deadlineMs);
  }

  /** Sends an error framed for hotline.v1. */
  sendError(error: ProtocolError): void {
    this.#send(error.toEnvelope("hotline.v1"));
  }

  /** Sends an error, then closes the connection with its close code. */
  fail(error: ProtocolError): void {
    const port = this.#port;
    if (!port) return;
    this.sendError(error);
    port.close(error.closeCode ?? 1011, error.code);
  }

  /** Handles one validated client event of the current connection. */
  handle(event: ClientEvent): void {
    if (this.#discarded) return;
    switch (event.type) {
      case "response.create":
        this.#onCreate(event);
        return;
      case "response.cancel":
        this.#onCancel(event);
        return;
      case "response.steer":
        this.#onSteer(event);
        return;
      case "response.resume":
        this.#onResume(event);
        return;
      case "session.update":
        this.#onUpdate(event);
        return;
      case "session.ping":
        this.#onPing(event);
        return;
      default: {
        const other = event as { type: string; event_id?: string };
        this.sendError(unknownEventType(other.type, eventIdOf(other)));
      }
    }
  }

  #write(port: SessionPort, json: string): void {
    port.send(json);
    this.#timers.sent();
  }

  #send(event: ServerEvent): void {
    const port = this.#port;
    if (port) this.#write(port, JSON.stringify(event));
  }

  // --- Creates -------------------------------------------------------------------------------

  #onCreate(event: ResponseCreateEvent): void {
    const eventId = eventIdOf(event);
    const { type: _type, event_id: _eventId, ...body } = event;
    const requestId = body.client_request_id;
    const correlation = correlationOf(event);
    if (this.#timers.pastMaxAge) {
      this.sendError(limitReached(correlation));
      return;
    }
    const bodyKey = canonicalJson(body);
    if (requestId !== undefined) {
      const held = this.#responses.byRequestId(requestId);
      if (held) {
        if (held.bodyKey !== bodyKey) {
          this.sendError(idempotencyKeyReused(requestId, correlation, held.run.id));
          return;
        }
        // RESUME-11: the same request again attaches to the response it started.
        this.#delivery.replay(held, -1, eventId);
        return;
      }
    }
    if (!this.#admitted(correlation, body.background !== true)) return;
    this.#start(withDefaults(body, this.#defaults), { bodyKey, correlation });
  }

  /**
   * The session's admission of new work, a create or a prewarm (SESSION-21): `max_in_flight`
   * (unless background), the session's request budget, then the principal's limits. Sends the
   * refusal and returns false; on true, the principal's request is taken and {@link #start}
   * must count the run.
   */
  #admitted(correlation: Correlation, countsInFlight: boolean): boolean {
    if (countsInFlight && this.inFlightCount >= this.maxInFlight) {
      this.sendError(tooManyInFlight(this.maxInFlight, correlation));
      return false;
    }
    if (!this.#budget.take()) {
      this.sendError(rateLimitExceeded(this.#config.requestsPerMinute, correlation));
      return false;
    }
    const refused = this.#limits?.admit(this.principal);
    if (refused) {
      Object.assign(refused.context, correlation);
      this.sendError(refused);
      return false;
    }
    return true;
  }

  #start(
    body: CreateBody,
    options: { bodyKey: string | undefined; correlation: Correlation; steeredFrom?: string },
  ): ResponseRun | undefined {
    let tracked: Tracked | undefined;
    try {
      const run = this.#service.create(body, {
        profile: "hotline.v1",
        principal: this.principal,
        cache: this.cache,
        retainEvents: true,
        ...(options.steeredFrom === undefined ? {} : { steeredFrom: options.steeredFrom }),
        listener: (entry, run) => {
          tracked ??= this.#responses.track(run, options.bodyKey, this.#port !== undefined);
          this.#delivery.deliver(entry, tracked);
        },
      });
      // Admitted by #admitted (create) or not at all (a steer, in the slot it freed: INT-11).
      this.#limits?.track(this.principal, run);
      return run;
    } catch (error) {
      const protocolError =
        error instanceof ProtocolError
          ? error
          : new ProtocolError("server_error", (error as Error).message);
      Object.assign(protocolError.context, options.correlation);
      this.sendError(protocolError);
      return undefined;
    }
  }

  // --- Cancel, steer, resume -----------------------------------------------------------------

  #active(responseId: string, correlation: Correlation): Tracked | undefined {
    const tracked = this.#responses.get(responseId);
    if (tracked && !tracked.run.done) return tracked;
    // INT-6: unknown (including another session's) or finished: same answer, nothing changes.
    this.sendError(responseNotActive(responseId, correlation));
    return undefined;
  }

  #onCancel(event: ResponseCancelEvent): void {
    const tracked = this.#active(event.response_id, eventIdOf(event));
    if (!tracked) return;
    if (event.truncate) tracked.run.truncate(event.truncate.text_chars);
    tracked.run.cancel("cancelled");
  }

  #onSteer(event: ResponseSteerEvent): void {
    const correlation = correlationOf(event);
    // ERR-8: a refused steer echoes its client_request_id, so the client can tell which of
    // its pending requests will never start.
    const tracked = this.#active(event.response_id, correlation);
    if (!tracked) return;
    const steered = tracked.run;
    // INT-9: end it as a cancel would (synchronously: its terminal event is sent now)...
    steered.cancel("cancelled");
    const body = steerBody(steered, event);
    // ...then continue it in the slot it freed (INT-11: never too_many_in_flight).
    this.#start(body, {
      bodyKey: event.client_request_id === undefined ? undefined : canonicalJson(event),
      correlation,
      steeredFrom: steered.id,
    });
  }

  #onResume(event: ResponseResumeEvent): void {
    const eventId = eventIdOf(event);
    const tracked = this.#responses.get(event.response_id);
    if (!tracked) {
      this.sendError(responseNotFound(event.response_id, eventId));
      return;
    }
    this.#delivery.replay(tracked, event.after_sequence_number, eventId);
  }

  // --- Session events ------------------------------------------------------------------------

  #onUpdate(event: SessionUpdateEvent): void {
    const d = updatedDefaults(this.#defaults, event.session);
    if (event.prewarm !== true) {
      this.#defaults = d;
      this.#send({ type: "session.updated", session: this.#sessionObject() });
      return;
    }
    this.#prewarm(d, eventIdOf(event));
  }

  /**
   * SESSION-8: prefill the defaults (generate:false), then answer with the cached tokens. The
   * prefill is work like a create's and is admitted as one (SESSION-21); a refused prewarm
   * changes no default.
   */
  #prewarm(d: SessionDefaults, eventId: { eventId?: string }): void {
    const tokens = contextTokens(d.instructions, EMPTY_CONTEXT);
    const answer = () => {
      this.#send({
        type: "session.updated",
        session: this.#sessionObject(),
        prewarm: { cached_tokens: tokens.length === 0 ? 0 : (this.#cachedTokens?.(tokens) ?? 0) },
      });
    };
    if (tokens.length === 0) {
      this.#defaults = d;
      answer();
      return;
    }
    if (!this.#admitted(eventId, true)) return;
    this.#defaults = d;
    try {
      const run = this.#service.create(prewarmBody(d), {
        profile: "hotline.v1",
        principal: this.principal,
      });
      this.#limits?.track(this.principal, run);
      this.#prewarms.add(run);
      void run.finished.then(() => {
        this.#prewarms.delete(run);
        answer();
      });
    } catch (error) {
      const protocolError = error as ProtocolError;
      Object.assign(protocolError.context, eventId);
      this.sendError(protocolError);
    }
  }

  #onPing(event: SessionPingEvent): void {
    // SESSION-11: written now, ahead of anything generated later.
    this.#send({ type: "session.pong", nonce: event.nonce, server_time_ms: this.#clock.wallNow() });
  }

  #announceGoingAway(reason: GoingAwayReason, deadlineMs: number): void {
    this.#resumeToken = this.#registry.issue(this);
    this.#send({
      type: "session.going_away",
      reason,
      deadline_ms: Math.max(0, Math.round(deadlineMs)),
      resume_token: this.#resumeToken,
    });
  }

  #rateLimitsEvent(responseId: string): RateLimitsUpdatedEvent {
    return {
      type: "rate_limits.updated",
      rate_limits: this.#rateLimits(),
      response_id: responseId,
    };
  }

  /** The session's own `requests` limit, then the principal's (ERR-16, SESSION-17). */
  #rateLimits(): RateLimitState[] {
    return [this.#budget.state(), ...(this.#limits?.states(this.principal) ?? [])];
  }

  #sessionObject(): SessionObject {
    return {
      id: this.id,
      protocol: "hotline.v1",
      version: HOTLINE_VERSION,
      resume_token: this.#resumeToken,
      limits: advertisedLimits(this.#config, this.#rateLimits()),
      features: [...HOTLINE_FEATURES],
      defaults: this.#defaults,
    };
  }
}
