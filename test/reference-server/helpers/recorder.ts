/**
 * Test helper: records every server frame or SSE event a test receives, validates each against
 * the schemas, and checks each response's stream against the item and content-part state
 * machines (STREAM-1..14). Tests call `assertClean()` at the end. hotline.v1 frames are tracked
 * per `response_id` (multiplexed streams); session-scoped events must carry no sequence number.
 */
import {
  type ServerEvent,
  TERMINAL_EVENT_TYPES,
  validateServerEvent,
} from "../../../src/protocol/index.js";

interface ItemState {
  type: string;
  id: string;
  done: boolean;
  parts: { text: string; done: boolean; partDone: boolean }[];
  args: string;
  argsDone: boolean;
}

interface StreamState {
  responseId: string | undefined;
  nextSeq: number;
  items: ItemState[];
  doneItems: unknown[];
  terminal: boolean;
}

const TERMINAL: ReadonlySet<string> = new Set(TERMINAL_EVENT_TYPES);

/** Events of Codex's interrupt (INT-23). */
const INTERRUPT_EVENTS = new Set([
  "response.interrupt.accepted",
  "response.output_item.interrupted",
]);

/** A recording of one connection (or one SSE stream) with its violations. */
export class WireRecorder {
  readonly events: ServerEvent[] = [];
  readonly problems: string[] = [];
  /** The finished streams' terminal responses, by id. */
  readonly terminals = new Map<string, ServerEvent>();
  #stream: StreamState | undefined;
  readonly #lanes = new Map<string, StreamState>();
  readonly #streams = new Map<string, StreamState>();
  /** Whether every response event must carry `response_id` (a hotline.v1 connection). */
  hotline = false;

