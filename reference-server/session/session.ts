/**
 * Per-connection state: the profile, the connection-local cache, the in-flight table, the
 * create queue (core runs responses one at a time, in arrival order), the connection age
 * limit, and teardown that stops every response the connection was paying for. It is
 * transport-agnostic: the WebSocket binding hands it validated events and a {@link SessionPort}.
 *
 * The hotline.v1 profile is the sibling class in hotline-session.ts (not yet one model).
 */
import type { ClientEvent, ResponseCreateEvent } from "../../src/protocol/index.js";
import type { ProtocolError } from "../../src/protocol/index.js";
import { type PrincipalLimits, startAdmitted } from "../limits.js";
import { ConnectionCache } from "../responses/connection-cache.js";
import type { LoggedEvent } from "../responses/event-log.js";
import { newSessionId } from "../responses/ids.js";
import type { CancelTimer } from "../backend/clock.js";
import type { ResponseRun } from "../responses/run.js";
import type { ResponsesService } from "../responses/service.js";
import type { SessionClock } from "./clock.js";
import {
  eventIdOf,
  limitReached,
  serverShuttingDown,
  tooManyQueued,
  unknownEventType,
} from "./session-errors.js";

/** The negotiated profile of a connection. */
export type Profile = "core" | "hotline.v1";

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
  port: SessionPort;
  /** Who the connection authenticated as. */
  principal: string;
  /** The time of its age limit and shutdown deadline. */
  clock: SessionClock;
  /** Connection age limit (TRANSPORT-15); default 60 minutes. */
  maxAgeMs?: number;
  /** Responses run at once: 1 in core. */
  maxInFlight?: number;
  /** Unsent bytes above which generation pauses (STREAM-15); default 1 MiB. */
  highWaterBytes?: number;
  /**
   * Creates that may wait behind the responses in flight (core: behind the one); past it a
   * create is refused with `server_overloaded` (RESP-30). Default {@link DEFAULT_MAX_QUEUED_CREATES}.
   */
  maxQueuedCreates?: number;
  /** Called when the session ended (connection closed). */
  onClose?: (session: Session) => void;
  /** The connection-local cache (default: a new one holding `maxInFlight` responses). */
  cache?: ConnectionCache;
  /** Per-principal limits (in-flight responses, request and token budgets). */
  limits?: PrincipalLimits;
}

/** A response this session streams. */
export interface InFlight {
  readonly run: ResponseRun;
}

/** One connection's session. */
export class Session {
  readonly id = newSessionId();
  readonly profile: Profile;
  readonly principal: string;
  readonly cache: ConnectionCache;
  readonly inFlight = new Map<string, InFlight>();
  readonly openedAt: number;
  readonly maxInFlight: number;
  readonly #service: ResponsesService;
  readonly #port: SessionPort;
  readonly #maxAgeMs: number;
  readonly #highWater: number;
  readonly #onClose: ((session: Session) => void) | undefined;
  readonly #pending: ResponseCreateEvent[] = [];
  readonly #maxPending: number;
  readonly #limits: PrincipalLimits | undefined;
  readonly #clock: SessionClock;
  #ageTimer: CancelTimer | undefined;
  #expired = false;
  #closed = false;
  #paused = false;
  #draining: (() => void) | undefined;
  #drained: (() => void) | undefined;

  /** Creates a session and arms its age limit. */
  constructor(options: SessionOptions) {
    this.profile = options.profile;
    this.principal = options.principal;
    this.#service = options.service;
    this.#port = options.port;
    this.#clock = options.clock;
    this.openedAt = options.clock.now();
    this.#limits = options.limits;
    this.maxInFlight = options.maxInFlight ?? 1;
    this.cache = options.cache ?? new ConnectionCache(this.maxInFlight);
    this.#maxAgeMs = options.maxAgeMs ?? 60 * 60 * 1000;
    this.#highWater = options.highWaterBytes ?? 1 << 20;
    this.#maxPending = options.maxQueuedCreates ?? DEFAULT_MAX_QUEUED_CREATES;
    this.#onClose = options.onClose;
    this.#ageTimer = this.#clock.setTimer(this.openedAt + this.#maxAgeMs, () => this.#onMaxAge());
  }

  /** Whether the connection is past its maximum age. */
  get expired(): boolean {
    return this.#expired;
  }

