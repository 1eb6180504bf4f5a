/**
 * Prefix KV cache, modelled on vLLM's automatic prefix caching: the input is cut into fixed
 * blocks, each block's hash chains its parent's hash (so a block's identity is its whole
 * prefix), and blocks live in one global LRU bounded in tokens. A lookup walks the chain from
 * the first block and stops at the first miss: the hit is the longest cached prefix.
 *
 * Per-conversation chains remember each conversation's latest blocks so a conversation can be
 * dropped (e.g. `store=false` eviction after a failed continuation) without touching blocks
 * other conversations share, such as a common system prompt.
 */
import { WeightedLru } from "./lru.js";
import { hashTokenRange } from "./random.js";
import type { TokenIds } from "./token-ids.js";

/** Options of a {@link KvCache}. */
export interface KvCacheOptions {
  /** Capacity in tokens across all blocks (default 2,097,152). */
  maxTokens?: number;
  /** Tokens per block; only whole blocks are cached (default 64). */
  blockSize?: number;
  /** Conversations whose chains are remembered, least recently used dropped first (default 10,000). */
  maxConversations?: number;
}

/** Counters and size of a {@link KvCache}. */
export interface KvCacheStats {
  /** Calls to `lookup`. */
  lookups: number;
  /** Lookups that found at least one cached block. */
  hits: number;
  /** Lookups that found nothing. */
  misses: number;
  /** Input tokens served from the cache, summed over lookups. */
  hitTokens: number;
  /** Input tokens that had to be prefilled, summed over lookups. */
  missTokens: number;
  /** Blocks evicted by the LRU or by `forgetConversation`. */
  evictedBlocks: number;
  /** Blocks currently cached. */
  blocks: number;
  /** Tokens currently cached (blocks × block size). */
  tokens: number;
  /** Capacity in tokens. */
  maxTokens: number;
  /** Tokens per block. */
  blockSize: number;
  /** Conversations with a remembered chain. */
  conversations: number;
}

interface Block {
  /** Conversations whose latest chain contains this block. */
  refs: number;
}

const ROOT = 0;

/** A block-hash-chained prefix cache with a global token-bounded LRU. */
export class KvCache {
  readonly #blockSize: number;
  readonly #blocks: WeightedLru<number, Block>;
  readonly #conversations: WeightedLru<string, readonly number[]>;
  readonly #chains = new WeakMap<TokenIds, readonly number[]>();
  #lookups = 0;
  #hits = 0;
  #hitTokens = 0;
  #missTokens = 0;
  #evicted = 0;

