/**
 * Delivery of a session's response events: live events go to the attached connection as they
 * are logged (hotline.v1 stamps `response_id`), a resume replays the kept ones first
 * (RESUME-6/7), and
 * generation pauses instead of buffering without bound, for a slow reader (STREAM-15) or for a
 * response nobody reads while the session is detached (RESUME-10).
 */
import type { ProtocolError } from "../../src/protocol/index.js";
import type { LoggedEvent } from "../responses/event-log.js";
import type { HotlineConfig } from "./hotline-config.js";
import { resumePositionUnavailable } from "./session-errors.js";
import { hotlineFrame, withStreamId } from "./hotline-frames.js";
import type { Profile, SessionPort } from "./session.js";
import type { Tracked, TrackedResponses } from "./tracked-responses.js";

/** What delivery needs of its session: where frames go. */
export interface DeliveryHost {
  /** The connection currently attached, if any. */
  port(): SessionPort | undefined;
  /** Writes one frame to the connection. */
  write(port: SessionPort, json: string): void;
}

/** Delivers the events of a session's responses to its current connection. */
export class ResponseDelivery {
  readonly #config: HotlineConfig;
  readonly #hotline: boolean;
  readonly #responses: TrackedResponses;
  readonly #host: DeliveryHost;
  #drainWaiting = false;

  /** Creates the delivery of the responses `responses` holds. */
  constructor(
    profile: Profile,
    config: HotlineConfig,
    responses: TrackedResponses,
    host: DeliveryHost,
  ) {
    this.#hotline = profile === "hotline.v1";
    this.#config = config;
    this.#responses = responses;
    this.#host = host;
  }

  /**
   * Delivers one logged event of a response; true when it was the response's terminal event.
   * The per-token path: one frame, one send; everything else only on rarer events.
   */
  deliver(entry: LoggedEvent, tracked: Tracked): boolean {
    const port = this.#host.port();
    if (tracked.attached && port) {
      this.#host.write(port, this.#frame(entry, tracked));
      if (entry.terminal) this.#afterTerminal(tracked);
      else {
        const log = tracked.run.log;
        if (log.keptBytes > this.#config.resumeBufferBytes) {
          log.trim(this.#config.resumeBufferBytes, entry.sequenceNumber);
        }
        if (!this.#drainWaiting && port.bufferedAmount() > this.#config.highWaterBytes) {
          this.#backpressure(port);
        }
      }
    } else {
      tracked.unreadBytes += entry.json.length;
      if (entry.terminal) this.#afterTerminal(tracked);
      else if (tracked.unreadBytes > this.#config.resumeBufferBytes) {
        // RESUME-10: nobody reads it; pause rather than drop.
        this.#setPaused(tracked, "buffer", true);
      }
    }
    return entry.terminal;
  }

  /**
   * RESUME-6/7: every kept event after `after`, in order, then live. Returns the error to
   * answer with when those events are gone or never were.
   */
  replay(
    tracked: Tracked,
    after: number,
    eventId: { eventId?: string },
  ): ProtocolError | undefined {
    const port = this.#host.port();
    if (!port) return undefined;
    const log = tracked.run.log;
    let entries: LoggedEvent[];
    try {
      if (after > log.nextSequenceNumber - 1) throw new RangeError("ahead of the stream");
      entries = log.since(after);
    } catch {
      return resumePositionUnavailable(after, tracked.run.id, eventId);
    }
    for (const entry of entries) {
      this.#host.write(port, this.#frame(entry, tracked));
    }
    tracked.attached = true;
    tracked.unreadBytes = 0;
    this.#setPaused(tracked, "buffer", false);
    return undefined;
  }

  /** The connection is gone: every response buffers (and no longer waits for a drain). */
  detachAll(): void {
    for (const t of this.#responses.values()) {
      t.attached = false;
      t.unreadBytes = 0;
      t.pauses.delete("backpressure");
      this.#setPaused(t, "backpressure", false);
    }
    this.#drainWaiting = false;
  }

  // Core frames are the logged events themselves; a named lane's carry its stream_id.
  #frame(entry: LoggedEvent, tracked: Tracked): string {
    const json = this.#hotline ? hotlineFrame(entry, tracked.run.id) : entry.json;
    return withStreamId(json, tracked.lane);
  }

  #afterTerminal(tracked: Tracked): void {
    tracked.pauses.clear();
    this.#responses.forgetOldFinished(this.#config.keepFinished, this.#config.keepFinishedBytes);
  }

  /** STREAM-15: a slow reader pauses the responses it reads until the socket drains. */
  #backpressure(port: SessionPort): void {
    this.#drainWaiting = true;
    const paused: Tracked[] = [];
    for (const t of this.#responses.values()) {
      if (t.attached && !t.run.done) {
        this.#setPaused(t, "backpressure", true);
        paused.push(t);
      }
    }
    port.onDrain(() => {
      this.#drainWaiting = false;
      for (const t of paused) this.#setPaused(t, "backpressure", false);
    });
  }

  #setPaused(tracked: Tracked, reason: string, on: boolean): void {
    const before = tracked.pauses.size;
    if (on) tracked.pauses.add(reason);
    else tracked.pauses.delete(reason);
    const handle = tracked.run.handle;
    if (!handle || tracked.run.done) return;
    if (before === 0 && tracked.pauses.size > 0) handle.pause();
    else if (before > 0 && tracked.pauses.size === 0) handle.resume();
  }
}
