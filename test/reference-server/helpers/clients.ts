/**
 * Test clients for the reference server: a raw WebSocket client and an SSE reader that feed
 * every frame into a {@link WireRecorder}, and a way to wait for a matching event without
 * sleeping.
 */
import WebSocket from "ws";
import { parseSseBody } from "../../../src/protocol/sse.js";
import { type ServerEvent, TERMINAL_EVENT_TYPES } from "../../../src/protocol/index.js";
import { WireRecorder } from "./recorder.js";

/**
 * How long a {@link TestSocket} waits for a matching event before failing with what it did
 * receive: longer than any test's slowest response (20 s), far shorter than tap's file timeout,
 * so a missing event is an assertion with a message rather than a timed-out file.
 */
export const EVENT_WAIT_MS = 90_000;

/** A recorded raw WebSocket connection. */
export class TestSocket {
  readonly ws: WebSocket;
  readonly recorder = new WireRecorder();
  readonly opened: Promise<void>;
  readonly closed: Promise<{ code: number; reason: string }>;
  #cursor = 0;

  /** Connects to `url` with optional headers and subprotocols. */
  constructor(
    url: string,
    options: { headers?: Record<string, string>; protocols?: string[] } = {},
  ) {
    this.ws = new WebSocket(url, options.protocols ?? [], { headers: options.headers ?? {} });
    this.opened = new Promise((resolve, reject) => {
      this.ws.once("open", () => resolve());
      this.ws.once("error", reject);
    });
    this.closed = new Promise((resolve) => {
      this.ws.once("close", (code, reason) => resolve({ code, reason: reason.toString() }));
    });
    this.ws.on("error", () => {});
    this.ws.on("message", (data, isBinary) => {
      if (isBinary) {
        this.recorder.problems.push("binary frame from server");
        return;
      }
      // Recorded before any waitFor listener (added later) checks for it.
      this.recorder.frame(String(data));
    });
  }

  /** Opens a connection and waits until it is open. */
  static async open(
    url: string,
    options: { headers?: Record<string, string>; protocols?: string[] } = {},
  ): Promise<TestSocket> {
    const socket = new TestSocket(url, options);
    await socket.opened;
    return socket;
  }

  /** Sends an object as JSON (or a raw string as is). */
  send(value: unknown): void {
    this.ws.send(typeof value === "string" ? value : JSON.stringify(value));
  }

  /**
   * Resolves with the first event, received after the previous `next` match (or now), that
   * matches; events already received count, so no race with fast servers.
   */
  next<T extends ServerEvent["type"]>(
    type: T,
    where: (e: Extract<ServerEvent, { type: T }>) => boolean = () => true,
  ): Promise<Extract<ServerEvent, { type: T }>> {
    const match = (e: ServerEvent) =>
      e.type === type && where(e as Extract<ServerEvent, { type: T }>);
    return this.matching(match, type) as Promise<Extract<ServerEvent, { type: T }>>;
  }

  /**
   * Like {@link next} with any predicate (`what` names it in the failure). Rejects after
   * {@link EVENT_WAIT_MS} with the types of the last events received.
   */
  matching(match: (e: ServerEvent) => boolean, what = "matching event"): Promise<ServerEvent> {
    return waitFor(
      this,
      () => {
        const events = this.recorder.events;
        for (let i = this.#cursor; i < events.length; i++) {
          if (!match(events[i]!)) continue;
          this.#cursor = i + 1;
          return events[i]!;
        }
        return undefined;
      },
      what,
    );
  }

  /** Waits for the next terminal event of a response. */
  terminal(): Promise<ServerEvent> {
    return this.matching((e) => TERMINAL_TYPES.has(e.type), "terminal event");
  }

  /** Closes the connection. */
  close(): void {
    this.ws.close();
  }
}

/**
 * Resolves with what `check` returns once it returns something, checked now and after each
 * message on `socket`; rejects after {@link EVENT_WAIT_MS} naming `what` and the last events.
 */
export function waitFor<T>(
  socket: TestSocket,
  check: () => T | undefined,
  what: string,
): Promise<T> {
  const found = check();
  if (found !== undefined) return Promise.resolve(found);
  const waited = new Promise<T>((resolve, reject) => {
    const onMessage = (): void => {
      const value = check();
      if (value === undefined) return;
      socket.ws.off("message", onMessage);
      clearTimeout(timer);
      resolve(value);
    };
    const timer = setTimeout(() => {
      socket.ws.off("message", onMessage);
      const last = socket.recorder.events.slice(-8).map((e) => e.type);
      reject(
        new Error(
          `no ${what} within ${EVENT_WAIT_MS} ms; the last events received: ` +
            (last.length > 0 ? last.join(", ") : "none"),
        ),
      );
    }, EVENT_WAIT_MS);
    timer.unref();
    socket.ws.on("message", onMessage);
  });
  // A wait nobody awaits (the test moved on) must not fail the file when it times out.
  waited.catch(() => {});
  return waited;
}

/** Terminal event types. */
export const TERMINAL_TYPES: ReadonlySet<string> = new Set(TERMINAL_EVENT_TYPES);

/** One SSE message as received. */
export interface SseMessage {
  event: string | undefined;
  data: string;
  id: string | undefined;
}

/** Parses an SSE body into messages. */
export function parseSse(text: string): SseMessage[] {
  return parseSseBody(text).map(({ event, data, id }) => ({
    event: event ?? undefined,
    data,
    id: id ?? undefined,
  }));
}

/** Records an SSE body: validates framing (event = type, no id, [DONE] last) and events. */
export function recordSse(text: string, recorder = new WireRecorder()): WireRecorder {
  const messages = parseSse(text);
  const last = messages.at(-1);
  if (last?.data !== "[DONE]") recorder.problems.push("SSE stream does not end with [DONE]");
  for (const [i, message] of messages.entries()) {
    if (message.id !== undefined) recorder.problems.push("SSE message with an id line");
    if (message.data === "[DONE]") {
      if (i !== messages.length - 1) recorder.problems.push("[DONE] before the end");
      continue;
    }
    const event = recorder.frame(message.data);
    if (message.event !== event.type) {
      recorder.problems.push(`SSE event: ${message.event} but type ${event.type}`);
    }
  }
  return recorder;
}
