/**
 * The hotline.v1 session layer (PROTOCOL.md rules 1–9, spec/session.md, responses.md,
 * interruption.md, resume.md): a session that outlives its connection. It multiplexes up to
 * `max_in_flight` responses, stamps `response_id` on their events, answers cancel, steer,
 * resume, update and ping, keeps each response's events in a bounded resume buffer, sends
 * heartbeats, rate-limit updates and going-away notices, and pauses generation instead of
 * buffering without bound (a slow reader, or nobody reading while the session is detached).
 */
import type {
  ClientEvent,
  FunctionTool,
  ResponseCancelEvent,
  ResponseCreateEvent,
  ResponseResumeEvent,
  ResponseSteerEvent,
  SessionDefaults,
  SessionPingEvent,
  SessionUpdateEvent,
  ToolChoice,
} from "../../src/protocol/index.js";
import { lookupError, ProtocolError, SESSION_FEATURES } from "../../src/protocol/index.js";
import type { Faults } from "../faults.js";
import type { PrincipalLimits } from "../limits.js";
import { ConnectionCache } from "../responses/connection-cache.js";
import type { LoggedEvent } from "../responses/event-log.js";
import { newSessionId } from "../responses/ids.js";
import type { CreateBody } from "../responses/params.js";
import { contextTokens, EMPTY_CONTEXT } from "../responses/render.js";
import type { ResponseRun } from "../responses/run.js";
import type { ResponsesService } from "../responses/service.js";
import type { SessionRegistry } from "./registry.js";
import type { SessionPort } from "./session.js";

/** The protocol version string of this specification. */
export const HOTLINE_VERSION = "2026-11-21";

/** Features the reference server advertises: all of them. */
export const HOTLINE_FEATURES = SESSION_FEATURES;

/** Limits and timings of hotline.v1 sessions (the advertised `limits` plus server bounds). */
export interface HotlineConfig {
  maxInFlight: number;
  maxMessageBytes: number;
  contextWindowTokens: number;
  connectionMaxAgeMs: number;
  resumeWindowMs: number;
  heartbeatIntervalMs: number;
  /** Unsent bytes per connection above which generation pauses (STREAM-15). */
  highWaterBytes: number;
  /** Unread bytes a response may buffer while nobody reads it (RESUME-10). */
  resumeBufferBytes: number;
  /** `requests` rate limit per minute and session (ERR-16, SESSION-17). */
  requestsPerMinute: number;
  /** Finished responses a session keeps for resume and idempotency. */
  keepFinished: number;
  /** Event bytes a session keeps for its finished responses (oldest forgotten first). */
  keepFinishedBytes: number;
  /** Grace period of a shutdown's `session.going_away`. */
  shutdownGraceMs: number;
}

/** Reference-server defaults (spec/session.md, informative). */
export const DEFAULT_HOTLINE_CONFIG: HotlineConfig = {
  maxInFlight: 8,
  maxMessageBytes: 4 * 1024 * 1024,
  contextWindowTokens: 128_000,
  connectionMaxAgeMs: 60 * 60 * 1000,
  resumeWindowMs: 300_000,
  heartbeatIntervalMs: 5_000,
  highWaterBytes: 128 << 10,
  resumeBufferBytes: 128 << 10,
  requestsPerMinute: 6_000,
  keepFinished: 32,
  keepFinishedBytes: 256 << 10,
  shutdownGraceMs: 5_000,
};

/** Options of a {@link HotlineSession}. */
export interface HotlineSessionOptions {
  service: ResponsesService;
  principal: string;
  registry: SessionRegistry<HotlineSession>;
  config: HotlineConfig;
  faults: Faults;
  /** Per-principal limits, checked after the session's own (advertised with them). */
  limits?: PrincipalLimits;
  /** Tokens of a prefix now in the prefix cache (prewarm's `cached_tokens`). */
  cachedTokens?: (tokens: readonly number[]) => number;
  /** Called once when the session is discarded. */
  onClose?: (session: HotlineSession) => void;
}

