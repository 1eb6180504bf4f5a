/**
 * Tracks each response's event stream against the state machines of spec/streaming.md and
 * spec/responses.md: created first, gapless sequence numbers, items and content parts opened and
 * closed in order, deltas concatenating to the done values, exactly one terminal event and
 * nothing after it. It reports violations; it never decides a verdict.
 */
import { isDeepStrictEqual } from "node:util";

/** A rule broken on the wire, with the frame that broke it. */
export interface Violation {
  anchor: string;
  message: string;
  /** Wire-log index of the offending frame, when one frame is to blame. */
  entry?: number;
  conn?: string;
}

/** The terminal events of spec/index.md. */
export const TERMINAL_TYPES = new Set([
  "response.completed",
  "response.incomplete",
  "response.failed",
  "response.cancelled",
]);

const TERMINAL_STATUS: Record<string, string> = {
  "response.completed": "completed",
  "response.incomplete": "incomplete",
  "response.failed": "failed",
  "response.cancelled": "cancelled",
};

/** Output delta types and the field their `.done` event carries. */
const STREAMED: Record<string, { done: string; field: string; inPart: boolean }> = {
  "response.output_text.delta": { done: "response.output_text.done", field: "text", inPart: true },
  "response.refusal.delta": { done: "response.refusal.done", field: "refusal", inPart: true },
  "response.reasoning.delta": { done: "response.reasoning.done", field: "text", inPart: true },
  "response.reasoning_summary_text.delta": {
    done: "response.reasoning_summary_text.done",
    field: "text",
    inPart: false,
  },
  "response.function_call_arguments.delta": {
    done: "response.function_call_arguments.done",
    field: "arguments",
    inPart: false,
  },
};
const DONE_TYPES = new Map(Object.entries(STREAMED).map(([d, s]) => [s.done, { delta: d, ...s }]));

/** True for every `response.*.delta` event. */
export function isOutputDelta(type: string): boolean {
  return type in STREAMED;
}

interface PartState {
  open: boolean;
  text: string;
  doneSeen: boolean;
}

interface ItemState {
  done: boolean;
  item: Record<string, unknown> | null;
  parts: PartState[];
  /** Deltas outside content parts (function call arguments, summaries). */
  loose: Map<string, string>;
}

/** Everything known about one response. */
export interface TrackedResponse {
  id: string | null;
  events: { type: string; entry: number; t: number; data: Record<string, unknown> }[];
  lastSequence: number | null;
  terminal: { type: string; entry: number; t: number; response: Record<string, unknown> } | null;
  items: ItemState[];
  /** Items of the `output_item.done` events, in order. */
  doneItems: unknown[];
  /** All output text deltas, concatenated in order. */
  text: string;
  deltaCount: number;
  firstDeltaAt: number | null;
  lastDeltaAt: number | null;
  deltaTimes: number[];
  /** Joined mid-way (a replay): item and content state is unknown. */
  partial: boolean;
  /** Item ids seen in `output_item.added` (to place events that lack a response_id). */
  itemIds: Set<string>;
  /** Its events could not be told from another's (STREAM-2): stream rules are not checked. */
  unchecked: boolean;
  /** Rules filed under another anchor for this response (a replay's gaps are its resume rule's). */
  remap?: Record<string, string>;
}

/** Options that change which rule a violation is filed under. */
export interface TrackerOptions {
  /** `ws-core`, `ws-hotline` or `http` (where every streaming rule is also HTTP-5). */
  mode: "ws-core" | "ws-hotline" | "http";
  /** Sink for violations. */
  report(v: Violation): void;
  conn: string;
  /** Files some rules under another anchor (a replay's numbering is its endpoint's rule). */
  remap?: Record<string, string>;
}

/** Tracks every response seen on one connection or SSE stream. */
export class ResponseTracker {
  readonly responses: TrackedResponse[] = [];
  private current: TrackedResponse | null = null;
  private byId = new Map<string, TrackedResponse>();
  private truncated = new Set<string>();
  /** Core connection with overlapping responses: events are unattributable (RESP-3). */
  private overlapped = false;

  constructor(private readonly options: TrackerOptions) {}

  private violation(original: string, message: string, entry: number, r?: TrackedResponse): void {
    const anchor = r?.remap?.[original] ?? this.options.remap?.[original] ?? original;
    const a = this.options.mode === "http" && anchor.startsWith("STREAM-") ? "HTTP-5" : anchor;
    const m = a === original ? message : `${original}: ${message}`;
    this.options.report({ anchor: a, message: m, entry, conn: this.options.conn });
  }

