/**
 * The Redis keys of a fleet, in one place. Every key starts with the fleet's prefix (default
 * `hotline:`), so one Redis can hold several fleets.
 */

/** Key names for one prefix. */
export class FleetKeys {
  readonly #prefix: string;

  /** Keys under `prefix`. */
  constructor(prefix: string) {
    this.#prefix = prefix;
  }

  /** Hash: a response's record (principal, owner, flags, last resource). */
  record(id: string): string {
    return `${this.#prefix}r:${id}`;
  }

  /**
   * Stream: a response's events, one entry per write (`s` first number, `n` count, `t` types
   * and `j` JSON joined by newlines, `x` when it ends with the terminal).
   */
  events(id: string): string {
    return `${this.#prefix}e:${id}`;
  }

  /**
   * String: what a continuation of a finished `store: true` response needs (its principal,
   * conversation key and conversation items), kept as long as its record.
   */
  continuation(id: string): string {
    return `${this.#prefix}c:${id}`;
  }

  /**
   * String: what a continuation of a response cached by a hotline.v1 session needs, written for
   * the instance that takes the session over (a `store: false` response's included: only that
   * session's cache on that instance reads it, RESP-13).
   */
  sessionContinuation(session: string, id: string): string {
    return `${this.#prefix}sc:${session}:${id}`;
  }

  /** String with a PX TTL: the owner's lease on a response's generation. */
  lease(id: string): string {
    return `${this.#prefix}l:${id}`;
  }

  /** Set: ids of responses in flight anywhere in the fleet (what the reaper checks). */
  live(): string {
    return `${this.#prefix}live`;
  }

  /** String: written at connect; its absence after a reconnect means Redis lost its data. */
  epoch(): string {
    return `${this.#prefix}epoch`;
  }

  /** String: the session a resume token resumes and its principal. */
  token(token: string): string {
    return `${this.#prefix}t:${token}`;
  }

  /**
   * String: the instance holding a session now. Every token of the session reads it, so a
   * take-over moves them all at once (a client may present any token it was given).
   */
  holder(session: string): string {
    return `${this.#prefix}h:${session}`;
  }

  /** Hash: one instance's counts per principal (`connections inFlight`), with a short TTL. */
  usage(instance: string): string {
    return `${this.#prefix}u:${instance}`;
  }

  /** Set: instances that published counts (a dead one's hash expires, then it is dropped). */
  instances(): string {
    return `${this.#prefix}instances`;
  }

  /** Pub/sub channel every instance hears: what each principal spent of its per-minute budgets. */
  spent(): string {
    return `${this.#prefix}spent`;
  }

  /** Pub/sub channel of one instance (cancels routed to the owner). */
  control(instance: string): string {
    return `${this.#prefix}ctl:${instance}`;
  }
}
