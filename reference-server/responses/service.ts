/**
 * The responses service both bindings call: it resolves `previous_response_id` chains (the
 * connection-local cache first, then the store), renders the context, enforces the context
 * window, and starts a {@link ResponseRun} on the backend. It knows nothing about sockets or
 * SSE; a binding subscribes to the run's event log and frames the entries.
 */
import {
  type CompactRequestBody,
  type CompactResource,
  DEFAULT_CONTEXT_WINDOW_TOKENS,
  ProtocolError,
} from "../../src/protocol/index.js";
import type { GenerationRequest } from "../backend/types.js";
import { hintOutOfRange } from "../backend/hints.js";
import { tierFromServiceTier } from "../backend/tiers.js";
import type { ContinuationCache, ContinuationPoint } from "./connection-cache.js";
import { newResponseId } from "./ids.js";
import { compactContext } from "./compaction.js";
import { type CreateBody, normaliseInput, normaliseParams } from "./params.js";
import {
  type ConversationContext,
  contextTokens,
  EMPTY_CONTEXT,
  extendContext,
  latestUserText,
} from "./render.js";
import { type GenerationBackend, ResponseRun, type RunOutcome, type RunProfile } from "./run.js";
import { ResponseStore } from "./store.js";
import type { TokenIds } from "../backend/token-ids.js";

/** Lifecycle hooks for telemetry (and, later, the session layer). */
export interface ResponsesObserver {
  /**
   * A run was accepted and `response.created` appended; `serverOverheadMs` is the server's
   * own time from the request's arrival (`CreateContext.receivedAt`, else `create()`) to
   * then: parsing, validation, rendering, tokenising, store look-ups, no queueing or prefill.
   */
  onStarted?(run: ResponseRun, serverOverheadMs: number): void;
  /** A run's first output token; `sinceCreateMs` is measured from `create()`. */
  onFirstToken?(run: ResponseRun, sinceCreateMs: number): void;
  /** A run appended its terminal event. */
  onFinished?(run: ResponseRun, outcome: RunOutcome): void;
  /** A create was refused before anything started. */
  onRejected?(error: ProtocolError): void;
}

/** One observer calling each of `observers` in turn. */
export function combineObservers(...observers: ResponsesObserver[]): ResponsesObserver {
  return {
    onStarted: (run, ms) => observers.forEach((o) => o.onStarted?.(run, ms)),
    onFirstToken: (run, ms) => observers.forEach((o) => o.onFirstToken?.(run, ms)),
    onFinished: (run, outcome) => observers.forEach((o) => o.onFinished?.(run, outcome)),
    onRejected: (error) => observers.forEach((o) => o.onRejected?.(error)),
  };
}

/** Options of a {@link ResponsesService}. */
export interface ResponsesServiceOptions {
  /** The backend generations run on. */
  backend: GenerationBackend & { contextWindowTokens?: number };
  /** The models served (RESP-28); default: `[defaultModel]`. */
  models?: readonly string[];
  /** Model name used when a create body names none; default: the first of `models`. */
  defaultModel?: string;
  /** Context window in tokens (input plus `max_output_tokens`); default the backend's, else {@link DEFAULT_CONTEXT_WINDOW_TOKENS}. */
  contextWindowTokens?: number;
  /** Response store (default: a new one). */
  store?: ResponseStore;
  /** The backend's prefix cache, asked how much of a prefix it holds (prewarm's `cached_tokens`). */
  prefixCache?: { peek(tokens: TokenIds): number };
  /** Telemetry hooks. */
  observer?: ResponsesObserver;
}

/** Where a create comes from. */
export interface CreateContext {
  /** Framing of the run's events (see {@link RunProfile}). */
  profile: RunProfile;
  /** Who asks (the bearer token, or `anonymous`): stored responses are visible only to it. */
  principal: string;
  /** The connection-local cache of a WebSocket connection; HTTP has none. */
  cache?: ContinuationCache;
  /** Keep every event for replay even when not background (hotline.v1 resume). */
  retainEvents?: boolean;
  /** hotline.v1 steer: the response this one continues after cancelling it. */
  steeredFrom?: string;
  /** Prefix for `param` pointers of input errors (`/input`). */
  inputParam?: string;
  /**
   * When the request arrived whole (`performance.now()`): the WebSocket message, or the HTTP
   * body read. A create that waited in a session's lane counts from when it left the lane.
   */
  receivedAt?: number;
}

