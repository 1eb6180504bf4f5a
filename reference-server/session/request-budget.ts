/**
 * The per-session `requests` rate limit of hotline.v1 (ERR-16, SESSION-17): a sliding minute of
 * accepted creates. The session checks it before the per-principal limits and advertises its
 * state with theirs, in the session object and in `rate_limits.updated`.
 */
import type { Clock } from "../../src/util/clock.js";
import type { RateLimitState } from "../policy/limits.js";

const MINUTE_MS = 60_000;

/** A session's `requests` budget: at most `limit` creates in any minute. */
export class RequestBudget {
  readonly #limit: number;
  readonly #clock: Clock;
  /** When each request of the last minute was taken (ascending). */
  readonly #times: number[] = [];

  /** Creates a budget of `limit` requests per minute, timed by `clock`. */
  constructor(limit: number, clock: Clock) {
    this.#limit = limit;
    this.#clock = clock;
  }

  /** Takes one request; false (nothing taken) when the minute's budget is spent. */
  take(): boolean {
    const now = this.#clock.now();
    this.#forgetBefore(now);
    if (this.#times.length >= this.#limit) return false;
    this.#times.push(now);
    return true;
  }

  /** The limit as advertised: what remains of it and when the oldest request expires. */
  state(): RateLimitState {
    const now = this.#clock.now();
    this.#forgetBefore(now);
    const times = this.#times;
    return {
      name: "requests",
      limit: this.#limit,
      remaining: Math.max(0, this.#limit - times.length),
      reset_ms: times.length === 0 ? 0 : Math.max(0, Math.ceil(times[0]! + MINUTE_MS - now)),
    };
  }

  #forgetBefore(now: number): void {
    const times = this.#times;
    while (times.length > 0 && times[0]! <= now - MINUTE_MS) times.shift();
  }
}
