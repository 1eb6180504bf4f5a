/**
 * `HotlineClient`: one WebSocket session to a Hotline server, with several responses at once,
 * cancel and steer, and recovery that callers do not see: a lost connection is reopened with
 * the resume token and every response continues from its last sequence number; a
 * `session.going_away` moves the session to a new connection before the deadline. This file
 * keeps the responses and routes frames to them; `connection.ts` opens, recovers and migrates
 * the connection underneath.
 *
 * @module
 */
import type {
  ErrorEvent,
  InputItem,
  RateLimit,
  ServerEvent,
  Session,
  SessionLimits,
  SessionUpdateParams,
  SessionUpdatedEvent,
} from "../protocol/types.gen.js";
import type {
  ConnectionInfo,
  ConnectionState,
  CreateParams,
  HotlineClientEvents,
  HotlineClientOptions,
  Profile,
} from "./client-types.js";
import { Connection, type Link } from "./connection.js";
import { Emitter, type Unsubscribe } from "./emitter.js";
import { ReceivedError } from "../protocol/errors.js";
import { errorFromEvent, HotlineClientError, SteerPendingError } from "./errors.js";
import {
  type ResponseEvent,
  ResponseStream,
  type SteerOptions,
  type StreamController,
} from "./stream.js";

/** A stream's wire state. */
interface Entry {
  stream: ResponseStream;
  /** The create or steer that starts it; repeated verbatim (new `event_id`) after a loss. */
  body: Record<string, unknown>;
  sent: boolean;
  /** Its lane: the create's `stream_id`, or "" (the default lane). */
  lane: string;
}

/** OpenAI's in-flight limit per core connection across lanes (RESP-35). */
const CORE_MAX_IN_FLIGHT = 16;

/** Members of a steer only hotline.v1 defines; an OpenAI server refuses them. */
const HOTLINE_STEER_MEMBERS = ["client_request_id", "max_output_tokens", "metadata"];

let idCounter = 0;

/** The lane an event names (`stream_id`), or "" (the default lane). */
function laneOf(event: object): string {
  const lane = (event as { stream_id?: unknown }).stream_id;
  return typeof lane === "string" ? lane : "";
}

function randomId(prefix: string): string {
  const uuid = globalThis.crypto?.randomUUID?.();
  return `${prefix}${uuid ?? `${Date.now().toString(36)}${(idCounter++).toString(36)}${Math.random().toString(36).slice(2)}`}`;
}

/**
 * A Hotline session over WebSocket.
 *
 * ```ts
 * const client = new HotlineClient({ url: "ws://127.0.0.1:8080/v1/responses" });
 * await client.connect();
 * const stream = client.responses.create({ input: "Write a parser" });
 * for await (const event of stream) if (event.type === "response.output_text.delta") print(event.delta);
 * ```
 *
 * @category Session
 */
export class HotlineClient {
  /** Response operations. */
  readonly responses: { create(params: CreateParams): ResponseStream };
  readonly #emitter = new Emitter<HotlineClientEvents>();
  readonly #connection: Connection;
  readonly #entries = new Map<ResponseStream, Entry>();
  readonly #byResponseId = new Map<string, ResponseStream>();
  readonly #byRequestId = new Map<string, ResponseStream>();
  readonly #waiting: ResponseStream[] = [];
  readonly #pings = new Map<string, (ms: number) => void>();
  readonly #updates: ((event: SessionUpdatedEvent) => void)[] = [];

