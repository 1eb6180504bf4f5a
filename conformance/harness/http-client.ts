/**
 * The recording HTTP client (undici): JSON requests, and SSE streams parsed as they arrive with
 * their framing checked (HTTP-2 `event:` equals `type`, HTTP-3 final `[DONE]`, HTTP-4 no `id:`)
 * and every event validated and fed to a `ResponseTracker` in HTTP mode.
 */
import {
  HOTLINE_ONLY_SERVER_EVENT_TYPES,
  validateObject,
  validateServerEvent,
} from "../../src/protocol/index.js";
import { sseFields } from "../../src/protocol/sse.js";
import { Agent, type Dispatcher, request } from "undici";
import {
  ResponseTracker,
  TERMINAL_TYPES,
  type TrackedResponse,
  type Violation,
} from "./response-tracker.js";
import { now, type WireLog } from "./wire-log.js";

/** A JSON answer. */
export interface JsonAnswer {
  status: number;
  contentType: string;
  body: unknown;
  /** The response headers, names in lower case. */
  headers: Record<string, string>;
  /** Request written → response headers. */
  headersAt: number;
  startedAt: number;
}

/** One SSE message, as framed on the wire. */
export interface SseMessage {
  entry: number;
  t: number;
  event: string | null;
  data: string;
  json: Record<string, unknown> | null;
  id: string | null;
}

/** A finished (or abandoned) SSE stream. */
export interface SseAnswer {
  status: number;
  contentType: string;
  /** The body when the server did not answer with an event stream. */
  body: unknown;
  messages: SseMessage[];
  tracker: ResponseTracker;
  response: TrackedResponse | undefined;
  startedAt: number;
  /** Bytes of the event-stream body. */
  bytes: number;
  sawDone: boolean;
}

/** Options shared by every request. */
export interface HttpClientOptions {
  baseUrl: string;
  headers: Record<string, string>;
  timeoutMs: number;
  log: WireLog;
  report(v: Violation): void;
}

const HOTLINE_ONLY = new Set<string>(HOTLINE_ONLY_SERVER_EVENT_TYPES);
const HOTLINE_FIELDS = [
  "response_id",
  "client_request_id",
  "steered_from",
  "queue_position",
  "event_id",
];

/** Recording HTTP client for one case. */
export class HttpClient {
  /** Keep-alive agent (the persistent baseline). */
  private agent = new Agent({ keepAliveTimeout: 10_000 });

  constructor(private readonly options: HttpClientOptions) {}

  private url(path: string): string {
    return new URL(
      path,
      this.options.baseUrl.endsWith("/") ? this.options.baseUrl : `${this.options.baseUrl}/`,
    ).toString();
  }

  private dispatcher(fresh: boolean): Dispatcher {
    // A fresh agent per request means a new TCP (and TLS) connection per request.
    return fresh ? new Agent({ pipelining: 0 }) : this.agent;
  }

