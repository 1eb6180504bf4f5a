/**
 * The checks made when a response's terminal event arrives (spec/responses.md and
 * spec/streaming.md): the status and usage it must carry, every output item closed, its output
 * equal to the `output_item.done` items (or a truncate's cut of them), and an incomplete item only
 * last in a response that ended incomplete or cancelled. It reports violations; the tracker
 * records the terminal itself.
 */
import { isDeepStrictEqual } from "node:util";
import { TERMINAL_STATUS } from "./stream-event-types.js";
import type { ReportViolation, TrackedResponse } from "./tracked-response.js";

/**
 * Checks the terminal event `type` of `r`, whose final response is `response`; `truncated` holds
 * the ids whose `response.cancel` asked to truncate (their cancelled output may be cut).
 */
export function checkTerminal(
  r: TrackedResponse,
  response: Record<string, unknown>,
  type: string,
  entry: number,
  truncated: ReadonlySet<string>,
  report: ReportViolation,
): void {
  const expected = TERMINAL_STATUS[type];
  if (response.status !== expected) {
    report("RESP-6", `${type} carries response.status ${JSON.stringify(response.status)}`, entry);
  }
  if (
    type === "response.completed" &&
    (response.completed_at === null || response.completed_at === undefined)
  ) {
    report(
      "RESP-6",
      `expected response.completed with a numeric completed_at, saw ${"completed_at" in response ? "null" : "it absent"}`,
      entry,
    );
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
    report("RESP-6", `${type} response.usage lacks input/cached/output/total token counts`, entry);
  }
  if (type !== "response.failed" && !r.partial) {
    const open = r.items.findIndex((i) => i && !i.done);
    if (open >= 0) {
      report(
        "STREAM-6",
        `${type} while output item ${open} was never closed with output_item.done`,
        entry,
      );
    }
    const cut = type === "response.cancelled" && r.id !== null && truncated.has(r.id);
    if (
      cut
        ? !isCutOf(response.output, r.doneItems)
        : !isDeepStrictEqual(response.output, r.doneItems)
    ) {
      report(
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
      report(
        "STREAM-12",
        `item ${incompleteAt} ended incomplete but ${last ? "" : "is not the last item and "}the response ended with ${type}`,
        entry,
      );
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
