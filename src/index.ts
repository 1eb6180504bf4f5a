/**
 * Hotline: the persistent-session protocol for real-time AI. This entry point exports the
 * protocol types, validators and error registry (`hotline/protocol` exports the same) and
 * the client (`HotlineClient`, `HotlineHttpClient`).
 */
export * from "./protocol/index.js";
export * from "./client/index.js";
