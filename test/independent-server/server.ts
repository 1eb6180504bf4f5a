/**
 * A minimal Open Responses 2026-04-24 server written from that text alone (its "HTTP Requests",
 * "HTTP Responses", "WebSocket Transport", "Items are streamable", "Errors" and
 * "previous_response_id" sections and its OpenAPI ResponseResource), sharing no code with
 * reference-server/. It exists so the conformance runner's verdicts are checked against an
 * implementation it was not built beside. `fault` breaks exactly one rule.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";

/** One deliberate defect, for the single-fault variants. */
export type IndependentFault =
  /** Queued WebSocket creates are served last-in-first-out (breaks "process sequentially"). */
  | "lifo"
  /** A continuation ignores the previous response's input and output (breaks previous_response_id). */
  | "drop-context"
  /** A create past the context window is refused with an error and still started. */
  | "context-error-starts"
  /** POST /cancel on a completed response rewrites the stored response as cancelled. */
  | "cancel-rewrites"
  /** SSE streams end without `data: [DONE]`. */
  | "no-done";

export interface IndependentOptions {
  /** Serve the WebSocket transport (a MAY in Open Responses); false: HTTP only. */
  websocket?: boolean;
  fault?: IndependentFault;
  /**
   * Optional create parameters this server does not support and refuses with a 400 naming
   * them (not a fault: Open Responses makes them optional), e.g. `metadata`, `temperature`.
   */
  unsupported?: readonly string[];
}

export interface IndependentServer {
  url: string;
  wsUrl: string;
  close(): Promise<void>;
}

const CONTEXT_WINDOW = 32_000;

type Json = Record<string, unknown>;
type Emit = (event: Json) => void;

interface Stored {
  resource: Json;
  /** Input items and output items, the context a continuation loads. */
  context: unknown[];
  tokens: number;
}

