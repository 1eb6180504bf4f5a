/**
 * A session: one model for both profiles (spec/session.md, responses.md, interruption.md,
 * resume.md). The profile configures it:
 *
 * - core: one connection, one response in flight with the creates beyond it waiting in arrival
 *   order ({@link Lane} of one, bounded queue: RESP-3, RESP-30), events framed as logged, no
 *   `session.*` events; the session ends with its connection (RESUME-14).
 * - hotline.v1: up to `max_in_flight` responses (a lane with no queue: RESP-15), `response_id`
 *   stamped on their events, cancel, steer, resume, update and ping, each response's events kept
 *   in a bounded resume buffer, heartbeats, rate-limit updates and going-away notices; the
 *   session outlives its connection for `resume_window_ms` (RESUME-5).
 *
 * Both pause generation instead of buffering without bound (STREAM-15; RESUME-10 while
 * detached), both have one age limit and one shutdown drain. This file holds the lifecycle and
 * the client events; the responses it holds, their delivery, its timers and its request budget
 * are collaborators beside it. It is transport-agnostic: the WebSocket binding hands it
 * validated events and a {@link SessionPort}.
 */
import type {
  ClientEvent,
  Profile,
  RateLimitsUpdatedEvent,
  ResponseCancelEvent,
  ResponseCreateEvent,
  ResponseResumeEvent,
  ResponseSteerEvent,
  ServerEvent,
  Session as SessionObject,
  SessionDefaults,
  SessionPingEvent,
  SessionUpdateEvent,
} from "../../src/protocol/index.js";
import { ProtocolError } from "../../src/protocol/index.js";
import type { PrincipalLimits, RateLimitState } from "../policy/limits.js";
import { ConnectionCache } from "../responses/connection-cache.js";
import { newSessionId } from "../responses/ids.js";
import type { LoggedEvent } from "../responses/event-log.js";
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
  type ConnectionBudgets,
  type HotlineConfig,
} from "./hotline-config.js";
import { Lane } from "./lane.js";
import type { SessionRegistry } from "./registry.js";
import { RequestBudget } from "./request-budget.js";
import { ResponseDelivery } from "./response-delivery.js";
import {
  type Correlation,
  correlationOf,
  eventIdOf,
  idempotencyKeyReused,
  limitReached,
  rateLimitExceeded,
  responseNotActive,
  responseNotFound,
  serverShuttingDown,
  sessionReplaced,
  tooManyInFlight,
  tooManyQueued,
  unknownEventType,
} from "./session-errors.js";
import { type GoingAwayReason, SessionTimers } from "./session-timers.js";
import { type Tracked, TrackedResponses } from "./tracked-responses.js";

export { canonicalJson } from "./canonical-json.js";
export { DEFAULT_HOTLINE_CONFIG, HOTLINE_FEATURES, HOTLINE_VERSION } from "./hotline-config.js";
export type { HotlineConfig } from "./hotline-config.js";

/** The negotiated profile of a connection. */
export type { Profile } from "../../src/protocol/index.js";

/** What a session needs from its transport. */
export interface SessionPort {
  /** Sends one serialised event (a text frame). */
  send(json: string): void;
  /** Closes the connection with a close code and reason. */
  close(code: number, reason: string): void;
  /** Bytes queued but not yet written (backpressure). */
  bufferedAmount(): number;
  /** Calls `fn` once the queued bytes were written. */
  onDrain(fn: () => void): void;
}

/** Default bound on a core connection's waiting creates (RESP-30). */
export const DEFAULT_MAX_QUEUED_CREATES = 16;

/** Options of a {@link Session}. */
export interface SessionOptions {
  profile: Profile;
  service: ResponsesService;
  /** Who the connection authenticated as. */
  principal: string;
  /**
   * Limits and timings: a core session reads its age limit (`connectionMaxAgeMs`, TRANSPORT-15),
   * `highWaterBytes` (STREAM-15) and `maxInFlight` (1) from it.
   */
  config: HotlineConfig;
  /** The time of its timers, its request budget and `server_time_ms`. */
  clock: SessionClock;
  /** hotline.v1: where resume tokens are issued and looked up. */
  registry?: SessionRegistry<Session>;
  /** Responses run at once (default `config.maxInFlight`, the limit `session.created` advertises). */
  maxInFlight?: number;
  /** Core: creates that may wait behind the one in flight (RESP-30; default 16). */
  maxQueuedCreates?: number;
  /** The index of the responses held (default: a new one). */
  responses?: TrackedResponses;
  /** The connection-local cache (default: a new one). */
  cache?: ConnectionCache;
  /** Per-principal limits, checked after the session's own (advertised with them). */
  limits?: PrincipalLimits;
  /** Called once when the session ends (discarded, or its core connection closed). */
  onClose?: (session: Session) => void;
  /** The binding's budgets, stated in `session.created` (SESSION-22). */
  budgets?: ConnectionBudgets;
  /** Its id (default: a new one; a fleet instance taking a session over keeps its id). */
  id?: string;
}

