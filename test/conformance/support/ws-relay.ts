/**
 * One relayed WebSocket connection of the rule-breaking proxy: opens the server side with the
 * client's subprotocols and headers, completes the client's upgrade only once the server
 * accepted (relaying a refusal unchanged otherwise), then passes every frame and close through
 * the hook sets, in order, with an ordered client-bound queue that hooks may pause.
 */
import { type IncomingMessage, STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import WebSocket from "ws";
import type { Profile } from "../../../src/protocol/index.js";
import type {
  Answer,
  ClientMessage,
  Close,
  Outgoing,
  ProxyEnv,
  ProxyHooks,
  Relay,
  Upgrade,
  WireEvent,
  WsConnection,
} from "./proxy-hooks.js";
import { TERMINAL_TYPES } from "./stream-edits.js";

/** The largest frame relayed: above every limit a case sends past (TRANSPORT-11). */
export const MAX_PAYLOAD = 64 << 20;
/** Upgrade headers the WebSocket clients set themselves, never copied. */
const HANDSHAKE_HEADERS = new Set([
  "host",
  "connection",
  "upgrade",
  "sec-websocket-key",
  "sec-websocket-version",
  "sec-websocket-extensions",
  "sec-websocket-protocol",
  "content-length",
  "transfer-encoding",
]);

/** Writes an HTTP answer on a socket that asked to upgrade, then ends it. */
function refuse(socket: Socket, answer: Answer): void {
  if (socket.writableEnded) return;
  const body = typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    ...answer.headers,
    "content-length": String(Buffer.byteLength(body)),
    connection: "close",
  };
  const head = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join("");
  socket.end(
    `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? ""}\r\n${head}\r\n${body}`,
  );
}

function parseEvent(text: string): WireEvent | null {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === "object" &&
      v !== null &&
      !Array.isArray(v) &&
      typeof (v as { type?: unknown }).type === "string"
      ? (v as WireEvent)
      : null;
  } catch {
    return null;
  }
}

/** Close codes a close frame may carry (RFC 6455 section 7.4; `ws` throws on the others). */
function sendable(code: number): boolean {
  return (
    (code >= 1000 && code <= 1003) ||
    (code >= 1007 && code <= 1014) ||
    (code >= 3000 && code <= 4999)
  );
}

function isEvent(o: Outgoing): o is WireEvent {
  return typeof o === "object" && !Buffer.isBuffer(o);
}

function toList(r: Relay, original: WireEvent): Outgoing[] {
  if (r === undefined) return [original];
  if (r === null) return [];
  return Array.isArray(r) ? r : [r];
}

/** Something queued toward the client. */
type Queued =
  | { kind: "frame"; data: string | Buffer; binary: boolean }
  | { kind: "pause"; ms: number }
  | { kind: "close"; code: number; reason: string };

/** One relayed connection: the client side, the server side, and the queue between them. */
export class WsRelay implements WsConnection {
  profile: Profile = "core";
  readonly inFlight = new Set<string>();
  private readonly order: string[] = [];
  private current: string | null = null;
  private client: WebSocket | null = null;
  private upstream: WebSocket | null = null;
  private readonly queue: Queued[] = [];
  private paused = false;
  private closing = false;
  private keepUpstream = false;
  private readonly states = new Map<object, unknown>();
  private readonly pongs: ((ms: number) => void)[] = [];

  constructor(
    readonly env: ProxyEnv,
    private readonly layers: readonly ProxyHooks[],
    private readonly all: Set<WsRelay>,
  ) {
    all.add(this);
  }