  /** Creates an empty cache; see {@link KvCacheOptions}. */
  constructor(options: KvCacheOptions = {}) {
    this.#blockSize = options.blockSize ?? 64;
    if (!Number.isInteger(this.#blockSize) || this.#blockSize < 1) {
      throw new RangeError(`blockSize must be a positive integer, got ${this.#blockSize}`);
    }
    this.#blocks = new WeightedLru(options.maxTokens ?? 2_097_152, () => {
      this.#evicted++;
    });
    this.#conversations = new WeightedLru(options.maxConversations ?? 10_000, (_key, chain) =>
      this.#release(chain, false),
    );
  }

  /** Tokens per block. */
  get blockSize(): number {
    return this.#blockSize;
  }

  /**
   * Longest cached prefix of `tokens`, in tokens (a multiple of the block size, and always less
   * than `tokens.length`: the last input token is recomputed to produce the first output).
   * Counts a hit or miss and refreshes the matched blocks in the LRU.
   */
  lookup(tokens: TokenIds): number {
    const chain = this.#matchedChain(tokens);
    this.#touchReverse(chain);
    const cached = this.#cap(chain.length * this.#blockSize, tokens.length);
    this.#lookups++;
    if (cached > 0) this.#hits++;
    this.#hitTokens += cached;
    this.#missTokens += tokens.length - cached;
    return cached;
  }

  /** Like `lookup` without counting or refreshing anything. */
  peek(tokens: TokenIds): number {
    return this.#cap(this.#matchedChain(tokens).length * this.#blockSize, tokens.length);
  }

  /**
   * Caches every whole block of `tokens` (after a prefill, or after decoding for input+output);
   * with a `conversationKey`, also records the chain as that conversation's latest.
   * Returns the number of blocks that were not cached before.
   */
  insert(tokens: TokenIds, conversationKey?: string): number {
    const chain = this.#hashChain(tokens);
    let added = 0;
    // Insert the tail first so the head (shared by every later turn) ends up most recent and is
    // evicted last: evicting a head block orphans everything chained after it.
    for (let i = chain.length - 1; i >= 0; i--) {
      const hash = chain[i]!;
      if (this.#blocks.touch(hash)) continue;
      this.#blocks.set(hash, { refs: 0 }, this.#blockSize);
      added++;
    }
    if (conversationKey !== undefined) this.#recordConversation(conversationKey, chain);
    return added;
  }

  /** Cached tokens of a conversation's latest chain (0 when unknown or evicted). */
  conversationTokens(conversationKey: string): number {
    const chain = this.#conversations.peek(conversationKey);
    if (chain === undefined) return 0;
    let n = 0;
    while (n < chain.length && this.#blocks.has(chain[n]!)) n++;
    return n * this.#blockSize;
  }

  /**
   * Forgets a conversation's chain; with `evict`, also drops its blocks that no other remembered
   * conversation references. Returns whether the conversation was known.
   */
  forgetConversation(conversationKey: string, evict = false): boolean {
    const chain = this.#conversations.peek(conversationKey);
    if (chain === undefined) return false;
    this.#conversations.delete(conversationKey);
    this.#release(chain, evict);
    return true;
  }

  /** Counters and current size. */
  stats(): KvCacheStats {
    return {
      lookups: this.#lookups,
      hits: this.#hits,
      misses: this.#lookups - this.#hits,
      hitTokens: this.#hitTokens,
      missTokens: this.#missTokens,
      evictedBlocks: this.#evicted,
      blocks: this.#blocks.size,
      tokens: this.#blocks.weight,
      maxTokens: this.#blocks.maxWeight,
      blockSize: this.#blockSize,
      conversations: this.#conversations.size,
    };
  }

  /** Empties the cache (counters are kept). */
  clear(): void {
    this.#blocks.clear();
    this.#conversations.clear();
  }

  #cap(cached: number, inputLength: number): number {
    const maxCacheable = Math.floor(Math.max(0, inputLength - 1) / this.#blockSize);
    return Math.min(cached, maxCacheable * this.#blockSize);
  }

  // Token arrays are immutable by contract, so a chain is computed once per array: a request's
  // input is looked up at admission and inserted after its prefill.
  #hashChain(tokens: TokenIds): readonly number[] {
    const memo = this.#chains.get(tokens);
    if (memo !== undefined) return memo;
    const size = this.#blockSize;
    const n = Math.floor(tokens.length / size);
    const chain: number[] = new Array(n);
    let parent = ROOT;
    for (let b = 0; b < n; b++) {
      parent = hashTokenRange(parent, tokens, b * size, (b + 1) * size);
      chain[b] = parent;
    }
    this.#chains.set(tokens, chain);
    return chain;
  }

  #matchedChain(tokens: TokenIds): readonly number[] {
    const chain = this.#hashChain(tokens);
    let n = 0;
    while (n < chain.length && this.#blocks.has(chain[n]!)) n++;
    return n === chain.length ? chain : chain.slice(0, n);
  }

  #touchReverse(chain: readonly number[]): void {
    for (let i = chain.length - 1; i >= 0; i--) this.#blocks.touch(chain[i]!);
  }

  #recordConversation(key: string, chain: readonly number[]): void {
    const previous = this.#conversations.peek(key);
    const kept = new Set(previous ?? []);
    for (const hash of chain) {
      if (kept.delete(hash)) continue;
      const block = this.#blocks.peek(hash);
      if (block !== undefined) block.refs++;
    }
    // `kept` now holds the blocks of the previous chain that the new one no longer contains.
    for (const hash of kept) {
      const block = this.#blocks.peek(hash);
      if (block !== undefined && block.refs > 0) block.refs--;
    }
    this.#conversations.set(key, chain, 1);
  }

  #release(chain: readonly number[], evict: boolean): void {
    for (const hash of chain) {
      const block = this.#blocks.peek(hash);
      if (block === undefined) continue;
      if (block.refs > 0) block.refs--;
      if (evict && block.refs === 0) {
        this.#blocks.delete(hash);
        this.#evicted++;
      }
    }
  }
}
