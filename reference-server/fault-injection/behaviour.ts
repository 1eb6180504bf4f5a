/**
 * Behavioural faults: decorators around a session, from outside it. Some configure the session
 * differently (its in-flight bound, its cache, its idempotency index); the others sit between
 * the connection and the session and change what the session is told (a cancel never reaches
 * it, or reaches it late, or without its `truncate`).
 */
import type { ResponseCancelEvent } from "../../src/protocol/index.js";
import type { FaultName } from "./faults.js";
import { ConnectionCache, type ContinuationCache } from "../responses/connection-cache.js";
import { LaneCaches } from "../session/lane-caches.js";
import { type HeldSteer, SteerLedger } from "../session/steer.js";
import type { Session, SessionOptions } from "../session/session.js";
import { TrackedResponses } from "../session/tracked-responses.js";
import type { ConnectionTarget } from "../websocket/connection.js";
import type { WirePort } from "./wire.js";

/**
 * A session's options under the faults that configure it: `steer-cuts-tool-call` and
 * `steer-not-prepended` (both profiles), core `multiplex-in-core-profile`,
 * `lanes-serial`, `lane-cache-shared` and `no-eviction-after-failure`, hotline.v1
 * `no-in-flight-limit` and `duplicate-on-retry`.
 */
export function sessionOptions(fault: FaultName, options: SessionOptions): SessionOptions {
  const hotline = options.profile === "hotline.v1";
  if (fault === "steer-cuts-tool-call") return { ...options, steers: new CuttingSteers(hotline) };
  if (fault === "steer-not-prepended") return { ...options, steers: new LosingSteers(hotline) };
  if (options.profile === "core") {
    if (fault === "multiplex-in-core-profile") {
      return { ...options, maxInFlight: 8, defaultLaneConcurrency: 8 };
    }
    if (fault === "lanes-serial") return { ...options, maxInFlight: 1 };
    if (fault === "lane-cache-shared") {
      return { ...options, laneCaches: new SharedLaneCaches(new ConnectionCache(1)) };
    }
    if (fault === "no-eviction-after-failure") {
      return { ...options, cache: new NeverEvictingCache() };
    }
    return options;
  }
  if (fault === "no-in-flight-limit") return { ...options, maxInFlight: Number.MAX_SAFE_INTEGER };
  if (fault === "duplicate-on-retry") return { ...options, responses: new ForgetfulResponses() };
  return options;
}

/** Deltas `late-cancel` lets through after reading a cancel. */
const LATE_DELTAS = 5;

/**
 * The faults that stand between a hotline.v1 connection and its session: `ignore-cancel`,
 * `cancel-unknown-silent`, `truncate-ignored`, `late-cancel`, `resume-loses-events`. `port` is
 * the connection's wrapped port, watched for the frames they wait on.
 */
export function hotlineTarget(
  fault: FaultName,
  target: ConnectionTarget,
  session: Session,
  port: WirePort,
): ConnectionTarget {
  const handle = (event: Parameters<ConnectionTarget["handle"]>[0], receivedAt?: number): void => {
    switch (event.type) {
      case "response.cancel":
        onCancel(event);
        return;
      case "response.resume":
        if (fault === "resume-loses-events")
          loseFirst(event.response_id, event.after_sequence_number);
        break;
      case "response.create": {
        // A retry replays the response it started from the beginning (RESUME-11), at once.
        const held = event.client_request_id && session.heldFor(event.client_request_id);
        if (fault !== "resume-loses-events" || !held) break;
        const stop = loseFirst(held, -1);
        target.handle(event, receivedAt);
        stop();
        return;
      }
      default:
        break;
    }
    target.handle(event, receivedAt);
  };
  const onCancel = (event: ResponseCancelEvent): void => {
    const run = session.active(event.response_id);
    if (fault === "cancel-unknown-silent" && !run) return;
    if (fault === "ignore-cancel" && run) return;
    if (fault === "truncate-ignored") {
      const { truncate: _truncate, ...rest } = event;
      target.handle(rest);
      return;
    }
    if (fault === "late-cancel" && run?.handle?.state === "decoding") {
      let left = LATE_DELTAS;
      let done = false;
      port.observe((frame) => {
        if (done || frame.type !== "response.output_text.delta") return "send";
        if (frame.response_id !== event.response_id || --left > 0) return "send";
        done = true;
        // After the last delta it lets through is written.
        queueMicrotask(() => {
          if (session.active(event.response_id)) target.handle(event);
        });
        return "send";
      });
      return;
    }
    target.handle(event);
  };
  // The first frame a replay owes (replayed, or else the next live one) is not sent.
  const loseFirst = (responseId: string, after: number): (() => void) => {
    let lost = false;
    port.observe((frame) => {
      if (lost || frame.response_id !== responseId) return "send";
      if ((frame.sequence_number ?? -1) <= after) return "send";
      lost = true;
      return "drop";
    });
    return () => {
      lost = true;
    };
  };
  return { ...target, handle };
}

/** Fault `no-eviction-after-failure`: a cache that ignores RESP-12 evictions. */
class NeverEvictingCache extends ConnectionCache {
  override evict(): void {}
}

/** Fault `lane-cache-shared`: every lane reads and writes the default lane's one entry. */
class SharedLaneCaches extends LaneCaches {
  override view(): ContinuationCache {
    return this.defaultLane;
  }
}

/** Fault `duplicate-on-retry`: an index that never finds the response a retry started. */
class ForgetfulResponses extends TrackedResponses {
  override byRequestId(): undefined {
    return undefined;
  }
}

/** `steer-cuts-tool-call`: every accepted steer ends its response at once, calls included. */
class CuttingSteers extends SteerLedger {
  override holds(): boolean {
    return false;
  }
}

/** `steer-not-prepended`: the continuation commits the held steers without their input. */
class LosingSteers extends SteerLedger {
  override waitingFor(previousResponseId: string, lane: string): HeldSteer[] | undefined {
    if (super.waitingFor(previousResponseId, lane) !== undefined)
      this.committed(previousResponseId);
    return undefined;
  }
}
