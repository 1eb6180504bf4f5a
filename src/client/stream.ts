/**
 * One response as the caller sees it: an async iterator of its events, in order, each once,
 * whatever happened to the connection underneath, plus promises for the text and the final
 * response object, and the two interruptions (cancel, steer).
 *
 * @module
 */
import { isTerminalEventType } from "../protocol/constants.js";
import { ReceivedError } from "../protocol/errors.js";
import type {
  ErrorEvent,
  InputItem,
  Metadata,
  ResponseResource,
  ServerEvent,
  SessionCreatedEvent,
  SessionGoingAwayEvent,
  SessionHeartbeatEvent,
  SessionPongEvent,
  SessionResumedEvent,
  SessionUpdatedEvent,
  RateLimitsUpdatedEvent,
} from "../protocol/types.gen.js";

/**
 * A server event that belongs to one response: every streaming event, and `error` events
 * that are part of its stream or rejected its creation.
 *
 * @category Streaming
 */
export type ResponseEvent = Exclude<
  ServerEvent,
  | SessionCreatedEvent
  | SessionResumedEvent
  | SessionUpdatedEvent
  | SessionPongEvent
  | SessionHeartbeatEvent
  | SessionGoingAwayEvent
  | RateLimitsUpdatedEvent
>;

/**
 * Options of {@link ResponseStream.cancel}.
 *
 * @category Interruption
 */
export interface CancelOptions {
  /**
   * Cut the stored output to what the user saw (INT-7): `true` counts the code points of the
   * text this stream delivered so far; a number gives the count explicitly.
   */
  truncate?: boolean | number;
}

/**
 * Options of {@link ResponseStream.steer}.
 *
 * @category Interruption
 */
export interface SteerOptions {
  /** Idempotency key of the new response (generated when omitted). */
  clientRequestId?: string;
  /** Upper bound on generated tokens of the new response. */
  maxOutputTokens?: number;
  /** Metadata of the new response. */
  metadata?: Metadata;
}

/** What a stream asks of whoever feeds it (the WebSocket client or the HTTP binding). */
export interface StreamController {
  /** Sends a cancel; `textChars` set when the stored output must be truncated. */
  cancel(stream: ResponseStream, textChars: number | undefined): void;
  /** Sends a steer and returns the stream of the new response. */
  steer(stream: ResponseStream, input: string | InputItem[], options: SteerOptions): ResponseStream;
}

/** How {@link ResponseStream.deliver} treated an event. */
export type DeliveryResult = "delivered" | "duplicate" | "gap" | "ignored";

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A caller that never asks for the result must not cause an unhandled rejection.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/**
 * A response in progress. Iterate it with `for await` to get its events; or await
 * {@link ResponseStream.text} / {@link ResponseStream.finalResponse}. Events are buffered, so
 * iterating late loses nothing; the iterator is meant for one consumer.
 *
 * @category Streaming
 */
export class ResponseStream implements AsyncIterable<ResponseEvent> {
  /** The idempotency key sent with the create (or steer) that started this response. */
  readonly clientRequestId: string;
  /** For a response started by a steer, the id of the steered response. */
  readonly steeredFrom: string | undefined;
  #responseId: string | undefined;
  #lastSequence = -1;
  #text = "";
  #status: ResponseResource["status"] | "pending" = "pending";
  #done = false;
  #failure: unknown;
  readonly #events: ResponseEvent[] = [];
  #wake: (() => void) | undefined;
  readonly #final = deferred<ResponseResource>();
  readonly #id = deferred<string>();
  readonly #controller: StreamController;

  /** @internal Created by the client; callers get streams from `responses.create`. */
  constructor(controller: StreamController, clientRequestId: string, steeredFrom?: string) {
    this.#controller = controller;
    this.clientRequestId = clientRequestId;
    this.steeredFrom = steeredFrom;
  }

  /** The response id, once `response.created` arrived. */
  get responseId(): string | undefined {
    return this.#responseId;
  }

  /** Resolves with the response id once `response.created` arrived. */
  id(): Promise<string> {
    return this.#id.promise;
  }

  /** The `sequence_number` of the last event delivered (-1 before the first). */
  get lastSequenceNumber(): number {
    return this.#lastSequence;
  }

  /** The output text delivered so far (all `output_text` deltas, in order). */
  get currentText(): string {
    return this.#text;
  }