  /** Records a raw text frame or SSE data payload. */
  frame(text: string): ServerEvent {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.problems.push(`not JSON: ${text.slice(0, 80)}`);
      return { type: "error", error: { code: "x", message: "x" } } as ServerEvent;
    }
    return this.event(value);
  }

  /** Records an already parsed event. */
  event(value: unknown): ServerEvent {
    const result = validateServerEvent(value);
    if (!result.ok) {
      this.problems.push(
        `schema: ${(value as { type?: string }).type}: ${result.issues.map((i) => i.message).join("; ")}`,
      );
    }
    const event = value as ServerEvent;
    this.events.push(event);
    this.#check(event);
    return event;
  }

  /** Events of one type. */
  ofType<T extends ServerEvent["type"]>(type: T): Extract<ServerEvent, { type: T }>[] {
    return this.events.filter((e) => e.type === type) as Extract<ServerEvent, { type: T }>[];
  }

  /**
   * Continues a hotline.v1 stream recorded on another connection (after a resume), so the
   * replayed events are checked against what that connection already saw.
   */
  adopt(other: WireRecorder, responseId: string): void {
    const stream = other.#streams.get(responseId);
    if (stream) this.#streams.set(responseId, structuredClone(stream));
  }

  /** The streamed output text of a response (hotline.v1: by id; core: the current one). */
  text(responseId?: string): string {
    const stream = responseId === undefined ? this.#stream : this.#streams.get(responseId);
    return (stream?.items ?? []).flatMap((i) => i.parts.map((p) => p.text)).join("");
  }

  /** Whether a response stream was opened and not yet ended. */
  get streamOpen(): boolean {
    return this.#stream !== undefined && !this.#stream.terminal;
  }

  /** A named lane's event in core: checked as the default lane's would be, in its own stream. */
  #checkLane(event: ServerEvent, lane: string): void {
    const saved = this.#stream;
    this.#stream = this.#lanes.get(lane);
    const { stream_id: _lane, ...rest } = event as ServerEvent & { stream_id?: string };
    this.#check(rest as ServerEvent);
    if (this.#stream) this.#lanes.set(lane, this.#stream);
    this.#stream = saved;
  }

  #fail(message: string): void {
    this.problems.push(message);
  }

  #check(event: ServerEvent): void {
    const seq = (event as { sequence_number?: number }).sequence_number;
    if (event.type === "error" && seq === undefined) return; // WS envelope: not in a stream
    if (event.type.startsWith("session.") || event.type === "rate_limits.updated") {
      if (seq !== undefined) this.#fail(`${event.type} carries a sequence_number`);
      return;
    }
    // Steer events belong to the connection, numbered on their own (spec/interruption.md).
    if (event.type.startsWith("response.steer.")) return;
    // Codex's interrupt events name their response on every connection (INT-23); on core they
    // belong to the lane's current stream like any other event of the response.
    if (!this.hotline && INTERRUPT_EVENTS.has(event.type)) {
      const { response_id: _rid, ...rest } = event as ServerEvent & { response_id?: string };
      event = rest as ServerEvent;
    }
    const rid = (event as { response_id?: string }).response_id;
    // Core: one open stream per lane (RESP-31); the default lane's is `#stream`.
    const lane = (event as { stream_id?: string }).stream_id;
    if (rid === undefined && lane !== undefined) {
      this.#checkLane(event, lane);
      return;
    }
    if (this.hotline && rid === undefined) this.#fail(`${event.type} without response_id`);
    if (event.type === "response.created") {
      const status = event.response.status;
      if (status !== "in_progress" && status !== "queued")
        this.#fail(`created with status ${status}`);
      const fresh: StreamState = {
        responseId: event.response.id,
        nextSeq: 0,
        items: [],
        doneItems: [],
        terminal: false,
      };
      if (rid !== undefined) {
        if (rid !== event.response.id) this.#fail("response_id differs from response.id");
        if (this.#streams.has(rid) && seq === 0) {
          // A replay from the start (resume / idempotent retry): the stream restarts.
        } else if (this.#streams.has(rid)) this.#fail(`second response.created for ${rid}`);
        this.#streams.set(rid, fresh);
      } else {
        if (this.#stream && !this.#stream.terminal)
          this.#fail("response.created while a response is open");
        this.#stream = fresh;
      }
    }
    const stream = rid === undefined ? this.#stream : this.#streams.get(rid);
    if (!stream) {
      this.#fail(`${event.type} before response.created`);
      return;
    }
    if (stream.terminal) this.#fail(`${event.type} after the terminal event`);
    if (seq !== stream.nextSeq)
      this.#fail(`${event.type}: sequence_number ${seq}, expected ${stream.nextSeq}`);
    stream.nextSeq = (seq ?? stream.nextSeq) + 1;
    const e = event as unknown as Record<string, unknown>;
    const index = e.output_index as number | undefined;
    const item = index === undefined ? undefined : stream.items[index];
    const needOpen = (): ItemState | undefined => {
      if (!item) this.#fail(`${event.type}: unknown output_index ${index}`);
      else if (item.done) this.#fail(`${event.type}: output_index ${index} after output_item.done`);
      return item;
    };
    switch (event.type) {
      case "response.output_item.added": {
        if (index !== stream.items.length)
          this.#fail(`output_item.added index ${index}, expected ${stream.items.length}`);
        const added = event.item as { type: string; id: string; status?: string };
        if (added.status !== "in_progress") this.#fail(`output_item.added status ${added.status}`);
        stream.items.push({
          type: added.type,
          id: added.id,
          done: false,
          parts: [],
          args: "",
          argsDone: false,
        });
        break;
      }
      case "response.output_item.interrupted": {
        // Discarded: closed without done events and never part of `output` (INT-23).
        const it = needOpen();
        if (it) it.done = true;
        break;
      }
      case "response.content_part.added": {
        const it = needOpen();
        if (it && e.content_index !== it.parts.length)
          this.#fail(`content_index ${e.content_index}`);
        it?.parts.push({ text: "", done: false, partDone: false });
        break;
      }
      case "response.output_text.delta": {
        const part = needOpen()?.parts[e.content_index as number];
        if (!part || part.done) this.#fail("output_text.delta outside an open content part");
        else part.text += e.delta as string;
        break;
      }
      case "response.output_text.done": {
        const part = needOpen()?.parts[e.content_index as number];
        if (!part) this.#fail("output_text.done without part");
        else {
          if (part.text !== e.text) this.#fail("output_text.done text differs from its deltas");
          part.done = true;
        }
        break;
      }
      case "response.content_part.done": {
        const part = needOpen()?.parts[e.content_index as number];
        const text = (e.part as { text?: string }).text;
        if (!part?.done) this.#fail("content_part.done before output_text.done");
        else {
          if (text !== part.text) this.#fail("content_part.done text differs");
          part.partDone = true;
        }
        break;
      }
      case "response.function_call_arguments.delta": {
        const it = needOpen();
        if (it) it.args += e.delta as string;
        break;
      }
      case "response.function_call_arguments.done": {
        const it = needOpen();
        if (it && it.args !== e.arguments)
          this.#fail("function_call_arguments.done differs from deltas");
        if (it) it.argsDone = true;
        break;
      }
      case "response.output_item.done": {
        const it = needOpen();
        if (!it) break;
        if (it.parts.some((p) => !p.partDone))
          this.#fail("output_item.done with an open content part");
        const done = event.item as {
          type: string;
          content?: { text?: string }[];
          arguments?: string;
        };
        if (done.type === "message") {
          const texts = (done.content ?? []).map((c) => c.text);
          if (JSON.stringify(texts) !== JSON.stringify(it.parts.map((p) => p.text))) {
            this.#fail("output_item.done message text differs from its deltas");
          }
        }
        if (done.type === "function_call" && done.arguments !== it.args)
          this.#fail("item arguments differ");
        it.done = true;
        stream.doneItems.push(event.item);
        break;
      }
      default:
        if (TERMINAL.has(event.type)) {
          stream.terminal = true;
          const response = (
            event as { response: { id: string; status: string; output: unknown[] } }
          ).response;
          this.terminals.set(response.id, event);
          const expected = event.type.slice("response.".length);
          if (response.status !== expected)
            this.#fail(`${event.type} with status ${response.status}`);
          if (event.type === "response.cancelled") {
            // INT-7: a truncated cancel cuts the output to a prefix of what was streamed.
            if (stream.items.some((i) => !i.done)) this.#fail(`${event.type} with an open item`);
            const text = (items: unknown[]) =>
              (items as { content?: { text?: string }[] }[])
                .flatMap((i) => i.content ?? [])
                .map((c) => c.text ?? "")
                .join("");
            if (!text(stream.doneItems).startsWith(text(response.output))) {
              this.#fail("response.cancelled output is not a prefix of the streamed output");
            }
          } else if (event.type !== "response.failed") {
            if (stream.items.some((i) => !i.done)) this.#fail(`${event.type} with an open item`);
            if (JSON.stringify(response.output) !== JSON.stringify(stream.doneItems)) {
              this.#fail(`${event.type}: output differs from the output_item.done items`);
            }
          }
        }
    }
  }

  /** Throws with every problem found, if any. */
  assertClean(): void {
    if (this.problems.length > 0) throw new Error(`wire problems:\n${this.problems.join("\n")}`);
  }
}
