/**
 * The backend as a fleet instance uses it: a create is refused while the shared store is
 * unreachable (its record, events and lease could not be shared, so no other instance could
 * resume, cancel or finish it), and a generation can be ended from outside with a truthful
 * `response.failed` when the instance loses what it shared (its lease, or Redis itself).
 */
import { ProtocolError } from "../../src/protocol/index.js";
import type {
  GenerationFailure,
  GenerationHandle,
  GenerationRequest,
  GenerationSink,
} from "../backend/types.js";
import type { GenerationBackend } from "../responses/run.js";

/** A backend whose generations the fleet can refuse and fail. */
export class GatedBackend implements GenerationBackend {
  readonly #inner: GenerationBackend;
  readonly #refusal: () => string | undefined;
  readonly #failers = new WeakMap<GenerationHandle, (failure: GenerationFailure) => void>();

  /** Wraps `inner`; `refusal()` returns why new work is refused now, or undefined. */
  constructor(inner: GenerationBackend, refusal: () => string | undefined) {
    this.#inner = inner;
    this.#refusal = refusal;
  }

  submit(request: GenerationRequest, sink: GenerationSink): GenerationHandle {
    const refused = this.#refusal();
    if (refused !== undefined) throw new ProtocolError("server_error", refused);
    let ended = false;
    // Once failed from outside, the cancel's completion (and anything else) is dropped.
    const gate: GenerationSink = {
      onQueued: (p) => !ended && sink.onQueued?.(p),
      onStart: (s) => !ended && sink.onStart?.(s),
      onText: (d, n) => !ended && sink.onText?.(d, n),
      onFunctionCallStart: (c) => !ended && sink.onFunctionCallStart?.(c),
      onFunctionCallArguments: (d, n, id) => !ended && sink.onFunctionCallArguments?.(d, n, id),
      onFunctionCallDone: (c) => !ended && sink.onFunctionCallDone?.(c),
      onComplete: (c) => {
        if (ended) return;
        ended = true;
        sink.onComplete(c);
      },
      onError: (f) => {
        if (ended) return;
        ended = true;
        sink.onError(f);
      },
    };
    const handle = this.#inner.submit(request, gate);
    this.#failers.set(handle, (failure) => {
      if (ended) return;
      gate.onError({
        ...failure,
        usage: { ...failure.usage, outputTokens: handle.generatedTokens },
      });
      handle.cancel();
    });
    return handle;
  }

  retainPrefix(tokens: readonly number[], conversationKey: string): void {
    this.#inner.retainPrefix?.(tokens, conversationKey);
  }

  /** Ends a generation with `response.failed` (`server_error`, retryable); false when done. */
  fail(handle: GenerationHandle | undefined, message: string, inputTokens: number): boolean {
    const fail = handle === undefined ? undefined : this.#failers.get(handle);
    if (!fail || handle?.state === "done") return false;
    fail({
      code: "server_error",
      message,
      retryable: true,
      usage: { inputTokens, cachedTokens: 0, outputTokens: 0 },
    });
    return true;
  }
}
