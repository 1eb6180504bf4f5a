/**
 * A session: one model for both profiles (spec/session.md, responses.md, interruption.md,
 * resume.md), configured by the profile. Creates wait in lanes ({@link LaneSet}: one at a time
 * per lane, RESP-31; core: OpenAI's `stream_id` lanes, 16 in flight, RESP-35; hotline.v1: the
 * default lane runs `max_in_flight`, RESP-14/15). Core frames events as logged and ends with its
 * connection (RESUME-14); hotline.v1 stamps `response_id`, adds cancel, resume, update, ping,
 * heartbeats, rate limits and going-away ({@link SessionLayer}) and outlives its connection for
 * `resume_window_ms` (RESUME-5). Both steer (OpenAI's `response.steer`, {@link SteerLedger}),
 * pause generation instead of buffering without bound (STREAM-15, RESUME-10) and share one age
 * limit and shutdown drain. This file holds the lifecycle, admission and the client events;
 * delivery, timers, lanes and caches are collaborators beside it. It is transport-agnostic.
 */
import type {
  ClientEvent,
  ErrorEvent,
  Profile,
  ResponseCancelEvent,
  ResponseCreateEvent,
  ResponseResumeEvent,
  ResponseInterruptEvent,
  ResponseSteerEvent,
  ServerEvent,
  SessionUpdateEvent,
} from "../../src/protocol/index.js";
import { ProtocolError } from "../../src/protocol/index.js";
import type { PrincipalLimits } from "../policy/limits.js";
import { ConnectionCache } from "../responses/connection-cache.js";
import { newSessionId } from "../responses/ids.js";
import { heldUntil, type LoggedEvent } from "../responses/event-log.js";
import { type CreateBody, normaliseInput } from "../responses/params.js";
import type { ResponseRun } from "../responses/run.js";
import type { ResponsesService } from "../responses/service.js";
import { canonicalJson } from "./canonical-json.js";
import { steerBody, updatedDefaults, withDefaults } from "./create-bodies.js";
import type { HotlineConfig } from "./hotline-config.js";
import { DEFAULT_LANE, LaneSet, routeOf } from "./lane.js";
import { LaneCaches, type LanePoint } from "./lane-caches.js";
import type { SessionRegistry } from "./registry.js";
import { SessionLayer } from "./session-layer.js";
import {
  DEFAULT_MAX_QUEUED_CREATES,
  type HandedResponse,
  type SessionOptions,
  type SessionPort,
} from "./session-options.js";
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
import { heldInput, type HeldSteer, SteerLedger } from "./steer.js";
import { type Tracked, TrackedResponses } from "./tracked-responses.js";

export { canonicalJson } from "./canonical-json.js";
export { DEFAULT_MAX_QUEUED_CREATES } from "./session-options.js";
export type { HandedResponse, SessionOptions, SessionPort } from "./session-options.js";
export { DEFAULT_HOTLINE_CONFIG, HOTLINE_FEATURES, HOTLINE_VERSION } from "./hotline-config.js";
export type { HotlineConfig } from "./hotline-config.js";
export type { LanePoint } from "./lane-caches.js";

