/**
 * Real token counts: the o200k_base BPE (GPT-4o / GPT-5 family) from `gpt-tokenizer`.
 *
 * Special-token strings such as `<|endoftext|>` in user text are encoded as plain text, never
 * as control tokens and never as an error: input is data. `TokenCache` memoises encodings per
 * string so a growing 64k-token conversation costs only its new items each turn.
 */
import {
  decode as o200kDecode,
  encode as o200kEncode,
  vocabularySize,
} from "gpt-tokenizer/encoding/o200k_base";
import type { TokenIds } from "./token-ids.js";
import { WeightedLru } from "./lru.js";

/** Name of the encoding every count in Hotline uses. */
export const ENCODING_NAME = "o200k_base";

/** Size of the o200k vocabulary. */
export const VOCABULARY_SIZE: number = vocabularySize;

const PLAIN_TEXT = { allowedSpecial: new Set<string>(), disallowedSpecial: new Set<string>() };

/**
 * Longest run of only-whitespace or only-non-whitespace characters encoded as one piece. BPE
 * merging is quadratic in a piece's length (a 64k-character word took 1.3 s, a 1 MiB one
 * minutes, with the event loop blocked: `npm run fuzz` found it), so longer runs are cut here
 * and encoded in parts. Text without such a run encodes exactly as o200k does; a cut run may
 * differ by a token at each cut.
 */
const MAX_RUN_CHARS = 1024;

