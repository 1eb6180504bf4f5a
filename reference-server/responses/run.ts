/**
 * One response's life: it submits the generation to the backend and turns the backend's
 * callbacks into Open Responses streaming events that follow the item and content-part state
 * machines (output_item.added → content_part.added → deltas → *.done → content_part.done →
 * output_item.done), numbered from 0 in its {@link EventLog}.
 */
import type {
  FunctionCallItem,
  IncompleteDetails,
  MessageItem,
  OutputItem,
  Profile,
  ResponseCreatedEvent,
  ResponseResource,
  ResponseStatus,
  ServerEvent,
  TerminalEventType,
} from "../../src/protocol/index.js";
import { isErrorCode, lookupError, ProtocolError } from "../../src/protocol/index.js";
import type {
  FunctionCallDone,
  FunctionCallStart,
  GenerationCompletion,
  GenerationFailure,
  GenerationHandle,
  GenerationRequest,
  GenerationSink,
  GenerationStart,
} from "../backend/types.js";
import { type ContinuationPoint, continuationPoint } from "./connection-cache.js";
import { EventLog } from "./event-log.js";
import { newItemId } from "./ids.js";
import type { ResponseParams } from "./params.js";
import { type ConversationContext, extendContext } from "./render.js";
import { buildResource, type ResourceState, toUsage, unixSeconds } from "./resource.js";
import type { TokenIds } from "../backend/token-ids.js";
import type { KnownEncoding } from "../backend/tokenizer.js";

/** The part of the backend a run needs. */
export interface GenerationBackend {
  /** Starts (or queues) a generation. */
  submit(request: GenerationRequest, sink: GenerationSink): GenerationHandle;
  /** Caches the token prefix a continuation of this conversation will start with. */
  retainPrefix?(tokens: TokenIds, conversationKey: string): void;
}

/**
 * Who the events are framed for. It decides two things the profiles disagree on: whether a
 * mid-stream failure gets a numbered `error` event before `response.failed` (SSE, hotline.v1;
 * never core WebSocket, whose errors carry no sequence number), and how a cancel ends
 * (`response.cancelled` in hotline.v1, `response.incomplete` with reason `cancelled` otherwise).
 */
export type RunProfile = Profile | "http";

/** Everything a run is created with. */
export interface RunOptions {
  id: string;
  params: ResponseParams;
  profile: RunProfile;
  /** The conversation before this response's input (the chain of `previous_response_id`). */
  base: ConversationContext;
  /** `base` extended with this response's input. */
  context: ConversationContext;
  /** Full token input: instructions plus `context`. */
  inputTokens: TokenIds;
  /** Prefix-cache chain key. */
  conversationKey: string;
  /** Keep every event for replay. */
  retainEvents: boolean;
  /** hotline.v1: the response this one was steered from. */
  steeredFrom?: string;
}

interface OpenMessage {
  kind: "message";
  id: string;
  outputIndex: number;
  /** The text before `pieces` (read it through {@link messageText}). */
  text: string;
  /** Deltas not yet joined into `text`. */
  pieces: string[];
  /** `{"type":"response.output_text.delta","item_id":…,"delta":` */
  prefix: string;
  /** `,"output_index":N,"content_index":0,"sequence_number":` */
  middle: string;
}

/**
 * The message's text so far. Deltas are joined in batches: `text += delta` per token builds a
 * rope of one 32-byte cons cell per token (with the delta string under it), about ten times
 * the flat text, held for the whole response (a 16k-token response held ~1 MiB of ropes).
 */
function messageText(open: OpenMessage): string {
  if (open.pieces.length > 0) {
    open.text += open.pieces.join("");
    open.pieces.length = 0;
  }
  return open.text;
}

interface OpenCall {
  kind: "call";
  id: string;
  outputIndex: number;
  callId: string;
  name: string;
  arguments: string;
}

/** Terminal outcomes a caller can wait for. */
export type RunOutcome = "completed" | "incomplete" | "failed" | "cancelled";