  /** Handles one validated client event. */
  handle(event: ClientEvent): void {
    if (this.#closed) return;
    switch (event.type) {
      case "response.create":
        this.#onCreate(event);
        return;
      default:
        // Only hotline.v1 defines the other client events; the binding refuses them in core.
        this.sendError(unknownEventType(event.type, eventIdOf(event)));
    }
  }

  /** Sends an error envelope framed for this profile. */
  sendError(error: ProtocolError): void {
    if (this.#closed) return;
    this.#port.send(JSON.stringify(error.toEnvelope(this.profile)));
  }

  /** Sends an error, then closes with its registry close code and the code as reason. */
  fail(error: ProtocolError): void {
    if (this.#closed) return;
    this.sendError(error);
    this.#port.close(error.closeCode ?? 1011, error.code);
  }

  /** The frame of a logged event for this profile (hotline.v1 stamps `response_id`). */
  frame(entry: LoggedEvent, run: ResponseRun): string {
    return this.profile === "core"
      ? entry.json
      : `{"response_id":${JSON.stringify(run.id)},${entry.json.slice(1)}`;
  }

  #onCreate(event: ResponseCreateEvent): void {
    if (this.#draining) {
      this.sendError(serverShuttingDown(eventIdOf(event)));
      return;
    }
    if (this.#expired) {
      this.fail(limitReached({}));
      return;
    }
    if (this.inFlight.size >= this.maxInFlight) {
      // Core: sequential processing; the create waits for the running response, in a
      // bounded queue (RESP-30): each waiting create holds its whole parsed body.
      if (this.#pending.length >= this.#maxPending) {
        this.sendError(tooManyQueued(this.#maxPending, eventIdOf(event)));
        return;
      }
      this.#pending.push(event);
      return;
    }
    this.#start(event);
  }

  #start(event: ResponseCreateEvent): void {
    const { type: _type, event_id: eventId, ...body } = event;
    let run: ResponseRun;
    try {
      run = startAdmitted(this.#limits, this.principal, () =>
        this.#service.create(body, {
          profile: this.profile,
          principal: this.principal,
          cache: this.cache,
          listener: (entry, r) => this.#deliver(entry, r),
        }),
      );
    } catch (error) {
      const protocolError = error as ProtocolError;
      if (eventId !== undefined) {
        (protocolError.context as { eventId?: string }).eventId = eventId;
      }
      this.sendError(protocolError);
      this.#next();
      return;
    }
    // A run that already ended inside create() was delivered and dequeued by #deliver.
    if (!run.done) this.inFlight.set(run.id, { run });
  }

  // The per-token path: one send; backpressure is checked only when the buffer is high.
  #deliver(entry: LoggedEvent, run: ResponseRun): void {
    if (this.#closed) return;
    this.#port.send(this.frame(entry, run));
    if (entry.terminal) {
      this.inFlight.delete(run.id);
      this.#next();
      return;
    }
    if (!this.#paused && this.#port.bufferedAmount() > this.#highWater) this.#pause();
  }

  // STREAM-15: a slow reader pauses generation instead of growing the send buffer.
  #pause(): void {
    this.#paused = true;
    for (const { run } of this.inFlight.values()) run.handle?.pause();
    this.#port.onDrain(() => {
      this.#paused = false;
      for (const { run } of this.inFlight.values()) run.handle?.resume();
    });
  }

  #next(): void {
    if (this.#closed) return;
    if (this.#draining) {
      if (this.inFlight.size === 0) this.#draining();
      return;
    }
    if (this.#expired && this.inFlight.size === 0) {
      this.fail(limitReached({}));
      return;
    }
    while (this.inFlight.size < this.maxInFlight && this.#pending.length > 0) {
      this.#start(this.#pending.shift()!);
    }
  }

  #onMaxAge(): void {
    this.#ageTimer = undefined;
    this.#expired = true;
    // TRANSPORT-15: a response in flight finishes first; queued creates are refused.
    this.#pending.length = 0;
    if (this.inFlight.size === 0) this.fail(limitReached({}));
  }

  /**
   * Drains for shutdown: queued creates are refused, the response in flight may finish until
   * `deadlineMs`; then whatever still runs ends with `response.incomplete` (reason
   * `cancelled`), the error `server_shutting_down` is sent and the connection closes (4001).
   */
  shutdown(deadlineMs: number): Promise<void> {
    if (this.#closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.#drained = resolve;
      const refused = this.#pending.splice(0);
      for (const event of refused) {
        this.sendError(serverShuttingDown(eventIdOf(event)));
      }
      const deadline: { cancel?: CancelTimer } = {};
      const finish = () => {
        deadline.cancel?.();
        this.#draining = () => {};
        for (const { run } of [...this.inFlight.values()]) run.cancel("incomplete");
        this.fail(serverShuttingDown());
        resolve();
      };
      this.#draining = finish;
      if (this.inFlight.size === 0) {
        finish();
        return;
      }
      deadline.cancel = this.#clock.setTimer(this.#clock.now() + Math.max(0, deadlineMs), finish);
    });
  }

  /**
   * Tears the session down (the connection closed): responses it was streaming stop costing
   * compute (RESUME-14), except background ones, which outlive their connection (RESP-21).
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#ageTimer?.();
    this.#pending.length = 0;
    for (const { run } of this.inFlight.values()) {
      if (!run.params.background) run.cancel("incomplete");
    }
    this.inFlight.clear();
    this.cache.clear();
    this.#drained?.();
    this.#onClose?.(this);
  }
}
