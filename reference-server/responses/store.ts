/**
 * Where responses live beyond their connection: runs in flight by id (for the HTTP cancel and
 * GET endpoints) and finished `store: true` responses in an LRU bounded by the bytes they hold
 * (their kept events and their conversation's tokens), so a long-running server cannot grow
 * without limit. An evicted response is answered as unknown (`response_not_found`,
 * `previous_response_not_found`): spec/responses.md, stored responses.
 */
import { WeightedLru } from "../backend/lru.js";
import type { ResponseRun } from "./run.js";

/** A response kept by the store, with the principal allowed to read it. */
export interface StoredEntry {
  readonly run: ResponseRun;
  readonly principal: string;
}

/**
 * Responses beyond this process (a fleet's shared store, reference-server/fleet/): told of
 * every local run, asked after the local maps miss.
 */
export interface SharedResponses {
  /** A run of `principal` was added to this store (before it starts). */
  added(run: ResponseRun, principal: string): void;
  /** This principal's response owned by another process, when a copy of it is held here. */
  get(id: string, principal: string): ResponseRun | undefined;
}

/** Options of a {@link ResponseStore}. */
export interface ResponseStoreOptions {
  /** Upper bound of the estimated bytes held by finished stored responses (default 64 MiB). */
  maxBytes?: number;
  /** The fleet's shared responses (default: none, this process is the whole server). */
  shared?: SharedResponses;
}

/** Fixed cost charged per stored response (resource, maps, closures), so the count is bounded too. */
const ENTRY_OVERHEAD_BYTES = 4096;

/**
 * Estimated heap bytes a finished run holds: each kept event is its JSON plus the event object
 * it was built from (about twice the JSON), each context token a small integer in an array.
 */
export function storedBytes(run: ResponseRun): number {
  return ENTRY_OVERHEAD_BYTES + 2 * run.log.keptBytes + 8 * run.inputTokenCount;
}

/** Live and stored responses by id. */
export class ResponseStore {
  readonly #live = new Map<string, StoredEntry>();
  readonly #stored: WeightedLru<string, StoredEntry>;
  readonly #shared: SharedResponses | undefined;

  /** Creates an empty store. */
  constructor(options: ResponseStoreOptions = {}) {
    this.#stored = new WeightedLru(options.maxBytes ?? 64 << 20);
    this.#shared = options.shared;
  }

  /** Tracks a run while it is in flight. */
  addLive(run: ResponseRun, principal: string): void {
    this.#live.set(run.id, { run, principal });
    this.#shared?.added(run, principal);
  }

  /** Moves a finished run to the stored LRU when it asked to be stored, else forgets it. */
  finish(run: ResponseRun): void {
    const entry = this.#live.get(run.id);
    this.#live.delete(run.id);
    if (entry && (run.params.store || run.params.background)) {
      this.#stored.set(run.id, entry, storedBytes(run));
    }
  }

  /**
   * Looks up a response of this principal. `storedOnly` hides in-flight `store: false` runs
   * (RESP-13: they are reachable only from their own connection).
   */
  get(id: string, principal: string, storedOnly = true): ResponseRun | undefined {
    const entry = this.#live.get(id) ?? this.#stored.get(id);
    if (!entry) return this.#shared?.get(id, principal);
    if (entry.principal !== principal) return undefined;
    if (storedOnly && !entry.run.params.store && !entry.run.params.background) return undefined;
    return entry.run;
  }

  /** Runs in flight (for shutdown and gauges). */
  liveRuns(): IterableIterator<ResponseRun> {
    const iterator = this.#live.values();
    return (function* () {
      for (const entry of iterator) yield entry.run;
    })();
  }

  /** Number of runs in flight. */
  get liveCount(): number {
    return this.#live.size;
  }

  /** Number of finished responses stored. */
  get storedCount(): number {
    return this.#stored.size;
  }

  /** Estimated bytes held by finished stored responses. */
  get storedBytes(): number {
    return this.#stored.weight;
  }
}