/** A response a session hands over to another instance of a fleet (see {@link Session.handOff}). */
export interface HandedResponse {
  readonly responseId: string;
  /** Canonical JSON of its create, for RESUME-11 on the instance that takes it. */
  readonly bodyKey: string | undefined;
}

/** One session, of either profile. */
export class Session {
  readonly id: string;
  readonly profile: Profile;
  readonly principal: string;
  readonly cache: ConnectionCache;
  readonly maxInFlight: number;
  readonly #hotline: boolean;
  readonly #service: ResponsesService;
  readonly #registry: SessionRegistry<Session> | undefined;
  readonly #config: HotlineConfig;
  readonly #budgets: ConnectionBudgets | undefined;
  readonly #clock: SessionClock;
  readonly #limits: PrincipalLimits | undefined;
  readonly #onClose: ((session: Session) => void) | undefined;
  readonly #responses: TrackedResponses;
  readonly #lane: Lane<ResponseCreateEvent>;
  readonly #budget: RequestBudget;
  /** Prefills of `session.update {prewarm: true}` still running: in flight like responses. */
  readonly #prewarms = new Set<ResponseRun>();
  readonly #delivery: ResponseDelivery;
  readonly #timers: SessionTimers;
  #defaults: SessionDefaults = { model: null, instructions: null, tools: [], service_tier: "auto" };
  #port: SessionPort | undefined;
  #resumeToken = "";
  #shuttingDown = false;
  #discarded = false;
  #handedOff = false;

