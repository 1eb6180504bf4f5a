/**
 * OpenAI WebSocket mode's steer (spec/interruption.md, INT-13 to INT-18), as values: whether a
 * `response.steer` can be committed to its target, and the `response.steer.accepted` and
 * `response.steer.failed` events that answer it. The session commits an accepted steer (ends the
 * target with reason `steered`, starts the successor on the same lane).
 */
import type {
  InputItem,
  ResponseSteerAcceptedEvent,
  ResponseSteerEvent,
  ResponseSteerFailedEvent,
  ResponseSteerPendingEvent,
} from "../../src/protocol/index.js";
import { normaliseInput } from "../responses/params.js";
import { randomUUID } from "node:crypto";
import type { ResponseStatus } from "../../src/protocol/index.js";
import { DEFAULT_LANE } from "./lane.js";
import type { Tracked } from "./tracked-responses.js";

/** Why a steer is not committed (OpenAI's `ResponseSteerErrorCode` values the server sends). */
export type SteerFailure =
  | "response_not_found"
  | "invalid_input"
  | "steering_not_supported"
  | "response_already_completed"
  | "response_not_active"
  | "too_many_pending_steers"
  | "successor_creation_failed";

/** Steers held for one response at most (INT-22): the next is answered `too_many_pending_steers`. */
export const MAX_HELD_STEERS = 8;
/** Responses whose held steers wait for the client's continuation, per connection, at most. */
const MAX_WAITING = 64;

/** What the session knows of a steer's target. */
export interface SteerTarget {
  /** In flight (false: it ended with `status`). */
  readonly running: boolean;
  readonly status: ResponseStatus;
  /** Background responses and prewarms are not steered. */
  readonly steerable: boolean;
  /** Steers already held for it (INT-22). */
  readonly held: number;
}

/** A new steer id (`steer_…`). */
export function newSteerId(): string {
  return `steer_${randomUUID().replaceAll("-", "")}`;
}

/**
 * INT-16: why a steer cannot be committed, or undefined when it can. `target` is undefined when
 * the connection does not know the response.
 */
export function steerRefusal(
  target: SteerTarget | undefined,
  input: ResponseSteerEvent["input"],
): { code: SteerFailure; message: string } | undefined {
  if (!target) {
    return {
      code: "response_not_found",
      message: "The response is not available on this connection.",
    };
  }
  if (!target.running) {
    return target.status === "completed"
      ? {
          code: "response_already_completed",
          message: "The response completed and accepts no steering input.",
        }
      : {
          code: "response_not_active",
          message: `The response ended (${target.status}) and accepts no steering input.`,
        };
  }
  if (!target.steerable) {
    return {
      code: "steering_not_supported",
      message: "This response cannot be steered (background).",
    };
  }
  if (target.held >= MAX_HELD_STEERS) {
    return {
      code: "too_many_pending_steers",
      message: `${MAX_HELD_STEERS} steers already wait for this response.`,
    };
  }
  if (!userMessagesOnly(input)) {
    return {
      code: "invalid_input",
      message: "Steering accepts only user messages: a string, or message items with role 'user'.",
    };
  }
  return undefined;
}

/** Steering input is user messages only (OpenAI: no other roles, tool outputs or item types). */
function userMessagesOnly(input: string | InputItem[]): boolean {
  if (typeof input === "string") return input.length > 0;
  if (input.length === 0) return false;
  return input.every((item) => {
    const m = item as { type?: string; role?: string };
    return (m.type === undefined || m.type === "message") && m.role === "user";
  });
}

/** The members every steer event shares: its lane, its place, Hotline's echo. */
interface SteerEcho {
  lane: string;
  sequenceNumber: number;
  clientRequestId?: string | undefined;
}

function echo(e: SteerEcho): { stream_id?: string; client_request_id?: string } {
  return {
    ...(e.lane === DEFAULT_LANE ? {} : { stream_id: e.lane }),
    ...(e.clientRequestId === undefined ? {} : { client_request_id: e.clientRequestId }),
  };
}

/** `response.steer.accepted`: the server owns the input (INT-13). */
export function steerAccepted(
  id: string,
  previousResponseId: string,
  e: SteerEcho,
): ResponseSteerAcceptedEvent {
  return {
    type: "response.steer.accepted",
    steer: { id, previous_response_id: previousResponseId },
    sequence_number: e.sequenceNumber,
    ...echo(e),
  };
}

