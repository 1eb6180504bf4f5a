/**
 * The HTTP binding as a client: `POST /v1/responses` with `stream: true`, read as SSE, behind
 * the same {@link ResponseStream} handle as the WebSocket client. It is the baseline the
 * latency targets compare with, and lets the playground switch transports. Cancel is
 * `POST /v1/responses/{id}/cancel` (the stream then ends with `response.incomplete`); steer
 * does not exist over HTTP.
 *
 * @module
 */
import { ReceivedError, type ReceivedErrorReport } from "../protocol/errors.js";
import { CREATE_EVENT_ONLY_MEMBERS } from "../protocol/events.gen.js";
import type { ErrorEvent } from "../protocol/types.gen.js";
import type { CreateParams } from "./client-types.js";
import { HotlineClientError } from "./errors.js";
import { isSseDone, splitSseBlocks, sseFields } from "../protocol/sse.js";
import { type ResponseEvent, ResponseStream, type StreamController } from "./stream.js";

/**
 * Options of {@link HotlineHttpClient}.
 *
 * @category HTTP binding
 */
export interface HotlineHttpClientOptions {
  /** The server's base URL, e.g. `http://127.0.0.1:8080`. */
  baseUrl: string;
  /** Bearer token, sent as `Authorization`. */
  token?: string;
  /** A `fetch` to use instead of the global one. */
  fetch?: typeof fetch;
}

/**
 * Streams responses over the HTTP binding (SSE).
 *
 * @category HTTP binding
 */
export class HotlineHttpClient {
  readonly #options: HotlineHttpClientOptions;
  readonly #fetch: typeof fetch;
  readonly #base: string;

  constructor(options: HotlineHttpClientOptions) {
    this.#options = options;
    this.#fetch = options.fetch ?? ((...args) => globalThis.fetch(...args));
    this.#base = options.baseUrl.replace(/\/+$/, "");
  }

  /** Starts a streamed response. */
  create(params: CreateParams): ResponseStream {
    const abort = new AbortController();
    const controller: StreamController = {
      cancel: (stream) => {
        void this.#post(`/v1/responses/${encodeURIComponent(stream.responseId!)}/cancel`).catch(
          () => abort.abort(), // no cancel endpoint reachable: dropping the stream cancels it
        );
      },
      steer: () => {
        const next = new ResponseStream(controller, "");
        next.fail(new HotlineClientError("unsupported", "Steer needs the hotline.v1 profile."));
        return next;
      },
    };
    const stream = new ResponseStream(controller, params.client_request_id ?? "");
    const body: Record<string, unknown> = { ...params, stream: true };
    for (const key of CREATE_EVENT_ONLY_MEMBERS) delete body[key];
    void this.#run(stream, body, abort.signal).catch((error: unknown) => stream.fail(error));
    return stream;
  }

  #headers(): Record<string, string> {
    const headers: Record<string, string> = {
      "Content-Type": "application/json",
      Accept: "text/event-stream",
    };
    if (this.#options.token) headers.Authorization = `Bearer ${this.#options.token}`;
    return headers;
  }

  async #post(path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
    try {
      return await this.#fetch(`${this.#base}${path}`, {
        method: "POST",
        headers: this.#headers(),
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      throw new HotlineClientError("connect_failed", `POST ${path} failed.`, { cause: error });
    }
  }

  async #run(stream: ResponseStream, body: unknown, signal: AbortSignal): Promise<void> {
    const response = await this.#post("/v1/responses", body, signal);
    if (!response.ok || !response.body) {
      const text = await response.text();
      let parsed: { error?: ReceivedErrorReport } = {};
      try {
        parsed = JSON.parse(text) as typeof parsed;
      } catch {
        // not JSON: fall through with the status
      }
      const report = typeof parsed.error === "object" && parsed.error !== null ? parsed.error : {};
      throw new ReceivedError(
        { ...report, message: report.message || `HTTP ${response.status}` },
        response.status,
      );
    }
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      const { blocks, rest } = splitSseBlocks(buffer + value);
      buffer = rest;
      for (const block of blocks) {
        const fields = sseFields(block);
        if (fields === null || fields.data === "" || isSseDone(fields)) continue;
        const event = JSON.parse(fields.data) as ResponseEvent;
        if (event.type === "error" && stream.responseId === undefined) {
          stream.fail(ReceivedError.fromEnvelope(event as ErrorEvent), event as ErrorEvent);
        } else {
          stream.deliver(event);
        }
      }
    }
    if (!stream.done) {
      stream.fail(new HotlineClientError("connection_lost", "The SSE stream ended early."));
    }
  }
}
