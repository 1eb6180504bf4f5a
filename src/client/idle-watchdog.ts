/**
 * The idle watchdog: while a response is in flight, a connection that carries no frame for
 * too long is presumed dead and recovered, because a peer that vanished without a close
 * frame would otherwise leave the caller waiting forever. Heartbeats count as activity
 * (SESSION-12), so in `hotline.v1` a few missed heartbeats are enough to notice.
 *
 * @module
 */
import type { Session } from "../protocol/types.gen.js";

/**
 * How long silence may last: `configured` when set, else three heartbeat intervals when the
 * session sends heartbeats, else 60,000 ms.
 */
export function idleTimeoutMs(
  configured: number | undefined,
  session: Session | undefined,
): number {
  if (configured !== undefined) return configured;
  const heartbeat = session?.features.includes("heartbeat")
    ? session.limits.heartbeat_interval_ms
    : undefined;
  return heartbeat !== undefined ? heartbeat * 3 : 60_000;
}

/** One countdown that every frame restarts. */
export class IdleWatchdog {
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** Restarts the countdown: `onIdle` runs after `ms` unless re-armed or cleared first. */
  arm(ms: number, onIdle: () => void): void {
    this.clear();
    this.#timer = setTimeout(onIdle, ms);
  }

  /** Stops the countdown. */
  clear(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
