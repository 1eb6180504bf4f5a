/**
 * A checking client, shared by the bench's fault scenarios and the fuzzer: one raw hotline.v1
 * session that checks every sequence number
 * of every response it reads (a gap is a lost event, a repeat a duplicated one), measures time
 * to first token, can drop its connection and resume, and can read slower than the server
 * writes (the socket is paused whenever it is ahead of a byte budget).
 */
import WebSocket from "ws";
import { TERMINAL_EVENT_TYPES } from "../../src/protocol/index.js";

/** One response as this client saw it. */
export interface TrackedResponse {
  id: string;
  /** Highest sequence number read (-1: none). */
  last: number;
  lost: number;
  duplicated: number;
  text: string;
  /** Output text of the terminal event's resource, when it carried one. */
  finalText: string | undefined;
  status: string | undefined;
  outputTokens: number;
  sentAt: number;
  firstDeltaAt: number | undefined;
  done: Promise<void>;
  finish: () => void;
  deltas: number;
}

/** What happened to a create. */
export type CreateOutcome =
  | { kind: "started"; response: TrackedResponse }
  | { kind: "refused"; code: string; status: number };

/** Counters of one client. */
export interface ClientStats {
  lost: number;
  duplicated: number;
  errors: string[];
  resumes: number;
}

const TERMINAL: ReadonlySet<string> = new Set(TERMINAL_EVENT_TYPES);

/** Options of {@link CheckingClient}. */
export interface CheckingClientOptions {
  /** Reading budget in bytes per second (undefined: read at full speed). */
  readBytesPerSecond?: number;
  headers?: Record<string, string>;
  /**
   * Where a resume reconnects (default: `url`): a fleet's client lands on whichever instance
   * this picks, as behind a load balancer.
   */
  resumeUrl?: () => string;
}

interface PendingCreate {
  requestId: string;
  sentAt: number;
  resolve: (outcome: CreateOutcome) => void;
}

/**
 * How long a create or steer may go unanswered (neither started nor refused) before it counts
 * as an error, so that a scenario always ends.
 */
const ANSWER_TIMEOUT_MS = 30_000;

let nextRequest = 0;

