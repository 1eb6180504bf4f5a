/**
 * A lane: where a session's creates wait their turn. It runs up to `concurrency` responses at
 * once and keeps the creates beyond that in arrival order, up to `maxQueued`; past that, a
 * create is refused. The core profile is one lane of one, with a bounded queue (RESP-3,
 * RESP-30); hotline.v1 is one lane of `max_in_flight` with no queue (RESP-15). Lanes of their
 * own (several FIFO queues inside one session) are configurations of the same object.
 */

/** What a lane answers a create: start it now, it waits, or it is refused. */
export type LaneAdmission = "start" | "queued" | "full";

/** A FIFO lane of waiting creates of type `T`. */
export class Lane<T> {
  /** Responses run at once. */
  readonly concurrency: number;
  /** Creates that may wait behind them (0: a create beyond `concurrency` is refused). */
  readonly maxQueued: number;
  readonly #queue: T[] = [];

  /** Creates an empty lane. */
  constructor(concurrency: number, maxQueued: number) {
    this.concurrency = concurrency;
    this.maxQueued = maxQueued;
  }

  /** Creates waiting. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Whether a create may start now, with `running` responses in flight and none waiting. */
  hasRoom(running: number): boolean {
    return running < this.concurrency && this.#queue.length === 0;
  }

  /** Where a create goes while `running` responses are in flight (queued ones are kept). */
  admit(item: T, running: number): LaneAdmission {
    if (this.hasRoom(running)) return "start";
    if (this.#queue.length >= this.maxQueued) return "full";
    this.#queue.push(item);
    return "queued";
  }

  /** The next create to start now that `running` are in flight, if one waits and fits. */
  next(running: number): T | undefined {
    return running < this.concurrency ? this.#queue.shift() : undefined;
  }

  /** Empties the queue; returns what waited, in order. */
  clear(): T[] {
    return this.#queue.splice(0);
  }
}
