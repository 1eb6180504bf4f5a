/**
 * A response owned by another instance of the fleet, as this instance shows it: a
 * {@link ResponseRun} that generates nothing. Its event log is a copy of the owner's, filled
 * from the response's Redis Stream (history, then live entries as the owner appends them), so
 * the HTTP routes and replays read it exactly as they read a local run; its resource is the
 * last one the owner published; a cancel, a steer's cut and an interrupt are sent to the owner.
 */
import {
  ProtocolError,
  type ResponseResource,
  type ResponseStatus,
} from "../../src/protocol/index.js";
import type { ContinuationPoint } from "../responses/connection-cache.js";
import type { LoggedEvent } from "../responses/event-log.js";
import { normaliseParams } from "../responses/params.js";
import { type ConversationContext, EMPTY_CONTEXT } from "../responses/render.js";
import { ResponseRun, type RunProfile } from "../responses/run.js";

/** What a copy is made from: the response's record in Redis. */
export interface RemoteRecord {
  readonly id: string;
  readonly principal: string;
  /** Instance that owns the generation. */
  readonly owner: string;
  readonly profile: RunProfile;
  readonly store: boolean;
  readonly background: boolean;
  /** Whether its events are in a stream (replayable). */
  readonly streamed: boolean;
  readonly done: boolean;
  /** Its `client_request_id`, if the create had one (RESUME-11 on a taken-over session). */
  readonly clientRequestId: string | null;
  /** The last resource the owner (or the reaper) published. */
  readonly resource: ResponseResource;
}

/**
 * What a copy asks of the response's owner: end it (`incomplete`, `cancelled`, `steered`, as
 * {@link ResponseRun.cancel}) or interrupt it (INT-23).
 */
export type RemoteStop = "incomplete" | "cancelled" | "steered" | "interrupted";

/** A copy of another instance's response. */
export class RemoteRun extends ResponseRun {
  readonly record: RemoteRecord;
  #resource: ResponseResource;
  #point: ContinuationPoint | undefined;
  /** Whether a copied event showed a function call (INT-19). */
  #calledTools = false;
  readonly #sendStop: (run: RemoteRun, as: RemoteStop) => void;

  /** A copy of `record`; `sendStop` routes a cancel, a steer's cut or an interrupt to the owner. */
  constructor(record: RemoteRecord, sendStop: (run: RemoteRun, as: RemoteStop) => void) {
    const resource = record.resource;
    super({
      id: record.id,
      params: normaliseParams(
        {
          model: resource.model,
          input: [],
          store: record.store,
          background: record.background,
          metadata: resource.metadata ?? {},
          ...(record.clientRequestId === null ? {} : { client_request_id: record.clientRequestId }),
        },
        resource.model,
      ),
      profile: record.profile,
      base: EMPTY_CONTEXT,
      context: EMPTY_CONTEXT,
      inputTokens: [],
      conversationKey: record.id,
      retainEvents: record.streamed,
    });
    this.record = record;
    this.#resource = resource;
    this.#sendStop = sendStop;
  }

  override get remote(): boolean {
    return true;
  }

  /** The owner's last published resource (lifecycle events update it). */
  override resource(): ResponseResource {
    return this.#resource;
  }

  override get status(): ResponseStatus {
    return this.#resource.status;
  }

  /**
   * A copy holds no conversation (input items and context stay with the owner), so it cannot
   * be continued here, unless its owner wrote it for the session that holds the copy (see
   * {@link continueFrom}): refused rather than continued from an empty context.
   */
  override continuationContext(): ConversationContext {
    if (this.#point) return this.#point.continuationContext();
    throw new ProtocolError(
      "previous_response_not_found",
      `Previous response with id '${this.id}' is held by another instance of this deployment; ` +
        "continuing it there is not supported yet.",
      { param: "previous_response_id" },
    );
  }

  /** The conversation its owner wrote for its session, once it ended (and was loaded here). */
  override continuationPoint(): ContinuationPoint | undefined {
    return this.done ? this.#point : undefined;
  }

  /**
   * What a continuation of it builds on, loaded from Redis before its terminal event is copied:
   * the session holding the copy remembers it at its end as the owner's session would have.
   */
  continueFrom(point: ContinuationPoint): void {
    this.#point = point;
  }

  /** INT-19, read from the copied events: a function call was added. */
  override get callingTools(): boolean {
    return this.#calledTools;
  }

  /** INT-20, read from the owner's last resource: one stub per function call of a completed response. */
  override requiredInput(): { type: "function_call_output"; call_id: string; name: string }[] {
    if (this.#resource.status !== "completed") return [];
    return this.#resource.output.flatMap((item) =>
      item.type === "function_call"
        ? [{ type: "function_call_output" as const, call_id: item.call_id, name: item.name }]
        : [],
    );
  }

  /** Asks the owner to stop it; the terminal event arrives through the stream. */
  override cancel(as: "incomplete" | "cancelled" | "steered" = "incomplete"): void {
    if (!this.done) this.#sendStop(this, as);
  }

  /**
   * Asks the owner to interrupt it (INT-23): its `response.interrupt.accepted` and terminal
   * event arrive through the stream. False when the copy already ended.
   */
  override interrupt(): boolean {
    if (this.done) return false;
    this.#sendStop(this, "interrupted");
    return true;
  }

  /** The owner's next event, copied (an entry at or below the last copied one is skipped). */
  copy(entry: LoggedEvent): void {
    if (this.done || entry.sequenceNumber < this.log.nextSequenceNumber) return;
    if (!entry.type.endsWith(".delta") && entry.type.startsWith("response.")) {
      const event = JSON.parse(entry.json) as {
        response?: ResponseResource;
        item?: { type?: string };
      };
      if (event.response) this.#resource = event.response;
      if (event.item?.type === "function_call") this.#calledTools = true;
    }
    this.log.appendCopy(entry);
  }

  /** Sets the resource when the record changed without an event (a stream that is not kept). */
  settle(resource: ResponseResource): void {
    this.#resource = resource;
  }
}
