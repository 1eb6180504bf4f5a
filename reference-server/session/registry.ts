/**
 * Resume tokens of live hotline.v1 sessions. A token is a bearer secret for its session
 * (resume.md, Security): it is random, accepted only for the principal that owns the session,
 * and forgotten when the session is discarded.
 */
import { randomBytes } from "node:crypto";

/** What the registry needs of a session. */
export interface ResumableSession {
  readonly principal: string;
}

/** Tokens → sessions. */
export class SessionRegistry<S extends ResumableSession> {
  readonly #byToken = new Map<string, S>();
  readonly #tokens = new Map<S, Set<string>>();
  readonly #onIssue: ((token: string, session: S) => void) | undefined;

  /** An empty registry; `onIssue` hears of every token issued (a fleet shares them). */
  constructor(onIssue?: (token: string, session: S) => void) {
    this.#onIssue = onIssue;
  }

  /** Issues a fresh token for `session` (earlier ones stay valid until it is discarded). */
  issue(session: S): string {
    const token = `rt_${randomBytes(24).toString("base64url")}`;
    this.adopt(token, session);
    this.#onIssue?.(token, session);
    return token;
  }

  /** Makes a token issued elsewhere (another instance of a fleet) resume `session` here. */
  adopt(token: string, session: S): void {
    this.#byToken.set(token, session);
    let set = this.#tokens.get(session);
    if (!set) this.#tokens.set(session, (set = new Set()));
    set.add(token);
  }

  /** The session a token resumes, when it exists and belongs to `principal`. */
  lookup(token: string, principal: string): S | undefined {
    const session = this.#byToken.get(token);
    return session && session.principal === principal ? session : undefined;
  }

  /** Every token that resumes `session` (a fleet hands them over with it). */
  tokensOf(session: S): string[] {
    return [...(this.#tokens.get(session) ?? [])];
  }

  /** Forgets a session and all its tokens. */
  remove(session: S): void {
    for (const token of this.#tokens.get(session) ?? []) this.#byToken.delete(token);
    this.#tokens.delete(session);
  }

  /** Sessions held (connected or waiting for a resume). */
  sessions(): IterableIterator<S> {
    return this.#tokens.keys();
  }

  /** Number of sessions held. */
  get size(): number {
    return this.#tokens.size;
  }
}
