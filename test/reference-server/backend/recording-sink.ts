/** Test helper: a GenerationSink that records every callback with the virtual time it ran at. */
import type { Clock } from "../../../src/util/clock.js";
import type {
  FunctionCallDone,
  FunctionCallStart,
  GenerationCompletion,
  GenerationFailure,
  GenerationSink,
  GenerationStart,
} from "../../../reference-server/backend/types.js";

/** One recorded callback. */
export type Recorded =
  | { at: number; kind: "queued"; position: number }
  | { at: number; kind: "start"; start: GenerationStart }
  | { at: number; kind: "text"; delta: string; tokens: number }
  | { at: number; kind: "call.start"; call: FunctionCallStart }
  | { at: number; kind: "call.arguments"; delta: string; tokens: number }
  | { at: number; kind: "call.done"; call: FunctionCallDone }
  | { at: number; kind: "complete"; completion: GenerationCompletion }
  | { at: number; kind: "error"; failure: GenerationFailure };

/** A sink that records events; `onEvent` lets a test react (cancel, pause) from inside one. */
export class RecordingSink implements GenerationSink {
  readonly events: Recorded[] = [];
  onEvent: ((event: Recorded) => void) | undefined;

  constructor(readonly clock: Clock) {}

  get text(): string {
    return this.events.map((e) => (e.kind === "text" ? e.delta : "")).join("");
  }

  get textTokens(): number {
    return this.events.reduce((n, e) => n + (e.kind === "text" ? e.tokens : 0), 0);
  }

  get positions(): number[] {
    return this.events.flatMap((e) => (e.kind === "queued" ? [e.position] : []));
  }

  get completion(): GenerationCompletion | undefined {
    const e = this.events.find((x) => x.kind === "complete");
    return e?.kind === "complete" ? e.completion : undefined;
  }

  get failure(): GenerationFailure | undefined {
    const e = this.events.find((x) => x.kind === "error");
    return e?.kind === "error" ? e.failure : undefined;
  }

  get started(): GenerationStart | undefined {
    const e = this.events.find((x) => x.kind === "start");
    return e?.kind === "start" ? e.start : undefined;
  }

  /** Time of the first and last text delta. */
  get textSpan(): { first: number; last: number } | undefined {
    const texts = this.events.filter((e) => e.kind === "text");
    if (texts.length === 0) return undefined;
    return { first: texts[0]!.at, last: texts[texts.length - 1]!.at };
  }

  get terminals(): number {
    return this.events.filter((e) => e.kind === "complete" || e.kind === "error").length;
  }

  #push(event: Recorded): void {
    this.events.push(event);
    this.onEvent?.(event);
  }

  onQueued(position: number): void {
    this.#push({ at: this.clock.now(), kind: "queued", position });
  }
  onStart(start: GenerationStart): void {
    this.#push({ at: this.clock.now(), kind: "start", start });
  }
  onText(delta: string, tokens: number): void {
    this.#push({ at: this.clock.now(), kind: "text", delta, tokens });
  }
  onFunctionCallStart(call: FunctionCallStart): void {
    this.#push({ at: this.clock.now(), kind: "call.start", call });
  }
  onFunctionCallArguments(delta: string, tokens: number): void {
    this.#push({ at: this.clock.now(), kind: "call.arguments", delta, tokens });
  }
  onFunctionCallDone(call: FunctionCallDone): void {
    this.#push({ at: this.clock.now(), kind: "call.done", call });
  }
  onComplete(completion: GenerationCompletion): void {
    this.#push({ at: this.clock.now(), kind: "complete", completion });
  }
  onError(failure: GenerationFailure): void {
    this.#push({ at: this.clock.now(), kind: "error", failure });
  }
}

/** Deterministic filler input of exactly `n` tokens (distinct per `salt`). */
export function inputOf(n: number, salt = 0): number[] {
  return Array.from({ length: n }, (_, i) => 1000 + ((i * 7919 + salt * 104729) % 50000));
}