/** Starts, finds and cancels responses. */
export class ResponsesService {
  readonly store: ResponseStore;
  readonly defaultModel: string;
  /** The models served: any other name is `model_not_found` (RESP-28). */
  readonly models: readonly string[];
  readonly contextWindowTokens: number;
  readonly #backend: GenerationBackend;
  readonly #observer: ResponsesObserver;
  readonly #prefixCache: { peek(tokens: TokenIds): number } | undefined;

  /** Creates the service over a backend. */
  constructor(options: ResponsesServiceOptions) {
    this.#backend = options.backend;
    this.store = options.store ?? new ResponseStore();
    this.defaultModel = options.defaultModel ?? options.models?.[0] ?? "hotline-sim-1";
    this.models = options.models ?? [this.defaultModel];
    if (!this.models.includes(this.defaultModel)) {
      throw new Error(`the default model ${this.defaultModel} is not among the served models`);
    }
    this.contextWindowTokens =
      options.contextWindowTokens ??
      options.backend.contextWindowTokens ??
      DEFAULT_CONTEXT_WINDOW_TOKENS;
    this.#observer = options.observer ?? {};
    this.#prefixCache = options.prefixCache;
  }

  /** Tokens of `tokens`' prefix the backend's prefix cache holds now (0 without one). */
  cachedTokens(tokens: TokenIds): number {
    return this.#prefixCache?.peek(tokens) ?? 0;
  }

  /**
   * Resolves, renders and starts a response. Throws a {@link ProtocolError} (and starts nothing)
   * for an unknown previous response, an overlong context or a full backend queue; a failed
   * continuation evicts its previous response from the connection cache (RESP-12).
   */
  create(body: CreateBody, ctx: CreateContext): ResponseRun {
    const startedAt = performance.now();
    const params = normaliseParams(body, this.defaultModel);
    const previousId = params.previousResponseId;
    try {
      this.#checkModel(params.model);
      const badHint = hintOutOfRange(params.metadata);
      if (badHint) {
        throw new ProtocolError("invalid_event", badHint.message, {
          param: `/metadata/${badHint.key}`,
        });
      }
      let base: ConversationContext = EMPTY_CONTEXT;
      let conversationKey: string | undefined;
      if (previousId !== null) {
        const previous = this.#resolvePrevious(previousId, params.store, ctx.principal, ctx.cache);
        base = previous.continuationContext();
        conversationKey = previous.conversationKey;
      }
      const context = extendContext(base, params.input, ctx.inputParam ?? "/input");
      const inputTokens = contextTokens(params.instructions, context);
      const reserve = params.maxOutputTokens ?? 0;
      if (inputTokens.length + reserve > this.contextWindowTokens) {
        throw new ProtocolError(
          "context_length_exceeded",
          `The input is ${inputTokens.length} tokens and max_output_tokens ${reserve}; the ` +
            `context window is ${this.contextWindowTokens} tokens.`,
          { param: "input" },
        );
      }
      const id = newResponseId();
      const run = new ResponseRun({
        id,
        params,
        profile: ctx.profile,
        base,
        context,
        inputTokens,
        conversationKey: conversationKey ?? id,
        retainEvents: params.background || ctx.retainEvents === true,
        ...(ctx.steeredFrom === undefined ? {} : { steeredFrom: ctx.steeredFrom }),
      });
      const request: Omit<GenerationRequest, "inputTokens"> = {
        tier: tierFromServiceTier(params.serviceTier),
        background: params.background,
        conversationKey: run.conversationKey,
        tools: params.functions,
        answersToolOutput: params.input.at(-1)?.type === "function_call_output",
        prompt: latestUserText(context),
        parallelToolCalls: params.parallelToolCalls,
        ...(params.maxToolCalls === null ? {} : { maxToolCalls: params.maxToolCalls }),
        metadata: params.metadata,
        generate: params.generate,
      };
      if (params.maxOutputTokens !== null) request.maxOutputTokens = params.maxOutputTokens;
      if (params.toolChoice !== "auto") {
        const choice = params.toolChoice;
        if (typeof choice === "string") request.toolChoice = choice;
        else if (choice.type === "function")
          request.toolChoice = { type: "function", name: choice.name };
        else request.toolChoice = choice.mode ?? "auto";
      }
      this.store.addLive(run, ctx.principal);
      run.onFirstToken = (r) => this.#observer.onFirstToken?.(r, performance.now() - startedAt);
      run.onFinish = (r, outcome) => {
        this.store.finish(r);
        if (outcome === "failed" && previousId !== null) ctx.cache?.evict(previousId);
        else if (outcome !== "failed") {
          ctx.cache?.remember(r);
          // What a continuation renders (input items plus this response's output items) is
          // what the prefix cache must hold for it to hit (SIM-6).
          this.#backend.retainPrefix?.(
            contextTokens(params.instructions, r.continuationContext()),
            r.conversationKey,
          );
        }
        this.#observer.onFinished?.(r, outcome);
      };
      try {
        run.start(this.#backend, request);
      } catch (error) {
        this.store.finish(run);
        throw error;
      }
      this.#observer.onStarted?.(run, performance.now() - (ctx.receivedAt ?? startedAt));
      return run;
    } catch (error) {
      if (previousId !== null) ctx.cache?.evict(previousId);
      const protocolError =
        error instanceof ProtocolError
          ? error
          : new ProtocolError("server_error", `Internal error: ${(error as Error).message}`);
      this.#observer.onRejected?.(protocolError);
      throw protocolError;
    }
  }