  constructor(options: HotlineClientOptions) {
    this.#connection = new Connection(options, this.#emitter, {
      onFrame: (link, data) => this.#onFrame(link, data),
      onAdopted: (link, resumed, presentedToken) =>
        this.#resumeInFlight(link, resumed, presentedToken),
      hasInFlight: () => [...this.#entries.values()].some((e) => e.sent),
      hasWaiting: () => this.#waiting.length > 0,
      failInFlight: (error) => {
        for (const entry of [...this.#entries.values()]) {
          if (entry.sent) this.#failStream(entry.stream, error);
        }
      },
      failAll: (error) => {
        for (const stream of [...this.#entries.keys()]) this.#failStream(stream, error);
      },
      pump: () => this.#pump(),
    });
    this.responses = { create: (params) => this.#create(params) };
  }

  /** The negotiated profile (after `connect()`). */
  get profile(): Profile | undefined {
    return this.#connection.profile;
  }

  /** The current session object (`hotline.v1`). */
  get session(): Session | undefined {
    return this.#connection.session;
  }

  /** The session's limits (`hotline.v1`); undefined in core. */
  get limits(): SessionLimits | undefined {
    return this.#connection.session?.limits;
  }

  /** The latest known rate limits by name. */
  get rateLimits(): ReadonlyMap<string, RateLimit> {
    return this.#connection.rateLimits;
  }

  /** Where the connection stands. */
  get state(): ConnectionState {
    return this.#connection.state;
  }

  /** Adds a listener; returns its remover. */
  on<K extends keyof HotlineClientEvents>(
    name: K,
    listener: (value: HotlineClientEvents[K]) => void,
  ): Unsubscribe {
    return this.#emitter.on(name, listener);
  }

  /** Opens the connection (if not open) and resolves with the negotiated profile and session. */
  connect(): Promise<ConnectionInfo> {
    return this.#connection.connect();
  }

  /** Round trip through `session.ping`; resolves with the milliseconds it took. */
  async ping(): Promise<number> {
    await this.connect();
    this.#requireHotline("ping");
    const nonce = randomId("n_");
    const started = Date.now();
    return new Promise<number>((resolve) => {
      this.#pings.set(nonce, () => resolve(Date.now() - started));
      this.#connection.send({ type: "session.ping", nonce });
    });
  }

  /** Changes the session defaults (`session.update`), optionally prefilling them. */
  async updateSession(
    session: SessionUpdateParams,
    options: { prewarm?: boolean } = {},
  ): Promise<SessionUpdatedEvent> {
    await this.connect();
    this.#requireHotline("updateSession");
    return new Promise<SessionUpdatedEvent>((resolve) => {
      this.#updates.push(resolve);
      this.#connection.send({
        type: "session.update",
        session,
        ...(options.prewarm ? { prewarm: true } : {}),
      });
    });
  }

  /** Closes the connection; in-flight responses fail with `closed`. */
  close(): void {
    if (this.#connection.state === "closed") return;
    this.#connection.close();
    const error = new HotlineClientError("closed", "The client was closed.");
    for (const stream of [...this.#entries.keys()]) this.#failStream(stream, error);
    this.#waiting.length = 0;
  }

  #requireHotline(what: string): void {
    if (this.#connection.profile !== "hotline.v1") {
      throw new HotlineClientError("unsupported", `${what} needs the hotline.v1 profile.`);
    }
  }

  // ---- responses ------------------------------------------------------------------------

  #create(params: CreateParams): ResponseStream {
    const clientRequestId = params.client_request_id ?? randomId("req_");
    const controller: StreamController = {
      cancel: (stream, chars) => this.#cancel(stream, chars),
      steer: (stream, input, options) => this.#steer(stream, input, options),
    };
    const stream = new ResponseStream(controller, clientRequestId);
    const body = { ...params, type: "response.create", client_request_id: clientRequestId };
    if (this.#connection.state === "closed") {
      stream.fail(new HotlineClientError("closed", "The client is closed."));
      return stream;
    }
    this.#entries.set(stream, { stream, body, sent: false, lane: params.stream_id ?? "" });
    this.#byRequestId.set(clientRequestId, stream);
    this.#waiting.push(stream);
    this.connect().then(
      () => this.#pump(),
      (error: unknown) => this.#failStream(stream, error),
    );
    return stream;
  }

  /**
   * Sends waiting creates while the session has free slots: a lane (`stream_id`) runs one at a
   * time in arrival order, and so does a core connection's default lane (RESP-31).
   */
  #pump(): void {
    const link = this.#connection.link;
    if (!link?.active) return;
    const core = this.#connection.profile === "core";
    const max = core ? CORE_MAX_IN_FLIGHT : (this.#connection.session?.limits.max_in_flight ?? 1);
    let inFlight = 0;
    const busy = new Set<string>();
    for (const entry of this.#entries.values()) {
      if (!entry.sent) continue;
      inFlight++;
      if (core || entry.lane !== "") busy.add(entry.lane);
    }
    for (const stream of [...this.#waiting]) {
      if (inFlight >= max) break;
      const entry = this.#entries.get(stream);
      if (entry && busy.has(entry.lane)) continue;
      this.#waiting.splice(this.#waiting.indexOf(stream), 1);
      if (!entry) continue;
      entry.sent = true;
      inFlight++;
      if (core || entry.lane !== "") busy.add(entry.lane);
      if (link.profile === "core" && "client_request_id" in entry.body) {
        // Core servers reject unknown fields: the key stays client-side.
        const { client_request_id: _drop, ...core } = entry.body;
        this.#connection.send(core);
      } else {
        this.#connection.send(entry.body);
      }
    }
    this.#connection.armIdle();
  }

  #cancel(stream: ResponseStream, chars: number | undefined): void {
    this.#requireHotline("cancel");
    this.#connection.send({
      type: "response.cancel",
      response_id: stream.responseId,
      ...(chars === undefined ? {} : { truncate: { text_chars: chars } }),
    });
  }