/** A response the session holds. */
interface Tracked {
  readonly run: ResponseRun;
  readonly clientRequestId: string | null;
  /** Canonical JSON of the create (RESUME-11 "same body"). */
  readonly bodyKey: string | undefined;
  readonly background: boolean;
  /** Live events go to the current connection. */
  attached: boolean;
  /** Bytes appended while not attached (RESUME-10). */
  unreadBytes: number;
  /** Why generation is paused (`backpressure`, `buffer`); empty: running. */
  readonly pauses: Set<string>;
  /** Fault `late-cancel`: deltas still to let through before cancelling. */
  cancelAfterDeltas?: number;
  /** Fault `resume-loses-events`: the next live event is not sent. */
  dropNext?: boolean;
  /** Fault `delta-after-terminal`: the item of the last delta. */
  lastItemId?: string;
}

type GoingAwayReason = "shutdown" | "max_age" | "maintenance";

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
  readonly #faults: Faults;
  readonly #limits: PrincipalLimits | undefined;
  readonly #cachedTokens: ((tokens: readonly number[]) => number) | undefined;
  readonly #onClose: ((session: HotlineSession) => void) | undefined;
  readonly #responses = new Map<string, Tracked>();
  readonly #byRequestId = new Map<string, Tracked>();
  readonly #requestTimes: number[] = [];
  #defaults: SessionDefaults = { model: null, instructions: null, tools: [], service_tier: "auto" };
  #port: SessionPort | undefined;
  #resumeToken = "";
  #lastSendAt = 0;
  #heartbeat: NodeJS.Timeout | undefined;
  #ageTimer: NodeJS.Timeout | undefined;
  #closeTimer: NodeJS.Timeout | undefined;
  #expiryTimer: NodeJS.Timeout | undefined;
  #goingAway: { reason: GoingAwayReason; done: () => void } | undefined;
  #pastMaxAge = false;
  #drainWaiting = false;
  #discarded = false;
  #closingForGoingAway = false;

  /** Creates a detached session; {@link attach} gives it its first connection. */
  constructor(options: HotlineSessionOptions) {
    this.#service = options.service;
    this.principal = options.principal;
    this.#registry = options.registry;
    this.#config = options.config;
    this.#faults = options.faults;
    this.#limits = options.limits;
    this.#cachedTokens = options.cachedTokens;
    this.#onClose = options.onClose;
    this.maxInFlight = options.config.maxInFlight;
    this.cache = new ConnectionCache(Math.max(this.maxInFlight, 8));
  }

  /** The connection currently attached, if any. */
  get port(): SessionPort | undefined {
    return this.#port;
  }

  /** Whether the session was discarded (window ended, or the server stopped). */
  get discarded(): boolean {
    return this.#discarded;
  }

  /** Non-background responses in flight. */
  get inFlightCount(): number {
    let n = 0;
    for (const t of this.#responses.values()) if (!t.background && !t.run.done) n++;
    return n;
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
      this.#detachResponses();
      const error = new ProtocolError(
        "session_replaced",
        "The session was resumed on another connection.",
      );
      old.send(JSON.stringify(this.#envelope(error)));
      old.close(error.closeCode ?? 4002, error.code);
    }
    if (this.#expiryTimer) clearTimeout(this.#expiryTimer);
    this.#expiryTimer = undefined;
    this.#port = port;
    this.#pastMaxAge = false;
    this.#goingAway = undefined;
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
    } else if (!this.#faults.has("no-session-created")) {
      this.#send({ type: "session.created", session: this.#sessionObject() });
    }
    this.#armTimers();
  }

  /** The connection closed: the session waits `resume_window_ms` for a resume (RESUME-5). */
  detach(port: SessionPort): void {
    if (port !== this.#port) return;
    this.#port = undefined;
    this.#clearConnectionTimers();
    this.#detachResponses();
    const going = this.#goingAway;
    this.#goingAway = undefined;
    going?.done();
    if (this.#discarded) return;
    this.#expiryTimer = setTimeout(() => this.discard(), this.#config.resumeWindowMs);
    this.#expiryTimer.unref();
  }

  /**
   * Discards the session (RESUME-13): its non-background responses stop (recorded
   * `cancelled`), its tokens stop working, its connection (if any) is closed.
   */
  discard(): void {
    if (this.#discarded) return;
    this.#discarded = true;
    if (this.#expiryTimer) clearTimeout(this.#expiryTimer);
    this.#clearConnectionTimers();
    this.#registry.remove(this);
    for (const t of this.#responses.values()) {
      if (!t.background && !t.run.done) t.run.cancel("cancelled");
    }
    this.#responses.clear();
    this.#byRequestId.clear();
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
    const port = this.#port;
    if (!port) return Promise.resolve();
    return new Promise((resolve) => {
      const previous = this.#goingAway;
      this.#goingAway = { reason, done: resolve };
      previous?.done();
      if (!this.#faults.has("no-going-away")) {
        this.#resumeToken = this.#registry.issue(this);
        this.#send({
          type: "session.going_away",
          reason,
          deadline_ms: Math.max(0, Math.round(deadlineMs)),
          resume_token: this.#resumeToken,
        });
      }
      if (this.#closeTimer) clearTimeout(this.#closeTimer);
      this.#closeTimer = setTimeout(() => this.#closeForGoingAway(), Math.max(0, deadlineMs));
      this.#closeTimer.unref();
      if (reason !== "max_age") this.#maybeCloseIdle();
    });
  }

  /** Sends an error framed for hotline.v1. */
  sendError(error: ProtocolError): void {
    this.#send(this.#envelope(error));
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
        this.sendError(
          new ProtocolError("unknown_event_type", `Unknown event type '${other.type}'.`, {
            param: "/type",
            ...eventIdOf(other),
          }),
        );
      }
    }
  }

  // --- Creates -------------------------------------------------------------------------------

  #onCreate(event: ResponseCreateEvent): void {
    const eventId = eventIdOf(event);
    const { type: _type, event_id: _eventId, ...body } = event;
    const requestId = body.client_request_id;
    const correlation = {
      ...eventId,
      ...(requestId === undefined ? {} : { clientRequestId: requestId }),
    };
    if (this.#pastMaxAge) {
      this.sendError(limitReached(correlation));
      return;
    }
    const bodyKey = canonicalJson(body);
    if (requestId !== undefined && !this.#faults.has("duplicate-on-retry")) {
      const held = this.#byRequestId.get(requestId);
      if (held) {
        if (held.bodyKey !== bodyKey) {
          this.sendError(
            new ProtocolError(
              "idempotency_key_reused",
              `client_request_id '${requestId}' was used for a different request.`,
              { ...correlation, param: "/client_request_id", responseId: held.run.id },
            ),
          );
          return;
        }
        // RESUME-11: the same request again attaches to the response it started.
        this.#replay(held, -1, eventId);
        return;
      }
    }
    const background = body.background === true;
    if (
      !background &&
      this.inFlightCount >= this.maxInFlight &&
      !this.#faults.has("no-in-flight-limit")
    ) {
      this.sendError(
        new ProtocolError(
          "too_many_in_flight",
          `At most ${this.maxInFlight} responses may be in flight on a session.`,
          correlation,
        ),
      );
      return;
    }
    if (!this.#takeRequestBudget()) {
      this.sendError(
        new ProtocolError(
          "rate_limit_exceeded",
          `Rate limit of ${this.#config.requestsPerMinute} requests per minute reached.`,
          correlation,
        ),
      );
      return;
    }
    const refused = this.#limits?.admit(this.principal);
    if (refused) {
      Object.assign(refused.context, correlation);
      this.sendError(refused);
      return;
    }
    this.#start(this.#withDefaults(body), { bodyKey, correlation });
  }

  #withDefaults(body: CreateBody): CreateBody {
    const d = this.#defaults;
    const out: CreateBody = { ...body };
    if (out.model === undefined && d.model !== null) out.model = d.model;
    if (out.instructions === undefined && d.instructions !== null) {
      out.instructions = d.instructions;
    }
    if (out.tools === undefined && d.tools.length > 0) out.tools = d.tools;
    if (out.tool_choice === undefined && d.tool_choice !== undefined) {
      out.tool_choice = d.tool_choice;
    }
    if (out.service_tier === undefined && d.service_tier !== "auto") {
      out.service_tier = d.service_tier;
    }
    return out;
  }

  #start(
    body: CreateBody,
    options: {
      bodyKey: string | undefined;
      correlation: { eventId?: string; clientRequestId?: string };
      steeredFrom?: string;
    },
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
          tracked ??= this.#track(run, options.bodyKey);
          this.#onEntry(entry, tracked);
        },
      });
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

  #track(run: ResponseRun, bodyKey: string | undefined): Tracked {
    const tracked: Tracked = {
      run,
      clientRequestId: run.params.clientRequestId,
      bodyKey,
      background: run.params.background,
      attached: this.#port !== undefined,
      unreadBytes: 0,
      pauses: new Set(),
    };
    this.#responses.set(run.id, tracked);
    if (tracked.clientRequestId !== null && bodyKey !== undefined) {
      this.#byRequestId.set(tracked.clientRequestId, tracked);
    }
    return tracked;
  }

  /**
   * Keeps at most `keepFinished` finished responses holding at most `keepFinishedBytes` of
   * events (oldest go first), so a long session's memory stays bounded.
   */
  #forgetOldFinished(): void {
    let finished = 0;
    let bytes = 0;
    for (const t of this.#responses.values()) {
      if (!t.run.done) continue;
      finished++;
      bytes += t.run.log.keptBytes;
    }
    const c = this.#config;
    if (finished <= c.keepFinished && bytes <= c.keepFinishedBytes) return;
    for (const [id, t] of this.#responses) {
      if (finished <= c.keepFinished && bytes <= c.keepFinishedBytes) break;
      if (!t.run.done || finished <= 1) continue;
      this.#responses.delete(id);
      if (t.clientRequestId !== null && this.#byRequestId.get(t.clientRequestId) === t) {
        this.#byRequestId.delete(t.clientRequestId);
      }
      finished--;
      bytes -= t.run.log.keptBytes;
    }
  }

  // --- Event delivery ------------------------------------------------------------------------

  // The per-token path: one frame, one send; everything else only on rarer events.
  #onEntry(entry: LoggedEvent, tracked: Tracked): void {
    const port = this.#port;
    if (tracked.attached && port) {
      if (tracked.dropNext) tracked.dropNext = false;
      else this.#write(port, this.#frame(entry, tracked));
      if (entry.type === "response.created" && !this.#faults.has("no-rate-limits")) {
        this.#send(this.#rateLimitsEvent(tracked.run.id));
      }
      if (entry.terminal) this.#afterTerminal(entry, tracked);
      else {
        const log = tracked.run.log;
        if (log.keptBytes > this.#config.resumeBufferBytes) {
          log.trim(this.#config.resumeBufferBytes, entry.sequenceNumber);
        }
        if (!this.#drainWaiting && port.bufferedAmount() > this.#config.highWaterBytes) {
          this.#backpressure(port);
        }
      }
    } else {
      tracked.unreadBytes += entry.json.length;
      if (entry.terminal) this.#afterTerminal(entry, tracked);
      else if (tracked.unreadBytes > this.#config.resumeBufferBytes) {
        // RESUME-10: nobody reads it; pause rather than drop.
        this.#setPaused(tracked, "buffer", true);
      }
    }
    if (entry.type === "response.output_text.delta") {
      tracked.lastItemId = (entry.event as { item_id: string }).item_id;
      if (tracked.cancelAfterDeltas !== undefined && --tracked.cancelAfterDeltas <= 0) {
        tracked.cancelAfterDeltas = undefined;
        tracked.run.cancel("cancelled");
      }
    }
  }

  #afterTerminal(entry: LoggedEvent, tracked: Tracked): void {
    tracked.pauses.clear();
    if (this.#faults.has("delta-after-terminal") && tracked.attached && this.#port) {
      this.#write(
        this.#port,
        JSON.stringify({
          type: "response.output_text.delta",
          item_id: tracked.lastItemId ?? "msg_after_terminal",
          output_index: 0,
          content_index: 0,
          delta: " (after the end)",
          sequence_number: entry.sequenceNumber + 1,
          response_id: tracked.run.id,
        }),
      );
    }
    this.#forgetOldFinished();
    this.#maybeCloseIdle();
  }

  /** The hotline.v1 frame of a logged event: `response_id` stamped, errors as envelopes. */
  #frame(entry: LoggedEvent, tracked: Tracked): string {
    const id = tracked.run.id;
    let json: string;
    if (entry.type === "error") {
      const logged = entry.event as unknown as {
        error: { code: string; message: string; type?: string };
      };
      const registry = lookupError(logged.error.code);
      const errorType: string = logged.error.type ?? (registry ? registry.type : "server_error");
      json = JSON.stringify({
        type: "error",
        status: registry?.status ?? 500,
        error: {
          code: logged.error.code,
          message: logged.error.message,
          type: errorType,
          param: null,
          retryable: registry?.retryable ?? false,
        },
        response_id: id,
        sequence_number: entry.sequenceNumber,
      });
    } else if (
      this.#faults.has("missing-response-id") &&
      entry.type === "response.output_text.delta"
    ) {
      json = entry.json;
    } else {
      json = `{"response_id":${JSON.stringify(id)},${entry.json.slice(1)}`;
    }
    if (!this.#faults.any) return json;
    return applyWireFaults(this.#faults, entry, json);
  }

  #write(port: SessionPort, json: string): void {
    port.send(json);
    this.#lastSendAt = performance.now();
  }

  #send(event: object): void {
    const port = this.#port;
    if (port) this.#write(port, JSON.stringify(event));
  }

  /** STREAM-15: a slow reader pauses the responses it reads until the socket drains. */
  #backpressure(port: SessionPort): void {
    this.#drainWaiting = true;
    const paused: Tracked[] = [];
    for (const t of this.#responses.values()) {
      if (t.attached && !t.run.done) {
        this.#setPaused(t, "backpressure", true);
        paused.push(t);
      }
    }
    port.onDrain(() => {
      this.#drainWaiting = false;
      for (const t of paused) this.#setPaused(t, "backpressure", false);
    });
  }

  #setPaused(tracked: Tracked, reason: string, on: boolean): void {
    const before = tracked.pauses.size;
    if (on) tracked.pauses.add(reason);
    else tracked.pauses.delete(reason);
    const handle = tracked.run.handle;
    if (!handle || tracked.run.done) return;
    if (before === 0 && tracked.pauses.size > 0) handle.pause();
    else if (before > 0 && tracked.pauses.size === 0) handle.resume();
  }

  #detachResponses(): void {
    for (const t of this.#responses.values()) {
      t.attached = false;
      t.unreadBytes = 0;
      t.pauses.delete("backpressure");
      this.#setPaused(t, "backpressure", false);
    }
    this.#drainWaiting = false;
  }

  // --- Cancel, steer, resume -----------------------------------------------------------------

  #active(
    responseId: string,
    correlation: { eventId?: string; clientRequestId?: string },
  ): Tracked | undefined {
    const tracked = this.#responses.get(responseId);
    if (tracked && !tracked.run.done) return tracked;
    if (this.#faults.has("cancel-unknown-silent")) return undefined;
    // INT-6: unknown (including another session's) or finished: same answer, nothing changes.
    this.sendError(
      new ProtocolError(
        "response_not_active",
        `Response '${responseId}' is not in flight on this session.`,
        { ...correlation, responseId, param: "/response_id" },
      ),
    );
    return undefined;
  }

  #onCancel(event: ResponseCancelEvent): void {
    const tracked = this.#active(event.response_id, eventIdOf(event));
    if (!tracked) return;
    if (this.#faults.has("ignore-cancel")) return;
    if (event.truncate && !this.#faults.has("truncate-ignored")) {
      tracked.run.truncate(event.truncate.text_chars);
    }
    if (this.#faults.has("late-cancel") && tracked.run.handle?.state === "decoding") {
      tracked.cancelAfterDeltas = 5;
      return;
    }
    tracked.run.cancel("cancelled");
  }

  #onSteer(event: ResponseSteerEvent): void {
    const eventId = eventIdOf(event);
    const correlation = {
      ...eventId,
      ...(event.client_request_id === undefined
        ? {}
        : { clientRequestId: event.client_request_id }),
    };
    // ERR-8: a refused steer echoes its client_request_id, so the client can tell which of
    // its pending requests will never start.
    const tracked = this.#active(event.response_id, correlation);
    if (!tracked) return;
    const steered = tracked.run;
    // INT-9: end it as a cancel would (synchronously: its terminal event is sent now)...
    steered.cancel("cancelled");
    const p = steered.params;
    const body: CreateBody = {
      model: p.model,
      input: event.input,
      previous_response_id: steered.id,
      instructions: p.instructions,
      tools: p.tools,
      tool_choice: p.toolChoice,
      store: p.store,
      service_tier: p.serviceTier as CreateBody["service_tier"],
      ...(event.client_request_id === undefined
        ? {}
        : { client_request_id: event.client_request_id }),
      ...(event.max_output_tokens === undefined
        ? {}
        : { max_output_tokens: event.max_output_tokens }),
      ...(event.metadata === undefined ? {} : { metadata: event.metadata }),
    };
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
      this.sendError(
        new ProtocolError(
          "response_not_found",
          `Response '${event.response_id}' is not held by this session.`,
          { ...eventId, responseId: event.response_id, param: "/response_id" },
        ),
      );
      return;
    }
    this.#replay(tracked, event.after_sequence_number, eventId);
  }

  /** RESUME-6/7: every kept event after `after`, in order, then live. */
  #replay(tracked: Tracked, after: number, eventId: { eventId?: string }): void {
    const port = this.#port;
    if (!port) return;
    const log = tracked.run.log;
    let entries: LoggedEvent[];
    try {
      if (after > log.nextSequenceNumber - 1) throw new RangeError("ahead of the stream");
      entries = log.since(after);
    } catch {
      this.sendError(
        new ProtocolError(
          "resume_position_unavailable",
          `Events after ${after} of response '${tracked.run.id}' are not available.`,
          { ...eventId, responseId: tracked.run.id, param: "/after_sequence_number" },
        ),
      );
      return;
    }
    if (this.#faults.has("resume-loses-events")) {
      // The first event the resume owes is lost: a replayed one, or else the next live one.
      if (entries.length > 0) entries = entries.slice(1);
      else tracked.dropNext = true;
    }
    for (const entry of entries) this.#write(port, this.#frame(entry, tracked));
    tracked.attached = true;
    tracked.unreadBytes = 0;
    this.#setPaused(tracked, "buffer", false);
  }

  // --- Session events ------------------------------------------------------------------------

  #onUpdate(event: SessionUpdateEvent): void {
    const update = event.session;
    const d = { ...this.#defaults };
    if (update.model !== undefined) d.model = update.model ?? null;
    if (update.instructions !== undefined) d.instructions = update.instructions ?? null;
    if (update.tools !== undefined) d.tools = (update.tools ?? []) as FunctionTool[];
    if (update.tool_choice !== undefined) {
      if (update.tool_choice === null) delete d.tool_choice;
      else d.tool_choice = update.tool_choice as ToolChoice;
    }
    if (update.service_tier !== undefined) d.service_tier = update.service_tier;
    this.#defaults = d;
    if (event.prewarm !== true) {
      this.#send({ type: "session.updated", session: this.#sessionObject() });
      return;
    }
    this.#prewarm(d, eventIdOf(event));
  }

  /** SESSION-8: prefill the defaults (generate:false), then answer with the cached tokens. */
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
      answer();
      return;
    }
    try {
      const run = this.#service.create(
        {
          ...(d.model === null ? {} : { model: d.model }),
          instructions: d.instructions,
          tools: d.tools,
          ...(d.service_tier === "auto" ? {} : { service_tier: d.service_tier }),
          input: [],
          generate: false,
          store: false,
        },
        { profile: "hotline.v1", principal: this.principal },
      );
      void run.finished.then(answer);
    } catch (error) {
      const protocolError = error as ProtocolError;
      Object.assign(protocolError.context, eventId);
      this.sendError(protocolError);
    }
  }

  #onPing(event: SessionPingEvent): void {
    if (this.#faults.has("no-pong")) return;
    // SESSION-11: written now, ahead of anything generated later.
    this.#send({ type: "session.pong", nonce: event.nonce, server_time_ms: Date.now() });
  }

  #rateLimitsEvent(responseId: string): object {
    const now = performance.now();
    const times = this.#requestTimes;
    while (times.length > 0 && times[0]! <= now - 60_000) times.shift();
    const limit = this.#config.requestsPerMinute;
    return {
      type: "rate_limits.updated",
      rate_limits: [
        {
          name: "requests",
          limit,
          remaining: Math.max(0, limit - times.length),
          reset_ms: times.length === 0 ? 0 : Math.max(0, Math.ceil(times[0]! + 60_000 - now)),
        },
        ...(this.#limits?.states(this.principal) ?? []),
      ],
      response_id: responseId,
    };
  }

  #takeRequestBudget(): boolean {
    const now = performance.now();
    const times = this.#requestTimes;
    while (times.length > 0 && times[0]! <= now - 60_000) times.shift();
    if (times.length >= this.#config.requestsPerMinute) return false;
    times.push(now);
    return true;
  }

  #sessionObject(): object {
    const c = this.#config;
    const now = performance.now();
    const times = this.#requestTimes.filter((t) => t > now - 60_000);
    return {
      id: this.id,
      protocol: "hotline.v1",
      version: HOTLINE_VERSION,
      resume_token: this.#resumeToken,
      limits: {
        max_in_flight: c.maxInFlight,
        max_message_bytes: c.maxMessageBytes,
        context_window_tokens: c.contextWindowTokens,
        connection_max_age_ms: c.connectionMaxAgeMs,
        resume_window_ms: c.resumeWindowMs,
        heartbeat_interval_ms: c.heartbeatIntervalMs,
        rate_limits: [
          {
            name: "requests",
            limit: c.requestsPerMinute,
            remaining: Math.max(0, c.requestsPerMinute - times.length),
            reset_ms: times.length === 0 ? 0 : Math.ceil(times[0]! + 60_000 - now),
          },
          ...(this.#limits?.states(this.principal) ?? []),
        ],
      },
      features: [...HOTLINE_FEATURES],
      defaults: this.#defaults,
    };
  }

  #envelope(error: ProtocolError): object {
    const envelope = error.toEnvelope("hotline.v1") as unknown as Record<string, unknown>;
    if (this.#faults.has("wrong-error-envelope")) delete envelope.status;
    if (this.#faults.has("no-error-request-id")) delete envelope.client_request_id;
    return envelope;
  }

  // --- Timers: heartbeat, age, going-away ----------------------------------------------------

  #armTimers(): void {
    this.#clearConnectionTimers();
    this.#lastSendAt = performance.now();
    const interval = this.#config.heartbeatIntervalMs;
    if (!this.#faults.has("no-heartbeat")) {
      // Checked four times per interval; a frame goes out once half an interval was silent,
      // so no gap ever reaches the interval (SESSION-12).
      this.#heartbeat = setInterval(() => this.#beat(), Math.max(1, interval / 4));
      this.#heartbeat.unref();
    }
    const age = this.#config.connectionMaxAgeMs;
    const lead = Math.min(60_000, age / 10);
    this.#ageTimer = setTimeout(() => {
      this.#ageTimer = undefined;
      if (this.#faults.has("no-going-away")) {
        this.#pastMaxAge = true;
        this.fail(limitReached({}));
        return;
      }
      void this.goAway("max_age", lead);
    }, age - lead);
    this.#ageTimer.unref();
  }

  #beat(): void {
    const port = this.#port;
    if (!port) return;
    if (performance.now() - this.#lastSendAt < this.#config.heartbeatIntervalMs / 2) return;
    let live = false;
    for (const t of this.#responses.values()) {
      if (!t.run.done) {
        live = true;
        break;
      }
    }
    if (live) this.#write(port, `{"type":"session.heartbeat","server_time_ms":${Date.now()}}`);
  }

  #maybeCloseIdle(): void {
    const going = this.#goingAway;
    if (!going || going.reason === "max_age" || this.inFlightCount > 0) return;
    this.#closeForGoingAway();
  }

  #closeForGoingAway(): void {
    const going = this.#goingAway;
    const port = this.#port;
    if (!going || !port || this.#closingForGoingAway) return;
    this.#closingForGoingAway = true;
    try {
      if (this.#closeTimer) clearTimeout(this.#closeTimer);
      this.#closeTimer = undefined;
      if (going.reason === "max_age") this.#pastMaxAge = true;
      else {
        // Shutdown at the deadline: what is still running ends now with a truthful terminal
        // event (`response.incomplete`, reason `cancelled`) written before the close.
        for (const t of [...this.#responses.values()]) {
          if (!t.run.done) t.run.cancel("incomplete");
        }
      }
      const error =
        going.reason === "max_age"
          ? limitReached({})
          : new ProtocolError("server_shutting_down", "The server is shutting down.");
      this.fail(error);
    } finally {
      this.#closingForGoingAway = false;
    }
  }

  #clearConnectionTimers(): void {
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    if (this.#ageTimer) clearTimeout(this.#ageTimer);
    if (this.#closeTimer) clearTimeout(this.#closeTimer);
    this.#heartbeat = this.#ageTimer = this.#closeTimer = undefined;
  }
}

/** Wire faults that rewrite a frame (both profiles): `sequence-gap`. */
export function applyWireFaults(faults: Faults, entry: LoggedEvent, json: string): string {
  if (faults.has("sequence-gap") && entry.sequenceNumber >= 3) {
    const value = JSON.parse(json) as { sequence_number?: number };
    value.sequence_number = entry.sequenceNumber + 1;
    return JSON.stringify(value);
  }
  if (
    entry.type === "response.created" &&
    (faults.has("no-client-request-id") || faults.has("no-steered-from"))
  ) {
    const value = JSON.parse(json) as Record<string, unknown>;
    if (faults.has("no-client-request-id")) delete value.client_request_id;
    else delete value.steered_from;
    return JSON.stringify(value);
  }
  return json;
}

function limitReached(context: { eventId?: string; clientRequestId?: string }): ProtocolError {
  return new ProtocolError(
    "websocket_connection_limit_reached",
    "Responses websocket connection limit reached. Create a new websocket connection to continue.",
    context,
  );
}

function eventIdOf(event: { event_id?: string }): { eventId?: string } {
  return event.event_id === undefined ? {} : { eventId: event.event_id };
}

/** JSON with object keys sorted, so equal values give equal strings (RESUME-11). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}
