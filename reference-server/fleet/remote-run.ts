/**
 * A response owned by another instance of the fleet, as this instance shows it: a
 * {@link ResponseRun} that generates nothing. Its event log is a copy of the owner's, filled
 * from the response's Redis Stream (history, then live entries as the owner appends them), so
 * the HTTP routes and replays read it exactly as they read a local run; its resource is the
 * last one the owner published; a cancel is sent to the owner.
 */
import {
  ProtocolError,
  type ResponseResource,
  type ResponseStatus,
} from "../../src/protocol/index.js";
import type { LoggedEvent } from "../responses/event-log.js";
import { normaliseParams } from "../responses/params.js";
import { EMPTY_CONTEXT } from "../responses/render.js";
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

/** A copy of another instance's response. */
export class RemoteRun extends ResponseRun {
  readonly record: RemoteRecord;
  #resource: ResponseResource;
  readonly #sendCancel: (run: RemoteRun, as: "incomplete" | "cancelled") => void;

  /** A copy of `record`; `sendCancel` routes a cancel to the owner. */
  constructor(
    record: RemoteRecord,
    sendCancel: (run: RemoteRun, as: "incomplete" | "cancelled") => void,
  ) {
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
    this.#sendCancel = sendCancel;
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
   * be continued here: refused rather than continued from an empty context.
   */
  override continuationContext(): never {
    throw new ProtocolError(
      "previous_response_not_found",
      `Previous response with id '${this.id}' is held by another instance of this deployment; ` +
        "continuing it there is not supported yet.",
      { param: "previous_response_id" },
    );
  }

  /** Asks the owner to stop it; the terminal event arrives through the stream. */
  override cancel(as: "incomplete" | "cancelled" = "incomplete"): void {
    if (!this.done) this.#sendCancel(this, as);
  }

  /** The owner's next event, copied (an entry at or below the last copied one is skipped). */
  copy(entry: LoggedEvent): void {
    if (this.done || entry.sequenceNumber < this.log.nextSequenceNumber) return;
    if (!entry.type.endsWith(".delta") && entry.type.startsWith("response.")) {
      const event = JSON.parse(entry.json) as { response?: ResponseResource };
      if (event.response) this.#resource = event.response;
    }
    this.log.appendCopy(entry);
  }

  /** Sets the resource when the record changed without an event (a stream that is not kept). */
  settle(resource: ResponseResource): void {
    this.#resource = resource;
  }
}