  #steer(stream: ResponseStream, input: string | InputItem[], options: SteerOptions) {
    const clientRequestId = options.clientRequestId ?? randomId("req_");
    const controller: StreamController = {
      cancel: (s, chars) => this.#cancel(s, chars),
      steer: (s, i, o) => this.#steer(s, i, o),
    };
    const next = new ResponseStream(controller, clientRequestId, stream.responseId);
    const session = this.#connection.session;
    const core = this.#connection.profile === "core";
    if (!core && session && !session.features.includes("steer")) {
      next.fail(new HotlineClientError("unsupported", "This session does not offer steer."));
      return next;
    }
    // The successor runs on the steered response's lane (INT-15).
    const lane = this.#entries.get(stream)?.lane ?? "";
    this.#byRequestId.set(clientRequestId, next);
    stream.id().then(
      (responseId) => {
        const body: Record<string, unknown> = {
          type: "response.steer",
          previous_response_id: responseId,
          input,
          client_request_id: clientRequestId,
        };
        if (options.maxOutputTokens !== undefined) body.max_output_tokens = options.maxOutputTokens;
        if (options.metadata !== undefined) body.metadata = options.metadata;
        if (core) for (const member of HOTLINE_STEER_MEMBERS) delete body[member];
        // The steered response's slot passes to the new one (INT-11): no queueing. Its
        // response.created is the commit point; response.steer.failed ends it unstarted.
        this.#entries.set(next, { stream: next, body, sent: true, lane });
        if (this.#connection.link?.active) this.#connection.send(body);
      },
      (error: unknown) => next.fail(error),
    );
    return next;
  }