/** A response being generated (or finished): its events, state and control. */
export class ResponseRun {
  readonly id: string;
  readonly params: ResponseParams;
  readonly profile: RunProfile;
  readonly log: EventLog;
  readonly conversationKey: string;
  readonly steeredFrom: string | undefined;
  /** Resolves when the terminal event was appended. */
  readonly finished: Promise<RunOutcome>;
  readonly #base: ConversationContext;
  readonly #context: ConversationContext;
  #continuation: ConversationContext | undefined;
  /** What the model knew of its text's encoding when it finished (see `extendContext`). */
  #encodedText: KnownEncoding | undefined;
  readonly #inputTokens: TokenIds;
  readonly #state: ResourceState;
  #resolve!: (outcome: RunOutcome) => void;
  #handle: GenerationHandle | undefined;
  #open: OpenMessage | OpenCall | undefined;
  #queuePosition: number | undefined;
  #cancelAs: "incomplete" | "cancelled" | "steered" | "interrupted" = "incomplete";
  #startedAtMs: number | undefined;
  #truncateChars: number | undefined;
  /** Called once with the outcome, after the terminal event. */
  onFinish: ((run: ResponseRun, outcome: RunOutcome) => void) | undefined;
  /** Called once when the first output delta is appended (TTFT metrics). */
  onFirstToken: ((run: ResponseRun) => void) | undefined;

  /** Creates a run; nothing happens until {@link start}. */
  constructor(options: RunOptions) {
    this.id = options.id;
    this.params = options.params;
    this.profile = options.profile;
    this.conversationKey = options.conversationKey;
    this.steeredFrom = options.steeredFrom;
    this.#base = options.base;
    this.#context = options.context;
    this.#inputTokens = options.inputTokens;
    this.log = new EventLog({ retain: options.retainEvents });
    this.#state = {
      id: options.id,
      createdAt: unixSeconds(),
      completedAt: null,
      status: "in_progress",
      incompleteDetails: null,
      output: [],
      error: null,
      usage: null,
      serviceTier: options.params.serviceTier,
    };
    this.finished = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  /** Current status. */
  get status(): ResponseStatus {
    return this.#state.status;
  }

  /** Whether the terminal event was sent. */
  get done(): boolean {
    return this.log.closed;
  }

  /** The backend handle (undefined before start or after an immediate rejection). */
  get handle(): GenerationHandle | undefined {
    return this.#handle;
  }

  /**
   * Whether another instance of a fleet generates it (this run is a copy of its events): a
   * steer's cut and an interrupt travel to that instance (FLEET-2).
   */
  get remote(): boolean {
    return false;
  }

  /**
   * Whether the response has begun calling tools (a function call open or finished): a steer
   * then waits for its end instead of cutting it (INT-19).
   */
  get callingTools(): boolean {
    return (
      this.#open?.kind === "call" || this.#state.output.some((i) => i.type === "function_call")
    );
  }

  /**
   * The client-owned results a finished response waits for: one `function_call_output` stub
   * per function call it made (INT-20), empty when it waits for none.
   */
  requiredInput(): { type: "function_call_output"; call_id: string; name: string }[] {
    if (this.#state.status !== "completed") return [];
    return this.#state.output.flatMap((item) =>
      item.type === "function_call"
        ? [{ type: "function_call_output" as const, call_id: item.call_id, name: item.name }]
        : [],
    );
  }

  /** The input token count (rendered context). */
  get inputTokenCount(): number {
    return this.#inputTokens.length;
  }