/** Words stand in for tokens: the server only has to be consistent. */
function countTokens(value: unknown): number {
  const text = JSON.stringify(value ?? "");
  return Math.max(1, text.split(/[\s"{}[\],:]+/).filter(Boolean).length);
}

function apiError(
  status: number,
  type: string,
  code: string,
  message: string,
  param: string | null = null,
) {
  return { status, body: { type, code, message, param } };
}

type Failure = ReturnType<typeof apiError>;

/** The response engine both transports share. */
class Engine {
  readonly store = new Map<string, Stored>();
  constructor(
    readonly fault: IndependentFault | undefined,
    readonly unsupported: readonly string[] = [],
  ) {}

  /** Validates a create body and resolves its context; a Failure when it must be refused. */
  prepare(
    body: Json,
    cache: Map<string, Stored> | null,
  ): Failure | { context: unknown[]; prevTokens: number } {
    if (typeof body.model !== "string" && body.model !== undefined)
      return apiError(400, "invalid_request", "invalid_value", "model must be a string", "model");
    const refused = this.unsupported.find((name) => body[name] !== undefined);
    if (refused !== undefined)
      return apiError(
        400,
        "invalid_request",
        "unsupported_parameter",
        `${refused} is not supported`,
        refused,
      );
    const input = body.input;
    if (typeof input !== "string" && !Array.isArray(input))
      return apiError(
        400,
        "invalid_request",
        "invalid_value",
        "input must be a string or an array",
        "input",
      );
    let context: unknown[] = [];
    let prevTokens = 0;
    const prev = body.previous_response_id;
    if (typeof prev === "string") {
      const found = cache?.get(prev) ?? (body.store !== false ? this.store.get(prev) : undefined);
      if (!found) {
        return apiError(
          400,
          "invalid_request",
          "previous_response_not_found",
          `Previous response with id '${prev}' not found.`,
          "previous_response_id",
        );
      }
      if (this.fault !== "drop-context") {
        context = [...found.context];
        prevTokens = found.tokens;
      }
    }
    context.push(
      ...(typeof input === "string" ? [{ type: "message", role: "user", content: input }] : input),
    );
    const max = typeof body.max_output_tokens === "number" ? body.max_output_tokens : 0;
    if (countTokens(context) + max > CONTEXT_WINDOW) {
      return apiError(
        400,
        "invalid_request",
        "context_length_exceeded",
        "The context exceeds the model's window.",
        "input",
      );
    }
    return { context, prevTokens };
  }

  /** Runs one response, emitting its streaming events in order; resolves to its final resource. */
  async run(
    body: Json,
    context: unknown[],
    emit: Emit,
    cancelled: () => boolean = () => false,
  ): Promise<Json> {
    let seq = 0;
    const send = (event: Json) => emit({ ...event, sequence_number: seq++ });
    const id = `resp_${randomUUID().replaceAll("-", "")}`;
    const resource: Json = {
      id,
      object: "response",
      created_at: Math.floor(Date.now() / 1000),
      completed_at: null,
      status: "in_progress",
      incomplete_details: null,
      model: typeof body.model === "string" ? body.model : "independent-1",
      previous_response_id: body.previous_response_id ?? null,
      instructions: body.instructions ?? null,
      output: [],
      error: null,
      tools: [],
      tool_choice: "auto",
      truncation: "disabled",
      parallel_tool_calls: true,
      text: { format: { type: "text" } },
      top_p: 1,
      presence_penalty: 0,
      frequency_penalty: 0,
      top_logprobs: 0,
      temperature: 1,
      reasoning: null,
      usage: null,
      max_output_tokens: body.max_output_tokens ?? null,
      max_tool_calls: null,
      store: body.store !== false,
      background: false,
      service_tier: "default",
      metadata: body.metadata ?? {},
      safety_identifier: null,
      prompt_cache_key: null,
    };
    send({ type: "response.created", response: { ...resource } });
    send({ type: "response.in_progress", response: { ...resource } });
    const budget = typeof body.max_output_tokens === "number" ? body.max_output_tokens : 48;
    const words = Array.from({ length: Math.min(budget, 48) }, (_, i) => `word${i}`);
    const itemId = `msg_${randomUUID().replaceAll("-", "")}`;
    const item = {
      type: "message",
      id: itemId,
      status: "in_progress",
      role: "assistant",
      content: [],
    };
    send({ type: "response.output_item.added", output_index: 0, item });
    send({
      type: "response.content_part.added",
      item_id: itemId,
      output_index: 0,
      content_index: 0,
      part: { type: "output_text", text: "", annotations: [], logprobs: [] },
    });
    let text = "";
    for (const [i, w] of words.entries()) {
      if (cancelled()) break;
      const delta = i === 0 ? w : ` ${w}`;
      text += delta;
      send({
        type: "response.output_text.delta",
        item_id: itemId,
        output_index: 0,
        content_index: 0,
        delta,
        logprobs: [],
      });
      await new Promise((r) => setImmediate(r));
    }
    const part = { type: "output_text", text, annotations: [], logprobs: [] };
    send({
      type: "response.output_text.done",
      item_id: itemId,
      output_index: 0,
      content_index: 0,
      text,
      logprobs: [],
    });
    send({
      type: "response.content_part.done",
      item_id: itemId,
      output_index: 0,
      content_index: 0,
      part,
    });
    const done = { ...item, status: "completed", content: [part] };
    send({ type: "response.output_item.done", output_index: 0, item: done });
    const inputTokens = countTokens(context);
    const outputTokens = text.split(" ").filter(Boolean).length;
    Object.assign(resource, {
      status: "completed",
      completed_at: Math.floor(Date.now() / 1000),
      output: [done],
      usage: {
        input_tokens: inputTokens,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: outputTokens,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: inputTokens + outputTokens,
      },
    });
    send({ type: "response.completed", response: resource });
    return resource;
  }

  remember(resource: Json, context: unknown[], cache: Map<string, Stored> | null): Stored {
    const usage = resource.usage as { input_tokens: number; output_tokens: number };
    const stored: Stored = {
      resource,
      context: [...context, ...(resource.output as unknown[])],
      tokens: usage.input_tokens + usage.output_tokens,
    };
    if (resource.store === true) this.store.set(String(resource.id), stored);
    if (cache) {
      cache.clear();
      cache.set(String(resource.id), stored);
    }
    return stored;
  }
}

async function readJson(req: IncomingMessage): Promise<Json | null> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  try {
    const v = JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Json) : null;
  } catch {
    return null;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

/** Starts the server on 127.0.0.1 and a free port. */
export async function startIndependentServer(
  options: IndependentOptions = {},
): Promise<IndependentServer> {
  const engine = new Engine(options.fault, options.unsupported);
  const http = createServer((req, res) => {
    void handleHttp(engine, req, res).catch(() => {
      if (!res.headersSent)
        sendJson(res, 500, {
          error: {
            type: "server_error",
            code: "server_error",
            message: "internal error",
            param: null,
          },
        });
      else res.end();
    });
  });
  if (options.websocket !== false) {
    const wss = new WebSocketServer({
      server: http,
      path: "/v1/responses",
      handleProtocols: () => false,
    });
    wss.on("connection", (ws) => serveSocket(engine, ws));
  }
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/v1/responses`,
    close: () =>
      new Promise((r) => {
        http.closeAllConnections();
        http.close(() => r());
      }),
  };
}

async function handleHttp(
  engine: Engine,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? "/", "http://x");
  const cancel = /^\/v1\/responses\/([^/]+)\/cancel$/.exec(url.pathname);
  const get = /^\/v1\/responses\/([^/]+)$/.exec(url.pathname);
  if (req.method === "POST" && url.pathname === "/v1/responses") {
    const body = await readJson(req);
    if (!body)
      return sendJson(res, 400, {
        error: {
          type: "invalid_request",
          code: "invalid_json",
          message: "body is not a JSON object",
          param: null,
        },
      });
    const prepared = engine.prepare(body, null);
    if ("status" in prepared) return sendJson(res, prepared.status, { error: prepared.body });
    if (body.stream === true) {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      let gone = false;
      res.on("close", () => (gone = true));
      const resource = await engine.run(
        body,
        prepared.context,
        (e) => {
          if (!gone) res.write(`event: ${String(e.type)}\ndata: ${JSON.stringify(e)}\n\n`);
        },
        () => gone,
      );
      engine.remember(resource, prepared.context, null);
      if (engine.fault !== "no-done") res.write("data: [DONE]\n\n");
      res.end();
      return;
    }
    const resource = await engine.run(body, prepared.context, () => undefined);
    engine.remember(resource, prepared.context, null);
    return sendJson(res, 200, resource);
  }
  if (req.method === "GET" && get) {
    const stored = engine.store.get(decodeURIComponent(get[1]!));
    if (!stored)
      return sendJson(res, 404, {
        error: {
          type: "not_found",
          code: "response_not_found",
          message: "no such response",
          param: null,
        },
      });
    return sendJson(res, 200, stored.resource);
  }
  if (req.method === "POST" && cancel) {
    const stored = engine.store.get(decodeURIComponent(cancel[1]!));
    if (!stored)
      return sendJson(res, 404, {
        error: {
          type: "not_found",
          code: "response_not_found",
          message: "no such response",
          param: null,
        },
      });
    const answer = JSON.parse(JSON.stringify(stored.resource)) as Json;
    if (engine.fault === "cancel-rewrites") {
      stored.resource = {
        ...stored.resource,
        status: "incomplete",
        incomplete_details: { reason: "cancelled" },
      };
    }
    return sendJson(res, 200, answer);
  }
  sendJson(res, 404, {
    error: {
      type: "not_found",
      code: "not_found",
      message: `no route ${req.method} ${url.pathname}`,
      param: null,
    },
  });
}

/** One WebSocket connection: creates processed one at a time, a connection-local cache. */
function serveSocket(engine: Engine, ws: WebSocket): void {
  const queue: Json[] = [];
  const cache = new Map<string, Stored>();
  let busy = false;
  const emit: Emit = (e) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(e));
  };
  const fail = (f: Failure) => emit({ type: "error", status: f.status, error: f.body });
  const next = async (): Promise<void> => {
    if (busy || queue.length === 0) return;
    busy = true;
    const body = engine.fault === "lifo" ? queue.pop()! : queue.shift()!;
    const prepared = engine.prepare(body, cache);
    if ("status" in prepared) {
      fail(prepared);
      // A failed continuation evicts what it referenced ("WebSocket Continuation").
      if (typeof body.previous_response_id === "string") cache.delete(body.previous_response_id);
      if (
        engine.fault === "context-error-starts" &&
        prepared.body.code === "context_length_exceeded"
      ) {
        const resource = await engine.run(body, [], emit, () => ws.readyState !== ws.OPEN);
        engine.remember(resource, [], cache);
      }
    } else {
      const resource = await engine.run(
        body,
        prepared.context,
        emit,
        () => ws.readyState !== ws.OPEN,
      );
      engine.remember(resource, prepared.context, cache);
    }
    busy = false;
    void next();
  };
  ws.on("message", (data, isBinary) => {
    let event: Json | null = null;
    try {
      const v = JSON.parse(String(data)) as unknown;
      if (!isBinary && v !== null && typeof v === "object" && !Array.isArray(v)) event = v as Json;
    } catch {
      event = null;
    }
    if (!event)
      return fail(apiError(400, "invalid_request", "invalid_request", "expected a JSON object"));
    if (event.type !== "response.create") {
      return fail(
        apiError(
          400,
          "invalid_request",
          "invalid_request",
          `unsupported type ${JSON.stringify(event.type)}`,
          "type",
        ),
      );
    }
    const { type: _type, ...body } = event;
    queue.push(body);
    // Creates that arrive together are queued together: LIFO needs a queue to show.
    setImmediate(() => void next());
  });
}
