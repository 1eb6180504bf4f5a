/**
 * The five transports the bench compares, as drivers of one scripted conversation: HTTPS with
 * a new connection per request (full history, SSE), HTTPS keep-alive (`previous_response_id`,
 * SSE), core WebSocket (`previous_response_id`, new items only), and `hotline.v1` with session
 * prewarm, without and with permessage-deflate. Every driver sends the workload's items
 * byte for byte; only the envelope differs, as the transport requires.
 */
import https from "node:https";
import type { Socket } from "node:net";
import { StringDecoder } from "node:string_decoder";
import WebSocket from "ws";
import type { InputItem, Profile } from "../src/protocol/index.js";
import {
  parseSse,
  type ResponseTiming,
  type ServerEvent,
  StreamTracker,
} from "./stream-tracker.js";
import type { Workload } from "./workload.js";

/** Transport names, in report order. */
export const TRANSPORT_NAMES = [
  "https-per-request",
  "https-keepalive",
  "wss",
  "wss-hotline",
  "wss-hotline-deflate",
] as const;

/** A transport name. */
export type TransportName = (typeof TRANSPORT_NAMES)[number];

/** What a series is (METRIC-4 labels). */
export interface TransportLabels {
  transport: TransportName;
  binding: "https-sse" | "wss";
  profile: "http" | Profile;
  connection: "per-request" | "persistent";
  state: "full-history" | "previous_response_id" | "session";
  tls: "TLSv1.3";
  compression: "none" | "permessage-deflate";
  tier: "wafer";
}

/** The labels of every transport. */
export const TRANSPORTS: Record<TransportName, TransportLabels> = {
  "https-per-request": labels(
    "https-per-request",
    "https-sse",
    "http",
    "per-request",
    "full-history",
  ),
  "https-keepalive": labels(
    "https-keepalive",
    "https-sse",
    "http",
    "persistent",
    "previous_response_id",
  ),
  wss: labels("wss", "wss", "core", "persistent", "previous_response_id"),
  "wss-hotline": labels("wss-hotline", "wss", "hotline.v1", "persistent", "session"),
  "wss-hotline-deflate": {
    ...labels("wss-hotline-deflate", "wss", "hotline.v1", "persistent", "session"),
    compression: "permessage-deflate",
  },
};

function labels(
  transport: TransportName,
  binding: TransportLabels["binding"],
  profile: TransportLabels["profile"],
  connection: TransportLabels["connection"],
  state: TransportLabels["state"],
): TransportLabels {
  return {
    transport,
    binding,
    profile,
    connection,
    state,
    tls: "TLSv1.3",
    compression: "none",
    tier: "wafer",
  };
}

/** The transport cannot run against this server (not a failure of the server). */
export class TransportUnavailable extends Error {}

/** What the setup of a conversation cost. */
export interface SetupResult {
  /** connect_ms of the connection opened at session start (persistent transports). */
  connectMs: number | null;
  /** hotline.v1 prewarm: `session.updated.prewarm.cached_tokens`. */
  prewarmCachedTokens: number | null;
}

/** One turn as the client saw it. */
export interface TurnResult {
  timing: ResponseTiming;
  /** "Request sent" (METRIC definitions): connect start on a new connection, else last byte written. */
  sentAt: number;
  newConnection: boolean;
  connectMs: number | null;
}

/** Drives one conversation over one transport. */
export interface Driver {
  setup(): Promise<SetupResult>;
  turn(index: number): Promise<TurnResult>;
  close(): Promise<void>;
}

/** Where and how to connect. */
export interface DriverTarget {
  /** Base URL through the delay proxy, e.g. `https://127.0.0.1:port`. */
  httpsUrl: string;
  /** WebSocket URL through the delay proxy. */
  wssUrl: string;
  /** PEM certificate to trust (the run's self-signed one). */
  ca: string;
  /** Per-turn timeout in ms. */
  turnTimeoutMs: number;
}

const TLS_OPTIONS = { minVersion: "TLSv1.3" as const, servername: "localhost" };