  /** A snapshot of the response resource, including the item being generated. */
  resource(): ResponseResource {
    const resource = buildResource(this.params, this.#state);
    if (this.#open) resource.output.push(this.#snapshotOpen("in_progress"));
    return resource;
  }

  /** The conversation a continuation of this response builds on: base, input, output. */
  continuationContext(): ConversationContext {
    // Once the run is done its output is final: render it once for the prefix cache at finish
    // and for every continuation after (the same object, so derived arrays are memoised too).
    if (this.#continuation !== undefined) return this.#continuation;
    const context = extendContext(
      this.#context,
      this.#state.output,
      undefined,
      this.done ? this.#knownText() : undefined,
    );
    if (this.done) this.#continuation = context;
    return context;
  }

  // The model's ids of the output's text, for its render: only for the one message it wrote.
  // A cancel may have cut the text short; it is still the model's text from its start, and the
  // render takes none of the ids when the part they encode runs past it.
  #knownText(): Map<OutputItem, KnownEncoding> | undefined {
    const known = this.#encodedText;
    const output = this.#state.output;
    const item = output[0];
    if (known === undefined || output.length !== 1 || item?.type !== "message") return undefined;
    const content = item.content;
    return content.length === 1 && content[0]!.type === "output_text"
      ? new Map([[item, known]])
      : undefined;
  }

  /**
   * What a continuation of this response builds on once it ended without failing (what a
   * session's cache keeps of it, RESP-9); undefined while it runs or after it failed.
   */
  continuationPoint(): ContinuationPoint | undefined {
    return this.done && this.status !== "failed" ? continuationPoint(this) : undefined;
  }

  /** The conversation before this response's input (what a failed continuation fell back to). */
  get baseContext(): ConversationContext {
    return this.#base;
  }

  /**
   * Submits the generation. A rejection before anything started (queue full, context window)
   * throws a {@link ProtocolError} and leaves the log empty: the caller answers with an error
   * envelope and no `response.created` is ever sent.
   *
   * Inside `submit` the backend reports only where the generation stands (queued, started, or
   * refused); those calls record state, and the events they imply are appended here, after
   * `response.created`. Tokens and the end arrive later, on the backend's clock, and are
   * appended as they come.
   */
  start(backend: GenerationBackend, request: Omit<GenerationRequest, "inputTokens">): void {
    let rejected: GenerationFailure | undefined;
    const sink: GenerationSink = {
      onQueued: (position) => this.#onQueued(position),
      onStart: (start) => this.#onStart(start),
      onText: (delta) => this.#onText(delta),
      onFunctionCallStart: (call) => this.#onCallStart(call),
      onFunctionCallArguments: (delta) => this.#onCallArguments(delta),
      onFunctionCallDone: (call) => this.#onCallDone(call),
      onComplete: (completion) => this.#onComplete(completion),
      onError: (failure) => {
        if (this.log.nextSequenceNumber === 0) rejected = failure;
        else this.#onError(failure);
      },
    };
    this.#handle = backend.submit({ ...request, inputTokens: this.#inputTokens }, sink);
    if (rejected) {
      // The backend rejects with registry codes; anything else is its own failure.
      const code = isErrorCode(rejected.code) ? rejected.code : "server_error";
      throw new ProtocolError(code, rejected.message, { responseId: this.id });
    }
    const queued = this.#queuePosition !== undefined && this.#startedAtMs === undefined;
    this.#state.status = queued ? "queued" : "in_progress";
    this.#serviceTierFromHandle();
    this.log.append((sequence_number) => {
      const event: ResponseCreatedEvent = {
        type: "response.created",
        response: this.resource(),
        sequence_number,
      };
      if (this.profile === "hotline.v1") {
        // RESP-17 / INT-17: the Hotline correlation members (never in core or SSE).
        event.client_request_id = this.params.clientRequestId;
        if (this.steeredFrom !== undefined) event.steered_from = this.steeredFrom;
      }
      return event;
    });
    if (queued) this.#appendQueued();
    else if (this.#startedAtMs !== undefined) this.#appendInProgress();
  }

  /**
   * Stops the generation. `as` picks the terminal event: `cancelled` (hotline.v1
   * `response.cancel`), `incomplete` with reason `cancelled` (HTTP cancel, core) or `incomplete`
   * with reason `steered` (a steer, INT-14). No-op when the response already ended.
   */
  cancel(as: "incomplete" | "cancelled" | "steered" = "incomplete"): void {
    if (this.done) return;
    this.#cancelAs = as;
    this.#handle?.cancel();
  }

  /**
   * Codex's `response.interrupt` (INT-23): acknowledged in the response's stream, the item being
   * generated discarded, the response ended `incomplete` with reason `interrupted`. False when
   * the response already ended.
   */
  interrupt(): boolean {
    if (this.done) return false;
    this.log.append((sequence_number) => ({
      type: "response.interrupt.accepted",
      response_id: this.id,
      sequence_number,
    }));
    this.#cancelAs = "interrupted";
    this.#handle?.cancel();
    return true;
  }

  /**
   * hotline.v1 `response.cancel` with `truncate` (INT-7): the output text the user saw. Applied
   * when the cancel ends the response, to the `response.cancelled` resource, the store and the
   * continuation context; the `*.done` events still carry the text that was streamed.
   */
  truncate(textChars: number): void {
    if (this.done) return;
    this.#truncateChars = Math.max(0, Math.floor(textChars));
  }

  /** Whether the backend is still working on it (queued, prefilling or decoding). */
  get active(): boolean {
    return !this.done;
  }

  #serviceTierFromHandle(): void {
    if (this.#handle) this.#state.serviceTier = this.#handle.tier;
  }

  #onQueued(position: number): void {
    const first = this.#queuePosition === undefined;
    this.#queuePosition = position;
    // Inside submit(): start() appends it after response.created.
    if (this.log.nextSequenceNumber === 0) return;
    // Core clients learn only that the response waits; hotline.v1 gets each position change.
    if (first || this.profile === "hotline.v1") this.#appendQueued();
  }

  #appendQueued(): void {
    this.#state.status = "queued";
    const position = this.#queuePosition;
    this.log.append((sequence_number) => {
      const event: ServerEvent = {
        type: "response.queued",
        response: this.resource(),
        sequence_number,
      };
      if (this.profile === "hotline.v1" && position !== undefined) {
        (event as { queue_position?: number }).queue_position = position;
      }
      return event;
    });
  }

  #onStart(start: GenerationStart): void {
    this.#startedAtMs = performance.now();
    this.#state.serviceTier = start.tier;
    // Inside submit(): start() appends it after response.created.
    if (this.log.nextSequenceNumber === 0) return;
    this.#appendInProgress();
  }

