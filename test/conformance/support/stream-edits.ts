/**
 * Edits several mutations make to a response's stream: error events as the server would build
 * them, renumbering after an inserted event, and a prefix added to a streamed value and to every
 * place that repeats it (done events, parts, items, the terminal output), so the stream stays
 * consistent with every rule but the one a mutation breaks.
 */
import {
  type ErrorCode,
  type ErrorContext,
  ProtocolError,
  TERMINAL_EVENT_TYPES,
} from "../../../src/protocol/index.js";
import type { WireEvent, WsConnection } from "./proxy-hooks.js";

/** The terminal event types of spec/index.md. */
export const TERMINAL_TYPES: ReadonlySet<string> = new Set(TERMINAL_EVENT_TYPES);

/** True for a response's terminal event. */
export function isTerminal(e: WireEvent): boolean {
  return TERMINAL_TYPES.has(e.type);
}

/** The correlation a server echoes of the client event an error answers (ERR-4, ERR-8). */
export function correlationOf(event: WireEvent | null): ErrorContext {
  const ctx: ErrorContext = {};
  if (typeof event?.event_id === "string") ctx.eventId = event.event_id;
  if (typeof event?.client_request_id === "string") ctx.clientRequestId = event.client_request_id;
  return ctx;
}

/** An `error` event for the connection's profile, built as the reference server builds them. */
export function errorEvent(
  conn: WsConnection,
  code: ErrorCode,
  message: string,
  context: ErrorContext = {},
): WireEvent {
  return new ProtocolError(code, message, context).toEnvelope(conn.profile) as unknown as WireEvent;
}

/** Per-response sequence offsets, for mutations that add events to a response's stream. */
export class Renumbering {
  private readonly offsets = new Map<string, number>();

  /** Later events of `id` move up by one more. */
  bump(id: string): void {
    this.offsets.set(id, (this.offsets.get(id) ?? 0) + 1);
  }

  /** Applies `id`'s offset to a numbered event. */
  apply(e: WireEvent, id: string | null): void {
    const by = id === null ? 0 : (this.offsets.get(id) ?? 0);
    if (by > 0 && typeof e.sequence_number === "number") e.sequence_number += by;
  }
}

type Rec = Record<string, unknown>;

/**
 * Prepends `prefix` to one response's streamed values of one kind (output text, or function
 * call arguments): to the first delta of each part or item, and to its done event, its
 * content part, its output item and the terminal output.
 */
export class PrefixEdit {
  private readonly started = new Set<string>();

  constructor(
    private readonly prefix: string,
    private readonly kind: "text" | "arguments",
  ) {}

  /** Edits one event of the response in place; true when it changed. */
  edit(e: WireEvent): boolean {
    const key = `${String(e.output_index)}:${this.kind === "text" ? String(e.content_index) : ""}`;
    const [delta, done] =
      this.kind === "text"
        ? ["response.output_text.delta", "response.output_text.done"]
        : ["response.function_call_arguments.delta", "response.function_call_arguments.done"];
    const field = this.kind === "text" ? "text" : "arguments";
    if (e.type === delta && !this.started.has(key)) {
      this.started.add(key);
      e.delta = this.prefix + String(e.delta);
      return true;
    }
    if (e.type === done && this.started.has(key)) {
      e[field] = this.prefix + String(e[field]);
      return true;
    }
    if (e.type === "response.content_part.done" && this.kind === "text") {
      return this.started.has(key) && this.prefixText(e.part as Rec);
    }
    if (e.type === "response.output_item.done") {
      return this.editItem(e.item as Rec, Number(e.output_index));
    }
    if (TERMINAL_TYPES.has(e.type) && Array.isArray(e.response?.output)) {
      let changed = false;
      e.response.output.forEach((item, i) => {
        changed = this.editItem(item as unknown as Rec, i) || changed;
      });
      return changed;
    }
    return false;
  }

  private prefixText(part: Rec | undefined): boolean {
    if (part?.type !== "output_text" || typeof part.text !== "string") return false;
    part.text = this.prefix + part.text;
    return true;
  }

  private editItem(item: Rec | undefined, index: number): boolean {
    if (!item) return false;
    if (this.kind === "arguments") {
      if (!this.started.has(`${index}:`) || typeof item.arguments !== "string") return false;
      item.arguments = this.prefix + item.arguments;
      return true;
    }
    let changed = false;
    (Array.isArray(item.content) ? (item.content as Rec[]) : []).forEach((part, ci) => {
      if (this.started.has(`${index}:${ci}`)) changed = this.prefixText(part) || changed;
    });
    return changed;
  }
}
