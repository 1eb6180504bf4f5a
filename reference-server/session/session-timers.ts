/**
 * The clocks of a session: the connection's maximum age, the close at a going-away deadline
 * (or, for a shutdown, as soon as nothing is in flight), and in hotline.v1 also heartbeats while
 * responses run and the connection is otherwise silent (SESSION-12), the `session.going_away`
 * notice ahead of the maximum age, and the resume window a detached session waits out
 * (RESUME-5). A core connection past its maximum age refuses new creates and closes once
 * nothing is in flight (TRANSPORT-15).
 */
import type { Profile } from "./session.js";
import type { ProtocolError, SessionHeartbeatEvent } from "../../src/protocol/index.js";
import type { CancelTimer } from "../../src/util/clock.js";
import type { SessionClock } from "./clock.js";
import type { HotlineConfig } from "./hotline-config.js";
import { limitReached, serverShuttingDown } from "./session-errors.js";
import type { SessionPort } from "./session.js";

/** Why a session announces `session.going_away`. */
export type GoingAwayReason = "shutdown" | "max_age" | "maintenance";

/** What the timers need of their session. */
export interface TimersHost {
  /** The connection currently attached, if any. */
  port(): SessionPort | undefined;
  /** Non-background responses in flight. */
  inFlightCount(): number;
  /** Whether any response is still running. */
  anyRunning(): boolean;
  /** Writes one frame to the connection. */
  write(port: SessionPort, json: string): void;
  /** Sends `session.going_away` with a fresh resume token. */
  announceGoingAway(reason: GoingAwayReason, deadlineMs: number): void;
  /** Ends what is still running (a shutdown's deadline). */
  endRunning(): void;
  /** A core connection passed its maximum age: creates waiting are dropped. */
  expired(): void;
  /** Sends an error, then closes the connection. */
  fail(error: ProtocolError): void;
  /** Discards the session. */
  discard(): void;
}

/** The timers of one session; the connection ones restart with every connection. */
export class SessionTimers {
  readonly #config: HotlineConfig;
  readonly #hotline: boolean;
  readonly #clock: SessionClock;
  readonly #host: TimersHost;
  #lastSendAt = 0;
  #heartbeat: CancelTimer | undefined;
  #ageTimer: CancelTimer | undefined;
  #closeTimer: CancelTimer | undefined;
  #expiryTimer: CancelTimer | undefined;
  #goingAway: { reason: GoingAwayReason; done: () => void } | undefined;
  #pastMaxAge = false;
  #closingForGoingAway = false;

  /** Creates the timers of a session (none running yet). */
  constructor(profile: Profile, config: HotlineConfig, clock: SessionClock, host: TimersHost) {
    this.#hotline = profile === "hotline.v1";
    this.#config = config;
    this.#clock = clock;
    this.#host = host;
  }

  /** Whether the connection outlived its maximum age (new creates are refused). */
  get pastMaxAge(): boolean {
    return this.#pastMaxAge;
  }

  /** A frame went out: the connection was not silent. */
  sent(): void {
    this.#lastSendAt = this.#clock.now();
  }

  /** A connection attached: the resume window stops, its age and going-away start over. */
  attached(): void {
    this.#expiryTimer?.();
    this.#expiryTimer = undefined;
    this.#pastMaxAge = false;
    this.#goingAway = undefined;
  }

