/**
 * Server-sent events framing for the HTTP binding: `event:` equals the body's `type`
 * (HTTP-2), no `id:` lines (HTTP-4), and a final `data: [DONE]` after the terminal event
 * (HTTP-3).
 */
import type { ServerResponse } from "node:http";
import type { LoggedEvent } from "../responses/event-log.js";

/** Writes the SSE response head. */
export function startSse(res: ServerResponse): void {
  res.writeHead(200, {
    "Content-Type": "text/event-stream; charset=utf-8",
    "Cache-Control": "no-store",
    Connection: "keep-alive",
    "X-Accel-Buffering": "no",
  });
  // Send the head now: a client waiting for response.created should not wait for buffering.
  res.flushHeaders();
}

/** The end of a stream: `data: [DONE]`. */
export function endSse(res: ServerResponse): void {
  if (res.writableEnded) return;
  res.end("data: [DONE]\n\n");
}

/**
 * Writes one event; after the terminal event also `[DONE]` and ends the response. Returns
 * `res.write`'s answer: false once the socket's buffer is full, when the caller must stop
 * (pause the generation or stop reading the log) until `drain`.
 */
export function writeSseEvent(res: ServerResponse, entry: LoggedEvent): boolean {
  if (res.writableEnded || res.destroyed) return true;
  const more = res.write(`event: ${entry.type}\ndata: ${entry.json}\n\n`);
  if (entry.terminal) endSse(res);
  return more;
}
