/**
 * Helpers for load against a running server, shared by the bench's fault scenarios and the
 * fuzzer: pacing (sleep, bounded waits, fan-out), a seeded random source and the create body
 * that asks the simulator for a given number of output tokens.
 */

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * `promise`, or `fallback` once `ms` have passed. The timer is cleared either way and never
 * holds the process, so a finished run leaves nothing pending and exits at once.
 */
export function withTimeout<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<F>((resolve) => {
    timer = setTimeout(() => resolve(fallback), Math.max(0, ms));
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A small seeded PRNG (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [lo, hi]. */
export function between(rand: () => number, lo: number, hi: number): number {
  return lo + Math.floor(rand() * (hi - lo + 1));
}

/** A create body asking the simulator for `tokens` output tokens. */
export function createBody(tokens: number, extra: Record<string, unknown> = {}) {
  return {
    model: "hotline-sim-1",
    input: "Write the next function of the parser.",
    store: false,
    metadata: { "sim.output_tokens": String(tokens) },
    ...extra,
  };
}

/** Runs `fn` for each of `n` indices at once. */
export function all<T>(n: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => fn(i)));
}
