/**
 * Deterministic randomness and hashing for the simulator: a seeded PRNG for the generator and
 * fast non-cryptographic hashes for token blocks and seeds. Nothing here is for security.
 */
import { mix32 } from "../../src/util/seeded-random.js";
import type { TokenIds } from "./token-ids.js";

export { mix32, SeededRandom } from "../../src/util/seeded-random.js";

/** Hashes two integers to a float in [0, 1); stateless, for per-index decisions. */
export function unitHash(a: number, b: number): number {
  return mix32(mix32(a) ^ Math.imul(b | 0, 0x9e3779b1)) / 4294967296;
}

/**
 * Hashes `tokens[start, end)` chained onto `parent`, to a 52-bit integer (two 26-bit lanes of
 * independent 32-bit hashes), safe as a `Map` key and collision-free in practice.
 */
export function hashTokenRange(
  parent: number,
  tokens: TokenIds,
  start: number,
  end: number,
): number {
  let h1 = (parent % 4294967296) ^ 0x811c9dc5;
  let h2 = Math.floor(parent / 4294967296) ^ 0x2545f491;
  for (let i = start; i < end; i++) {
    const t = tokens[i]!;
    h1 = Math.imul(h1 ^ t, 0x01000193);
    h2 = Math.imul(h2 ^ t, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  h1 = mix32(h1 ^ (end - start));
  h2 = mix32(h2 ^ h1);
  return (h1 >>> 6) * 67108864 + (h2 >>> 6);
}

/** Hashes a whole token array to a 32-bit integer (for seeding the generator from the input). */
export function hashTokens(tokens: TokenIds): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < tokens.length; i++) h = Math.imul(h ^ tokens[i]!, 0x01000193);
  return mix32(h ^ tokens.length);
}

/** Hashes a string to a 32-bit integer (FNV-1a over UTF-16 code units). */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return mix32(h);
}