/** `response.steer.failed`: the input comes back uncommitted (INT-16). */
export function steerFailed(
  event: ResponseSteerEvent,
  failure: { code: SteerFailure; message: string },
  e: SteerEcho & { id?: string },
): ResponseSteerFailedEvent {
  return {
    type: "response.steer.failed",
    steer: {
      ...(e.id === undefined ? {} : { id: e.id }),
      previous_response_id: event.previous_response_id,
      input: event.input,
    },
    error: { code: failure.code, message: failure.message, type: "invalid_request_error" },
    sequence_number: e.sequenceNumber,
    ...echo(e),
  };
}

/**
 * How the session's recently finished responses ended and on which lane: a core session keeps no
 * finished response, yet a steer that arrives just after its target ended is answered
 * `response_already_completed` or `response_not_active`, not `response_not_found` (INT-16).
 * Bounded: the oldest is forgotten first.
 */
export class RecentOutcomes {
  readonly #capacity: number;
  readonly #outcomes = new Map<string, { status: ResponseStatus; lane: string }>();

  /** Keeps at most `capacity` outcomes. */
  constructor(capacity = 64) {
    this.#capacity = capacity;
  }

  /** Records how a response ended. */
  record(responseId: string, status: ResponseStatus, lane: string): void {
    this.#outcomes.set(responseId, { status, lane });
    if (this.#outcomes.size > this.#capacity) {
      this.#outcomes.delete(this.#outcomes.keys().next().value as string);
    }
  }

  /** How a response ended, if recorded. */
  get(responseId: string): { status: ResponseStatus; lane: string } | undefined {
    return this.#outcomes.get(responseId);
  }
}

/** A steer accepted and not yet committed. */
export interface HeldSteer {
  readonly id: string;
  readonly event: ResponseSteerEvent;
}

/** The held steers of one response: its lane, and whether they wait for its continuation. */
interface Held {
  readonly lane: string;
  readonly steers: HeldSteer[];
  waiting: boolean;
}

/** What the session does with a finished response's held steers. */
export interface HeldRelease {
  /** Events to send now, after the response's terminal event. */
  send: (ResponseSteerPendingEvent | ResponseSteerFailedEvent)[];
  /** Steers a successor commits at once (INT-15), in submission order. */
  successor?: { lane: string; steers: HeldSteer[] };
}

/** The input of held steers, in submission order, as input items (INT-21). */
export function heldInput(steers: readonly HeldSteer[]): InputItem[] {
  return steers.flatMap((h) => normaliseInput(h.event.input));
}

/** A steer's answer: the reply to send and, when it was accepted, what to commit. */
export interface SteerAnswer {
  reply: ResponseSteerAcceptedEvent | ResponseSteerFailedEvent;
  accepted?: { id: string; lane: string; tracked: Tracked };
}

/**
 * The steers of one connection: how its finished responses ended (so a late steer is answered
 * truthfully) and the numbering of its steer events (they belong to no response's stream).
 */
export class SteerLedger {
  readonly #hotline: boolean;
  readonly #outcomes = new RecentOutcomes();
  /** Accepted steers not yet committed (INT-19 to INT-21), by target response, oldest first. */
  readonly #held = new Map<string, Held>();
  #sequence = 0;

  /** hotline.v1 echoes `client_request_id` (INT-17). */
  constructor(hotline: boolean) {
    this.#hotline = hotline;
  }

  /** INT-19: whether a steer of this response waits for its end (it calls tools) or cuts it now. */
  holds(tracked: Tracked): boolean {
    return tracked.run.callingTools;
  }

  /**
   * INT-19: an accepted steer of a response calling tools waits for the response to end instead
   * of cutting the call.
   */
  hold(event: ResponseSteerEvent, accepted: { id: string; lane: string; tracked: Tracked }): void {
    const id = accepted.tracked.run.id;
    const held = this.#held.get(id) ?? { lane: accepted.lane, steers: [], waiting: false };
    held.steers.push({ id: accepted.id, event });
    this.#held.set(id, held);
  }