  /** Sends a request and parses a JSON answer. */
  async json(
    method: "GET" | "POST" | "PUT" | "DELETE",
    path: string,
    body?: unknown,
    opts: { headers?: Record<string, string>; fresh?: boolean } = {},
  ): Promise<JsonAnswer> {
    const conn = this.options.log.label("http");
    const headers = {
      ...this.options.headers,
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
      ...opts.headers,
    };
    const startedAt = now();
    this.options.log.add({ conn, dir: "send", kind: "http-request", data: { method, path, body } });
    const dispatcher = this.dispatcher(opts.fresh ?? false);
    try {
      const res = await request(this.url(path), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        dispatcher,
        headersTimeout: this.options.timeoutMs,
        bodyTimeout: this.options.timeoutMs,
      });
      const headersAt = now();
      const text = await res.body.text();
      const parsed = tryJson(text);
      const contentType = String(res.headers["content-type"] ?? "");
      const e = this.options.log.add({
        conn,
        dir: "recv",
        kind: "http-response",
        data: { status: res.statusCode, contentType, body: parsed },
        bytes: Buffer.byteLength(text),
      });
      this.checkJsonBody(res.statusCode, parsed, e.i, conn);
      const answerHeaders = Object.fromEntries(
        Object.entries(res.headers).map(([k, v]) => [k.toLowerCase(), String(v)]),
      );
      return {
        status: res.statusCode,
        contentType,
        body: parsed,
        headers: answerHeaders,
        headersAt,
        startedAt,
      };
    } finally {
      if (opts.fresh) await (dispatcher as Agent).close();
    }
  }

  private checkJsonBody(status: number, body: unknown, entry: number, conn: string): void {
    if (typeof body !== "object" || body === null) return;
    const b = body as Record<string, unknown>;
    if (status >= 400) {
      const err = b.error as Record<string, unknown> | undefined;
      if (!err || typeof err.code !== "string" || typeof err.message !== "string") {
        this.options.report({
          anchor: "HTTP-7",
          message: `HTTP ${status} body lacks error.code/message`,
          entry,
          conn,
        });
      }
      return;
    }
    if (b.object === "response") {
      const result = validateObject("ResponseResource", b);
      if (!result.ok) {
        for (const issue of result.issues) {
          this.options.report({
            anchor: "CONF-2",
            message: `ResponseResource fails its schema: ${issue.message}`,
            entry,
            conn,
          });
        }
      }
      if (b.status === "cancelled") {
        this.options.report({
          anchor: "HTTP-6",
          message: "ResponseResource with status cancelled over the HTTP binding",
          entry,
          conn,
        });
      }
    }
  }

  /**
   * POSTs (or GETs) and reads an SSE stream. `onMessage` may return "stop" to abandon the stream
   * (the client disconnects), e.g. to test HTTP-9.
   */
  async sse(
    method: "GET" | "POST",
    path: string,
    body?: unknown,
    opts: {
      fresh?: boolean;
      /** The stream replays a response after this sequence number (GET ?starting_after=N). */
      startingAfter?: number;
      /** The rule a gap or duplicate in that replay breaks (default HTTP-12). */
      replayRule?: string;
      onMessage?: (
        m: SseMessage,
        answer: SseAnswer,
      ) => "stop" | undefined | Promise<"stop" | undefined>;
    } = {},
  ): Promise<SseAnswer> {
    const conn = this.options.log.label("http");
    const log = this.options.log;
    const report = this.options.report;
    const headers = {
      ...this.options.headers,
      accept: "text/event-stream",
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
    };
    const startedAt = now();
    log.add({ conn, dir: "send", kind: "http-request", data: { method, path, body } });
    const dispatcher = this.dispatcher(opts.fresh ?? false);
    const tracker = new ResponseTracker({
      mode: "http",
      report,
      conn,
      ...(opts.startingAfter !== undefined
        ? { remap: { "STREAM-1": opts.replayRule ?? "HTTP-12" } }
        : {}),
    });
    if (opts.startingAfter !== undefined) tracker.joinMidway(opts.startingAfter);
    const answer: SseAnswer = {
      status: 0,
      contentType: "",
      body: null,
      messages: [],
      tracker,
      response: undefined,
      startedAt,
      bytes: 0,
      sawDone: false,
    };
    const controller = new AbortController();
    try {
      const res = await request(this.url(path), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        dispatcher,
        signal: controller.signal,
        headersTimeout: this.options.timeoutMs,
        bodyTimeout: this.options.timeoutMs,
      });
      answer.status = res.statusCode;
      answer.contentType = String(res.headers["content-type"] ?? "");
      if (!answer.contentType.startsWith("text/event-stream")) {
        const text = await res.body.text();
        answer.body = tryJson(text);
        const e = log.add({
          conn,
          dir: "recv",
          kind: "http-response",
          data: { status: res.statusCode, contentType: answer.contentType, body: answer.body },
        });
        this.checkJsonBody(res.statusCode, answer.body, e.i, conn);
        return answer;
      }
      log.add({
        conn,
        dir: "recv",
        kind: "http-response",
        data: { status: res.statusCode, contentType: answer.contentType },
      });
      let buffer = "";
      let stop = false;
      for await (const chunk of res.body) {
        const t = now();
        answer.bytes += (chunk as Buffer).length;
        buffer += (chunk as Buffer).toString("utf8");
        let cut = buffer.search(/\r?\n\r?\n/);
        while (cut >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut).replace(/^\r?\n\r?\n/, "");
          const m = this.parseBlock(block, t, conn, answer);
          if (m && opts.onMessage && (await opts.onMessage(m, answer)) === "stop") {
            stop = true;
            break;
          }
          cut = buffer.search(/\r?\n\r?\n/);
        }
        if (stop) break;
      }
      if (stop) {
        controller.abort();
        log.add({ conn, dir: "send", kind: "close", data: { abandoned: true } });
        return answer;
      }
      if (buffer.trim() !== "") {
        const m = this.parseBlock(buffer, now(), conn, answer);
        if (m)
          report({
            anchor: "HTTP-2",
            message: "last SSE message not terminated by a blank line",
            entry: m.entry,
            conn,
          });
      }
      if (!answer.sawDone) {
        report({ anchor: "HTTP-3", message: "SSE stream ended without data: [DONE]", conn });
      }
      return answer;
    } catch (error) {
      if ((error as Error).name === "AbortError") return answer;
      throw error;
    } finally {
      answer.response = tracker.responses.at(-1);
      if (opts.fresh) await (dispatcher as Agent).close().catch(() => undefined);
    }
  }

  private parseBlock(block: string, t: number, conn: string, answer: SseAnswer): SseMessage | null {
    const report = this.options.report;
    const fields = sseFields(block);
    if (fields === null) return null;
    const { event, id, data: text } = fields;
    const json = text === "[DONE]" ? null : (tryJson(text) as Record<string, unknown> | null);
    const e = this.options.log.add({
      conn,
      dir: "recv",
      kind: "sse",
      data: { event, id, data: json ?? text },
      bytes: Buffer.byteLength(block) + 2,
      t,
    });
    const m: SseMessage = {
      entry: e.i,
      t,
      event,
      data: text,
      json: typeof json === "object" ? json : null,
      id,
    };
    answer.messages.push(m);
    if (id !== null)
      report({
        anchor: "HTTP-4",
        message: `SSE message carries an id: line (${JSON.stringify(id)})`,
        entry: e.i,
        conn,
      });
    if (answer.sawDone) {
      report({ anchor: "HTTP-3", message: "SSE message after data: [DONE]", entry: e.i, conn });
    }
    if (text === "[DONE]") {
      answer.sawDone = true;
      const r = answer.tracker.responses.at(-1);
      if (!r?.terminal)
        report({
          anchor: "HTTP-3",
          message: "data: [DONE] before the terminal event",
          entry: e.i,
          conn,
        });
      return m;
    }
    if (!m.json || typeof m.json.type !== "string") {
      report({
        anchor: "HTTP-2",
        message: "SSE data is not a JSON event object with a string type",
        entry: e.i,
        conn,
      });
      return m;
    }
    const type = m.json.type as string;
    if (event !== type) {
      report({
        anchor: "HTTP-2",
        message: `SSE event: ${JSON.stringify(event)} differs from data.type ${JSON.stringify(type)}`,
        entry: e.i,
        conn,
      });
    }
    const result = validateServerEvent(m.json);
    if (!result.ok) {
      for (const issue of result.issues)
        report({
          anchor: "CONF-2",
          message: `${type} fails its schema: ${issue.message}`,
          entry: e.i,
          conn,
        });
    }
    const extra = HOTLINE_FIELDS.filter((f) => m.json && f in m.json);
    if (
      HOTLINE_ONLY.has(type) ||
      extra.length > 0 ||
      (m.json.response as Record<string, unknown> | undefined)?.status === "cancelled"
    ) {
      report({
        anchor: "HTTP-6",
        message: `Hotline-only ${HOTLINE_ONLY.has(type) ? `event ${type}` : extra.join(", ") || "status cancelled"} over the HTTP binding`,
        entry: e.i,
        conn,
      });
    }
    if (type.startsWith("response.") || type === "error") answer.tracker.feed(m.json, e.i, t);
    return m;
  }

  /** Closes the keep-alive agent. */
  async close(): Promise<void> {
    await this.agent.close().catch(() => undefined);
  }
}

/** True when the SSE stream reached its terminal event. */
export function sseTerminal(answer: SseAnswer): string | null {
  const r = answer.response;
  return (
    r?.terminal?.type ??
    (answer.messages.some((m) => m.json && TERMINAL_TYPES.has(String(m.json.type))) ? "?" : null)
  );
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
