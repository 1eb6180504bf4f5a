/**
 * A session: one model for both profiles (spec/session.md, responses.md, interruption.md,
 * resume.md). The profile configures it:
 *
 * - core: one connection, one response in flight with the creates beyond it waiting in arrival
 *   order ({@link LaneSet}: one at a time per lane, bounded queue: RESP-31, RESP-30), events framed as logged, no
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
  ErrorEvent,
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
import { DEFAULT_LANE, isStreamId, LaneSet } from "./lane.js";
import { LaneCaches } from "./lane-caches.js";
import type { SessionRegistry } from "./registry.js";
import { RequestBudget } from "./request-budget.js";
import { ResponseDelivery } from "./response-delivery.js";
import {
  type Correlation,
  correlationOf,
  eventIdOf,
  idempotencyKeyReused,
  invalidStreamId,
  limitReached,
  rateLimitExceeded,
  responseNotActive,
  responseNotFound,
  serverShuttingDown,
  sessionReplaced,
  streamLimitReached,
  tooManyInFlight,
  tooManyQueued,
  unknownEventType,
} from "./session-errors.js";
import { type GoingAwayReason, SessionTimers } from "./session-timers.js";
import {
  newSteerId,
  RecentOutcomes,
  steerAccepted,
  steerFailed,
  steerRefusal,
  type SteerTarget,
} from "./steer.js";
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

/** Default bound on a connection's waiting creates, all lanes together (RESP-30). */
export const DEFAULT_MAX_QUEUED_CREATES = 64;

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
  /** Creates that may wait for their lane or a slot, all lanes together (RESP-30; default 64). */
  maxQueuedCreates?: number;
  /** The index of the responses held (default: a new one). */
  responses?: TrackedResponses;
  /** The connection-local cache of the default lane (default: a new one). */
  cache?: ConnectionCache;
  /** The caches of the lanes (default: each named lane its own, beside `cache`). */
  laneCaches?: LaneCaches;
  /** Responses the default lane runs at once (core: 1, RESP-31; hotline.v1: `maxInFlight`). */
  defaultLaneConcurrency?: number;
  /** Per-principal limits, checked after the session's own (advertised with them). */
  limits?: PrincipalLimits;
  /** Called once when the session ends (discarded, or its core connection closed). */
  onClose?: (session: Session) => void;
  /** The binding's budgets, stated in `session.created` (SESSION-22). */
  budgets?: ConnectionBudgets;
}

/** One session, of either profile. */
export class Session {
  readonly id = newSessionId();
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
  readonly #lanes: LaneSet<ResponseCreateEvent>;
  readonly #caches: LaneCaches;
  /** Slots a steer holds for its successor while the steered response ends (INT-11, INT-15). */
  #reserved = 0;
  /** The connection's steer events so far (their `sequence_number`). */
  #steerSequence = 0;
  /** How finished responses ended, so a late steer is answered truthfully (INT-16). */
  readonly #outcomes = new RecentOutcomes();
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

