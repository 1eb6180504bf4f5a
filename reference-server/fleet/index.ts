/**
 * Running the reference server as a fleet on one Redis (`hotline serve --redis URL`): the
 * shared response store, event streams, leases and routed cancels. The server's root composes
 * it in; nothing else imports it.
 */
import type { ResponsesObserver } from "../responses/service.js";

export { DEFAULT_LEASE_MS, Fleet, type FleetOptions, RedisUnreachableError } from "./fleet.js";
export { GatedBackend } from "./gated-backend.js";
export { parseRedisUrl, type RedisAddress } from "./redis-url.js";

/** One observer calling each of `observers` in turn. */
export function combineObservers(...observers: ResponsesObserver[]): ResponsesObserver {
  return {
    onStarted: (run) => observers.forEach((o) => o.onStarted?.(run)),
    onFirstToken: (run, ms) => observers.forEach((o) => o.onFirstToken?.(run, ms)),
    onFinished: (run, outcome) => observers.forEach((o) => o.onFinished?.(run, outcome)),
    onRejected: (error) => observers.forEach((o) => o.onRejected?.(error)),
  };
}
