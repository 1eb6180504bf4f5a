/**
 * Reconnect delays: exponential with full jitter, so a server restart is not met by every
 * client at the same instant.
 *
 * @module
 */

/**
 * How the client reconnects after a lost connection.
 *
 * @category Recovery
 */
export interface ReconnectOptions {
  /** Attempts before giving up (default 8). */
  maxAttempts?: number;
  /** Delay before the second attempt; the first is immediate (default 100 ms). */
  initialDelayMs?: number;
  /** Largest delay (default 5,000 ms). */
  maxDelayMs?: number;
}

/** The delay before attempt `attempt` (0-based): 0, then jittered exponential growth. */
export function backoffDelay(
  attempt: number,
  options: ReconnectOptions,
  random: () => number = Math.random,
): number {
  if (attempt === 0) return 0;
  const initial = options.initialDelayMs ?? 100;
  const max = options.maxDelayMs ?? 5_000;
  const ceiling = Math.min(max, initial * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