/** The negotiated profile of a connection. */
export type { Profile } from "../../src/protocol/index.js";

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
  readonly #limits: PrincipalLimits | undefined;
  readonly #onClose: ((session: Session) => void) | undefined;
  readonly #responses: TrackedResponses;
  readonly #lanes: LaneSet<ResponseCreateEvent>;
  readonly #caches: LaneCaches;
  readonly #loadPrevious: SessionOptions["loadPrevious"];
  /** Slots a steer holds for its successor while the steered response ends (INT-11, INT-15). */
  #reserved = 0;
  readonly #steers: SteerLedger;
  readonly #layer: SessionLayer;
  readonly #delivery: ResponseDelivery;
  readonly #timers: SessionTimers;
  #port: SessionPort | undefined;
  #shuttingDown = false;
  #discarded = false;
  #handedOff = false;
  /** While a `response.create` is handled: when it arrived. */
  #receivedAt: number | undefined;

  /** Creates a detached session; {@link attach} gives it its first connection. */
  constructor(options: SessionOptions) {
    this.id = options.id ?? newSessionId();
    this.profile = options.profile;
    this.#hotline = options.profile === "hotline.v1";
    this.#service = options.service;
    this.principal = options.principal;
    this.#registry = options.registry;
    this.#config = options.config;
    this.#limits = options.limits;
    this.#onClose = options.onClose;
    this.#loadPrevious = options.loadPrevious;
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
    this.#steers = options.steers ?? new SteerLedger(this.#hotline);
    this.#layer = new SessionLayer({
      id: this.id,
      principal: options.principal,
      service: options.service,
      config: options.config,
      clock: options.clock,
      limits: options.limits,
      budgets: options.budgets,
    });
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
    return this.#responses.inFlightCount + this.#layer.prewarms.size;
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
      this.#layer.resumeToken = this.#registry?.issue(this) ?? "";
      this.#send(this.#layer.first(resumed ? this.#responses.values() : undefined));
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
   * the responses handed over and what the session's cache holds (RESP-9, RESP-16: the session
   * continues them on the other instance, {@link restoreCache}).
   */
  handOff(keep: (run: ResponseRun) => boolean): {
    responses: HandedResponse[];
    cached: LanePoint[];
  } {
    const handed: HandedResponse[] = [];
    for (const t of this.#responses.values()) {
      if (keep(t.run)) {
        handed.push({ responseId: t.run.id, bodyKey: t.bodyKey, running: !t.run.done });
      } else if (!t.background && !t.run.done) t.run.cancel("cancelled");
    }
    const cached = this.#caches.snapshot();
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
    return { responses: handed, cached };
  }

  /**
   * The cache of a session taken over from another fleet instance, as it was there (its
   * {@link handOff}): a `previous_response_id` resolves here as it did there, `store: false`
   * responses included (FLEET-1).
   */
  restoreCache(cached: readonly LanePoint[]): void {
    this.#caches.restore(cached);
  }

  /**
   * Holds a response another fleet instance owns (taken over with this session): its events
   * reach the connection once a `response.resume` asks for them, as for the session's own. One
   * that ends here is cached as the session's own are (RESP-9), before its end is shown.
   */
  adopt(run: ResponseRun, bodyKey: string | undefined): void {
    const tracked = this.#responses.track(run, bodyKey, false);
    run.log.subscribe((entry) => {
      const point = entry.terminal ? run.continuationPoint() : undefined;
      if (point) this.#caches.add(tracked.lane, point);
      this.#onEvent(entry, tracked);
    }, run.log.nextSequenceNumber - 1);
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

  /**
   * Handles one validated client event of the current connection, which arrived whole at
   * `receivedAt` (`performance.now()`; the start of a create's `server_overhead_ms`).
   */
  handle(event: ClientEvent, receivedAt?: number): void {
    if (this.#discarded) return;
    if (
      !this.#hotline &&
      event.type !== "response.create" &&
      event.type !== "response.steer" &&
      event.type !== "response.interrupt"
    ) {
      // Only hotline.v1 defines the other client events; the binding refuses them in core.
      this.sendError(unknownEventType(event.type, eventIdOf(event)));
      return;
    }
    switch (event.type) {
      case "response.create":
        // A create started now counts from its arrival; one that waits, from leaving its lane.
        this.#receivedAt = receivedAt;
        try {
          this.#onCreate(event);
        } finally {
          this.#receivedAt = undefined;
        }
        return;
      case "response.cancel":
        this.#onCancel(event);
        return;
      case "response.steer":
        this.#onSteer(event);
        return;
      case "response.interrupt":
        this.#onInterrupt(event);
        return;
      case "response.resume":
        this.#onResume(event);
        return;
      case "session.update":
        this.#onUpdate(event);
        return;
      case "session.ping":
        // SESSION-11: written now, ahead of anything generated later.
        this.#send(this.#layer.pong(event.nonce));
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
    const route = routeOf(event.stream_id, this.#lanes, correlation);
    if (typeof route === "string") return route;
    this.#sendLaneError(route.error, route.echo);
    return undefined;
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
    // INT-21: steers waiting for this continuation go first, in submission order.
    const parent = body.previous_response_id ?? undefined;
    const held = parent === undefined ? undefined : this.#steers.waitingFor(parent, lane);
    if (held) body.input = [...heldInput(held), ...normaliseInput(body.input)];
    const started = this.#start(this.#hotline ? withDefaults(body, this.#layer.defaults) : body, {
      bodyKey,
      lane,
    });
    if (started instanceof ProtocolError) {
      Object.assign(started.context, correlation);
      this.#sendLaneError(started, lane);
    } else if (held) this.#steers.committed(parent!);
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
    if (!this.#layer.budget.take()) {
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
        ...(this.#receivedAt === undefined ? {} : { receivedAt: this.#receivedAt }),
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
    const listener = (entry: LoggedEvent): void => this.#onEvent(entry, tracked);
    // A fleet: nothing of a shared response is shown before the other instances can find it.
    const ready = this.#service.store.published(run);
    run.log.subscribe(ready ? heldUntil(ready, listener) : listener);
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
      this.#send(this.#layer.rateLimitsEvent(tracked.run.id));
    }
    if (!ended) return;
    const release = this.#steers.ended(tracked);
    for (const event of release.send) this.#send(event);
    const successor = release.successor;
    if (successor) {
      // INT-15: the held steers' successor keeps the lane and the slot (INT-11).
      this.#reserved++;
      this.#lanes.started(successor.lane);
    }
    if (!tracked.background) this.#lanes.ended(tracked.lane);
    if (successor) this.#startSuccessor(tracked.run, successor.steers, successor.lane);
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

  /** INT-23, INT-24: Codex's interrupt, on every WebSocket connection. */
  #onInterrupt(event: ResponseInterruptEvent): void {
    const tracked = this.#responses.get(event.response_id);
    if (!tracked?.run.interrupt()) {
      // INT-24: unknown (another session's included) or finished: nothing changes.
      this.#sendLaneError(
        responseNotActive(event.response_id, eventIdOf(event)),
        tracked?.lane ?? DEFAULT_LANE,
      );
    }
  }

  /** INT-13 to INT-18: OpenAI's steer, with Hotline's echo in hotline.v1. */
  #onSteer(event: ResponseSteerEvent): void {
    const { reply, accepted } = this.#steers.answer(
      event,
      this.#responses.get(event.previous_response_id),
    );
    this.#send(reply);
    if (!accepted) return;
    const { lane, tracked } = accepted;
    if (this.#steers.holds(tracked)) {
      // INT-19: a tool call is not cut; the steer waits for the response to end.
      this.#steers.hold(event, accepted);
      return;
    }
    if (tracked.run.remote) {
      // FLEET-2: another instance generates it. The cut travels there; the steer waits, as a
      // held one does, for the end to arrive, and its successor runs here (INT-15).
      this.#steers.hold(event, accepted);
      tracked.run.cancel("steered");
      return;
    }
    // INT-11, INT-15: the successor takes the steered response's slot and lane, ahead of the
    // creates waiting there; the steered response ends now (its terminal event is sent
    // synchronously), reason `steered` (INT-14).
    this.#reserved++;
    this.#lanes.started(lane);
    tracked.run.cancel("steered");
    const bodyKey = event.client_request_id === undefined ? undefined : canonicalJson(event);
    this.#startSuccessorOf(tracked.run, steerBody(tracked.run, event), bodyKey, lane, (message) =>
      this.#send(this.#steers.successorFailed(event, accepted, message)),
    );
  }

  /**
   * Starts a steered response's successor in the lane and slot reserved for it (INT-11,
   * INT-15); if it cannot start, `refused` returns the steers' input (INT-16) before the lane
   * moves on to the creates waiting there.
   */
  #startSuccessorOf(
    steered: ResponseRun,
    body: CreateBody,
    bodyKey: string | undefined,
    lane: string,
    refused: (message: string) => void,
  ): void {
    const successor = this.#start(body, { bodyKey, lane, steeredFrom: steered.id, reserved: true });
    this.#reserved--;
    if (successor instanceof ProtocolError) {
      this.#lanes.ended(lane);
      refused(successor.message);
      this.#pump();
    }
  }

  /**
   * INT-15: the successor that commits steers held until their response ended without waiting
   * for tool output, in the lane and slot reserved for it; if it cannot start, their input
   * comes back (INT-16). A response another instance generated is continued from its stored
   * conversation, loaded first (FLEET-7).
   */
  #startSuccessor(steered: ResponseRun, steers: readonly HeldSteer[], lane: string): void {
    const loading = steered.remote ? this.#loadPrevious?.(steered.id) : undefined;
    if (!loading) {
      this.#commitHeld(steered, steers, lane);
      return;
    }
    void loading.then(() => {
      if (!this.#discarded) this.#commitHeld(steered, steers, lane);
    });
  }

  #commitHeld(steered: ResponseRun, steers: readonly HeldSteer[], lane: string): void {
    const body = steerBody(steered, { ...steers[0]!.event, input: heldInput(steers) });
    this.#startSuccessorOf(steered, body, undefined, lane, (message) => {
      for (const e of this.#steers.successorFailedAll(steers, lane, message)) this.#send(e);
    });
  }

  #onResume(event: ResponseResumeEvent): void {
    const eventId = eventIdOf(event);
    const tracked = this.#responses.get(event.response_id);
    if (tracked) this.#replay(tracked, event.after_sequence_number, eventId);
    else this.sendError(responseNotFound(event.response_id, eventId));
  }

  #replay(tracked: Tracked, after: number, eventId: { eventId?: string }): void {
    const refused = this.#delivery.replay(tracked, after, eventId);
    if (refused) this.sendError(refused);
  }

  // --- Session events ------------------------------------------------------------------------

  #onUpdate(event: SessionUpdateEvent): void {
    const d = updatedDefaults(this.#layer.defaults, event.session);
    const tokens = event.prewarm === true ? this.#layer.prewarmTokens(d) : [];
    if (tokens.length === 0) {
      this.#layer.defaults = d;
      this.#send(this.#layer.updated(event.prewarm === true ? tokens : undefined));
      return;
    }
    // SESSION-8, SESSION-21: a prefill is admitted as a create; a refused one changes nothing.
    const eventId = eventIdOf(event);
    if (!this.#admitted(eventId, true)) return;
    this.#layer.defaults = d;
    const run = this.#layer.startPrewarm(d);
    if (run instanceof ProtocolError) {
      Object.assign(run.context, eventId);
      this.sendError(run);
    } else void run.finished.then(() => this.#send(this.#layer.updated(tokens)));
  }

  #announceGoingAway(reason: GoingAwayReason, deadlineMs: number): void {
    // Core: a close with no notice (TRANSPORT-15; a shutdown's refusals are sent by goAway).
    if (!this.#hotline || !this.#registry) return;
    this.#layer.resumeToken = this.#registry.issue(this);
    this.#send(this.#layer.goingAway(reason, deadlineMs));
  }
}