/** Whether a character is `\s` in o200k's pre-tokenising regex (JavaScript's, with `u`). */
function isSpace(code: number): boolean {
  return (
    (code >= 0x09 && code <= 0x0d) ||
    code === 0x20 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** Where `text` must be cut so no run is longer than {@link MAX_RUN_CHARS} (none: empty). */
function longRunCuts(text: string): number[] {
  const cuts: number[] = [];
  if (text.length <= MAX_RUN_CHARS) return cuts;
  let runStart = 0;
  let runSpace = isSpace(text.charCodeAt(0));
  for (let i = 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const space = isSpace(code);
    if (space !== runSpace) {
      runStart = i;
      runSpace = space;
    } else if (i - runStart >= MAX_RUN_CHARS && (code < 0xdc00 || code > 0xdfff)) {
      // Never between the halves of a surrogate pair.
      cuts.push(i);
      runStart = i;
    }
  }
  return cuts;
}

/** Texts at least this long are encoded line by line through {@link lineMemo}. */
const LINE_MODE_MIN_CHARS = 256;
/** Encoded lines kept, weighted by their tokens (about 1 MiB of ids at most). */
const lineMemo = new WeightedLru<string, readonly number[]>(256_000);

/**
 * Where `text` may be cut without changing its encoding: just after the last line break of a
 * whitespace run. o200k's pre-tokeniser ends a piece there (a word or number piece cannot
 * start with a line break, and `\s*[\r\n]+` takes a whitespace run up to its last line
 * break), except a punctuation piece, whose tail takes `[\r\n/]*`: so not before `/`.
 */
function lineCuts(text: string): number[] {
  const cuts: number[] = [];
  for (let i = text.indexOf("\n"); i !== -1 && i < text.length - 1; i = text.indexOf("\n", i + 1)) {
    if (isLineCut(text, i + 1)) cuts.push(i + 1);
  }
  return cuts;
}

/** Whether `text` may be cut at `at` (inside it, after a line break) as {@link lineCuts} does. */
function isLineCut(text: string, at: number): boolean {
  if (at <= 0 || at >= text.length || text.charCodeAt(at - 1) !== 0x0a) return false;
  if (text.charCodeAt(at) === 0x2f) return false;
  let j = at;
  while (j < text.length) {
    const code = text.charCodeAt(j);
    if (code === 0x0a || code === 0x0d || !isSpace(code)) break;
    j++;
  }
  const next = text.charCodeAt(j);
  return next !== 0x0a && next !== 0x0d;
}

/** Length of the whitespace-only or non-whitespace-only run of `text` around the cut at `at`. */
function runAcross(text: string, at: number): number {
  const space = isSpace(text.charCodeAt(at - 1));
  if (space !== isSpace(text.charCodeAt(at))) return 0;
  let start = at - 1;
  while (start > 0 && isSpace(text.charCodeAt(start - 1)) === space) start--;
  let end = at + 1;
  while (end < text.length && isSpace(text.charCodeAt(end)) === space) end++;
  return end - start;
}

/** Whether `text` encodes as its two sides at `at`: a line cut with no long run across it. */
function isSafeCut(text: string, at: number): boolean {
  return isLineCut(text, at) && runAcross(text, at) <= MAX_RUN_CHARS;
}

/** Leading characters of a text whose encoding is already known (see {@link encodeAfterKnown}). */
export interface KnownEncoding {
  /** How many characters, from where the previous known part ended. */
  readonly chars: number;
  /** Their ids: what {@link encode} gives those characters alone. */
  readonly ids: ArrayLike<number>;
}

/**
 * `encode(text)` when the ids of its first characters are known: `known` are consecutive parts
 * from the start, each with the ids `encode` gives it and no run longer than the cap of
 * {@link encode}'s long-run cut. Only the rest is encoded, so a long text made of known parts
 * costs a copy instead of a pass over its lines (a finished response's output, whose ids the
 * simulated model already has). Each boundary must be a cut o200k's pre-tokeniser makes anyway
 * ({@link lineCuts}) with no long run across it, and the rest no long run; when one is not,
 * this returns undefined and the caller encodes the whole text.
 */
export function encodeAfterKnown(
  text: string,
  known: readonly KnownEncoding[],
): Int32Array | undefined {
  let at = 0;
  let size = 0;
  for (const part of known) {
    if (at > 0 && !isSafeCut(text, at)) return undefined;
    at += part.chars;
    size += part.ids.length;
    if (at > text.length) return undefined;
  }
  let rest: readonly number[] = [];
  if (at < text.length) {
    if (at > 0 && !isSafeCut(text, at)) return undefined;
    const tail = text.slice(at);
    if (longRunCuts(tail).length > 0) return undefined;
    rest = tail.length >= LINE_MODE_MIN_CHARS ? encodeByLines(tail) : o200kEncode(tail, PLAIN_TEXT);
  }
  // One block off the heap: a long text's ids are copied once and never scanned by the collector.
  const out = new Int32Array(size + rest.length);
  let filled = 0;
  for (const part of known) {
    out.set(part.ids, filled);
    filled += part.ids.length;
  }
  out.set(rest, filled);
  return out;
}

/**
 * Encodes a long text line by line, each line from the memo when seen before: text made of
 * recurring lines (the simulated model's code, a conversation re-rendered each turn) costs
 * lookups instead of BPE merges. The ids are those of encoding the whole text (tested against
 * o200k itself).
 */
function encodeByLines(text: string): number[] {
  const out: number[] = [];
  let at = 0;
  for (const cut of [...lineCuts(text), text.length]) {
    const line = text.slice(at, cut);
    at = cut;
    let ids = lineMemo.get(line);
    if (ids === undefined) {
      ids = o200kEncode(line, PLAIN_TEXT);
      lineMemo.set(line, ids, ids.length + 1);
    }
    for (let i = 0; i < ids.length; i++) out.push(ids[i]!);
  }
  return out;
}

/** Encodes text to o200k token ids (special-token strings are treated as plain text). */
export function encode(text: string): number[] {
  const cuts = longRunCuts(text);
  if (cuts.length === 0) {
    return text.length >= LINE_MODE_MIN_CHARS ? encodeByLines(text) : o200kEncode(text, PLAIN_TEXT);
  }
  const out: number[] = [];
  let at = 0;
  for (const cut of [...cuts, text.length]) {
    for (const id of o200kEncode(text.slice(at, cut), PLAIN_TEXT)) out.push(id);
    at = cut;
  }
  return out;
}

/** Decodes o200k token ids back to text. */
export function decode(tokens: Iterable<number>): string {
  return o200kDecode(tokens);
}

/** Number of o200k tokens in the text. */
export function countTokens(text: string): number {
  return encode(text).length;
}

const pieceCache = new Map<number, string>();

/**
 * The text of one token. Tokens that are only part of a multi-byte UTF-8 character decode to
 * U+FFFD on their own, so callers stream ASCII-only output through this (the generator does).
 */
export function tokenPiece(token: number): string {
  let piece = pieceCache.get(token);
  if (piece === undefined) {
    piece = o200kDecode([token]);
    pieceCache.set(token, piece);
  }
  return piece;
}

/** Options of a {@link TokenCache}. */
export interface TokenCacheOptions {
  /** Upper bound of the tokens held across all memoised strings (default 4,000,000). */
  maxTokens?: number;
  /** Strings shorter than this are encoded without memoising (default 32 characters). */
  minChars?: number;
}

/** Counters of a {@link TokenCache}. */
export interface TokenCacheStats {
  /** Encodings served from the memo. */
  hits: number;
  /** Encodings computed (and memoised when long enough). */
  misses: number;
  /** Strings currently memoised. */
  entries: number;
  /** Tokens currently held. */
  tokens: number;
}

/**
 * Memoised encoding with a bounded LRU, for contexts that grow by items: each turn re-renders
 * the whole conversation, but only strings not seen before are tokenised.
 *
 * `encodeParts` concatenates the encodings of the parts; BPE never merges across parts, so the
 * result can differ from encoding the joined string. Render each item (message, tool output) as
 * one part and the ids are stable from turn to turn, which is what the prefix cache needs.
 */
export class TokenCache {
  readonly #lru: WeightedLru<string, TokenIds>;
  readonly #minChars: number;
  #hits = 0;
  #misses = 0;

  /** Creates an empty memo; see {@link TokenCacheOptions}. */
  constructor(options: TokenCacheOptions = {}) {
    this.#lru = new WeightedLru(options.maxTokens ?? 4_000_000);
    this.#minChars = options.minChars ?? 32;
  }

  /**
   * Encodes a string, from the memo when possible; the result must not be mutated. `known`: the
   * ids of its first characters, when the caller has them (see {@link encodeAfterKnown}).
   */
  encode(text: string, known?: readonly KnownEncoding[]): TokenIds {
    if (text.length < this.#minChars) {
      this.#misses++;
      return encode(text);
    }
    const cached = this.#lru.get(text);
    if (cached !== undefined) {
      this.#hits++;
      return cached;
    }
    this.#misses++;
    const tokens = (known && encodeAfterKnown(text, known)) ?? encode(text);
    // Weight by tokens plus a small per-entry cost so that empty strings still count.
    this.#lru.set(text, tokens, tokens.length + 1);
    return tokens;
  }

  /** Token count of a string, from the memo when possible. */
  countTokens(text: string): number {
    return this.encode(text).length;
  }

  /** Encodes each part (memoised) and returns the concatenation as a fresh array. */
  encodeParts(parts: Iterable<string>): number[] {
    const out: number[] = [];
    for (const part of parts) {
      const tokens = this.encode(part);
      for (let i = 0; i < tokens.length; i++) out.push(tokens[i]!);
    }
    return out;
  }

  /** Hit/miss counters and current size. */
  stats(): TokenCacheStats {
    return {
      hits: this.#hits,
      misses: this.#misses,
      entries: this.#lru.size,
      tokens: this.#lru.weight - this.#lru.size,
    };
  }

  /** Drops every memoised encoding. */
  clear(): void {
    this.#lru.clear();
  }
}
