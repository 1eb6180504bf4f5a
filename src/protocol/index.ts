/**
 * The protocol as code: generated types and constants, validators and the error registry.
 * Import from `hotline/protocol`.
 */
export * from "./constants.js";
export * from "./errors.js";
export * from "./events.gen.js";
export * from "./metrics.js";
export * from "./sse.js";
export * from "./types.gen.js";
export * from "./validate.js";
