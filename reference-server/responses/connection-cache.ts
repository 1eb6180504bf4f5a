/**
 * The connection-local cache of recently finished responses (RESP-11): a continuation on the
 * same connection finds its previous response here whatever its `store` value, without a
 * store lookup and without re-rendering the conversation. Core holds one entry (the most
 * recent response); hotline.v1 holds `max_in_flight` so parallel chains can each continue.
 */
import type { ResponseRun } from "./run.js";

/** A small most-recently-finished cache of runs, by id. */
export class ConnectionCache {
  readonly #capacity: number;
  readonly #runs = new Map<string, ResponseRun>();

  /** Creates a cache holding at most `capacity` responses. */
  constructor(capacity = 1) {
    this.#capacity = Math.max(1, capacity);
  }

  /** Remembers a finished run as the most recent; the oldest falls out past capacity. */
  remember(run: ResponseRun): void {
    this.#runs.delete(run.id);
    this.#runs.set(run.id, run);
    while (this.#runs.size > this.#capacity) {
      const oldest = this.#runs.keys().next().value as string;
      this.#runs.delete(oldest);
    }
  }

  /** The cached run with this id, if any. */
  get(id: string): ResponseRun | undefined {
    return this.#runs.get(id);
  }

  /** Drops a run (RESP-15: a failed continuation evicts the response it referenced). */
  evict(id: string): void {
    this.#runs.delete(id);
  }

  /** Drops everything (the connection closed). */
  clear(): void {
    this.#runs.clear();
  }

  /** Number of cached runs. */
  get size(): number {
    return this.#runs.size;
  }
}
