/**
 * The connection-local cache of recently finished responses (RESP-9): a continuation on the
 * same connection finds its previous response here whatever its `store` value, without a
 * store lookup and without re-rendering the conversation. Core holds one entry (the most
 * recent response); hotline.v1 holds `max_in_flight` so parallel chains can each continue.
 *
 * It keeps only what a continuation reads (the rendered conversation and its key), never the
 * run itself: a run holds its event log, backend job and state, and a cache of eight of them
 * per session was the server's largest per-response retainer (megabytes per session).
 */
import type { ConversationContext } from "./render.js";
import type { ResponseRun } from "./run.js";

/** What a continuation needs of a finished response. */
export interface ContinuationPoint {
  readonly id: string;
  readonly conversationKey: string;
  /** The conversation a continuation builds on (base, input, output). */
  continuationContext(): ConversationContext;
}

/** The continuation point of a finished run, holding nothing else of it. */
export function continuationPoint(run: ResponseRun): ContinuationPoint {
  const context = run.continuationContext();
  return { id: run.id, conversationKey: run.conversationKey, continuationContext: () => context };
}

/** What a create reads and updates of a connection's cache (a lane's view, RESP-37, or all of it). */
export interface ContinuationCache {
  /** The cached continuation point with this id, if any. */
  get(id: string): ContinuationPoint | undefined;
  /** Remembers a finished run as the most recent. */
  remember(run: ResponseRun): void;
  /** A continuation from `id` failed (RESP-12). */
  evict(id: string): void;
}

/** A small most-recently-finished cache of continuation points, by response id. */
export class ConnectionCache implements ContinuationCache {
  readonly #capacity: number;
  readonly #points = new Map<string, ContinuationPoint>();

  /** Creates a cache holding at most `capacity` responses. */
  constructor(capacity = 1) {
    this.#capacity = Math.max(1, capacity);
  }

  /** Remembers a finished run as the most recent; the oldest falls out past capacity. */
  remember(run: ResponseRun): void {
    this.add(continuationPoint(run));
  }

  /** Remembers a continuation point as the most recent (one a fleet instance handed over). */
  add(point: ContinuationPoint): void {
    this.#points.delete(point.id);
    this.#points.set(point.id, point);
    while (this.#points.size > this.#capacity) {
      const oldest = this.#points.keys().next().value as string;
      this.#points.delete(oldest);
    }
  }

  /** The cached continuation point with this id, if any. */
  get(id: string): ContinuationPoint | undefined {
    return this.#points.get(id);
  }

  /** Drops a response (RESP-12: a failed continuation evicts the response it referenced). */
  evict(id: string): void {
    this.#points.delete(id);
  }

  /** The cached continuation points, oldest first. */
  points(): ContinuationPoint[] {
    return [...this.#points.values()];
  }

  /** Drops everything (the connection closed). */
  clear(): void {
    this.#points.clear();
  }

  /** Number of cached responses. */
  get size(): number {
    return this.#points.size;
  }
}
