/**
 * The responses a hotline.v1 session holds: those in flight and the finished ones it keeps for
 * resume and idempotency, by `response_id` and by `client_request_id` (RESUME-11), each with
 * its delivery state. Finished ones are forgotten oldest first, so a long session's memory
 * stays bounded.
 */
import type { ResponseRun } from "../responses/run.js";

/** A response the session holds. */
export interface Tracked {
  readonly run: ResponseRun;
  readonly clientRequestId: string | null;
  /** Canonical JSON of the create (RESUME-11 "same body"). */
  readonly bodyKey: string | undefined;
  readonly background: boolean;
  /** Its lane: the create's `stream_id`, or "" (the default lane). */
  readonly lane: string;
  /** Live events go to the current connection. */
  attached: boolean;
  /** Bytes appended while not attached (RESUME-10). */
  unreadBytes: number;
  /** Why generation is paused (`backpressure`, `buffer`); empty: running. */
  readonly pauses: Set<string>;
}

/** The responses of one session, in the order they started. */
export class TrackedResponses {
  readonly #byId = new Map<string, Tracked>();
  readonly #byRequestId = new Map<string, Tracked>();

  /** Responses held (in flight or finished and still resumable). */
  get size(): number {
    return this.#byId.size;
  }

  /** Non-background responses in flight. */
  get inFlightCount(): number {
    let n = 0;
    for (const t of this.#byId.values()) if (!t.background && !t.run.done) n++;
    return n;
  }

  /** Whether any response (background ones included) is still running. */
  get anyRunning(): boolean {
    for (const t of this.#byId.values()) if (!t.run.done) return true;
    return false;
  }

  /** The response with this id, if held. */
  get(responseId: string): Tracked | undefined {
    return this.#byId.get(responseId);
  }

  /** The response a create with this `client_request_id` started, if held. */
  byRequestId(clientRequestId: string): Tracked | undefined {
    return this.#byRequestId.get(clientRequestId);
  }

  /** Every response held, oldest first. */
  values(): IterableIterator<Tracked> {
    return this.#byId.values();
  }

  /** Holds a run that just produced its first event. */
  track(run: ResponseRun, bodyKey: string | undefined, attached: boolean, lane = ""): Tracked {
    const tracked: Tracked = {
      run,
      clientRequestId: run.params.clientRequestId,
      bodyKey,
      background: run.params.background,
      lane,
      attached,
      unreadBytes: 0,
      pauses: new Set(),
    };
    this.#byId.set(run.id, tracked);
    if (tracked.clientRequestId !== null && bodyKey !== undefined) {
      this.#byRequestId.set(tracked.clientRequestId, tracked);
    }
    return tracked;
  }

  /**
   * Keeps at most `keepFinished` finished responses holding at most `keepFinishedBytes` of
   * events (oldest go first), so a long session's memory stays bounded.
   */
  forgetOldFinished(keepFinished: number, keepFinishedBytes: number): void {
    let finished = 0;
    let bytes = 0;
    for (const t of this.#byId.values()) {
      if (!t.run.done) continue;
      finished++;
      bytes += t.run.log.keptBytes;
    }
    if (finished <= keepFinished && bytes <= keepFinishedBytes) return;
    for (const [id, t] of this.#byId) {
      if (finished <= keepFinished && bytes <= keepFinishedBytes) break;
      if (!t.run.done || finished <= 1) continue;
      this.#byId.delete(id);
      if (t.clientRequestId !== null && this.#byRequestId.get(t.clientRequestId) === t) {
        this.#byRequestId.delete(t.clientRequestId);
      }
      finished--;
      bytes -= t.run.log.keptBytes;
    }
  }

  /** Forgets every response. */
  clear(): void {
    this.#byId.clear();
    this.#byRequestId.clear();
  }
}