  #failStream(stream: ResponseStream, error: unknown, event?: ErrorEvent): void {
    stream.fail(error, event);
    this.#forget(stream);
  }

  #forget(stream: ResponseStream): void {
    this.#entries.delete(stream);
    this.#byRequestId.delete(stream.clientRequestId);
    if (stream.responseId) this.#byResponseId.delete(stream.responseId);
    const index = this.#waiting.indexOf(stream);
    if (index >= 0) this.#waiting.splice(index, 1);
    queueMicrotask(() => this.#pump());
  }

  /** Resumes, resends or requeues what was in flight once `link` took over, then pumps. */
  #resumeInFlight(link: Link, resumed: boolean, presentedToken: boolean): void {
    for (const entry of [...this.#entries.values()]) {
      const { stream } = entry;
      if (!entry.sent) continue;
      if (stream.responseId !== undefined && resumed) {
        this.#connection.send({
          type: "response.resume",
          response_id: stream.responseId,
          after_sequence_number: stream.lastSequenceNumber,
        });
      } else if (
        stream.responseId !== undefined ||
        (presentedToken && !resumed && stream.steeredFrom)
      ) {
        this.#failStream(
          stream,
          new HotlineClientError(
            "session_lost",
            "The server no longer holds the session; the response cannot be resumed.",
          ),
        );
      } else if (link.profile === "hotline.v1") {
        // An ambiguous create: the same body and client_request_id attach to the response
        // if the server got it (RESUME-11) and start it if not.
        this.#connection.send(entry.body);
      } else {
        entry.sent = false;
        this.#waiting.unshift(stream);
      }
    }
    this.#pump();
  }

  // ---- frames ---------------------------------------------------------------------------

  #onFrame(link: Link, data: string): void {
    if (!link.active) return;
    let event: ServerEvent;
    try {
      event = JSON.parse(data) as ServerEvent;
    } catch (error) {
      this.#emitter.emit(
        "error",
        new HotlineClientError("protocol_violation", "The server sent a frame that is not JSON.", {
          cause: error,
        }),
      );
      return;
    }
    this.#connection.armIdle();
    this.#emitter.emit("event", event);
    switch (event.type) {
      case "session.created":
      case "session.resumed":
        link.first(event);
        return;
      case "session.updated":
        this.#connection.adoptSession(event.session);
        this.#updates.shift()?.(event);
        return;
      case "session.pong":
        this.#pings.get(event.nonce)?.(0);
        this.#pings.delete(event.nonce);
        return;
      case "session.heartbeat":
        return;
      case "session.going_away":
        this.#connection.goingAway(link, event);
        return;
      case "rate_limits.updated":
        this.#connection.updateRateLimits(event.rate_limits);
        return;
      case "error":
        this.#onError(link, event);
        return;
      case "response.steer.accepted":
        // The server owns the input; the successor's response.created is the commit point.
        return;
      case "response.steer.pending": {
        // INT-20: no successor starts on its own; the caller continues with the tool output.
        const stream = this.#successorOf(event.steer.previous_response_id);
        if (stream) this.#failStream(stream, new SteerPendingError(event));
        return;
      }
      case "response.steer.failed": {
        // Not committed: the successor stream ends with the reason (INT-16, INT-17). Core
        // replies carry no client_request_id: the steer's target names the successor.
        const key = event.client_request_id;
        const stream =
          (key === undefined ? undefined : this.#byRequestId.get(key)) ??
          this.#successorOf(event.steer.previous_response_id);
        if (stream) {
          this.#failStream(stream, new ReceivedError(event.error, undefined));
        }
        return;
      }
      default:
        this.#route(link, event);
    }
  }

  #route(link: Link, event: ResponseEvent): void {
    let stream: ResponseStream | undefined;
    const responseId = (event as { response_id?: string }).response_id;
    if (event.type === "response.created") {
      const key = event.client_request_id;
      stream = key ? this.#byRequestId.get(key) : undefined;
      if (!stream && link.profile === "core") stream = this.#coreCurrent(laneOf(event));
      if (stream) this.#byResponseId.set(event.response.id, stream);
    } else if (responseId !== undefined) {
      stream = this.#byResponseId.get(responseId);
    } else if (link.profile === "core") {
      stream = this.#coreCurrent(laneOf(event));
    }
    if (!stream) return;
    const result = stream.deliver(event);
    if (result === "gap" && stream.responseId) {
      // Never expected on one ordered connection; ask for the missing events rather than
      // hand the caller a hole.
      this.#connection.send({
        type: "response.resume",
        response_id: stream.responseId,
        after_sequence_number: stream.lastSequenceNumber,
      });
    }
    if (stream.done) this.#forget(stream);
  }

  /** Core: the response a lane's events belong to (its oldest sent, unfinished stream). */
  #coreCurrent(lane: string): ResponseStream | undefined {
    for (const entry of this.#entries.values()) {
      if (entry.sent && entry.lane === lane) return entry.stream;
    }
    return undefined;
  }

  /** The stream a steer of `responseId` started, if it still waits for its commit point. */
  #successorOf(responseId: string): ResponseStream | undefined {
    for (const entry of this.#entries.values()) {
      if (entry.stream.steeredFrom === responseId && entry.stream.responseId === undefined) {
        return entry.stream;
      }
    }
    return undefined;
  }

  #onError(link: Link, event: ErrorEvent): void {
    const error = errorFromEvent(event);
    let stream: ResponseStream | undefined;
    if (event.response_id !== undefined) stream = this.#byResponseId.get(event.response_id);
    if (!stream && event.client_request_id) stream = this.#byRequestId.get(event.client_request_id);
    if (!stream && link.profile === "core" && event.sequence_number === undefined) {
      // Core errors carry no correlation: one before response.created rejected the create.
      const current = this.#coreCurrent(laneOf(event));
      if (current && current.responseId === undefined) stream = current;
    }
    if (stream && event.sequence_number !== undefined) {
      stream.deliver(event);
      return;
    }
    if (stream && error.code !== "response_not_active") {
      // A rejected create or steer, or a resume the server cannot serve.
      this.#failStream(stream, error, event);
      return;
    }
    if (error.code === "resume_expired") return; // handled when session.created arrived
    if (!stream) this.#emitter.emit("error", error);
  }
}
