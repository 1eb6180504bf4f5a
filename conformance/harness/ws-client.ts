/**
 * The recording WebSocket client: logs and timestamps every frame, validates every received
 * frame against the schemas, applies the profile rules (no Hotline-only event or field on a
 * core connection) and feeds response-scoped events to a `ResponseTracker`.
 */
import {
  HOTLINE_ONLY_SERVER_EVENT_TYPES,
  lookupError,
  type Profile,
  SERVER_EVENT_TYPES,
  validateServerEvent,
} from "../../src/protocol/index.js";
import WebSocket from "ws";
import {
  ResponseTracker,
  TERMINAL_TYPES,
  type TrackedResponse,
  type Violation,
} from "./response-tracker.js";
import { now, type WireLog } from "./wire-log.js";

/** One received frame. */
export interface Frame {
  /** Wire-log index. */
  entry: number;
  t: number;
  type: string;
  data: Record<string, unknown>;
  bytes: number;
}

/** How to open a connection. */
export interface OpenOptions {
  url: string;
  /** Subprotocol entries offered, e.g. `["hotline.v1"]`; none for core. */
  protocols?: string[];
  headers?: Record<string, string>;
  /** Per-turn timeout in ms. */
  timeoutMs: number;
  /** Offer permessage-deflate (off by default so byte counts are raw). */
  perMessageDeflate?: boolean;
}

/** An upgrade the server refused: the HTTP status and body it answered with. */
export class UpgradeRefused extends Error {
  override name = "UpgradeRefused";
  constructor(
    readonly status: number,
    readonly body: string,
    readonly headers: Record<string, string | string[] | undefined>,
  ) {
    super(`upgrade refused with HTTP ${status}`);
  }
}

/** A wait that ran out: the case fails on the rule it was waiting for (CONF-3). */
export class WaitTimeout extends Error {
  override name = "WaitTimeout";
}

const KNOWN = new Set<string>(SERVER_EVENT_TYPES);
const HOTLINE_ONLY = new Set<string>(HOTLINE_ONLY_SERVER_EVENT_TYPES);
/** Top-level fields only `hotline.v1` defines (decisions.md "Wire decisions"). */
const HOTLINE_FIELDS = [
  "response_id",
  "client_request_id",
  "steered_from",
  "queue_position",
  "event_id",
];

/** Events whose `response_id` is their own on every connection, not Hotline's (INT-23). */
const INTERRUPT_EVENTS = new Set([
  "response.interrupt.accepted",
  "response.output_item.interrupted",
]);

/** A recorded, validating WebSocket connection. */
export class RecordingSocket {
  readonly frames: Frame[] = [];
  readonly tracker: ResponseTracker;
  /** Negotiated subprotocol ("" for core). */
  readonly protocol: string;
  readonly profile: Profile;
  closed: { code: number; reason: string; t: number } | null = null;
  /** Bytes of text frames received, for wire_bytes_per_token. */
  bytesReceived = 0;
  private waiters = new Set<() => void>();
  /** Wire-log entries of frames that are not a JSON object with a type: answers, but no events. */
  private readonly garbage: number[] = [];

  private constructor(
    readonly ws: WebSocket,
    readonly conn: string,
    private readonly log: WireLog,
    private readonly report: (v: Violation) => void,
    readonly timeoutMs: number,
    readonly openedAt: number,
    readonly connectMs: number,
    protocol: string,
  ) {
    this.protocol = protocol;
    this.profile = protocol === "hotline.v1" ? "hotline.v1" : "core";
    this.tracker = new ResponseTracker({
      mode: this.profile === "hotline.v1" ? "ws-hotline" : "ws-core",
      report,
      conn,
    });
    ws.on("message", (raw, isBinary) => this.onMessage(raw as Buffer, isBinary));
    ws.on("close", (code, reason) => {
      this.closed = { code, reason: reason.toString(), t: now() };
      this.log.add({ conn, dir: "recv", kind: "close", data: { code, reason: reason.toString() } });
      this.wake();
    });
    ws.on("error", (error) => {
      this.log.add({ conn, dir: "event", kind: "error", data: String(error.message) });
    });
  }