  /**
   * Starts tracking a stream that joins a response mid-way (a replay after `afterSequence`):
   * numbering and terminal rules still apply; item and content rules cannot, and are not checked.
   */
  joinMidway(
    afterSequence: number,
    options: { id?: string; remap?: Record<string, string> } = {},
  ): void {
    const r = newResponse(options.id ?? null);
    r.lastSequence = afterSequence;
    r.partial = afterSequence >= 0;
    if (options.remap) r.remap = options.remap;
    r.events.push({ type: "(replay start)", entry: -1, t: 0, data: {} });
    this.responses.push(r);
    if (options.id !== undefined) this.byId.set(options.id, r);
    this.current = r;
  }

  /** Forgets a response, so a replay of it from the start (resume, idempotent retry) is tracked afresh. */
  forget(id: string): void {
    this.byId.delete(id);
  }

  /**
   * Notes that the client sent `response.cancel` with `truncate` for `id`: its
   * `response.cancelled` output may then be cut (STREAM-7's exception, INT-7).
   */
  noteTruncate(id: string): void {
    this.truncated.add(id);
  }

  /** The response with that id, if seen. */
  get(id: string): TrackedResponse | undefined {
    return this.byId.get(id);
  }

  /** Feeds one response-scoped event (any `response.*` event, or an error in a stream). */
  feed(data: Record<string, unknown>, entry: number, t: number): TrackedResponse | null {
    const type = String(data.type);
    const rid = this.responseIdOf(data);
    let r: TrackedResponse | null = null;
    if (type === "response.created") {
      const id = typeof rid === "string" ? rid : null;
      if (id !== null && this.byId.has(id)) {
        r = this.byId.get(id)!;
      } else {
        const open = this.current;
        if (this.options.mode === "ws-core" && open && open.terminal === null) {
          // Two responses at once on a core connection: their events carry no response_id, so
          // they cannot be told apart; only RESP-3 and the terminals are checked until both end.
          this.violation(
            "RESP-3",
            `response.created of ${id ?? "(no id)"} while ${open.id ?? "(no id)"} is still in flight on a core connection`,
            entry,
          );
          this.overlapped = true;
        }
        r = newResponse(id);
        this.responses.push(r);
        if (id !== null) this.byId.set(id, r);
        this.current = r;
      }
    } else if (rid !== null && this.byId.has(rid)) {
      r = this.byId.get(rid)!;
    } else if (this.current?.partial && this.current.id === null) {
      r = this.current;
      if (rid !== null) {
        r.id = rid;
        this.byId.set(rid, r);
      }
    } else if (this.options.mode !== "ws-hotline") {
      // One response at a time: an event past the terminal belongs to the last response
      // (STREAM-5), not to one that never started.
      r = this.current ?? (type === "error" ? null : (this.responses.at(-1) ?? null));
    } else if (typeof data.response_id !== "string" && type !== "error") {
      // STREAM-2 (reported in step): attribute the event to the open response it continues, so
      // one missing id is one finding and not a cascade of gaps.
      const open = this.responses.filter((x) => x.terminal === null && x.id !== null);
      const seq = data.sequence_number;
      let found = open.filter((x) => typeof seq === "number" && x.lastSequence === seq - 1);
      const itemId = data.item_id ?? (data.item as { id?: unknown } | undefined)?.id;
      if (found.length > 1 && typeof itemId === "string") {
        const byItem = found.filter((x) => x.itemIds.has(itemId));
        if (byItem.length === 1) found = byItem;
      }
      r = found.length === 1 ? found[0]! : open.length === 1 ? open[0]! : null;
      if (!r && open.length > 1) {
        // Ambiguous between concurrent responses: one STREAM-2 finding, and their streams are
        // no longer checked (a wrong guess would blame other rules).
        this.violation("STREAM-2", `${type} carries no response_id`, entry);
        for (const x of open) x.unchecked = true;
        return null;
      }
    }
    if (!r) {
      if (type === "error") return null;
      this.violation(
        "RESP-4",
        `${type} arrived for response ${rid ?? "(no id)"} before its response.created`,
        entry,
      );
      return null;
    }
    if (this.overlapped) {
      this.record(r, rid, data, type, entry, t);
      return r;
    }
    this.step(r, data, type, entry, t);
    return r;
  }

