/**
 * Tracks each response's event stream against the state machines of spec/streaming.md and
 * spec/responses.md: created first, gapless sequence numbers, items and content parts opened and
 * closed in order, deltas concatenating to the done values, exactly one terminal event and
 * nothing after it. It reports violations; it never decides a verdict. This file places each
 * event in its response and checks the stream order; the item and part state machines are in
 * output-item-checks.ts, the terminal checks in terminal-checks.ts.
 */
import { stepOutputItems } from "./output-item-checks.js";
import { TERMINAL_TYPES } from "./stream-event-types.js";
import { checkTerminal } from "./terminal-checks.js";
import {
  newResponse,
  type ReportViolation,
  type TrackedResponse,
  type Violation,
} from "./tracked-response.js";

export { isOutputDelta, TERMINAL_TYPES } from "./stream-event-types.js";
export type { TrackedResponse, Violation } from "./tracked-response.js";

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
  /** Core connection with overlapping responses: events are unattributable (RESP-31). */
  private overlapped = false;

  /** Files rule violations found by the item and terminal checks (no per-response remap). */
  private readonly report: ReportViolation = (anchor, message, entry) =>
    this.violation(anchor, message, entry);

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

  /** The open response of each named lane of a core connection (RESP-31: one per lane). */
  private lanes = new Map<string, TrackedResponse | null>();
  private defaultCurrent: TrackedResponse | null = null;

  /**
   * Feeds one response-scoped event (any `response.*` event, or an error in a stream). On a core
   * connection a named lane's events (`stream_id`, RESP-36) form a sequence of their own.
   */
  feed(data: Record<string, unknown>, entry: number, t: number): TrackedResponse | null {
    const lane = this.options.mode === "ws-core" && typeof data.stream_id === "string";
    if (!lane) return this.feedLane(data, entry, t);
    const name = data.stream_id as string;
    this.defaultCurrent = this.current;
    this.current = this.lanes.get(name) ?? null;
    try {
      return this.feedLane(data, entry, t);
    } finally {
      this.lanes.set(name, this.current);
      this.current = this.defaultCurrent;
    }
  }

  private feedLane(
    data: Record<string, unknown>,
    entry: number,
    t: number,
  ): TrackedResponse | null {
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
          // they cannot be told apart; only RESP-31 and the terminals are checked until both end.
          this.violation(
            "RESP-31",
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
      stepOutputItems(r, data, type, entry, t, this.report);
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
    checkTerminal(r, response, type, entry, this.truncated, this.report);
  }
}
