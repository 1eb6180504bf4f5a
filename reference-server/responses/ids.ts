/**
 * Identifiers for responses and output items. Random rather than sequential: ids double as
 * capabilities for `GET /v1/responses/{id}` and must not be guessable across principals.
 */
import { randomBytes } from "node:crypto";

// One pool refilled in bulk: randomBytes per id would be a syscall on the per-response path.
let pool = Buffer.alloc(0);
let offset = 0;

function randomHex(bytes: number): string {
  if (offset + bytes > pool.length) {
    pool = randomBytes(4096);
    offset = 0;
  }
  const hex = pool.toString("hex", offset, offset + bytes);
  offset += bytes;
  return hex;
}

/** A new response id (`resp_` + 24 hex digits). */
export function newResponseId(): string {
  return `resp_${randomHex(12)}`;
}

/** A new output item id with the given prefix (`msg`, `fc`, `rs`). */
export function newItemId(prefix: "msg" | "fc" | "rs" | "cmp"): string {
  return `${prefix}_${randomHex(12)}`;
}

/** A new compaction id (`cmp_` + 24 hex digits): a compacted window, never a response. */
export function newCompactionId(): string {
  return `cmp_${randomHex(12)}`;
}

/** A new session id (`sess_` + 24 hex digits). */
export function newSessionId(): string {
  return `sess_${randomHex(12)}`;
}
