/**
 * hotline.v1 sessions held for a resume after their connection closed, counted per principal
 * (RESUME-15): each keeps its responses, their kept events and a resume window's timer, so a
 * principal that opens and drops connections must not hold more than a bound of them. Past
 * the bound the oldest detached session of that principal is discarded (a later resume of it
 * gets `resume_expired`, as after its window).
 */

/** What the count needs of a session. */
export interface DetachableSession {
  readonly principal: string;
  /** Whether the session was discarded (window ended, server stopped, evicted). */
  readonly discarded: boolean;
  /** Discards the session. */
  discard(): void;
}

/** Default bound on the detached sessions one principal holds. */
export const DEFAULT_MAX_DETACHED_SESSIONS = 64;

/** The detached sessions of every principal, oldest first. */
export class DetachedSessions<S extends DetachableSession> {
  readonly #max: number;
  readonly #byPrincipal = new Map<string, Set<S>>();

  /** Holds at most `max` detached sessions per principal (0: no bound). */
  constructor(max = DEFAULT_MAX_DETACHED_SESSIONS) {
    this.#max = max;
  }

  /** A session lost its connection and waits for a resume; may discard older ones. */
  detached(session: S): void {
    if (session.discarded) return;
    let held = this.#byPrincipal.get(session.principal);
    if (!held) this.#byPrincipal.set(session.principal, (held = new Set()));
    held.add(session);
    for (const s of held) {
      if (s.discarded) held.delete(s);
    }
    if (this.#max <= 0) return;
    for (const oldest of held) {
      if (held.size <= this.#max) break;
      held.delete(oldest);
      oldest.discard();
    }
  }

  /** A session got a connection again (resumed), or was discarded: no longer counted. */
  attached(session: S): void {
    const held = this.#byPrincipal.get(session.principal);
    if (!held) return;
    held.delete(session);
    if (held.size === 0) this.#byPrincipal.delete(session.principal);
  }

  /** Detached sessions `principal` holds now. */
  count(principal: string): number {
    let n = 0;
    for (const s of this.#byPrincipal.get(principal) ?? []) if (!s.discarded) n++;
    return n;
  }
}
