/**
 * The output item and content part state machines of spec/streaming.md, checked event by event:
 * items added in index order and closed once, content parts opened and closed in order inside
 * them, deltas only inside an open part, and each `.done` value (and the final item) equal to the
 * concatenation of its deltas. It updates the response's item state and reports violations.
 */
import { DONE_TYPES, STREAMED } from "./stream-event-types.js";
import type { ItemState, ReportViolation, TrackedResponse } from "./tracked-response.js";

/**
 * Steps the item and part state of `r` with one event that names an `output_index`, reporting
 * STREAM-8 to STREAM-11 violations; it also counts and times the output deltas.
 */
export function stepOutputItems(
  r: TrackedResponse,
  data: Record<string, unknown>,
  type: string,
  entry: number,
  t: number,
  report: ReportViolation,
): void {
  const index = data.output_index;
  if (typeof index !== "number") return;
  if (type === "response.output_item.added") {
    if (index !== r.items.length) {
      report(
        "STREAM-9",
        `output_item.added has output_index ${index}, expected ${r.items.length}`,
        entry,
      );
    }
    const item = (data.item ?? {}) as Record<string, unknown>;
    if (item.status !== "in_progress") {
      report(
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
    report("STREAM-8", `${type} names output_index ${index} before its output_item.added`, entry);
    return;
  }
  if (state.done) {
    report("STREAM-8", `${type} names output_index ${index} after its output_item.done`, entry);
    return;
  }
  if (type === "response.output_item.done") {
    state.done = true;
    state.item = (data.item ?? {}) as Record<string, unknown>;
    r.doneItems.push(data.item);
    if (state.parts.some((p) => p.open)) {
      report(
        "STREAM-10",
        `output_item.done for index ${index} with a content part still open`,
        entry,
      );
    }
    checkItemValues(state, index, entry, report);
    return;
  }
  const ci = data.content_index;
  if (type === "response.content_part.added") {
    if (ci !== state.parts.length) {
      report(
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
        report(
          "STREAM-10",
          `${type} for output_index ${index} content_index ${String(ci)} outside an open content part`,
          entry,
        );
        return;
      }
      if (part.doneSeen) {
        report(
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
      report(
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
      report(
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
      report(
        "STREAM-11",
        `content_part.done part text (${describe(value)}) differs from its deltas (${describe(part.text)})`,
        entry,
      );
    }
  }
}

/** Checks a closed item's content and arguments against the deltas streamed for it (STREAM-11). */
function checkItemValues(
  state: ItemState,
  index: number,
  entry: number,
  report: ReportViolation,
): void {
  const item = state.item!;
  const content = Array.isArray(item.content) ? (item.content as Record<string, unknown>[]) : [];
  state.parts.forEach((part, ci) => {
    const c = content[ci];
    const value = c ? (c.text ?? c.refusal) : undefined;
    if (typeof value === "string" && value !== part.text) {
      report(
        "STREAM-11",
        `output_item.done item ${index} content ${ci} (${describe(value)}) differs from its deltas (${describe(part.text)})`,
        entry,
      );
    }
  });
  for (const [key, acc] of state.loose) {
    if (key.startsWith("response.function_call_arguments") && item.arguments !== acc) {
      report(
        "STREAM-11",
        `output_item.done item ${index} arguments differ from the concatenated deltas`,
        entry,
      );
    }
  }
}

/** A value quoted for a message: its JSON, cut to about 60 characters. */
function describe(value: unknown): string {
  const s = JSON.stringify(value) ?? "undefined";
  return s.length > 60 ? `${s.slice(0, 57)}…"` : s;
}
