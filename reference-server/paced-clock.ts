/**
 * A real clock that keeps the event loop from saturating under many streams. The backend's
 * decode loop fires as soon as any stream has a token due; with hundreds of streams that is
 * every millisecond, each firing costs one socket write per stream, and the loop ends up 100%
 * busy with deltas of one or two tokens while every gap grows. This clock spaces firings by a
 * multiple of the previous firing's own duration (`dutyFactor`), so a light load is paced
 * exactly as the real clock would, and a heavy one coalesces more tokens per delta at a steady
 * cadence (STREAM-17/18 allow coalescing; no text is dropped and the average rate is kept).
 */
import { type CancelTimer, type Clock, RealClock, type RealClockOptions } from "./backend/clock.js";

/** Options of a {@link PacedClock}. */
export interface PacedClockOptions extends RealClockOptions {
  /**
   * The next firing waits at least this many times the previous firing's duration after it
   * ended... counted from its start (default 1.6: the loop is busy at most ~60% of the time).
   */
  dutyFactor?: number;
}

/** A {@link RealClock} whose timer firings are spaced by their own cost. */
export class PacedClock implements Clock {
  readonly #inner: RealClock;
  readonly #factor: number;
  #earliestNext = 0;

  /** Creates the clock; see {@link PacedClockOptions}. */
  constructor(options: PacedClockOptions = {}) {
    this.#inner = new RealClock(options);
    this.#factor = options.dutyFactor ?? 1.6;
  }

  /** Milliseconds from `performance.now()`. */
  now(): number {
    return this.#inner.now();
  }

  /** Arms a timer at `atMs`, or later when the previous firing was expensive. */
  setTimer(atMs: number, fn: () => void): CancelTimer {
    const at = Math.max(atMs, this.#earliestNext);
    return this.#inner.setTimer(at, () => {
      const start = performance.now();
      try {
        fn();
      } finally {
        const cost = performance.now() - start;
        // Cheap firings (a few streams) leave no spacing at all.
        this.#earliestNext = cost > 0.25 ? start + cost * this.#factor : 0;
      }
    });
  }
}
