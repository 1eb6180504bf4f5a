/**
 * The connection-local cache seen lane by lane (RESP-37, RESP-38): the default lane keeps what
 * it kept before lanes existed (core: the most recent response, RESP-9; hotline.v1: the
 * `max_in_flight` most recent, RESP-16), each named lane keeps its own latest response, and a
 * `previous_response_id` resolves against all of them, so a lane can fork from another's
 * response. A failed continuation evicts its parent only when the parent is its own lane's
 * (RESP-12 within a lane); a failed cross-lane fork leaves the other lane's response cached.
 * Bounded: one entry per named lane, and named lanes are bounded (RESP-34).
 */
import {
  ConnectionCache,
  type ContinuationCache,
  type ContinuationPoint,
  continuationPoint,
} from "../responses/connection-cache.js";
import type { ResponseRun } from "../responses/run.js";
import { DEFAULT_LANE } from "./lane.js";

/** A cached continuation point and the lane that cached it. */
export interface LanePoint {
  readonly lane: string;
  readonly point: ContinuationPoint;
}

/** The caches of a session's lanes. */
export class LaneCaches {
  /** The default lane's cache (the connection-local cache of a client without lanes). */
  readonly defaultLane: ConnectionCache;
  readonly #named = new Map<string, ContinuationPoint>();

  /** Wraps the default lane's cache. */
  constructor(defaultLane: ConnectionCache) {
    this.defaultLane = defaultLane;
  }

  /** The cache as a create on `lane` reads and updates it. */
  view(lane: string): ContinuationCache {
    return {
      get: (id) => this.get(id),
      remember: (run: ResponseRun) => this.add(lane, continuationPoint(run)),
      evict: (id) => {
        if (lane === DEFAULT_LANE) this.defaultLane.evict(id);
        else if (this.#named.get(lane)?.id === id) this.#named.delete(lane);
      },
    };
  }

  /** Remembers a point as `lane`'s most recent. */
  add(lane: string, point: ContinuationPoint): void {
    if (lane === DEFAULT_LANE) this.defaultLane.add(point);
    else this.#named.set(lane, point);
  }

  /**
   * What every lane holds, each lane's oldest first: what {@link restore} rebuilds the caches
   * from on another fleet instance (a session taken over continues what it could here).
   */
  snapshot(): LanePoint[] {
    const points = this.defaultLane.points().map((point) => ({ lane: DEFAULT_LANE, point }));
    for (const [lane, point] of this.#named) points.push({ lane, point });
    return points;
  }

  /** Adds a {@link snapshot}'s points, in order. */
  restore(points: readonly LanePoint[]): void {
    for (const { lane, point } of points) this.add(lane, point);
  }

  /** The cached continuation point with this id, in any lane. */
  get(id: string): ContinuationPoint | undefined {
    const own = this.defaultLane.get(id);
    if (own) return own;
    for (const point of this.#named.values()) if (point.id === id) return point;
    return undefined;
  }

  /** Drops everything (the session ended). */
  clear(): void {
    this.defaultLane.clear();
    this.#named.clear();
  }
}
