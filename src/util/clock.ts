/**
 * Time sources for the backend, the sessions and the binding. Everything time-dependent (prefill, decode pacing, queueing)
 * goes through a `Clock`, so tests drive a `VirtualClock` instead of sleeping and production
 * uses the `RealClock`.
 */

/** Cancels a timer; calling it after the timer fired, or twice, does nothing. */
export type CancelTimer = () => void;

/** A monotonic time source with absolute-deadline timers. */
export interface Clock {
  /** Milliseconds since an arbitrary origin, as a float (sub-millisecond precision). */
  now(): number;
  /**
   * Runs `fn` once, at or after the absolute time `atMs`; returns its cancel handle. `precise`
   * asks for the deadline to be kept to well under a millisecond where the clock can (a real
   * clock then spins its last millisecond): for the rare deadlines a person waits on, such as
   * a first token.
   */
  setTimer(atMs: number, fn: () => void, precise?: boolean): CancelTimer;
}

/** How close a {@link Clock.setTimer} deadline asked to be `precise` is waited for by spinning, ms. */
export const PRECISE_SPIN_MS = 1;

/** Options of the real clock. */
export interface RealClockOptions {
  /**
   * When a deadline is closer than this many milliseconds, wait for it with `setImmediate`
   * turns instead of `setTimeout` (whose resolution is 1 ms). Precise pacing costs CPU while
   * a deadline is that close; 0 (the default) never spins: timers may then fire up to ~1 ms
   * late, and the scheduler catches up by emitting every token that is due.
   */
  spinBelowMs?: number;
}

/** Wall-clock time from `performance.now()`, timers from `setTimeout` (and optionally `setImmediate`). */
export class RealClock implements Clock {
  readonly #spinBelowMs: number;

  /** Creates a real clock; see {@link RealClockOptions}. */
  constructor(options: RealClockOptions = {}) {
    this.#spinBelowMs = options.spinBelowMs ?? 0;
  }

  /** Milliseconds from `performance.now()`. */
  now(): number {
    return performance.now();
  }

  /**
   * Arms a Node timer that re-checks the deadline when it fires, so `fn` never runs early;
   * `precise` spins at least the last {@link PRECISE_SPIN_MS} (a Node timer alone is up to
   * ~1 ms late: whole milliseconds, against the loop's cached time).
   */
  setTimer(atMs: number, fn: () => void, precise = false): CancelTimer {
    let timeout: NodeJS.Timeout | undefined;
    let immediate: NodeJS.Immediate | undefined;
    let done = false;
    const spinBelowMs = precise ? Math.max(PRECISE_SPIN_MS, this.#spinBelowMs) : this.#spinBelowMs;
    // `threshold`: below it, wait with setImmediate turns. After a setTimeout fired early (libuv
    // compares against a cached loop time) the rest is under 1 ms, so it is always spun away.
    const arm = (threshold: number): void => {
      timeout = undefined;
      immediate = undefined;
      if (done) return;
      const remaining = atMs - performance.now();
      if (remaining <= 0) {
        done = true;
        fn();
      } else if (remaining < threshold) {
        immediate = setImmediate(arm, threshold);
      } else {
        const delay = Math.max(1, Math.ceil(remaining - spinBelowMs));
        timeout = setTimeout(arm, delay, Math.max(1, spinBelowMs));
      }
    };
    // Even a due timer runs asynchronously: callers arm timers from inside their own callbacks.
    if (atMs - performance.now() <= 0) immediate = setImmediate(arm, 0);
    else arm(spinBelowMs);
    return () => {
      done = true;
      if (timeout !== undefined) clearTimeout(timeout);
      if (immediate !== undefined) clearImmediate(immediate);
      timeout = undefined;
      immediate = undefined;
    };
  }
}

interface VirtualTimer {
  atMs: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/** Options of the virtual clock. */
export interface VirtualClockOptions {
  /** Initial time in milliseconds (default 0). */
  startMs?: number;
}

/**
 * Manually advanced time for tests. Timers run in deadline order (ties in creation order),
 * each with `now()` equal to its deadline, or to the current time when it was armed in the past.
 */
export class VirtualClock implements Clock {
  #now: number;
  #seq = 0;
  #timers: VirtualTimer[] = [];

  /** Creates a virtual clock at `startMs` (default 0). */
  constructor(options: VirtualClockOptions = {}) {
    this.#now = options.startMs ?? 0;
  }

  /** The current virtual time. */
  now(): number {
    return this.#now;
  }

  /** Registers a timer; it runs during a later `advance`, `advanceTo` or `runAll`. */
  setTimer(atMs: number, fn: () => void): CancelTimer {
    const timer: VirtualTimer = { atMs, seq: this.#seq++, fn, cancelled: false };
    this.#timers.push(timer);
    return () => {
      if (timer.cancelled) return;
      timer.cancelled = true;
      const i = this.#timers.indexOf(timer);
      if (i >= 0) this.#timers.splice(i, 1);
    };
  }

  /** Number of timers armed and not yet run or cancelled. */
  get pendingTimers(): number {
    return this.#timers.length;
  }

  /** Deadline of the earliest pending timer, or undefined. */
  nextTimerAt(): number | undefined {
    return this.#earliest()?.atMs;
  }

  /** Advances time by `ms`, running every timer due on the way; returns the number run. */
  advance(ms: number): number {
    if (!(ms >= 0)) throw new RangeError(`cannot advance by ${ms} ms`);
    return this.advanceTo(this.#now + ms);
  }

  /** Advances time to `atMs` (never backwards), running every timer due on the way. */
  advanceTo(atMs: number, maxTimers = 10_000_000): number {
    let ran = 0;
    for (;;) {
      const next = this.#earliest();
      if (next === undefined || next.atMs > atMs) break;
      if (++ran > maxTimers) throw new Error(`advanceTo ran more than ${maxTimers} timers`);
      this.#run(next);
    }
    if (atMs > this.#now) this.#now = atMs;
    return ran;
  }

  /**
   * Runs timers in order until none is left, jumping time forward to each deadline; throws after
   * `maxTimers` (a scheduler that keeps re-arming forever would otherwise hang the test).
   */
  runAll(maxTimers = 1_000_000): number {
    let ran = 0;
    for (;;) {
      const next = this.#earliest();
      if (next === undefined) return ran;
      if (++ran > maxTimers) throw new Error(`runAll ran more than ${maxTimers} timers`);
      this.#run(next);
    }
  }

  #run(timer: VirtualTimer): void {
    const i = this.#timers.indexOf(timer);
    this.#timers.splice(i, 1);
    timer.cancelled = true;
    if (timer.atMs > this.#now) this.#now = timer.atMs;
    timer.fn();
  }

  // A linear scan: the backend keeps at most a handful of timers pending.
  #earliest(): VirtualTimer | undefined {
    let best: VirtualTimer | undefined;
    for (const t of this.#timers) {
      if (best === undefined || t.atMs < best.atMs || (t.atMs === best.atMs && t.seq < best.seq)) {
        best = t;
      }
    }
    return best;
  }
}
