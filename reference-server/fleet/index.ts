/**
 * Running the reference server as a fleet on one Redis (`hotline serve --redis URL`): the
 * shared response store, event streams, leases and routed cancels. The server's root composes
 * it in; nothing else imports it (its event write is also re-exported there, for the bench).
 */
export { DEFAULT_LEASE_MS, Fleet, type FleetOptions, RedisUnreachableError } from "./fleet.js";
export { GatedBackend } from "./gated-backend.js";
export { parseRedisUrl, type RedisAddress } from "./redis-url.js";
export { encodeBatch, packBatch, packBatches } from "./entry-codec.js";
export { APPEND_BATCHES } from "./scripts.js";