  /**
   * A response ended: what becomes of the steers held for it. Waiting for tool output, they stay
   * queued for the client's continuation and each is announced `response.steer.pending`
   * (INT-20); ended otherwise, a successor commits them (`completed`, `incomplete`: INT-15) or
   * they come back `response_not_active` (`failed`, `cancelled`: INT-16).
   */
  ended(tracked: Tracked): HeldRelease {
    const run = tracked.run;
    this.#outcomes.record(run.id, run.status, tracked.lane);
    const held = this.#held.get(run.id);
    if (!held || held.waiting) return { send: [] };
    this.#held.delete(run.id);
    const required = run.requiredInput();
    if (required.length > 0) {
      held.waiting = true;
      this.#held.set(run.id, held);
      const send: (ResponseSteerPendingEvent | ResponseSteerFailedEvent)[] = held.steers.map((h) =>
        this.#pending(h, run.id, held.lane, required),
      );
      return { send: [...send, ...this.#evictWaiting()] };
    }
    if (run.status === "completed" || run.status === "incomplete") {
      return { send: [], successor: { lane: held.lane, steers: held.steers } };
    }
    const failure = {
      code: "response_not_active" as const,
      message: `The response ended (${run.status}) before the steer was applied.`,
    };
    return {
      send: held.steers.map((h) =>
        steerFailed(h.event, failure, { ...this.#echo(h.event, held.lane), id: h.id }),
      ),
    };
  }

  /**
   * INT-21: the steers waiting for a continuation of `previousResponseId` on `lane`, to prepend
   * to its input in submission order; undefined when none wait there.
   */
  waitingFor(previousResponseId: string, lane: string): HeldSteer[] | undefined {
    const held = this.#held.get(previousResponseId);
    return held?.waiting && held.lane === lane ? held.steers : undefined;
  }

  /** The continuation's `response.created` was sent: its waiting steers are committed. */
  committed(previousResponseId: string): void {
    this.#held.delete(previousResponseId);
  }

  /** INT-16: the steers an automatic successor was to commit, back to the client. */
  successorFailedAll(steers: readonly HeldSteer[], lane: string, message: string) {
    return steers.map((h) => this.successorFailed(h.event, { id: h.id, lane }, message));
  }

  /** Bounded memory: beyond {@link MAX_WAITING} responses, the oldest's steers come back. */
  #evictWaiting(): ResponseSteerFailedEvent[] {
    const waiting = [...this.#held].filter(([, h]) => h.waiting);
    const failure = {
      code: "response_not_active" as const,
      message: "Too many responses wait for their continuation; the oldest's steer was dropped.",
    };
    return waiting.slice(0, Math.max(0, waiting.length - MAX_WAITING)).flatMap(([id, held]) => {
      this.#held.delete(id);
      return held.steers.map((h) =>
        steerFailed(h.event, failure, { ...this.#echo(h.event, held.lane), id: h.id }),
      );
    });
  }

  #pending(
    h: HeldSteer,
    responseId: string,
    lane: string,
    required: ResponseSteerPendingEvent["required_input"],
  ): ResponseSteerPendingEvent {
    const e = this.#echo(h.event, lane);
    return {
      type: "response.steer.pending",
      steer: { id: h.id, previous_response_id: responseId },
      reason: "waiting_for_required_input",
      required_input: required,
      sequence_number: e.sequenceNumber,
      ...echo(e),
    };
  }

  /** INT-13, INT-16: accepts the steer of `tracked` (the target, if held) or refuses it. */
  answer(event: ResponseSteerEvent, tracked: Tracked | undefined): SteerAnswer {
    const outcome = tracked ? undefined : this.#outcomes.get(event.previous_response_id);
    const target: SteerTarget | undefined = tracked
      ? {
          running: !tracked.run.done,
          status: tracked.run.status,
          steerable: !tracked.background,
          held: this.#held.get(tracked.run.id)?.steers.length ?? 0,
        }
      : outcome && { running: false, status: outcome.status, steerable: true, held: 0 };
    const lane = tracked?.lane ?? outcome?.lane ?? DEFAULT_LANE;
    const refusal = steerRefusal(target, event.input);
    if (refusal || !tracked) {
      const failure = refusal ?? { code: "response_not_found" as const, message: "Unknown." };
      return { reply: steerFailed(event, failure, this.#echo(event, lane)) };
    }
    const id = newSteerId();
    return {
      reply: steerAccepted(id, tracked.run.id, this.#echo(event, lane)),
      accepted: { id, lane, tracked },
    };
  }

  /** INT-16: an accepted steer whose successor could not be created. */
  successorFailed(
    event: ResponseSteerEvent,
    accepted: { id: string; lane: string },
    message: string,
  ): ResponseSteerFailedEvent {
    const failure = { code: "successor_creation_failed" as const, message };
    return steerFailed(event, failure, { ...this.#echo(event, accepted.lane), id: accepted.id });
  }

  #echo(event: ResponseSteerEvent, lane: string): SteerEcho {
    const clientRequestId = this.#hotline ? event.client_request_id : undefined;
    return { lane, sequenceNumber: this.#sequence++, clientRequestId };
  }
}