/** The request fields every transport sends (except what a hotline.v1 session holds). */
function commonFields(workload: Workload, withDefaults: boolean): Record<string, unknown> {
  return {
    ...(withDefaults ? { instructions: workload.instructions, tools: workload.tools } : {}),
    tool_choice: "none",
    max_output_tokens: workload.maxOutputTokens,
    metadata: workload.metadata,
    service_tier: "wafer",
  };
}

/** Output items as a stateless client sends them back next turn (ids and statuses dropped). */
export function historyItems(output: readonly unknown[]): InputItem[] {
  const items: InputItem[] = [];
  for (const raw of output) {
    const item = raw as {
      type?: string;
      content?: { type: string; text?: string }[];
      call_id?: string;
      name?: string;
      arguments?: string;
    };
    if (item.type === "message") {
      const text = (item.content ?? [])
        .filter((part) => part.type === "output_text")
        .map((part) => part.text ?? "")
        .join("");
      items.push({
        type: "message",
        role: "assistant",
        content: [{ type: "output_text", text, annotations: [] }],
      } as InputItem);
    } else if (item.type === "function_call") {
      items.push({
        type: "function_call",
        call_id: item.call_id!,
        name: item.name!,
        arguments: item.arguments!,
      } as InputItem);
    }
  }
  return items;
}

function timeout(tracker: StreamTracker, ms: number, onTimeout?: () => void): () => void {
  const timer = setTimeout(() => {
    tracker.fail(`no terminal event within ${ms} ms`);
    onTimeout?.();
  }, ms);
  return () => clearTimeout(timer);
}

interface SseOutcome {
  sentAt: number;
  newConnection: boolean;
  connectMs: number | null;
  timing: ResponseTiming;
}

