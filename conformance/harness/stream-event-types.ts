/**
 * The response event types the tracker gives meaning to: the terminal events and the status each
 * one sets, and the streamed output deltas with the `.done` event that closes each and the field
 * it carries. Kept apart so the item and terminal checks and the clients share one table.
 */

import { TERMINAL_EVENT_TYPES } from "../../src/protocol/index.js";

/** The terminal events of spec/index.md. */
export const TERMINAL_TYPES: ReadonlySet<string> = new Set(TERMINAL_EVENT_TYPES);

/** The `response.status` each terminal event must carry (RESP-6): its type's last word. */
export const TERMINAL_STATUS: Record<string, string> = Object.fromEntries(
  TERMINAL_EVENT_TYPES.map((type) => [type, type.slice("response.".length)]),
);

/** Output delta types and the field their `.done` event carries. */
export const STREAMED: Record<string, { done: string; field: string; inPart: boolean }> = {
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

/** The `.done` event types of {@link STREAMED}, each with its delta type and field. */
export const DONE_TYPES = new Map(
  Object.entries(STREAMED).map(([d, s]) => [s.done, { delta: d, ...s }]),
);

/** True for every `response.*.delta` event. */
export function isOutputDelta(type: string): boolean {
  return type in STREAMED;
}