  #appendInProgress(): void {
    this.#state.status = "in_progress";
    this.log.append((sequence_number) => ({
      type: "response.in_progress",
      response: this.resource(),
      sequence_number,
    }));
  }

  #openMessage(): OpenMessage {
    const id = newItemId("msg");
    const outputIndex = this.#state.output.length;
    const message: OpenMessage = {
      kind: "message",
      id,
      outputIndex,
      text: "",
      pieces: [],
      prefix: `{"type":"response.output_text.delta","item_id":"${id}","delta":`,
      middle: `,"output_index":${outputIndex},"content_index":0,"sequence_number":`,
    };
    this.#open = message;
    this.log.append((sequence_number) => ({
      type: "response.output_item.added",
      output_index: outputIndex,
      item: { type: "message", id, status: "in_progress", role: "assistant", content: [] },
      sequence_number,
    }));
    this.log.append((sequence_number) => ({
      type: "response.content_part.added",
      item_id: id,
      output_index: outputIndex,
      content_index: 0,
      part: { type: "output_text", text: "", annotations: [] },
      sequence_number,
    }));
    return message;
  }

  // The per-token path: one string concatenation and one JSON.stringify of the delta text.
  #onText(delta: string): void {
    let open = this.#open;
    if (open?.kind !== "message") {
      if (open) this.#closeOpen("completed");
      open = this.#openMessage();
    }
    if (this.onFirstToken) {
      this.onFirstToken(this);
      this.onFirstToken = undefined;
    }
    open.pieces.push(delta);
    if (open.pieces.length >= 256) messageText(open);
    const sequenceNumber = this.log.nextSequenceNumber;
    const json = `${open.prefix}${JSON.stringify(delta)}${open.middle}${sequenceNumber}}`;
    this.log.appendPrebuilt("response.output_text.delta", json, open.prefix, open.middle);
  }

  #onCallStart(call: FunctionCallStart): void {
    if (this.#open) this.#closeOpen("completed");
    const id = newItemId("fc");
    const outputIndex = this.#state.output.length;
    this.#open = {
      kind: "call",
      id,
      outputIndex,
      callId: call.callId,
      name: call.name,
      arguments: "",
    };
    if (this.onFirstToken) {
      this.onFirstToken(this);
      this.onFirstToken = undefined;
    }
    this.log.append((sequence_number) => ({
      type: "response.output_item.added",
      output_index: outputIndex,
      item: {
        type: "function_call",
        id,
        call_id: call.callId,
        name: call.name,
        arguments: "",
        status: "in_progress",
      },
      sequence_number,
    }));
  }

  #onCallArguments(delta: string): void {
    const open = this.#open;
    if (open?.kind !== "call") return;
    open.arguments += delta;
    this.log.append((sequence_number) => ({
      type: "response.function_call_arguments.delta",
      item_id: open.id,
      output_index: open.outputIndex,
      delta,
      sequence_number,
    }));
  }

  #onCallDone(call: FunctionCallDone): void {
    const open = this.#open;
    if (open?.kind !== "call") return;
    // The streamed deltas are the truth (STREAM-11); the backend's copy only fills a gap.
    if (open.arguments === "" && call.arguments !== "") open.arguments = call.arguments;
    this.#closeOpen("completed");
  }

  #snapshotOpen(status: "in_progress" | "completed" | "incomplete"): OutputItem {
    const open = this.#open!;
    if (open.kind === "message") {
      const item: MessageItem = {
        type: "message",
        id: open.id,
        status,
        role: "assistant",
        content:
          status === "in_progress" && messageText(open) === ""
            ? []
            : [{ type: "output_text", text: messageText(open), annotations: [] }],
      };
      return item;
    }
    const item: FunctionCallItem = {
      type: "function_call",
      id: open.id,
      call_id: open.callId,
      name: open.name,
      arguments: open.arguments,
      status,
    };
    return item;
  }

  /** INT-23: the item being generated is dropped, announced, never done and never output. */
  #discardOpen(): void {
    const open = this.#open;
    if (!open) return;
    this.#open = undefined;
    this.log.append((sequence_number) => ({
      type: "response.output_item.interrupted",
      response_id: this.id,
      item_id: open.id,
      output_index: open.outputIndex,
      sequence_number,
    }));
  }

  #closeOpen(status: "completed" | "incomplete"): void {
    const open = this.#open;
    if (!open) return;
    const item = this.#snapshotOpen(status);
    if (open.kind === "message") {
      const text = messageText(open);
      this.log.append((sequence_number) => ({
        type: "response.output_text.done",
        item_id: open.id,
        output_index: open.outputIndex,
        content_index: 0,
        text,
        sequence_number,
      }));
      this.log.append((sequence_number) => ({
        type: "response.content_part.done",
        item_id: open.id,
        output_index: open.outputIndex,
        content_index: 0,
        part: { type: "output_text", text, annotations: [] },
        sequence_number,
      }));
    } else {
      this.log.append((sequence_number) => ({
        type: "response.function_call_arguments.done",
        item_id: open.id,
        output_index: open.outputIndex,
        arguments: open.arguments,
        name: open.name,
        sequence_number,
      }));
    }
    this.#open = undefined;
    this.#state.output.push(item);
    this.log.append((sequence_number) => ({
      type: "response.output_item.done",
      output_index: open.outputIndex,
      item,
      sequence_number,
    }));
  }

  #onComplete(completion: GenerationCompletion): void {
    this.#encodedText = completion.encodedText;
    const state = this.#state;
    state.usage = toUsage(completion.usage);
    let type: Exclude<TerminalEventType, "response.failed">;
    let details: IncompleteDetails | null = null;
    if (completion.reason === "stop") {
      this.#closeOpen("completed");
      type = "response.completed";
      state.status = "completed";
    } else {
      const interrupted = completion.reason === "cancelled" && this.#cancelAs === "interrupted";
      if (interrupted) this.#discardOpen();
      else this.#closeOpen("incomplete");
      if (completion.reason === "cancelled" && this.#cancelAs === "cancelled") {
        type = "response.cancelled";
        state.status = "cancelled";
        if (this.#truncateChars !== undefined) {
          state.output = truncateOutput(state.output, this.#truncateChars);
        }
      } else {
        type = "response.incomplete";
        state.status = "incomplete";
        const steered = completion.reason === "cancelled" && this.#cancelAs === "steered";
        details = {
          reason: steered ? "steered" : interrupted ? "interrupted" : completion.reason,
        };
      }
    }
    state.incompleteDetails = details;
    state.completedAt = unixSeconds();
    this.#end(type);
  }

  #onError(failure: GenerationFailure): void {
    const state = this.#state;
    const entry = lookupError(failure.code);
    const errorType = entry?.type ?? "server_error";
    if (this.profile !== "core") {
      this.log.append((sequence_number) => ({
        type: "error",
        sequence_number,
        error: { type: errorType, code: failure.code, message: failure.message, param: null },
      }));
    }
    // Open items need not be closed before response.failed; they stay out of `output`.
    this.#open = undefined;
    state.usage = toUsage(failure.usage);
    state.status = "failed";
    state.error = { code: failure.code, message: failure.message };
    this.#end("response.failed");
  }

  #end(type: TerminalEventType): void {
    const resource = buildResource(this.params, this.#state);
    this.log.append(
      // One of the four terminal events (TypeScript does not distribute `type` over the union).
      (sequence_number) => ({ type, response: resource, sequence_number }) as ServerEvent,
      true,
    );
    const outcome = this.#state.status as RunOutcome;
    this.#resolve(outcome);
    this.onFinish?.(this, outcome);
  }
}

/**
 * Cuts output items to their first `chars` code points of output text (INT-7): messages are
 * cut, and items after the cut (which the user never saw) are dropped.
 */
export function truncateOutput(output: readonly OutputItem[], chars: number): OutputItem[] {
  let budget = chars;
  const out: OutputItem[] = [];
  for (const item of output) {
    if (item.type !== "message") {
      if (budget <= 0) break;
      out.push(item);
      continue;
    }
    if (budget <= 0) break;
    const content = (item.content ?? []).map((part) => {
      if (part.type !== "output_text") return part;
      const points = [...part.text];
      const kept = points.slice(0, Math.max(0, budget));
      budget -= kept.length;
      return { ...part, text: kept.join("") };
    });
    out.push({ ...item, content } as OutputItem);
  }
  return out;
}