  #checkModel(model: string): void {
    if (this.models.includes(model)) return;
    throw new ProtocolError(
      "model_not_found",
      `The model '${model}' is not served here; GET /v1/models lists: ${this.models.join(", ")}.`,
      { param: "model" },
    );
  }

  #resolvePrevious(
    id: string,
    store: boolean,
    principal: string,
    cache: ContinuationCache | undefined,
  ): ContinuationPoint {
    const cached = cache?.get(id);
    if (cached) return cached;
    // store:false never reaches the store (RESP-13); store:true falls back to it (RESP-11).
    const stored = store ? this.store.continuation(id, principal) : undefined;
    if (stored) return stored;
    throw new ProtocolError(
      "previous_response_not_found",
      `Previous response with id '${id}' not found.`,
      {
        param: "previous_response_id",
      },
    );
  }

  /**
   * Compacts a conversation (HTTP-18): the stored `previous_response_id`'s conversation (this
   * principal's, store:true only) followed by `input`. Throws a {@link ProtocolError} for an
   * unknown previous response, a tool output answering no call, or an overlong context.
   */
  compact(body: CompactRequestBody, principal: string): CompactResource {
    this.#checkModel(body.model);
    let base: ConversationContext = EMPTY_CONTEXT;
    if (body.previous_response_id != null) {
      base = this.#resolvePrevious(
        body.previous_response_id,
        true,
        principal,
        undefined,
      ).continuationContext();
    }
    const context = extendContext(base, normaliseInput(body.input), "/input");
    const inputTokens = contextTokens(body.instructions ?? null, context).length;
    if (inputTokens > this.contextWindowTokens) {
      throw new ProtocolError(
        "context_length_exceeded",
        `The input is ${inputTokens} tokens; the context window is ${this.contextWindowTokens} tokens.`,
        { param: "input" },
      );
    }
    return compactContext(context, inputTokens);
  }

  /** A stored (or background) response of this principal, live or finished. */
  get(id: string, principal: string): ResponseRun | undefined {
    return this.store.get(id, principal);
  }

  /**
   * Cancels a response of this principal (HTTP cancel: it ends `incomplete`, reason
   * `cancelled`). Returns the run, or undefined when unknown.
   */
  cancel(id: string, principal: string): ResponseRun | undefined {
    const run = this.store.get(id, principal, false);
    run?.cancel("incomplete");
    return run;
  }

  /** Cancels every response in flight (shutdown). */
  cancelAll(): void {
    for (const run of [...this.store.liveRuns()]) run.cancel("incomplete");
  }
}