  /** Opens a connection; rejects with `UpgradeRefused` when the server answers without 101. */
  static open(
    options: OpenOptions,
    log: WireLog,
    report: (v: Violation) => void,
  ): Promise<RecordingSocket> {
    const conn = log.label("ws");
    const start = now();
    log.add({
      conn,
      dir: "send",
      kind: "open",
      data: {
        url: options.url,
        protocols: (options.protocols ?? []).map((p) =>
          p.replace(/^hotline\.bearer\..*/, "hotline.bearer.(redacted)"),
        ),
        headers: redact(options.headers),
      },
    });
    const ws = new WebSocket(options.url, options.protocols ?? [], {
      headers: options.headers,
      perMessageDeflate: options.perMessageDeflate ?? false,
      handshakeTimeout: options.timeoutMs,
    });
    return new Promise((resolve, reject) => {
      let pending: RecordingSocket | undefined;
      // Frames can arrive in the same tick as `open`; attach the recorder before anything else.
      // `ws.protocol` is only set after the `upgrade` event, so read the response header.
      ws.once("upgrade", (res) => {
        const selected = res.headers["sec-websocket-protocol"];
        pending = new RecordingSocket(
          ws,
          conn,
          log,
          report,
          options.timeoutMs,
          start,
          now() - start,
          typeof selected === "string" ? selected.trim() : "",
        );
      });
      let opened = false;
      ws.once("open", () => {
        opened = true;
        log.add({ conn, dir: "recv", kind: "open", data: { protocol: ws.protocol } });
        resolve(pending!);
      });
      ws.once("unexpected-response", (_req, res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const body = Buffer.concat(chunks).toString("utf8");
          log.add({
            conn,
            dir: "recv",
            kind: "http-response",
            data: { status: res.statusCode, headers: res.headers, body: tryJson(body) },
          });
          reject(new UpgradeRefused(res.statusCode ?? 0, body, res.headers));
          ws.terminate();
        });
      });
      // An error after the 101 but before `open` (a server that selected no subprotocol when
      // one was offered: "Server sent no subprotocol") fails the open too, never hangs it.
      ws.once("error", (error) => {
        if (!opened) {
          log.add({ conn, dir: "event", kind: "error", data: String(error.message) });
          reject(error);
        }
      });
    });
  }

  private onMessage(raw: Buffer, isBinary: boolean): void {
    const t = now();
    this.bytesReceived += raw.length;
    if (isBinary) {
      const e = this.log.add({
        conn: this.conn,
        dir: "recv",
        kind: "binary",
        data: raw.length,
        bytes: raw.length,
        t,
      });
      this.report({
        anchor: "TRANSPORT-9",
        message: "server sent a binary frame",
        entry: e.i,
        conn: this.conn,
      });
      return;
    }
    const text = raw.toString("utf8");
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      const e = this.log.add({
        conn: this.conn,
        dir: "recv",
        kind: "text",
        data: text,
        bytes: raw.length,
        t,
      });
      this.report({
        anchor: "TRANSPORT-9",
        message: "server frame is not JSON",
        entry: e.i,
        conn: this.conn,
      });
      this.garbage.push(e.i);
      this.wake();
      return;
    }
    const e = this.log.add({
      conn: this.conn,
      dir: "recv",
      kind: "text",
      data,
      bytes: raw.length,
      t,
    });
    if (
      typeof data !== "object" ||
      data === null ||
      Array.isArray(data) ||
      typeof (data as { type?: unknown }).type !== "string"
    ) {
      this.report({
        anchor: "TRANSPORT-9",
        message: "server frame is not a JSON object with a string type",
        entry: e.i,
        conn: this.conn,
      });
      this.garbage.push(e.i);
      this.wake();
      return;
    }
    const obj = data as Record<string, unknown>;
    const type = obj.type as string;
    const frame: Frame = { entry: e.i, t, type, data: obj, bytes: raw.length };
    this.frames.push(frame);
    this.checkFrame(frame);
    this.wake();
  }

  private checkFrame(frame: Frame): void {
    const { type, data, entry } = frame;
    const conn = this.conn;
    if (!KNOWN.has(type)) {
      if (!/^[a-z0-9_-]+:[a-z0-9_.-]+$/i.test(type)) {
        this.report({
          anchor: "STREAM-13",
          message: `unknown event type ${JSON.stringify(type)} without an implementor prefix`,
          entry,
          conn,
        });
      }
      return;
    }
    const result = validateServerEvent(data);
    if (!result.ok) {
      for (const issue of result.issues) {
        this.report({
          anchor: "CONF-2",
          message: `${type} fails its schema: ${issue.message}`,
          entry,
          conn,
        });
      }
    }
    if (this.profile === "core") {
      if (HOTLINE_ONLY.has(type)) {
        this.report({
          anchor: "SESSION-3",
          message: `${type} sent on a core-profile connection`,
          entry,
          conn,
        });
      }
      // Codex's interrupt events name their response as OpenAI's own members (INT-23).
      const ownsResponseId = INTERRUPT_EVENTS.has(type);
      const extra = HOTLINE_FIELDS.filter(
        (f) => f in data && !(ownsResponseId && f === "response_id"),
      );
      const err = data.error as Record<string, unknown> | undefined;
      if (type === "error" && err && "retryable" in err) extra.push("error.retryable");
      const resp = data.response as Record<string, unknown> | undefined;
      if (resp?.status === "cancelled") extra.push("response.status=cancelled");
      if (extra.length > 0) {
        this.report({
          anchor: "SESSION-3",
          message: `${type} carries Hotline-only ${extra.join(", ")} on a core-profile connection`,
          entry,
          conn,
        });
      }
      if (type === "error" && "sequence_number" in data) {
        this.report({
          anchor: "ERR-3",
          message: "error event carries sequence_number on a core-profile connection",
          entry,
          conn,
        });
      }
    } else {
      const sessionScoped = type.startsWith("session.") || type === "rate_limits.updated";
      if (sessionScoped && "sequence_number" in data) {
        this.report({
          anchor: "STREAM-3",
          message: `session-scoped ${type} carries sequence_number`,
          entry,
          conn,
        });
      }
    }
    if (type === "error") this.checkError(frame);
    // Steer events belong to the connection, numbered on their own (spec/interruption.md).
    const scoped =
      (type.startsWith("response.") && !type.startsWith("response.steer.")) ||
      (type === "error" &&
        (typeof data.sequence_number === "number" ||
          (this.profile === "hotline.v1" &&
            typeof data.response_id === "string" &&
            this.tracker.get(data.response_id as string)?.terminal === null)));
    if (scoped) this.tracker.feed(data, entry, frame.t);
  }

  private checkError(frame: Frame): void {
    const { data, entry } = frame;
    const err = data.error as Record<string, unknown> | undefined;
    if (
      typeof data.status !== "number" ||
      !err ||
      typeof err.code !== "string" ||
      typeof err.message !== "string"
    ) {
      this.report({
        anchor: "ERR-1",
        message: `expected an error with a numeric status and string error.code and error.message; ${describeErrorEnvelope(data)}`,
        entry,
        conn: this.conn,
      });
      return;
    }
    const known = lookupError(err.code as string);
    if (!known) {
      this.report({
        anchor: "ERR-2",
        message: `error.code ${JSON.stringify(err.code)} is not in the registry`,
        entry,
        conn: this.conn,
      });
    } else if (known.status !== data.status) {
      this.report({
        anchor: "ERR-2",
        message: `status ${String(data.status)} for ${known.code}, registry says ${known.status}`,
        entry,
        conn: this.conn,
      });
    }
    if (this.profile === "hotline.v1" && known && err.retryable !== known.retryable) {
      this.report({
        anchor: "ERR-7",
        message: `error.retryable is ${JSON.stringify(err.retryable)} for ${known.code}, registry says ${known.retryable}`,
        entry,
        conn: this.conn,
      });
    }
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }

  /** Sends one event as JSON text (logged). */
  send(event: Record<string, unknown>): number {
    const text = JSON.stringify(event);
    const e = this.log.add({
      conn: this.conn,
      dir: "send",
      kind: "text",
      data: event,
      bytes: Buffer.byteLength(text),
    });
    if (
      event.type === "response.cancel" &&
      typeof event.response_id === "string" &&
      event.truncate !== undefined
    ) {
      this.tracker.noteTruncate(event.response_id);
    }
    this.ws.send(text);
    return e.t;
  }

  /** Sends raw text or a binary frame (for bad-input cases). */
  sendRaw(payload: string | Buffer, binary = false): number {
    const bytes = typeof payload === "string" ? Buffer.byteLength(payload) : payload.length;
    const shown = typeof payload === "string" && bytes <= 2048 ? payload : `(${bytes} bytes)`;
    const e = this.log.add({
      conn: this.conn,
      dir: "send",
      kind: binary ? "binary" : "text",
      data: shown,
      bytes,
    });
    this.ws.send(payload, { binary });
    return e.t;
  }

  /**
   * Waits for the first frame at or after `from` (a frame index into `frames`) that matches;
   * rejects with `WaitTimeout` after the per-turn timeout or when the connection closes first.
   * With `progress`, every frame it accepts restarts the timeout: a wait for many responses
   * times out on a silent server only, never on a slow one that keeps answering (CONF-16).
   */
  waitFor(
    match: (f: Frame) => boolean,
    what: string,
    options: { from?: number; timeoutMs?: number; progress?: (f: Frame) => boolean } = {},
  ): Promise<Frame> {
    const from = options.from ?? 0;
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const garbageAt = this.garbage.length;
    return new Promise((resolve, reject) => {
      let scanned = from;
      let lastProgress: number | undefined;
      const check = (): boolean => {
        for (; scanned < this.frames.length; scanned++) {
          const f = this.frames[scanned]!;
          if (options.progress?.(f)) {
            lastProgress = f.entry;
            restart();
          }
          if (match(f)) {
            done();
            resolve(f);
            return true;
          }
        }
        if (this.closed) {
          done();
          reject(new WaitTimeout(`connection closed (${this.closed.code}) before ${what}`));
          return true;
        }
        // A frame that is no event is the server's answer too: the wait is decided.
        if (this.garbage.length > garbageAt) {
          done();
          reject(
            new WaitTimeout(
              `expected ${what}, the server sent a frame that is not a JSON event (frame #${this.garbage[garbageAt]})`,
            ),
          );
          return true;
        }
        return false;
      };
      const expire = (): void => {
        done();
        reject(
          new WaitTimeout(
            lastProgress === undefined
              ? `no ${what} within ${timeoutMs} ms`
              : `no ${what} within ${timeoutMs} ms of silence after frame #${lastProgress}`,
          ),
        );
      };
      let timer = setTimeout(expire, timeoutMs);
      const restart = (): void => {
        clearTimeout(timer);
        timer = setTimeout(expire, timeoutMs);
      };
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      const waiter = (): void => {
        check();
      };
      this.waiters.add(waiter);
      check();
    });
  }

  /**
   * Waits until `ready()` holds, as long as the server keeps sending response events: the
   * timeout counts silence only (CONF-16), so a batch of responses on a slow but correct server
   * is never cut off by a fixed window.
   */
  waitResponses(ready: () => boolean, what: string): Promise<Frame | void> {
    if (ready()) return Promise.resolve();
    return this.waitFor(() => ready(), what, {
      from: this.frames.length,
      progress: (f) => f.type.startsWith("response.") || f.type === "error",
    });
  }

  /** Waits for a frame of the given type. */
  waitForType(type: string, options: { from?: number; timeoutMs?: number } = {}): Promise<Frame> {
    return this.waitFor((f) => f.type === type, type, options);
  }

  /** Waits for the terminal event of a tracked response (by id, or the only/last one). */
  async waitTerminal(responseId?: string, timeoutMs?: number): Promise<TrackedResponse> {
    const find = (): TrackedResponse | undefined =>
      responseId !== undefined ? this.tracker.get(responseId) : this.tracker.responses.at(-1);
    await this.waitFor(
      (f) => TERMINAL_TYPES.has(f.type) && (find()?.terminal?.entry ?? -1) === f.entry,
      `terminal event of ${responseId ?? "the response"}`,
      { timeoutMs },
    );
    return find()!;
  }

  /**
   * Waits until the server closes the connection. With `answeredMs`, a frame the server sends
   * instead (it answered and kept the connection) ends the wait `answeredMs` later: the
   * per-turn timeout is for a silent server only.
   */
  waitClose(
    timeoutMs?: number,
    options: { answeredMs?: number } = {},
  ): Promise<{ code: number; reason: string; t: number }> {
    const limit = timeoutMs ?? this.timeoutMs;
    const from = this.frames.length;
    const garbageFrom = this.garbage.length;
    return new Promise((resolve, reject) => {
      if (this.closed) return resolve(this.closed);
      let timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new WaitTimeout(`server did not close within ${limit} ms`));
      }, limit);
      let answered = false;
      const waiter = (): void => {
        if (this.closed) {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(this.closed);
        } else if (
          !answered &&
          options.answeredMs !== undefined &&
          (this.frames.length > from || this.garbage.length > garbageFrom)
        ) {
          answered = true;
          const f: Pick<Frame, "type" | "data" | "entry"> = this.frames[from] ?? {
            type: "(a frame that is not a JSON event)",
            data: {},
            entry: this.garbage[garbageFrom]!,
          };
          clearTimeout(timer);
          timer = setTimeout(() => {
            this.waiters.delete(waiter);
            reject(
              new WaitTimeout(
                `expected a close, the server answered with ${f.type}${f.type === "error" ? ` ${JSON.stringify((f.data.error as { code?: unknown } | undefined)?.code)}` : ""} (frame #${f.entry}) and kept the connection open`,
              ),
            );
          }, options.answeredMs);
        }
      };
      this.waiters.add(waiter);
    });
  }

  /** Resolves after `ms` of wall time, collecting whatever arrives meanwhile. */
  idle(ms: number): Promise<void> {
    return new Promise((r) => setTimeout(r, ms));
  }

  /** Frames received from index `from` on. */
  since(from: number): Frame[] {
    return this.frames.slice(from);
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Closes from the client side (normal closure) without waiting. */
  close(code = 1000): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) {
      this.log.add({ conn: this.conn, dir: "send", kind: "close", data: { code } });
      this.ws.close(code);
    }
  }

  /** Drops the TCP connection without a close frame (a lost connection). */
  drop(): void {
    this.log.add({ conn: this.conn, dir: "send", kind: "close", data: { drop: true } });
    this.ws.terminate();
  }
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function redact(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    out[k] = k.toLowerCase() === "authorization" ? "Bearer (redacted)" : v;
  }
  return out;
}

/** What an `error` frame's envelope holds, for a failure message that says what was seen. */
export function describeErrorEnvelope(data: Record<string, unknown>): string {
  const show = (v: unknown): string =>
    v === undefined ? "absent" : JSON.stringify(v).slice(0, 120);
  const err = data.error;
  if (err === null || typeof err !== "object" || Array.isArray(err)) {
    return `received status ${show(data.status)} and error ${show(err)}`;
  }
  const e = err as Record<string, unknown>;
  return `received status ${show(data.status)}, error.code ${show(e.code)}, error.message ${show(e.message)}`;
}
