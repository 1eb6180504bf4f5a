/**
 * Server-sent events as the HTTP binding frames them (HTTP-2 to HTTP-4): the one parser the
 * HTTP client, the conformance harness, the benchmark and the tests share. It reads fields by
 * the SSE rules (a space after the colon is dropped, comments skipped, `data` lines joined)
 * and leaves judging the framing to its callers.
 */
import { SSE_DONE } from "./constants.js";

/** The fields of one SSE message block (comments skipped; `data` lines joined by newlines). */
export interface SseFields {
  event: string | null;
  id: string | null;
  data: string;
}

/** Parses one SSE message block into its fields; null for a block of comments only. */
export function sseFields(block: string): SseFields | null {
  let event: string | null = null;
  let id: string | null = null;
  const data: string[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (line === "" || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
    else if (field === "id") id = value;
  }
  if (data.length === 0 && event === null && id === null) return null;
  return { event, id, data: data.join("\n") };
}

/** Splits the complete message blocks off a growing SSE text; `rest` is the unfinished tail. */
export function splitSseBlocks(text: string): { blocks: string[]; rest: string } {
  const blocks: string[] = [];
  const boundary = /\r?\n\r?\n/g;
  let start = 0;
  for (let m = boundary.exec(text); m !== null; m = boundary.exec(text)) {
    blocks.push(text.slice(start, m.index));
    start = m.index + m[0].length;
  }
  return { blocks, rest: text.slice(start) };
}

/** Every message of a whole SSE body in order, a last block without its blank line included. */
export function parseSseBody(text: string): SseFields[] {
  const { blocks, rest } = splitSseBlocks(text);
  if (rest.trim() !== "") blocks.push(rest);
  return blocks.flatMap((block) => sseFields(block) ?? []);
}

/** True for the `data: [DONE]` message that ends every stream (HTTP-3). */
export function isSseDone(fields: SseFields): boolean {
  return fields.data === SSE_DONE;
}
