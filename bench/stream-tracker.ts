/**
 * Timestamps one response's server events as they reach the client, whatever the framing
 * (SSE or WebSocket), and turns them into the per-request samples of
 * spec/metrics-and-targets.md.
 */
import { isSseDone, splitSseBlocks, sseFields } from "../src/protocol/sse.js";
import { TERMINAL_EVENT_TYPES } from "../src/protocol/index.js";

/** A server event, as far as the bench reads it. */
export interface ServerEvent {
  type: string;
  response?: {
    id?: string;
    status?: string;
    output?: unknown[];
    usage?: {
      input_tokens?: number;
      output_tokens?: number;
      input_tokens_details?: { cached_tokens?: number };
    } | null;
    error?: { code?: string; message?: string } | null;
  };
  error?: { code?: string; message?: string };
}

const TERMINAL: ReadonlySet<string> = new Set([...TERMINAL_EVENT_TYPES, "error"]);
const OUTPUT_DELTAS = new Set([
  "response.output_text.delta",
  "response.function_call_arguments.delta",
  "response.refusal.delta",
]);

/** The measured outcome of one response. */
export interface ResponseTiming {
  /** A failure (error event, `response.failed`, timeout, transport error), or undefined. */
  error?: string;
  /** Absolute times (performance.now()). */
  createdAt: number;
  firstDeltaAt: number;
  lastDeltaAt: number;
  /** Gaps between consecutive output deltas, ms. */
  gaps: number[];
  deltas: number;
  responseId: string;
  status: string;
  output: unknown[];
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
}

/** Collects the events of one response; `done` settles at its terminal event. */
export class StreamTracker {
  createdAt = Number.NaN;
  firstDeltaAt = Number.NaN;
  lastDeltaAt = Number.NaN;
  readonly gaps: number[] = [];
  deltas = 0;
  readonly done: Promise<ResponseTiming>;
  #resolve!: (timing: ResponseTiming) => void;
  #settled = false;

  constructor() {
    this.done = new Promise((resolve) => (this.#resolve = resolve));
  }

  /** Records one event received at `at`. */
  onEvent(event: ServerEvent, at: number): void {
    if (this.#settled) return;
    if (Number.isNaN(this.createdAt) && event.type === "response.created") this.createdAt = at;
    if (OUTPUT_DELTAS.has(event.type)) {
      if (this.deltas === 0) this.firstDeltaAt = at;
      else this.gaps.push(at - this.lastDeltaAt);
      this.lastDeltaAt = at;
      this.deltas++;
      return;
    }
    if (!TERMINAL.has(event.type)) return;
    const response = event.response ?? {};
    const usage = response.usage ?? {};
    let error: string | undefined;
    if (event.type === "error") error = `${event.error?.code}: ${event.error?.message}`;
    else if (event.type === "response.failed") {
      error = `response.failed: ${response.error?.code ?? "unknown"}`;
    }
    this.#settle({
      ...(error === undefined ? {} : { error }),
      createdAt: this.createdAt,
      firstDeltaAt: this.firstDeltaAt,
      lastDeltaAt: this.lastDeltaAt,
      gaps: this.gaps,
      deltas: this.deltas,
      responseId: response.id ?? "",
      status: response.status ?? event.type,
      output: response.output ?? [],
      inputTokens: usage.input_tokens ?? 0,
      outputTokens: usage.output_tokens ?? 0,
      cachedTokens: usage.input_tokens_details?.cached_tokens ?? 0,
    });
  }

  /** Ends the response with a failure (connection lost, timeout). */
  fail(message: string): void {
    this.#settle({
      error: message,
      createdAt: this.createdAt,
      firstDeltaAt: this.firstDeltaAt,
      lastDeltaAt: this.lastDeltaAt,
      gaps: this.gaps,
      deltas: this.deltas,
      responseId: "",
      status: "failed",
      output: [],
      inputTokens: 0,
      outputTokens: 0,
      cachedTokens: 0,
    });
  }

  get settled(): boolean {
    return this.#settled;
  }

  #settle(timing: ResponseTiming): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#resolve(timing);
  }
}

/** Splits a growing SSE text into events; returns the unparsed rest. */
export function parseSse(
  text: string,
  onEvent: (event: ServerEvent) => void,
): { rest: string; doneSeen: boolean } {
  let doneSeen = false;
  const { blocks, rest } = splitSseBlocks(text);
  for (const block of blocks) {
    const fields = sseFields(block);
    if (fields === null || fields.data === "") continue;
    if (isSseDone(fields)) {
      doneSeen = true;
      continue;
    }
    onEvent(JSON.parse(fields.data) as ServerEvent);
  }
  return { rest, doneSeen };
}