/** One SSE request; resolves after the stream ended (and, on a closing connection, the socket closed). */
function sseRequest(
  target: DriverTarget,
  agent: https.Agent,
  keepAlive: boolean,
  body: string,
): Promise<SseOutcome> {
  return new Promise((resolve) => {
    const tracker = new StreamTracker();
    const startedAt = performance.now();
    let writtenAt = Number.NaN;
    let newConnection = true;
    let socket: Socket | undefined;
    const req = https.request(`${target.httpsUrl}/v1/responses`, {
      method: "POST",
      agent,
      headers: {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(body),
        accept: "text/event-stream",
      },
    });
    const clear = timeout(tracker, target.turnTimeoutMs, () => req.destroy());
    req.on("socket", (s) => {
      socket = s;
      newConnection = !req.reusedSocket;
    });
    req.on("finish", () => (writtenAt = performance.now()));
    req.on("error", (error) => tracker.fail(`request error: ${error.message}`));
    req.on("response", (res) => {
      if (res.statusCode !== 200) {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => tracker.fail(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`));
        return;
      }
      const decoder = new StringDecoder("utf8");
      let buffer = "";
      res.on("data", (chunk: Buffer) => {
        const at = performance.now();
        buffer += decoder.write(chunk);
        try {
          buffer = parseSse(buffer, (event: ServerEvent) => tracker.onEvent(event, at)).rest;
        } catch (error) {
          tracker.fail(`bad SSE: ${(error as Error).message}`);
        }
      });
      res.on("end", () => {
        if (!tracker.settled) tracker.fail("stream ended before a terminal event");
      });
      res.on("error", (error) => tracker.fail(`response error: ${error.message}`));
    });
    req.end(body);
    void tracker.done.then(async (timing) => {
      clear();
      // A per-request connection is over only once it closed: its teardown is part of the turn.
      if (socket && !keepAlive && !socket.destroyed) {
        await new Promise<void>((done) => {
          const t = setTimeout(done, 2000);
          socket!.once("close", () => {
            clearTimeout(t);
            done();
          });
        });
      }
      resolve({
        sentAt: newConnection ? startedAt : writtenAt,
        newConnection,
        connectMs: newConnection ? writtenAt - startedAt : null,
        timing,
      });
    });
  });
}

/** `https-per-request` and `https-keepalive`. */
class HttpsDriver implements Driver {
  readonly #workload: Workload;
  readonly #target: DriverTarget;
  readonly #keepAlive: boolean;
  readonly #agent: https.Agent;
  readonly #history: InputItem[] = [];
  #previousId: string | undefined;

  constructor(workload: Workload, target: DriverTarget, keepAlive: boolean) {
    this.#workload = workload;
    this.#target = target;
    this.#keepAlive = keepAlive;
    // keepAlive false: `Connection: close` and a new TCP + TLS connection for every request.
    // The agent still caches TLS sessions, as any default HTTPS client would.
    this.#agent = new https.Agent({ keepAlive, maxSockets: 1, ca: target.ca, ...TLS_OPTIONS });
  }

  async setup(): Promise<SetupResult> {
    if (!this.#keepAlive) return { connectMs: null, prewarmCachedTokens: null };
    // Open the one connection at session start, as the WebSocket transports do.
    const startedAt = performance.now();
    const connectMs = await new Promise<number>((resolve, reject) => {
      let writtenAt = Number.NaN;
      const req = https.request(`${this.#target.httpsUrl}/healthz`, { agent: this.#agent });
      req.on("finish", () => (writtenAt = performance.now()));
      req.on("error", reject);
      req.on("response", (res) => {
        res.resume();
        res.on("end", () => resolve(writtenAt - startedAt));
      });
      req.end();
    });
    return { connectMs, prewarmCachedTokens: null };
  }

  async turn(index: number): Promise<TurnResult> {
    const items = this.#workload.turns[index]!.items;
    const body = this.#keepAlive
      ? {
          ...(this.#previousId ? { previous_response_id: this.#previousId } : {}),
          input: items,
          ...commonFields(this.#workload, true),
          stream: true,
        }
      : {
          input: [...this.#history, ...items],
          ...commonFields(this.#workload, true),
          store: false,
          stream: true,
        };
    const outcome = await sseRequest(
      this.#target,
      this.#agent,
      this.#keepAlive,
      JSON.stringify(body),
    );
    if (!outcome.timing.error) {
      this.#previousId = outcome.timing.responseId;
      this.#history.push(...items, ...historyItems(outcome.timing.output));
    }
    return outcome;
  }

  async close(): Promise<void> {
    this.#agent.destroy();
  }
}

/** `wss`, `wss-hotline` and `wss-hotline-deflate`. */
class WebSocketDriver implements Driver {
  readonly #workload: Workload;
  readonly #target: DriverTarget;
  readonly #hotline: boolean;
  readonly #deflate: boolean;
  #ws: WebSocket | undefined;
  #tracker: StreamTracker | undefined;
  #previousId: string | undefined;
  #sessionWaiters: { type: string; resolve: (event: ServerEvent) => void }[] = [];

  constructor(workload: Workload, target: DriverTarget, hotline: boolean, deflate: boolean) {
    this.#workload = workload;
    this.#target = target;
    this.#hotline = hotline;
    this.#deflate = deflate;
  }

  async setup(): Promise<SetupResult> {
    const startedAt = performance.now();
    const ws = new WebSocket(this.#target.wssUrl, this.#hotline ? ["hotline.v1"] : [], {
      ca: this.#target.ca,
      ...TLS_OPTIONS,
      perMessageDeflate: this.#deflate,
    });
    this.#ws = ws;
    ws.on("message", (data: Buffer) => {
      const at = performance.now();
      let event: ServerEvent;
      try {
        event = JSON.parse(data.toString()) as ServerEvent;
      } catch {
        this.#tracker?.fail("a frame that is not JSON");
        return;
      }
      const waiter = this.#sessionWaiters.find((w) => w.type === event.type);
      if (waiter) {
        this.#sessionWaiters = this.#sessionWaiters.filter((w) => w !== waiter);
        waiter.resolve(event);
      }
      if (event.type === "error" && waiter === undefined && !this.#tracker) return;
      this.#tracker?.onEvent(event, at);
    });
    ws.on("close", (code) => this.#tracker?.fail(`connection closed (${code})`));
    // A 'created' waiter before the open: hotline.v1 sends session.created right after the 101.
    const created = this.#hotline ? this.#waitFor("session.created", 3000) : undefined;
    created?.catch(() => {});
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    const connectMs = performance.now() - startedAt;
    if (!this.#hotline) return { connectMs, prewarmCachedTokens: null };
    if (ws.protocol !== "hotline.v1") {
      throw new TransportUnavailable(
        "the server did not select the hotline.v1 subprotocol (session layer, issue 4, not available)",
      );
    }
    try {
      await created;
    } catch {
      throw new TransportUnavailable(
        "the server selected hotline.v1 but sent no session.created within 3 s (session layer incomplete)",
      );
    }
    if (this.#deflate && !ws.extensions.includes("permessage-deflate")) {
      throw new TransportUnavailable("the server did not negotiate permessage-deflate");
    }
    const updated = this.#waitFor("session.updated", 30_000);
    const failed = this.#waitFor("error", 30_000);
    ws.send(
      JSON.stringify({
        type: "session.update",
        session: { instructions: this.#workload.instructions, tools: this.#workload.tools },
        prewarm: true,
      }),
    );
    const reply = (await Promise.race([updated, failed])) as ServerEvent & {
      prewarm?: { cached_tokens?: number };
    };
    if (reply.type === "error") {
      throw new TransportUnavailable(
        `session.update with prewarm refused: ${reply.error?.code}: ${reply.error?.message}`,
      );
    }
    return { connectMs, prewarmCachedTokens: reply.prewarm?.cached_tokens ?? null };
  }

  #waitFor(type: string, ms: number): Promise<ServerEvent> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#sessionWaiters = this.#sessionWaiters.filter((w) => w !== waiter);
        reject(new Error(`no ${type}`));
      }, ms);
      const waiter = {
        type,
        resolve: (event: ServerEvent) => {
          clearTimeout(timer);
          resolve(event);
        },
      };
      this.#sessionWaiters.push(waiter);
    });
  }

  async turn(index: number): Promise<TurnResult> {
    const ws = this.#ws!;
    const items = this.#workload.turns[index]!.items;
    const body = {
      type: "response.create",
      ...(this.#previousId ? { previous_response_id: this.#previousId } : {}),
      input: items,
      // A hotline.v1 session holds the instructions and tools (session.update); core sends them.
      ...commonFields(this.#workload, !this.#hotline),
      store: false,
    };
    const tracker = new StreamTracker();
    this.#tracker = tracker;
    const clear = timeout(tracker, this.#target.turnTimeoutMs);
    let sentAt = Number.NaN;
    // The callback runs once the frame was handed to the socket (after compression, if any).
    ws.send(JSON.stringify(body), (error) => {
      sentAt = performance.now();
      if (error) tracker.fail(`send failed: ${error.message}`);
    });
    const timing = await tracker.done;
    clear();
    this.#tracker = undefined;
    if (!timing.error) this.#previousId = timing.responseId;
    // The send callback cannot be later than the first reply; guard against a late callback.
    if (!(sentAt <= timing.createdAt)) sentAt = Math.min(sentAt, timing.createdAt);
    return { timing, sentAt, newConnection: false, connectMs: null };
  }

  async close(): Promise<void> {
    const ws = this.#ws;
    if (!ws || ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        ws.terminate();
        resolve();
      }, 2000);
      ws.once("close", () => {
        clearTimeout(t);
        resolve();
      });
      ws.close(1000);
    });
  }
}

/** A driver for one conversation over `name`. */
export function createDriver(
  name: TransportName,
  workload: Workload,
  target: DriverTarget,
): Driver {
  switch (name) {
    case "https-per-request":
      return new HttpsDriver(workload, target, false);
    case "https-keepalive":
      return new HttpsDriver(workload, target, true);
    case "wss":
      return new WebSocketDriver(workload, target, false, false);
    case "wss-hotline":
      return new WebSocketDriver(workload, target, true, false);
    case "wss-hotline-deflate":
      return new WebSocketDriver(workload, target, true, true);
  }
}