/** One hotline.v1 session. */
export class CheckingClient {
  readonly url: string;
  readonly stats: ClientStats = { lost: 0, duplicated: 0, errors: [], resumes: 0 };
  readonly responses = new Map<string, TrackedResponse>();
  readonly #options: CheckingClientOptions;
  readonly #pending = new Map<string, PendingCreate>();
  #ws: WebSocket | undefined;
  #resumeToken: string | undefined;
  #sessionReady: (() => void) | undefined;
  #readBytes = 0;
  #readStart = 0;
  #throttle: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(url: string, options: CheckingClientOptions = {}) {
    this.url = url;
    this.#options = options;
  }

  /** Opens the session (or, with a resume token held, resumes it). */
  async connect(): Promise<void> {
    const headers: Record<string, string> = { ...this.#options.headers };
    const resuming = this.#resumeToken !== undefined;
    if (resuming) headers["Hotline-Resume-Token"] = this.#resumeToken!;
    const url = resuming ? (this.#options.resumeUrl?.() ?? this.url) : this.url;
    const ws = new WebSocket(url, ["hotline.v1"], { headers, perMessageDeflate: false });
    this.#ws = ws;
    const ready = new Promise<void>((resolve, reject) => {
      this.#sessionReady = resolve;
      ws.once("error", reject);
      ws.once("close", () => reject(new Error("closed before the session started")));
    });
    ws.on("error", () => {});
    ws.on("message", (data) => this.#onMessage(String(data)));
    ws.on("close", () => {
      if (this.#ws === ws) this.#ws = undefined;
    });
    if (this.#options.readBytesPerSecond !== undefined) {
      ws.once("open", () => this.#startThrottle(ws));
    }
    await ready;
  }

  #startThrottle(ws: WebSocket): void {
    const socket = (ws as unknown as { _socket: import("node:net").Socket })._socket;
    this.#readStart = performance.now();
    this.#readBytes = 0;
    socket.on("data", (chunk: Buffer) => {
      this.#readBytes += chunk.length;
      const allowed = ((performance.now() - this.#readStart) / 1000) * this.#readBudget();
      if (this.#readBytes > allowed && !socket.isPaused()) socket.pause();
    });
    this.#throttle = setInterval(() => {
      const allowed = ((performance.now() - this.#readStart) / 1000) * this.#readBudget();
      if (socket.isPaused() && this.#readBytes <= allowed) socket.resume();
    }, 20);
    ws.once("close", () => clearInterval(this.#throttle));
  }

  #readBudget(): number {
    return this.#options.readBytesPerSecond ?? Number.POSITIVE_INFINITY;
  }

  /** Sends a create; resolves once it was started or refused. */
  create(body: Record<string, unknown>): Promise<CreateOutcome> {
    return this.#request((requestId) => ({
      type: "response.create",
      client_request_id: requestId,
      ...body,
    }));
  }

  /** Steers a response: it ends (reason `steered`) and a new one continues it with `input`. */
  steer(responseId: string, input: string): Promise<CreateOutcome> {
    return this.#request((requestId) => ({
      type: "response.steer",
      previous_response_id: responseId,
      input,
      client_request_id: requestId,
    }));
  }

  /**
   * Sends an event that starts a response and resolves once the server started it
   * (`response.created` echoing the request id) or refused it (an `error` echoing it). Refused
   * with code `closed` when the socket is not open, `no_answer` (also counted as an error)
   * when the server says nothing within {@link ANSWER_TIMEOUT_MS}.
   */
  #request(event: (requestId: string) => Record<string, unknown>): Promise<CreateOutcome> {
    const requestId = `req_${process.pid}_${nextRequest++}`;
    if (this.#ws?.readyState !== WebSocket.OPEN) {
      return Promise.resolve({ kind: "refused", code: "closed", status: 0 });
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        if (!this.#pending.delete(requestId)) return;
        this.stats.errors.push("no_answer");
        resolve({ kind: "refused", code: "no_answer", status: 0 });
      }, ANSWER_TIMEOUT_MS);
      const settle = (outcome: CreateOutcome) => {
        clearTimeout(timer);
        resolve(outcome);
      };
      this.#pending.set(requestId, { requestId, sentAt: performance.now(), resolve: settle });
      this.send(event(requestId));
    });
  }

  /** Sends any client event (dropped while disconnected). */
  send(event: Record<string, unknown>): void {
    if (this.#ws?.readyState === WebSocket.OPEN) this.#ws.send(JSON.stringify(event));
  }

  /** Cuts the connection abruptly (no close handshake), as a network fault would. */
  drop(): void {
    const ws = this.#ws;
    this.#ws = undefined;
    ws?.terminate();
  }

  /** Reconnects with the last resume token and resumes every unfinished response. */
  async resume(): Promise<void> {
    this.stats.resumes++;
    await this.connect();
    for (const r of this.responses.values()) {
      if (r.status !== undefined) continue;
      this.send({ type: "response.resume", response_id: r.id, after_sequence_number: r.last });
    }
  }

  /** Closes the session normally. */
  close(): void {
    this.#closed = true;
    clearInterval(this.#throttle);
    this.#ws?.close(1000);
    for (const p of this.#pending.values())
      p.resolve({ kind: "refused", code: "closed", status: 0 });
    this.#pending.clear();
  }

  #onMessage(text: string): void {
    let event: Record<string, unknown>;
    try {
      event = JSON.parse(text) as Record<string, unknown>;
    } catch {
      this.stats.errors.push("frame is not JSON");
      return;
    }
    const type = event.type as string;
    if (type === "session.created" || type === "session.resumed") {
      const session = event.session as { resume_token: string };
      this.#resumeToken = session.resume_token;
      this.#sessionReady?.();
      return;
    }
    if (type === "session.going_away") {
      this.#resumeToken = event.resume_token as string;
      return;
    }
    if (type === "error") this.#onError(event);
    if (type === "response.steer.failed") {
      // A refused steer: never an `error`, but it echoes the request id (INT-17).
      const requestId = event.client_request_id as string | undefined;
      const pending = requestId === undefined ? undefined : this.#pending.get(requestId);
      if (pending) {
        this.#pending.delete(requestId!);
        const code = (event.error as { code: string }).code;
        pending.resolve({ kind: "refused", code, status: 400 });
      }
      return;
    }
    const responseId = event.response_id as string | undefined;
    if (responseId === undefined || typeof event.sequence_number !== "number") return;
    let tracked = this.responses.get(responseId);
    if (!tracked && type === "response.created") {
      const requestId = (event.response as { client_request_id?: string } | undefined)
        ?.client_request_id;
      const rid = (event.client_request_id as string | undefined) ?? requestId;
      const pending = rid === undefined ? undefined : this.#pending.get(rid);
      tracked = newTracked(responseId, pending?.sentAt ?? performance.now());
      this.responses.set(responseId, tracked);
      if (pending) {
        this.#pending.delete(pending.requestId);
        pending.resolve({ kind: "started", response: tracked });
      }
    }
    if (!tracked) return;
    const seq = event.sequence_number;
    if (seq <= tracked.last) {
      tracked.duplicated++;
      this.stats.duplicated++;
      return;
    }
    if (seq > tracked.last + 1) {
      tracked.lost += seq - tracked.last - 1;
      this.stats.lost += seq - tracked.last - 1;
    }
    tracked.last = seq;
    if (type === "response.output_text.delta") {
      tracked.deltas++;
      tracked.firstDeltaAt ??= performance.now();
      tracked.text += event.delta as string;
    }
    if (TERMINAL.has(type) || type === "error") {
      const response = event.response as
        { status?: string; usage?: { output_tokens?: number }; output?: unknown[] } | undefined;
      tracked.status = response?.status ?? (type === "error" ? "failed" : type);
      tracked.outputTokens = response?.usage?.output_tokens ?? 0;
      tracked.finalText = outputText(response?.output);
      tracked.finish();
    }
  }

  #onError(event: Record<string, unknown>): void {
    const error = event.error as { code: string };
    const requestId = event.client_request_id as string | undefined;
    const pending = requestId === undefined ? undefined : this.#pending.get(requestId);
    // A refusal echoes the request's client_request_id (ERR-8) and carries no sequence
    // number; a refused steer also names the response it could not steer.
    if (pending && event.sequence_number === undefined) {
      this.#pending.delete(requestId!);
      pending.resolve({ kind: "refused", code: error.code, status: event.status as number });
      return;
    }
    if (this.#closed) return;
    if (event.sequence_number === undefined && error.code !== "response_not_active") {
      this.stats.errors.push(error.code);
    }
  }
}

function newTracked(id: string, sentAt: number): TrackedResponse {
  let finish = () => {};
  const done = new Promise<void>((resolve) => (finish = resolve));
  return {
    id,
    last: -1,
    lost: 0,
    duplicated: 0,
    text: "",
    finalText: undefined,
    status: undefined,
    outputTokens: 0,
    sentAt,
    firstDeltaAt: undefined,
    done,
    finish,
    deltas: 0,
  };
}

function outputText(output: unknown[] | undefined): string | undefined {
  if (!output) return undefined;
  let text = "";
  for (const item of output as { type: string; content?: { type: string; text?: string }[] }[]) {
    if (item.type !== "message") continue;
    for (const part of item.content ?? []) if (part.type === "output_text") text += part.text;
  }
  return text;
}
