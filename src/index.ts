/**
 * Hotline: the persistent-session protocol for real-time AI. This entry point exports the
 * protocol types, validators and error registry; `hotline/protocol` exports the same.
 */
export * from "./protocol/index.js";