  /** Overlap mode: keep events and terminals (by id) without checking the stream rules. */
  private record(
    fallback: TrackedResponse,
    rid: string | null,
    data: Record<string, unknown>,
    type: string,
    entry: number,
    t: number,
  ): void {
    const r = (rid !== null ? this.byId.get(rid) : undefined) ?? fallback;
    r.events.push({ type, entry, t, data });
    if (TERMINAL_TYPES.has(type) && r.terminal === null) {
      r.terminal = { type, entry, t, response: (data.response ?? {}) as Record<string, unknown> };
    }
    if (this.responses.every((x) => x.terminal !== null)) {
      this.overlapped = false;
      this.current = null;
    }
  }

  private responseIdOf(data: Record<string, unknown>): string | null {
    if (typeof data.response_id === "string") return data.response_id;
    const resp = data.response as Record<string, unknown> | undefined;
    if (resp && typeof resp.id === "string") return resp.id;
    return null;
  }

  private step(
    r: TrackedResponse,
    data: Record<string, unknown>,
    type: string,
    entry: number,
    t: number,
  ): void {
    const first = r.events.length === 0;
    r.events.push({ type, entry, t, data });
    if (r.unchecked) {
      if (TERMINAL_TYPES.has(type) && r.terminal === null) {
        r.terminal = { type, entry, t, response: (data.response ?? {}) as Record<string, unknown> };
      }
      return;
    }
    if (r.terminal) {
      this.violation(
        "STREAM-5",
        `${type} (seq ${String(data.sequence_number)}) arrived after the terminal ${r.terminal.type} (frame #${r.terminal.entry})`,
        entry,
        r,
      );
      return;
    }
    if (first) {
      const status = (data.response as Record<string, unknown> | undefined)?.status;
      if (type !== "response.created") {
        this.violation(
          "RESP-4",
          `first event of the response is ${type}, not response.created`,
          entry,
          r,
        );
      } else if (status !== "in_progress" && status !== "queued") {
        this.violation(
          "RESP-4",
          `response.created has status ${JSON.stringify(status)}, not in_progress or queued`,
          entry,
          r,
        );
      }
    }
    this.checkSequence(r, data, type, entry);
    if (this.options.mode === "ws-hotline" && data.response_id === undefined && type !== "error") {
      this.violation("STREAM-2", `${type} carries no response_id`, entry, r);
    }
    if (!r.partial && (type.startsWith("response.output_item.") || "output_index" in data)) {
      this.stepItems(r, data, type, entry, t);
    }
    if (TERMINAL_TYPES.has(type)) this.stepTerminal(r, data, type, entry, t);
  }

  private checkSequence(
    r: TrackedResponse,
    data: Record<string, unknown>,
    type: string,
    entry: number,
  ): void {
    const seq = data.sequence_number;
    if (typeof seq !== "number") {
      // Core WebSocket errors carry no sequence number (ERR-3); they are not part of the stream.
      if (type === "error" && this.options.mode !== "http") return;
      this.violation("STREAM-1", `${type} carries no sequence_number`, entry, r);
      return;
    }
    const expected = r.lastSequence === null ? 0 : r.lastSequence + 1;
    if (seq !== expected) {
      this.violation(
        "STREAM-1",
        `${type} has sequence_number ${seq}, expected ${expected}${r.lastSequence === null ? " (first event of the response)" : ` (previous was ${r.lastSequence})`}`,
        entry,
        r,
      );
    }
    r.lastSequence = seq;
  }

