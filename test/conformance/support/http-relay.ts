/**
 * The HTTP side of the rule-breaking proxy: relays one request to the server through the hook
 * sets' request, JSON-answer and SSE-message hooks. SSE streams are parsed message by message
 * and forwarded as each arrives (the runner measures their timing and cancels mid-stream).
 */
import { type Agent, type IncomingMessage, request, type ServerResponse } from "node:http";
import { sseFields } from "../../../src/protocol/sse.js";
import type {
  Answer,
  HttpRequest,
  ProxyEnv,
  ProxyHooks,
  SseMessage,
  WireEvent,
} from "./proxy-hooks.js";

/** What one relayed request needs. */
export interface HttpRelayContext {
  upstream: URL;
  layers: readonly ProxyHooks[];
  env: ProxyEnv;
  agent: Agent;
  /** The request is the first on its TCP connection. */
  newConnection: boolean;
}

/** Hop-by-hop and framing headers, never copied from one side to the other. */
const HOP = new Set([
  "host",
  "connection",
  "keep-alive",
  "transfer-encoding",
  "content-length",
  "upgrade",
]);

function copyHeaders(from: IncomingMessage["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(from)) {
    if (!HOP.has(k) && v !== undefined) out[k] = Array.isArray(v) ? v.join(", ") : v;
  }
  return out;
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function write(res: ServerResponse, answer: Answer): void {
  const body = typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    ...answer.headers,
    "content-length": String(Buffer.byteLength(body)),
  });
  res.end(body);
}

/** Parses one SSE message block; null for a block of comments only. */
export function parseSse(block: string): SseMessage | null {
  const fields = sseFields(block);
  if (fields === null) return null;
  const json = tryJson(fields.data);
  const isEvent =
    typeof json === "object" && json !== null && typeof (json as WireEvent).type === "string";
  return { event: fields.event, data: fields.data, json: isEvent ? (json as WireEvent) : null };
}

/** Formats one SSE message (its JSON, re-serialized, when it has one). */
export function formatSse(m: SseMessage): string {
  const data = m.json ? JSON.stringify(m.json) : m.data;
  const lines = data.split("\n").map((l) => `data: ${l}\n`);
  return `${m.event !== null ? `event: ${m.event}\n` : ""}${lines.join("")}\n`;
}

/** Relays one request; upstream failures answer 502 (or cut a stream already started). */
export async function relayHttp(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: HttpRelayContext,
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks);
  const json = raw.length > 0 ? tryJson(raw.toString("utf8")) : undefined;
  const sent: HttpRequest = {
    method: req.method ?? "GET",
    path: req.url ?? "/",
    headers: copyHeaders(req.headers),
    json: typeof json === "object" && json !== null ? (json as Record<string, unknown>) : null,
    newConnection: ctx.newConnection,
  };
  for (const l of ctx.layers) {
    const answer = await l.http?.request?.(sent, ctx.env);
    if (answer) return write(res, answer);
  }
  const body = sent.json !== null ? Buffer.from(JSON.stringify(sent.json)) : raw;
  const keep = ctx.layers.some((l) => l.http?.keepUpstreamOnAbort);
  const upstream = request(new URL(sent.path, ctx.upstream), {
    method: sent.method,
    headers: { ...sent.headers, "content-length": String(body.length) },
    agent: ctx.agent,
  });
  upstream.on("error", () => {
    if (!res.headersSent) write(res, { status: 502, headers: {}, body: { error: "bad gateway" } });
    else res.destroy();
  });
  res.on("error", () => undefined);
  upstream.on("response", (up) => {
    up.on("error", () => res.destroy());
    const type = String(up.headers["content-type"] ?? "");
    if (type.startsWith("text/event-stream")) return relaySse(up, res, sent, ctx, keep, upstream);
    const got: Buffer[] = [];
    up.on("data", (c: Buffer) => got.push(c));
    up.on("end", () => {
      const text = Buffer.concat(got).toString("utf8");
      const parsed = type.includes("json") ? tryJson(text) : undefined;
      let answer: Answer = {
        status: up.statusCode ?? 502,
        headers: copyHeaders(up.headers),
        body: parsed === undefined ? text : parsed,
      };
      for (const l of ctx.layers) answer = l.http?.response?.(answer, sent, ctx.env) ?? answer;
      write(res, answer);
    });
  });
  res.on("close", () => {
    if (!res.writableFinished && !keep) upstream.destroy();
  });
  upstream.end(body);
}

function relaySse(
  up: IncomingMessage,
  res: ServerResponse,
  sent: HttpRequest,
  ctx: HttpRelayContext,
  keep: boolean,
  upstream: ReturnType<typeof request>,
): void {
  res.writeHead(up.statusCode ?? 200, copyHeaders(up.headers));
  res.flushHeaders();
  const stream = new Map<string, unknown>();
  let buffer = "";
  let gone = false;
  res.on("close", () => {
    gone = !res.writableFinished;
    if (gone && !keep) upstream.destroy();
  });
  const emit = (text: string): void => {
    if (!gone) res.write(text);
  };
  up.setEncoding("utf8");
  up.on("data", (chunk: string) => {
    buffer += chunk;
    let cut = buffer.search(/\r?\n\r?\n/);
    while (cut >= 0) {
      const block = buffer.slice(0, cut);
      const sep = /^\r?\n\r?\n/.exec(buffer.slice(cut))![0];
      buffer = buffer.slice(cut + sep.length);
      emit(rewriteBlock(block, sep, sent, ctx, stream));
      cut = buffer.search(/\r?\n\r?\n/);
    }
  });
  up.on("end", () => {
    if (!gone) res.end(buffer);
  });
}

function rewriteBlock(
  block: string,
  sep: string,
  sent: HttpRequest,
  ctx: HttpRelayContext,
  stream: Map<string, unknown>,
): string {
  const message = parseSse(block);
  if (!message) return block + sep;
  let items: SseMessage[] = [message];
  let untouched = true;
  for (const l of ctx.layers) {
    const hook = l.http?.sseMessage;
    if (!hook) continue;
    const next: SseMessage[] = [];
    for (const m of items) {
      const r = hook(m, sent, stream);
      if (r !== undefined) untouched = false;
      if (r === undefined) next.push(m);
      else if (r !== null) next.push(...(Array.isArray(r) ? r : [r]));
    }
    items = next;
  }
  return untouched ? block + sep : items.map(formatSse).join("");
}