  /** Creates a detached session; {@link attach} gives it its first connection. */
  constructor(options: SessionOptions) {
    this.id = options.id ?? newSessionId();
    this.profile = options.profile;
    this.#hotline = options.profile === "hotline.v1";
    this.#service = options.service;
    this.principal = options.principal;
    this.#registry = options.registry;
    this.#config = options.config;
    this.#budgets = options.budgets;
    this.#clock = options.clock;
    this.#limits = options.limits;
    this.#onClose = options.onClose;
    this.maxInFlight = options.maxInFlight ?? options.config.maxInFlight;
    this.#lane = new Lane(
      this.maxInFlight,
      this.#hotline ? 0 : (options.maxQueuedCreates ?? DEFAULT_MAX_QUEUED_CREATES),
    );
    this.#responses = options.responses ?? new TrackedResponses();
    this.cache =
      options.cache ??
      new ConnectionCache(
        this.#hotline ? Math.max(options.config.maxInFlight, 8) : this.maxInFlight,
      );
    this.#budget = new RequestBudget(options.config.requestsPerMinute, options.clock);
    this.#delivery = new ResponseDelivery(options.profile, options.config, this.#responses, {
      port: () => this.#port,
      write: (port, json) => this.#write(port, json),
    });
    this.#timers = new SessionTimers(options.profile, options.config, options.clock, {
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
      expired: () => this.#lane.clear(),
      fail: (error) => this.fail(error),
      discard: () => this.discard(),
    });
  }

  /** The connection currently attached, if any. */
  get port(): SessionPort | undefined {
    return this.#port;
  }

  /** Whether the session ended (hotline.v1: window ended or server stopped; core: closed). */
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
   * Attaches a new connection. A hotline.v1 session still connected elsewhere loses that
   * connection (RESUME-3); its first frame is `session.created`, or `session.resumed` for a
   * resume.
   */
  attach(port: SessionPort, resumed = false): void {
    const old = this.#port;
    if (old) {
      this.#delivery.detachAll();
      const error = sessionReplaced();
      old.send(JSON.stringify(error.toEnvelope(this.profile)));
      old.close(error.closeCode ?? 4002, error.code);
    }
    this.#timers.attached();
    this.#port = port;
    if (this.#hotline) {
      this.#resumeToken = this.#registry?.issue(this) ?? "";
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
    }
    this.#timers.arm();
  }

  /**
   * The connection closed. hotline.v1: the session waits `resume_window_ms` for a resume
   * (RESUME-5). Core: the session ends; the responses it was streaming stop costing compute
   * (RESUME-14), except background ones, which outlive their connection (RESP-21).
   */
  detach(port: SessionPort): void {
    if (port !== this.#port) return;
    this.#port = undefined;
    this.#timers.clearConnection();
    this.#delivery.detachAll();
    this.#timers.settleGoingAway();
    if (this.#discarded) return;
    if (this.#hotline) this.#timers.startResumeWindow();
    else this.#end("incomplete");
  }

  /**
   * Discards the session (RESUME-13): its non-background responses stop (recorded
   * `cancelled`), its tokens stop working, its connection (if any) is closed.
   */
  discard(): void {
    if (this.#discarded) return;
    this.#end("cancelled");
    const port = this.#port;
    this.#port = undefined;
    if (port) port.close(1001, "session discarded");
  }

  /**
   * A fleet instance took this session over (a resume on it): the connection, if any, is closed
   * as `session_replaced` (RESUME-3) and the session ends here without stopping the responses
   * `keep` accepts (the other instance follows them); the others stop as on a discard. Returns
   * the responses handed over.
   */
  handOff(keep: (run: ResponseRun) => boolean): HandedResponse[] {
    const handed: HandedResponse[] = [];
    for (const t of this.#responses.values()) {
      if (keep(t.run)) handed.push({ responseId: t.run.id, bodyKey: t.bodyKey });
      else if (!t.background && !t.run.done) t.run.cancel("cancelled");
    }
    this.#handedOff = true;
    this.#delivery.detachAll();
    // What is handed over keeps running: #end below stops only what is still tracked.
    this.#responses.clear();
    const port = this.#port;
    this.#port = undefined;
    if (port) {
      const error = sessionReplaced();
      port.send(JSON.stringify(error.toEnvelope(this.profile)));
      port.close(error.closeCode ?? 4002, error.code);
    }
    this.#end("cancelled");
    return handed;
  }

  /**
   * Holds a response another fleet instance owns (taken over with this session): its events
   * reach the connection once a `response.resume` asks for them, as for the session's own.
   */
  adopt(run: ResponseRun, bodyKey: string | undefined): void {
    const tracked = this.#responses.track(run, bodyKey, false);
    run.log.subscribe((entry) => this.#onEvent(entry, tracked), run.log.nextSequenceNumber - 1);
  }

  #end(as: "incomplete" | "cancelled"): void {
    this.#discarded = true;
    this.#timers.clearAll();
    this.#registry?.remove(this);
    this.#lane.clear();
    for (const t of this.#responses.values()) {
      if (!t.background && !t.run.done) t.run.cancel(as);
    }
    this.#responses.clear();
    this.cache.clear();
    this.#onClose?.(this);
  }

  /**
   * Announces a close: hotline.v1 sends `session.going_away` with a deadline and a fresh resume
   * token (SESSION-13); a core shutdown refuses the creates still waiting. Then it closes at the
   * deadline, or (shutdown) as soon as nothing is in flight; what still runs at the deadline
   * ends with `response.incomplete` (reason `cancelled`) before `server_shutting_down` and the
   * close. Resolves once the connection is gone.
   */
  goAway(reason: GoingAwayReason, deadlineMs: number): Promise<void> {
    if (reason === "shutdown" && !this.#hotline) {
      this.#shuttingDown = true;
      for (const event of this.#lane.clear()) {
        this.sendError(serverShuttingDown(eventIdOf(event)));
      }
    }
    return this.#timers.goAway(reason, deadlineMs);
  }

  /** Sends an error framed for this profile. */
  sendError(error: ProtocolError): void {
    this.#send(error.toEnvelope(this.profile));
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
    if (!this.#hotline && event.type !== "response.create") {
      // Only hotline.v1 defines the other client events; the binding refuses them in core.
      this.sendError(unknownEventType(event.type, eventIdOf(event)));
      return;
    }
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
    if (!this.#hotline) {
      this.#onCoreCreate(event);
      return;
    }
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
        this.#replay(held, -1, eventId);
        return;
      }
    }
    if (!this.#admitted(correlation, body.background !== true)) return;
    this.#start(withDefaults(body, this.#defaults), { bodyKey, correlation });
  }

  /** Core: sequential processing; a create waits for the running response, in its lane. */
  #onCoreCreate(event: ResponseCreateEvent): void {
    const eventId = eventIdOf(event);
    if (this.#shuttingDown) {
      this.sendError(serverShuttingDown(eventId));
      return;
    }
    if (this.#timers.pastMaxAge) {
      this.fail(limitReached({}));
      return;
    }
    // Each waiting create holds its whole parsed body: the queue is bounded (RESP-30).
    const admission = this.#lane.admit(event, this.inFlightCount);
    if (admission === "full") this.sendError(tooManyQueued(this.#lane.maxQueued, eventId));
    else if (admission === "start") this.#startCore(event);
  }

  #startCore(event: ResponseCreateEvent): void {
    const { type: _type, event_id: _eventId, ...body } = event;
    const eventId = eventIdOf(event);
    const refused = this.#limits?.admit(this.principal);
    if (refused) {
      Object.assign(refused.context, eventId);
      this.sendError(refused);
      this.#responseEnded();
      return;
    }
    if (!this.#start(body, { bodyKey: undefined, correlation: eventId })) this.#responseEnded();
  }

  /**
   * The session's admission of new work, a create or a prewarm (SESSION-21): `max_in_flight`
   * (unless background), the session's request budget, then the principal's limits. Sends the
   * refusal and returns false; on true, the principal's request is taken and {@link #start}
   * must count the run.
   */
  #admitted(correlation: Correlation, countsInFlight: boolean): boolean {
    if (countsInFlight && !this.#lane.hasRoom(this.inFlightCount)) {
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
    let run: ResponseRun;
    try {
      run = this.#service.create(body, {
        profile: this.profile,
        principal: this.principal,
        cache: this.cache,
        retainEvents: this.#hotline,
        ...(options.steeredFrom === undefined ? {} : { steeredFrom: options.steeredFrom }),
      });
    } catch (error) {
      const protocolError =
        error instanceof ProtocolError
          ? error
          : new ProtocolError("server_error", (error as Error).message);
      Object.assign(protocolError.context, options.correlation);
      this.sendError(protocolError);
      return undefined;
    }
    // The run started; the session now reads what it appended (response.created first) and,
    // from then on, each event as it comes.
    const tracked = this.#responses.track(run, options.bodyKey, this.#port !== undefined);
    run.log.subscribe((entry) => this.#onEvent(entry, tracked));
    // Admitted by #admitted (create) or not at all (a steer, in the slot it freed: INT-11).
    this.#limits?.track(this.principal, run);
    return run;
  }

  #onEvent(entry: LoggedEvent, tracked: Tracked): void {
    // Handed over: another instance delivers; nothing here may pause the generation.
    if (this.#handedOff) return;
    const ended = this.#delivery.deliver(entry, tracked);
    // SESSION-17: the rate limits follow each response.created the client reads.
    if (this.#hotline && entry.type === "response.created" && tracked.attached) {
      this.#send(this.#rateLimitsEvent(tracked.run.id));
    }
    if (ended) this.#responseEnded();
  }

  /** A response ended (or never started): the next waiting create starts, or the session closes. */
  #responseEnded(): void {
    if (this.#discarded) return;
    const next = this.#lane.next(this.inFlightCount);
    if (next) this.#startCore(next);
    else this.#timers.maybeCloseIdle();
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
    this.#replay(tracked, event.after_sequence_number, eventId);
  }

  #replay(tracked: Tracked, after: number, eventId: { eventId?: string }): void {
    const refused = this.#delivery.replay(tracked, after, eventId);
    if (refused) this.sendError(refused);
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
        prewarm: { cached_tokens: tokens.length === 0 ? 0 : this.#service.cachedTokens(tokens) },
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
    // Core: a close with no notice (TRANSPORT-15; a shutdown's refusals are sent by goAway).
    if (!this.#hotline || !this.#registry) return;
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
      limits: advertisedLimits(this.#config, this.#rateLimits(), this.#budgets),
      features: [...HOTLINE_FEATURES],
      defaults: this.#defaults,
    };
  }
}
