/**
 * The time of the session layer: the monotonic clock and absolute-deadline timers of the
 * backend's {@link Clock} (so tests drive a `VirtualClock` instead of sleeping), and the wall
 * time the Hotline events carry (`server_time_ms`), advanced with it.
 */
import { type Clock, RealClock } from "../../src/util/clock.js";

/** A {@link Clock} that also tells wall time. */
export interface SessionClock extends Clock {
  /** Milliseconds since the Unix epoch. */
  wallNow(): number;
}

/** `clock` with wall time: `epochMs` at the clock's current reading, advancing with it. */
export function sessionClock(clock: Clock, epochMs: number): SessionClock {
  const offset = epochMs - clock.now();
  return {
    now: () => clock.now(),
    setTimer: (atMs, fn, precise) => clock.setTimer(atMs, fn, precise),
    wallNow: () => Math.round(offset + clock.now()),
  };
}

/** The real clock, for sessions built without one. */
export function realSessionClock(epochMs: number): SessionClock {
  return sessionClock(new RealClock(), epochMs);
}
