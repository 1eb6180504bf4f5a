/**
 * Tools that exercise a Hotline server from outside, for the bench's fault scenarios, the
 * fuzzer (`scripts/fuzz.ts`) and tests: a checking hotline.v1 client and load helpers. Not part
 * of the package's public exports.
 */
export {
  CheckingClient,
  type CheckingClientOptions,
  type ClientStats,
  type CreateOutcome,
  type TrackedResponse,
} from "./checking-client.js";
export { all, between, createBody, random, sleep, withTimeout } from "./helpers.js";