  /** Opens the server side, then completes (or refuses) the client's upgrade. */
  async start(
    req: IncomingMessage,
    socket: Socket,
    head: Buffer,
    upstreamUrl: string,
    accept: (protocol: string, onOpen: (ws: WebSocket) => void) => void,
  ): Promise<void> {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (!HANDSHAKE_HEADERS.has(k) && v !== undefined) headers[k] = String(v);
    }
    const offered = String(req.headers["sec-websocket-protocol"] ?? "")
      .split(",")
      .map((p) => p.trim())
      .filter(Boolean);
    const extensions = String(req.headers["sec-websocket-extensions"] ?? "");
    const up: Upgrade = { headers, protocols: [...offered], extensions };
    for (const l of this.layers) {
      const answer = await l.upgrade?.(up, this.env);
      if (answer) {
        this.all.delete(this);
        return refuse(socket, answer);
      }
    }
    const url = new URL(req.url ?? "/", upstreamUrl);
    const ws = new WebSocket(url, up.protocols, {
      headers: up.headers,
      perMessageDeflate: false,
      maxPayload: MAX_PAYLOAD,
    });
    this.upstream = ws;
    let selected = "";
    let opened = false;
    ws.on("upgrade", (res) => {
      selected = String(res.headers["sec-websocket-protocol"] ?? "").trim();
    });
    ws.on("unexpected-response", (_req, res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const h: Record<string, string> = {};
        const type = res.headers["content-type"];
        if (type) h["content-type"] = String(type);
        refuse(socket, {
          status: res.statusCode ?? 502,
          headers: h,
          body: Buffer.concat(chunks).toString("utf8"),
        });
        this.all.delete(this);
        ws.terminate();
      });
    });
    ws.on("error", () => {
      if (!opened) {
        refuse(socket, { status: 502, headers: {}, body: { error: { code: "bad_gateway" } } });
      }
      this.destroy();
    });
    ws.on("message", (data: Buffer, isBinary) => this.fromServer(data, isBinary));
    ws.on("close", (code, reason) => this.serverClosed(code, reason.toString()));
    ws.on("open", () => {
      opened = true;
      let protocol = selected;
      for (const l of this.layers) protocol = l.selectProtocol?.(offered, protocol) ?? protocol;
      this.profile = protocol === "hotline.v1" ? "hotline.v1" : "core";
      accept(protocol, (client) => this.attach(client));
    });
  }

  private attach(client: WebSocket): void {
    this.client = client;
    client.on("message", (data: Buffer, isBinary) => this.fromClient(data, isBinary));
    client.on("pong", () => this.pongs.shift()?.(performance.now()));
    client.on("close", (code, reason) => this.clientClosed(code, reason.toString()));
    client.on("error", () => undefined);
    for (const l of this.layers) l.open?.(this);
    this.pump();
  }

  // ---- the WsConnection hooks see ----

  state<T>(key: object, init: () => T): T {
    if (!this.states.has(key)) this.states.set(key, init());
    return this.states.get(key) as T;
  }

  toClient(...frames: Outgoing[]): void {
    for (const f of frames) {
      this.queue.push(
        Buffer.isBuffer(f)
          ? { kind: "frame", data: f, binary: true }
          : { kind: "frame", data: typeof f === "string" ? f : JSON.stringify(f), binary: false },
      );
    }
    this.pump();
  }

  toServer(frame: Outgoing): void {
    if (this.upstream?.readyState !== WebSocket.OPEN) return;
    if (Buffer.isBuffer(frame)) this.upstream.send(frame, { binary: true });
    else this.upstream.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  pauseClient(ms: number): void {
    this.queue.push({ kind: "pause", ms });
    this.pump();
  }

  closeClient(code: number, reason = ""): void {
    this.queue.push({ kind: "close", code, reason });
    this.pump();
  }

  pingClient(): Promise<number> {
    const sent = performance.now();
    return new Promise((resolve) => {
      this.pongs.push((at) => resolve(at - sent));
      if (this.client?.readyState === WebSocket.OPEN) this.client.ping();
    });
  }

  responseOf(event: WireEvent): string | null {
    if (typeof event.response_id === "string") return event.response_id;
    if (typeof event.response?.id === "string") return event.response.id;
    return this.profile === "core" ? this.current : null;
  }

  ordinal(id: string): number {
    return this.order.indexOf(id);
  }

  // ---- relaying ----

  private pump(): void {
    const client = this.client;
    if (!client || this.paused) return;
    while (this.queue.length > 0 && !this.paused) {
      const item = this.queue.shift()!;
      if (this.closing || client.readyState !== WebSocket.OPEN) continue;
      if (item.kind === "frame") client.send(item.data, { binary: item.binary });
      else if (item.kind === "pause") {
        this.paused = true;
        setTimeout(() => {
          this.paused = false;
          this.pump();
        }, item.ms);
      } else {
        this.closing = true;
        if (item.code === 1006) client.terminate();
        else if (sendable(item.code)) client.close(item.code, item.reason);
        else client.close();
      }
    }
  }

  /** Notes the responses starting and ending, before any hook sees the event. */
  private observe(event: WireEvent): void {
    if (event.type === "response.created" && typeof event.response?.id === "string") {
      this.inFlight.add(event.response.id);
      this.order.push(event.response.id);
      this.current = event.response.id;
    } else if (TERMINAL_TYPES.has(event.type)) {
      const id = this.responseOf(event);
      if (id !== null) this.inFlight.delete(id);
      if (this.current === id) this.current = null;
      if (this.keepUpstream && this.inFlight.size === 0) this.upstream?.close();
    }
  }

  private fromServer(data: Buffer, isBinary: boolean): void {
    if (isBinary) return this.toClient(data);
    const text = data.toString("utf8");
    const event = parseEvent(text);
    if (!event) return this.toClient(text);
    this.observe(event);
    let items: Outgoing[] = [event];
    let untouched = true;
    for (const l of this.layers) {
      if (!l.fromServer) continue;
      const next: Outgoing[] = [];
      for (const item of items) {
        if (!isEvent(item)) {
          next.push(item);
          continue;
        }
        const r = l.fromServer(item, this);
        if (r !== undefined) untouched = false;
        next.push(...toList(r, item));
      }
      items = next;
    }
    if (untouched) this.toClient(text);
    else this.toClient(...items);
  }

  private fromClient(raw: Buffer, binary: boolean): void {
    let messages: ClientMessage[] = [
      { raw, binary, event: binary ? null : parseEvent(raw.toString("utf8")) },
    ];
    for (const l of this.layers) {
      if (!l.fromClient) continue;
      const next: ClientMessage[] = [];
      for (const m of messages) {
        const r = l.fromClient(m, this);
        if (r === undefined) next.push(m);
        else if (r !== null) {
          for (const o of Array.isArray(r) ? r : [r]) {
            if (Buffer.isBuffer(o)) next.push({ raw: o, binary: true, event: null });
            else if (typeof o === "string")
              next.push({ raw: Buffer.from(o), binary: false, event: parseEvent(o) });
            else next.push({ raw: Buffer.from(JSON.stringify(o)), binary: false, event: o });
          }
        }
      }
      messages = next;
    }
    for (const m of messages) this.toServer(m.binary ? m.raw : m.raw.toString("utf8"));
  }

  private serverClosed(code: number, reason: string): void {
    const close: Close = { code, reason };
    for (const l of this.layers) l.serverClose?.(close, this);
    if (this.client) this.closeClient(close.code, close.reason);
    else this.queue.push({ kind: "close", code: close.code, reason: close.reason });
    this.all.delete(this);
  }

  private clientClosed(code: number, reason: string): void {
    const dropped = code === 1006;
    let keep = false;
    for (const l of this.layers) {
      if (l.clientClose?.({ code, reason, dropped }, this) === "keep-upstream") keep = true;
    }
    const up = this.upstream;
    if (!up || up.readyState === WebSocket.CLOSED) return void this.all.delete(this);
    if (keep) {
      // The server side lives on until its responses end (or the proxy stops).
      this.keepUpstream = true;
      if (this.inFlight.size === 0) up.close();
      return;
    }
    this.all.delete(this);
    if (dropped) up.terminate();
    else if (sendable(code)) up.close(code, reason);
    else up.close();
  }

  /** Drops both sides at once. */
  destroy(): void {
    this.all.delete(this);
    this.client?.terminate();
    this.upstream?.terminate();
  }
}