  /** Creates a detached session; {@link attach} gives it its first connection. */
  constructor(options: SessionOptions) {
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
    // The default lane: core runs one at a time (RESP-31), hotline.v1 multiplexes (RESP-14).
    this.#lanes = new LaneSet({
      defaultConcurrency: options.defaultLaneConcurrency ?? (this.#hotline ? this.maxInFlight : 1),
      maxQueued: options.maxQueuedCreates ?? DEFAULT_MAX_QUEUED_CREATES,
    });
    this.#responses = options.responses ?? new TrackedResponses();
    this.cache =
      options.cache ??
      new ConnectionCache(this.#hotline ? Math.max(options.config.maxInFlight, 8) : 1);
    this.#caches = options.laneCaches ?? new LaneCaches(this.cache);
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
      expired: () => this.#lanes.clear(),
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

  #end(as: "incomplete" | "cancelled"): void {
    this.#discarded = true;
    this.#timers.clearAll();
    this.#registry?.remove(this);
    this.#lanes.clear();
    for (const t of this.#responses.values()) {
      if (!t.background && !t.run.done) t.run.cancel(as);
    }
    this.#responses.clear();
    this.#caches.clear();
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
      for (const { lane, item } of this.#lanes.clear()) {
        this.#sendLaneError(serverShuttingDown(eventIdOf(item)), lane);
      }
    }
    return this.#timers.goAway(reason, deadlineMs);
  }

  /** Sends an error framed for this profile. */
  sendError(error: ProtocolError): void {
    this.#send(error.toEnvelope(this.profile));
  }

  /** Sends an error refusing a create of `lane`, echoing a named lane's `stream_id` (RESP-36). */
  #sendLaneError(error: ProtocolError, lane: string): void {
    const envelope: ErrorEvent = error.toEnvelope(this.profile);
    this.#send(lane === DEFAULT_LANE ? envelope : { ...envelope, stream_id: lane });
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
    if (!this.#hotline && event.type !== "response.create" && event.type !== "response.steer") {
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
    const { type: _type, event_id: _eventId, ...keyed } = event;
    const requestId = keyed.client_request_id;
    const correlation = correlationOf(event);
    if (this.#timers.pastMaxAge) {
      this.sendError(limitReached(correlation));
      return;
    }
    const bodyKey = canonicalJson(keyed);
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
    const lane = this.#laneOf(event, correlation);
    if (lane === undefined) return;
    if (lane !== DEFAULT_LANE) {
      // RESP-40: a named lane waits its turn (and a slot) instead of being refused.
      this.#admitToLane(event, lane, correlation);
      return;
    }
    if (!this.#admitted(correlation, keyed.background !== true, lane)) return;
    this.#startOrRefuse(event, lane, bodyKey);
  }

  /** Core: sequential processing within a lane; a create waits for its lane's running response. */
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
    const lane = this.#laneOf(event, eventId);
    if (lane !== undefined) this.#admitToLane(event, lane, eventId);
  }

  /** The create's lane (RESP-32), or undefined once it was refused (RESP-33, RESP-34). */
  #laneOf(event: ResponseCreateEvent, correlation: Correlation): string | undefined {
    const streamId: unknown = event.stream_id;
    if (streamId === undefined) return DEFAULT_LANE;
    if (!isStreamId(streamId)) {
      this.sendError(invalidStreamId(correlation));
      return undefined;
    }
    if (this.#lanes.overLimit(streamId)) {
      this.#sendLaneError(streamLimitReached(32, correlation), streamId);
      return undefined;
    }
    return streamId;
  }

  /** Each waiting create holds its whole parsed body: the queue is bounded (RESP-30). */
  #admitToLane(event: ResponseCreateEvent, lane: string, correlation: Correlation): void {
    const admission = this.#lanes.admit(lane, event, this.#room());
    if (admission === "full") {
      this.#sendLaneError(tooManyQueued(this.#lanes.maxQueued, correlation), lane);
    } else if (admission === "start") this.#startWaited(event, lane);
  }

  /** Whether the connection has a free slot (RESP-35; hotline.v1: `max_in_flight`). */
  #room(): boolean {
    return this.inFlightCount + this.#reserved < this.maxInFlight;
  }

  /** A create whose turn came on its lane: the principal's limits, then the start. */
  #startWaited(event: ResponseCreateEvent, lane: string): void {
    const correlation = this.#hotline ? correlationOf(event) : eventIdOf(event);
    if (this.#hotline) {
      if (!this.#admitted(correlation, false, lane)) return;
    } else {
      const refused = this.#limits?.admit(this.principal);
      if (refused) {
        Object.assign(refused.context, correlation);
        this.#sendLaneError(refused, lane);
        return;
      }
    }
    const { type: _type, event_id: _eventId, ...keyed } = event;
    this.#startOrRefuse(event, lane, this.#hotline ? canonicalJson(keyed) : undefined);
  }

  #startOrRefuse(event: ResponseCreateEvent, lane: string, bodyKey: string | undefined): void {
    const { type: _type, event_id: _eventId, stream_id: _streamId, ...body } = event;
    const correlation = this.#hotline ? correlationOf(event) : eventIdOf(event);
    const started = this.#start(this.#hotline ? withDefaults(body, this.#defaults) : body, {
      bodyKey,
      lane,
    });
    if (started instanceof ProtocolError) {
      Object.assign(started.context, correlation);
      this.#sendLaneError(started, lane);
    }
  }

  /**
   * The session's admission of new work, a create or a prewarm (SESSION-21): `max_in_flight`
   * (unless background, or already waited for on a named lane), the session's request budget,
   * then the principal's limits. Sends the refusal and returns false; on true, the principal's
   * request is taken and {@link #start} must count the run.
   */
  #admitted(correlation: Correlation, countsInFlight: boolean, lane = DEFAULT_LANE): boolean {
    if (countsInFlight && !this.#room()) {
      this.#sendLaneError(tooManyInFlight(this.maxInFlight, correlation), lane);
      return false;
    }
    if (!this.#budget.take()) {
      this.#sendLaneError(rateLimitExceeded(this.#config.requestsPerMinute, correlation), lane);
      return false;
    }
    const refused = this.#limits?.admit(this.principal);
    if (refused) {
      Object.assign(refused.context, correlation);
      this.#sendLaneError(refused, lane);
      return false;
    }
    return true;
  }

  /**
   * Starts a run on `lane` (its cache view: RESP-37, RESP-38), or returns why it could not.
   * `reserved`: a steer's successor, in the slot the steer holds (INT-11).
   */
  #start(
    body: CreateBody,
    options: {
      bodyKey: string | undefined;
      lane: string;
      steeredFrom?: string;
      reserved?: boolean;
    },
  ): ResponseRun | ProtocolError {
    let run: ResponseRun;
    try {
      run = this.#service.create(body, {
        profile: this.profile,
        principal: this.principal,
        cache: this.#caches.view(options.lane),
        retainEvents: this.#hotline,
        ...(options.steeredFrom === undefined ? {} : { steeredFrom: options.steeredFrom }),
      });
    } catch (error) {
      return error instanceof ProtocolError
        ? error
        : new ProtocolError("server_error", (error as Error).message);
    }
    if (!run.params.background && !options.reserved) this.#lanes.started(options.lane);
    // The run started; the session now reads what it appended (response.created first) and,
    // from then on, each event as it comes.
    const tracked = this.#responses.track(
      run,
      options.bodyKey,
      this.#port !== undefined,
      options.lane,
    );
    run.log.subscribe((entry) => this.#onEvent(entry, tracked));
    // Admitted by #admitted (create) or not at all (a steer, in the slot it freed: INT-11).
    this.#limits?.track(this.principal, run);
    return run;
  }

  #onEvent(entry: LoggedEvent, tracked: Tracked): void {
    const ended = this.#delivery.deliver(entry, tracked);
    // SESSION-17: the rate limits follow each response.created the client reads.
    if (this.#hotline && entry.type === "response.created" && tracked.attached) {
      this.#send(this.#rateLimitsEvent(tracked.run.id));
    }
    if (!ended) return;
    this.#outcomes.record(tracked.run.id, tracked.run.status, tracked.lane);
    if (!tracked.background) this.#lanes.ended(tracked.lane);
    this.#pump();
  }

  /** A slot or a lane freed: the creates whose turn came start, or the session closes. */
  #pump(): void {
    if (this.#discarded) return;
    for (let next = this.#lanes.next(this.#room()); next; next = this.#lanes.next(this.#room())) {
      this.#startWaited(next.item, next.lane);
    }
    this.#timers.maybeCloseIdle();
  }

  // --- Cancel, steer, resume -----------------------------------------------------------------

  #onCancel(event: ResponseCancelEvent): void {
    const tracked = this.#responses.get(event.response_id);
    if (!tracked || tracked.run.done) {
      // INT-12: unknown (including another session's) or finished: same answer, nothing changes.
      this.sendError(responseNotActive(event.response_id, eventIdOf(event)));
      return;
    }
    if (event.truncate) tracked.run.truncate(event.truncate.text_chars);
    tracked.run.cancel("cancelled");
  }

  /** INT-13 to INT-18: OpenAI's steer, with Hotline's echo in hotline.v1. */
  #onSteer(event: ResponseSteerEvent): void {
    const targetId = event.previous_response_id;
    const tracked = this.#responses.get(targetId);
    const outcome = tracked ? undefined : this.#outcomes.get(targetId);
    const target: SteerTarget | undefined = tracked
      ? { running: !tracked.run.done, status: tracked.run.status, steerable: !tracked.background }
      : outcome && { running: false, status: outcome.status, steerable: true };
    const lane = tracked?.lane ?? outcome?.lane ?? DEFAULT_LANE;
    const echo = { lane, clientRequestId: this.#hotline ? event.client_request_id : undefined };
    const refusal = steerRefusal(target, event.input);
    if (refusal) {
      this.#send(steerFailed(event, refusal, { ...echo, sequenceNumber: this.#steerSequence++ }));
      return;
    }
    if (!tracked) return;
    const steered = tracked.run;
    const id = newSteerId();
    this.#send(steerAccepted(id, steered.id, { ...echo, sequenceNumber: this.#steerSequence++ }));
    // INT-11, INT-15: the successor takes the steered response's slot and lane, ahead of the
    // creates waiting there; the steered response ends now (its terminal event is sent
    // synchronously), reason `steered` (INT-14).
    this.#reserved++;
    this.#lanes.started(lane);
    steered.cancel("steered");
    const successor = this.#start(steerBody(steered, event), {
      bodyKey: event.client_request_id === undefined ? undefined : canonicalJson(event),
      lane,
      steeredFrom: steered.id,
      reserved: true,
    });
    this.#reserved--;
    if (successor instanceof ProtocolError) {
      this.#lanes.ended(lane);
      const failure = { code: "successor_creation_failed" as const, message: successor.message };
      this.#send(
        steerFailed(event, failure, { ...echo, id, sequenceNumber: this.#steerSequence++ }),
      );
      this.#pump();
    }
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
