/**
 * Running the reference server as a fleet on one Redis (`hotline serve --redis URL`): the
 * shared response store, event streams, leases and routed cancels. The server's root composes
 * it in; nothing else imports it.
 */
export { DEFAULT_LEASE_MS, Fleet, type FleetOptions, RedisUnreachableError } from "./fleet.js";
export { GatedBackend } from "./gated-backend.js";
export { parseRedisUrl, type RedisAddress } from "./redis-url.js";