  /** Starts the heartbeat and the maximum age of the connection just attached. */
  arm(): void {
    this.clearConnection();
    const now = this.#clock.now();
    this.#lastSendAt = now;
    const age = this.#config.connectionMaxAgeMs;
    if (!this.#hotline) {
      // TRANSPORT-15: what runs may finish, then the connection closes.
      this.#ageTimer = this.#clock.setTimer(now + age, () => {
        this.#ageTimer = undefined;
        this.#pastMaxAge = true;
        this.#host.expired();
        this.maybeCloseIdle();
      });
      return;
    }
    this.#armHeartbeat(now);
    const lead = Math.min(60_000, age / 10);
    this.#ageTimer = this.#clock.setTimer(now + age - lead, () => {
      this.#ageTimer = undefined;
      void this.goAway("max_age", lead);
    });
  }

  // Checked four times per interval; a frame goes out once half an interval was silent, so no
  // gap ever reaches the interval (SESSION-12).
  #armHeartbeat(from: number): void {
    const period = Math.max(1, this.#config.heartbeatIntervalMs / 4);
    this.#heartbeat = this.#clock.setTimer(from + period, () => {
      this.#beat();
      this.#armHeartbeat(this.#clock.now());
    });
  }

  /** A pending going-away is over (its connection is gone). */
  settleGoingAway(): void {
    const going = this.#goingAway;
    this.#goingAway = undefined;
    going?.done();
  }

  /** The session is detached: it is discarded unless resumed within the window (RESUME-5). */
  startResumeWindow(): void {
    this.#expiryTimer = this.#clock.setTimer(this.#clock.now() + this.#config.resumeWindowMs, () =>
      this.#host.discard(),
    );
  }

  /**
   * Announces a close (SESSION-13), then closes at the deadline, or (shutdown) as soon as
   * nothing is in flight. Resolves once the connection is gone.
   */
  goAway(reason: GoingAwayReason, deadlineMs: number): Promise<void> {
    if (!this.#host.port()) return Promise.resolve();
    return new Promise((resolve) => {
      const previous = this.#goingAway;
      this.#goingAway = { reason, done: resolve };
      previous?.done();
      this.#host.announceGoingAway(reason, deadlineMs);
      this.#closeTimer?.();
      this.#closeTimer = this.#clock.setTimer(this.#clock.now() + Math.max(0, deadlineMs), () =>
        this.#closeForGoingAway(),
      );
      if (reason !== "max_age") this.maybeCloseIdle();
    });
  }

  /**
   * A shutdown or maintenance going-away closes once nothing is in flight, and so does a core
   * connection past its maximum age.
   */
  maybeCloseIdle(): void {
    if (!this.#hotline && this.#pastMaxAge && !this.#goingAway) {
      if (this.#host.inFlightCount() === 0) this.#host.fail(limitReached({}));
      return;
    }
    const going = this.#goingAway;
    if (!going || going.reason === "max_age" || this.#host.inFlightCount() > 0) return;
    this.#closeForGoingAway();
  }

  /** Stops the timers of the current connection. */
  clearConnection(): void {
    this.#heartbeat?.();
    this.#ageTimer?.();
    this.#closeTimer?.();
    this.#heartbeat = this.#ageTimer = this.#closeTimer = undefined;
  }

  /** Stops every timer (the session is discarded). */
  clearAll(): void {
    this.#expiryTimer?.();
    this.clearConnection();
  }

  #beat(): void {
    const port = this.#host.port();
    if (!port) return;
    if (this.#clock.now() - this.#lastSendAt < this.#config.heartbeatIntervalMs / 2) return;
    if (this.#host.anyRunning()) {
      const beat: SessionHeartbeatEvent = {
        type: "session.heartbeat",
        server_time_ms: this.#clock.wallNow(),
      };
      this.#host.write(port, JSON.stringify(beat));
    }
  }

  #closeForGoingAway(): void {
    const going = this.#goingAway;
    const port = this.#host.port();
    if (!going || !port || this.#closingForGoingAway) return;
    this.#closingForGoingAway = true;
    try {
      this.#closeTimer?.();
      this.#closeTimer = undefined;
      if (going.reason === "max_age") this.#pastMaxAge = true;
      else {
        // Shutdown at the deadline: what is still running ends now with a truthful terminal
        // event (`response.incomplete`, reason `cancelled`) written before the close.
        this.#host.endRunning();
      }
      const error = going.reason === "max_age" ? limitReached({}) : serverShuttingDown();
      this.#host.fail(error);
    } finally {
      this.#closingForGoingAway = false;
    }
  }
}