  /** `pending` until `response.created`, then the response's status as events report it. */
  get status(): ResponseResource["status"] | "pending" {
    return this.#status;
  }

  /** Whether the terminal event (or a failure) arrived. */
  get done(): boolean {
    return this.#done;
  }

  /** Resolves with the final response object; rejects when the response failed. */
  finalResponse(): Promise<ResponseResource> {
    return this.#final.promise;
  }

  /** Resolves with the whole output text once the response ended. */
  async text(): Promise<string> {
    await this.#final.promise;
    return this.#text;
  }

  /**
   * Stops the response (INT-1) and resolves with its final object (status `cancelled`, or
   * whatever it reached first if it had already ended).
   */
  async cancel(options: CancelOptions = {}): Promise<ResponseResource> {
    if (!this.#done) {
      await Promise.race([this.#id.promise, this.#final.promise]);
      if (!this.#done) {
        const chars =
          options.truncate === true
            ? codePoints(this.#text)
            : typeof options.truncate === "number"
              ? options.truncate
              : undefined;
        this.#controller.cancel(this, chars);
      }
    }
    return this.#final.promise;
  }

  /**
   * Steers this response: it ends at a safe boundary, keeping its partial output, and a new one
   * chained to it starts with `input` (INT-14, INT-15). Returns the new response's stream at
   * once. Steered inside a tool call, the response runs to its end; if it then waits for tool
   * output the new stream fails with a {@link SteerPendingError} (INT-20).
   */
  steer(input: string | InputItem[], options: SteerOptions = {}): ResponseStream {
    return this.#controller.steer(this, input, options);
  }

  /**
   * @internal Feeds one event. Events at or below the last sequence number are duplicates
   * from a replay and are dropped; a jump ahead is a gap, reported and not delivered.
   */
  deliver(event: ResponseEvent): DeliveryResult {
    if (this.#done) return "ignored";
    const seq = (event as { sequence_number?: number }).sequence_number;
    if (typeof seq === "number") {
      if (seq <= this.#lastSequence) return "duplicate";
      // Core-profile streams start wherever the first event says; hotline.v1 ones at 0.
      if (seq !== this.#lastSequence + 1 && this.#lastSequence !== -1) return "gap";
      this.#lastSequence = seq;
    }
    if (event.type === "response.created") {
      this.#responseId = event.response.id;
      this.#id.resolve(event.response.id);
    }
    if ("response" in event && event.response && typeof event.response === "object") {
      this.#status = (event.response as ResponseResource).status;
    }
    if (event.type === "response.output_text.delta") this.#text += event.delta;
    this.#push(event);
    if (isTerminalEventType(event.type)) {
      const response = (event as { response: ResponseResource }).response;
      if (event.type === "response.failed") {
        const failure = response.error;
        this.#finish(
          new ReceivedError(
            { code: failure?.code, message: failure?.message || "the response failed" },
            undefined,
            { responseId: response.id },
          ),
        );
      } else {
        this.#done = true;
        this.#final.resolve(response);
        this.#wakeUp();
      }
    }
    return "delivered";
  }

  /** @internal Ends the stream with an error (a rejected create, a lost session...). */
  fail(error: unknown, event?: ErrorEvent): void {
    if (this.#done) return;
    if (event) this.#push(event);
    this.#finish(error);
  }

  #finish(error: unknown): void {
    this.#done = true;
    if (this.#status === "pending" || this.#status === "in_progress") this.#status = "failed";
    this.#failure = error;
    this.#final.reject(error);
    this.#id.reject(error);
    this.#wakeUp();
  }

  #push(event: ResponseEvent): void {
    this.#events.push(event);
    this.#wakeUp();
  }

  #wakeUp(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<ResponseEvent> {
    let index = 0;
    for (;;) {
      while (index < this.#events.length) yield this.#events[index++]!;
      if (this.#done) {
        if (this.#failure !== undefined && !(this.#failure instanceof ReceivedError)) {
          throw this.#failure;
        }
        if (this.#failure instanceof ReceivedError && !this.#failedByEvent()) throw this.#failure;
        return;
      }
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }

  /** Whether the failure was already reported in-band (a `response.failed` or `error` event). */
  #failedByEvent(): boolean {
    const last = this.#events[this.#events.length - 1];
    return last?.type === "response.failed" || last?.type === "error";
  }
}

/** Unicode code points of a string (what `truncate.text_chars` counts). */
export function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}
