/**
 * Lanes: where a session's creates wait their turn (RESP-31, RESP-35). A lane is the FIFO queue
 * a `response.create` joins: the one its `stream_id` names (OpenAI WebSocket mode), or the
 * default lane when it has none. A named lane runs one response at a time; the default lane runs
 * `defaultConcurrency` (core: 1, so a client that never sends `stream_id` sees Open Responses'
 * one-at-a-time; hotline.v1: `max_in_flight`, its multiplexing). Across lanes the session's
 * in-flight limit holds: a create that finds its lane free but the connection full waits
 * (RESP-35), oldest first, up to `maxQueued` waiting in all (RESP-30). Named lanes live as long
 * as the session (each keeps its latest response, RESP-37), at most `maxNamed` of them (RESP-34).
 */

import type { ProtocolError } from "../../src/protocol/index.js";
import { type Correlation, invalidStreamId, streamLimitReached } from "./session-errors.js";

/** The default lane: creates without `stream_id`. */
export const DEFAULT_LANE = "";

/** OpenAI's named-lane limit per connection (RESP-34). */
export const MAX_NAMED_LANES = 32;

/** OpenAI's in-flight limit per connection across lanes (RESP-35). */
export const LANES_MAX_IN_FLIGHT = 16;

const STREAM_ID = /^[A-Za-z0-9_.-]{1,256}$/;

/** Whether `value` is a valid `stream_id` (RESP-33): 1 to 256 characters of `[A-Za-z0-9_.-]`. */
export function isStreamId(value: unknown): value is string {
  return typeof value === "string" && STREAM_ID.test(value);
}

/**
 * The lane of a create's `stream_id` (RESP-32), or its refusal with the lane it echoes:
 * `invalid_stream_id` echoes none (RESP-33), `websocket_stream_limit_reached` the id (RESP-34).
 */
export function routeOf(
  streamId: unknown,
  lanes: LaneSet<unknown>,
  correlation: Correlation,
): string | { error: ProtocolError; echo: string } {
  if (streamId === undefined) return DEFAULT_LANE;
  if (!isStreamId(streamId)) return { error: invalidStreamId(correlation), echo: DEFAULT_LANE };
  if (lanes.overLimit(streamId)) {
    return { error: streamLimitReached(MAX_NAMED_LANES, correlation), echo: streamId };
  }
  return streamId;
}

/** What a lane answers a create: start it now, it waits, or it is refused. */
export type LaneAdmission = "start" | "queued" | "full";

interface LaneState<T> {
  /** Responses of the lane in flight (or with their slot reserved by a steer). */
  busy: number;
  readonly queue: { readonly item: T; readonly order: number }[];
}

/** The lanes of one session, holding waiting creates of type `T`. */
export class LaneSet<T> {
  /** Creates that may wait in all lanes (0: a create that cannot start is refused). */
  readonly maxQueued: number;
  readonly #defaultConcurrency: number;
  readonly #maxNamed: number;
  readonly #lanes = new Map<string, LaneState<T>>();
  #waiting = 0;
  #order = 0;

  /** Creates the default lane; named ones open as creates name them. */
  constructor(options: { defaultConcurrency: number; maxQueued: number; maxNamed?: number }) {
    this.#defaultConcurrency = options.defaultConcurrency;
    this.maxQueued = options.maxQueued;
    this.#maxNamed = options.maxNamed ?? MAX_NAMED_LANES;
  }

  /** Creates waiting, all lanes together. */
  get queued(): number {
    return this.#waiting;
  }

  /** Named lanes opened so far. */
  get namedCount(): number {
    return this.#lanes.size - (this.#lanes.has(DEFAULT_LANE) ? 1 : 0);
  }

  /** Whether a create naming `lane` would open one named lane too many (RESP-34). */
  overLimit(lane: string): boolean {
    return lane !== DEFAULT_LANE && !this.#lanes.has(lane) && this.namedCount >= this.#maxNamed;
  }

  /** Whether a create on `lane` may start now (`room`: the connection has a free slot). */
  canStart(lane: string, room: boolean): boolean {
    const state = this.#lanes.get(lane);
    return room && (!state || (state.busy < this.#concurrency(lane) && state.queue.length === 0));
  }

  /**
   * Where a create on `lane` goes: it starts (the caller then calls {@link started}), waits in
   * arrival order, or is refused when `maxQueued` wait already. Never opens a lane past the limit
   * (check {@link overLimit} first).
   */
  admit(lane: string, item: T, room: boolean): LaneAdmission {
    if (this.canStart(lane, room)) return "start";
    if (this.#waiting >= this.maxQueued) return "full";
    this.#state(lane).queue.push({ item, order: this.#order++ });
    this.#waiting++;
    return "queued";
  }

  /** A response of `lane` started (or a steer reserved its slot for the successor). */
  started(lane: string): void {
    this.#state(lane).busy++;
  }

  /** A response of `lane` ended (or a reserved slot was given back). */
  ended(lane: string): void {
    const state = this.#lanes.get(lane);
    if (state && state.busy > 0) state.busy--;
  }

  /**
   * The create to start next now that a slot may be free (`room`): the one waiting longest whose
   * lane can run it. The caller calls {@link started} for it.
   */
  next(room: boolean): { lane: string; item: T } | undefined {
    if (!room || this.#waiting === 0) return undefined;
    let best: { lane: string; order: number } | undefined;
    for (const [lane, state] of this.#lanes) {
      const head = state.queue[0];
      if (!head || state.busy >= this.#concurrency(lane)) continue;
      if (!best || head.order < best.order) best = { lane, order: head.order };
    }
    if (!best) return undefined;
    const head = this.#lanes.get(best.lane)?.queue.shift();
    if (!head) return undefined;
    this.#waiting--;
    return { lane: best.lane, item: head.item };
  }

  /** Empties every queue; returns what waited, in arrival order, with its lane. */
  clear(): { lane: string; item: T }[] {
    const all: { lane: string; item: T; order: number }[] = [];
    for (const [lane, state] of this.#lanes) {
      for (const q of state.queue.splice(0)) all.push({ lane, item: q.item, order: q.order });
    }
    this.#waiting = 0;
    return all.sort((a, b) => a.order - b.order).map(({ lane, item }) => ({ lane, item }));
  }

  #concurrency(lane: string): number {
    return lane === DEFAULT_LANE ? this.#defaultConcurrency : 1;
  }

  #state(lane: string): LaneState<T> {
    let state = this.#lanes.get(lane);
    if (!state) {
      state = { busy: 0, queue: [] };
      this.#lanes.set(lane, state);
    }
    return state;
  }
}