  private stepItems(
    r: TrackedResponse,
    data: Record<string, unknown>,
    type: string,
    entry: number,
    t: number,
  ): void {
    const index = data.output_index;
    if (typeof index !== "number") return;
    if (type === "response.output_item.added") {
      if (index !== r.items.length) {
        this.violation(
          "STREAM-9",
          `output_item.added has output_index ${index}, expected ${r.items.length}`,
          entry,
        );
      }
      const item = (data.item ?? {}) as Record<string, unknown>;
      if (item.status !== "in_progress") {
        this.violation(
          "STREAM-8",
          `output_item.added item status is ${JSON.stringify(item.status)}, not in_progress`,
          entry,
        );
      }
      if (typeof item.id === "string") r.itemIds.add(item.id);
      r.items[index] = { done: false, item: null, parts: [], loose: new Map() };
      return;
    }
    const state = r.items[index];
    if (!state) {
      this.violation(
        "STREAM-8",
        `${type} names output_index ${index} before its output_item.added`,
        entry,
      );
      return;
    }
    if (state.done) {
      this.violation(
        "STREAM-8",
        `${type} names output_index ${index} after its output_item.done`,
        entry,
      );
      return;
    }
    if (type === "response.output_item.done") {
      state.done = true;
      state.item = (data.item ?? {}) as Record<string, unknown>;
      r.doneItems.push(data.item);
      if (state.parts.some((p) => p.open)) {
        this.violation(
          "STREAM-10",
          `output_item.done for index ${index} with a content part still open`,
          entry,
        );
      }
      this.checkItemValues(state, index, entry);
      return;
    }
    const ci = data.content_index;
    if (type === "response.content_part.added") {
      if (ci !== state.parts.length) {
        this.violation(
          "STREAM-10",
          `content_part.added has content_index ${String(ci)}, expected ${state.parts.length}`,
          entry,
        );
      }
      state.parts[typeof ci === "number" ? ci : state.parts.length] = {
        open: true,
        text: "",
        doneSeen: false,
      };
      return;
    }
    const spec = STREAMED[type];
    const done = DONE_TYPES.get(type);
    if (spec || done) {
      const field = (spec ?? done)!.field;
      const inPart = (spec ?? done)!.inPart;
      let acc: string;
      if (inPart) {
        const part = typeof ci === "number" ? state.parts[ci] : undefined;
        if (!part?.open) {
          this.violation(
            "STREAM-10",
            `${type} for output_index ${index} content_index ${String(ci)} outside an open content part`,
            entry,
          );
          return;
        }
        if (part.doneSeen) {
          this.violation(
            "STREAM-10",
            `${type} after the part's ${done ? "done" : "done event"} already arrived`,
            entry,
          );
        }
        if (spec) part.text += String(data.delta ?? "");
        else part.doneSeen = true;
        acc = part.text;
      } else {
        const key = `${type.replace(/\.(delta|done)$/, "")}:${String(ci ?? data.summary_index ?? "")}`;
        if (spec) state.loose.set(key, (state.loose.get(key) ?? "") + String(data.delta ?? ""));
        acc = state.loose.get(key) ?? "";
      }
      if (spec) {
        r.deltaCount += 1;
        if (r.firstDeltaAt === null) r.firstDeltaAt = t;
        r.lastDeltaAt = t;
        r.deltaTimes.push(t);
        if (type === "response.output_text.delta") r.text += String(data.delta ?? "");
      } else if (data[field] !== acc) {
        this.violation(
          "STREAM-11",
          `${type}.${field} (${describe(data[field])}) is not the concatenation of its deltas (${describe(acc)})`,
          entry,
        );
      }
      return;
    }
    if (type === "response.content_part.done") {
      const part = typeof ci === "number" ? state.parts[ci] : undefined;
      if (!part?.open) {
        this.violation(
          "STREAM-10",
          `content_part.done for content_index ${String(ci)} that is not open`,
          entry,
        );
        return;
      }
      part.open = false;
      const p = (data.part ?? {}) as Record<string, unknown>;
      const value = p.text ?? p.refusal;
      if (typeof value === "string" && value !== part.text) {
        this.violation(
          "STREAM-11",
          `content_part.done part text (${describe(value)}) differs from its deltas (${describe(part.text)})`,
          entry,
        );
      }
    }
  }

  private checkItemValues(state: ItemState, index: number, entry: number): void {
    const item = state.item!;
    const content = Array.isArray(item.content) ? (item.content as Record<string, unknown>[]) : [];
    state.parts.forEach((part, ci) => {
      const c = content[ci];
      const value = c ? (c.text ?? c.refusal) : undefined;
      if (typeof value === "string" && value !== part.text) {
        this.violation(
          "STREAM-11",
          `output_item.done item ${index} content ${ci} (${describe(value)}) differs from its deltas (${describe(part.text)})`,
          entry,
        );
      }
    });
    for (const [key, acc] of state.loose) {
      if (key.startsWith("response.function_call_arguments") && item.arguments !== acc) {
        this.violation(
          "STREAM-11",
          `output_item.done item ${index} arguments differ from the concatenated deltas`,
          entry,
        );
      }
    }
  }

  private stepTerminal(
    r: TrackedResponse,
    data: Record<string, unknown>,
    type: string,
    entry: number,
    t: number,
  ): void {
    const response = (data.response ?? {}) as Record<string, unknown>;
    r.terminal = { type, entry, t, response };
    if (this.current === r) this.current = null;
    const expected = TERMINAL_STATUS[type];
    if (response.status !== expected) {
      this.violation(
        "RESP-6",
        `${type} carries response.status ${JSON.stringify(response.status)}`,
        entry,
      );
    }
    if (
      type === "response.completed" &&
      (response.completed_at === null || response.completed_at === undefined)
    ) {
      this.violation("RESP-6", "response.completed has a null completed_at", entry);
    }
    const usage = response.usage as Record<string, unknown> | null | undefined;
    const details = usage?.input_tokens_details as Record<string, unknown> | undefined;
    if (
      !usage ||
      typeof usage.input_tokens !== "number" ||
      typeof usage.output_tokens !== "number" ||
      typeof usage.total_tokens !== "number" ||
      typeof details?.cached_tokens !== "number"
    ) {
      this.violation(
        "RESP-6",
        `${type} response.usage lacks input/cached/output/total token counts`,
        entry,
      );
    }
    if (type !== "response.failed" && !r.partial) {
      const open = r.items.findIndex((i) => i && !i.done);
      if (open >= 0) {
        this.violation(
          "STREAM-6",
          `${type} while output item ${open} was never closed with output_item.done`,
          entry,
        );
      }
      const cut = type === "response.cancelled" && r.id !== null && this.truncated.has(r.id);
      if (
        cut
          ? !isCutOf(response.output, r.doneItems)
          : !isDeepStrictEqual(response.output, r.doneItems)
      ) {
        this.violation(
          "STREAM-7",
          `${type} response.output differs from the ${r.doneItems.length} output_item.done items${cut ? " (beyond a truncate's cut of the output text)" : ""}`,
          entry,
        );
      }
    }
    const incompleteAt = r.items.findIndex((i) => i?.item?.status === "incomplete");
    if (incompleteAt >= 0) {
      const last = incompleteAt === r.items.length - 1;
      const ok = type === "response.incomplete" || type === "response.cancelled";
      if (!last || !ok) {
        this.violation(
          "STREAM-12",
          `item ${incompleteAt} ended incomplete but ${last ? "" : "is not the last item and "}the response ended with ${type}`,
          entry,
        );
      }
    }
  }
}

/**
 * Whether `output` is `items` cut by a truncate: the same items in order, possibly fewer, each
 * equal but for `output_text` parts whose text is a prefix of the streamed one.
 */
function isCutOf(output: unknown, items: unknown[]): boolean {
  if (!Array.isArray(output) || output.length > items.length) return false;
  return output.every((item, i) => {
    const done = items[i] as Record<string, unknown> | undefined;
    const got = item as Record<string, unknown> | null;
    if (!done || !got || typeof got !== "object") return false;
    const { content: gotContent, ...gotRest } = got;
    const { content: doneContent, ...doneRest } = done;
    if (!isDeepStrictEqual(gotRest, doneRest)) return false;
    if (!Array.isArray(gotContent) || !Array.isArray(doneContent)) {
      return isDeepStrictEqual(gotContent, doneContent);
    }
    if (gotContent.length !== doneContent.length) return false;
    return gotContent.every((part: Record<string, unknown>, j) => {
      const whole = doneContent[j] as Record<string, unknown>;
      if (part?.type !== "output_text" || whole?.type !== "output_text") {
        return isDeepStrictEqual(part, whole);
      }
      const { text: a, ...partRest } = part;
      const { text: b, ...wholeRest } = whole;
      return (
        typeof a === "string" &&
        typeof b === "string" &&
        b.startsWith(a) &&
        isDeepStrictEqual(partRest, wholeRest)
      );
    });
  });
}

function newResponse(id: string | null): TrackedResponse {
  return {
    id,
    events: [],
    lastSequence: null,
    terminal: null,
    items: [],
    doneItems: [],
    text: "",
    deltaCount: 0,
    firstDeltaAt: null,
    lastDeltaAt: null,
    deltaTimes: [],
    partial: false,
    itemIds: new Set(),
    unchecked: false,
  };
}

function describe(value: unknown): string {
  const s = JSON.stringify(value) ?? "undefined";
  return s.length > 60 ? `${s.slice(0, 57)}…"` : s;
}
