/**
 * Test helpers for hotline.v1 connections: open one (waiting for its first frame), collect a
 * response's text from its deltas, and wait for a response's terminal event.
 */
import type { ServerEvent } from "../../../src/protocol/index.js";
import { TERMINAL_TYPES, TestSocket, waitFor } from "./clients.js";

/** Options of {@link openHotline}. */
export interface HotlineOpenOptions {
  headers?: Record<string, string>;
  /** Subprotocol entries offered after `hotline.v1`. */
  extraProtocols?: string[];
}

/** Opens a hotline.v1 connection and waits for its first frame (`session.created`/`.resumed`). */
export async function openHotline(
  url: string,
  options: HotlineOpenOptions = {},
): Promise<{ socket: TestSocket; first: ServerEvent }> {
  const socket = new TestSocket(url, {
    protocols: ["hotline.v1", ...(options.extraProtocols ?? [])],
    headers: options.headers ?? {},
  });
  socket.recorder.hotline = true;
  await socket.opened;
  const first = await socket.matching(() => true);
  return { socket, first };
}

/** The session object of a `session.created` / `session.resumed` frame. */
export function sessionOf(event: ServerEvent): {
  id: string;
  resume_token: string;
  limits: Record<string, number>;
  features: string[];
} {
  return (event as unknown as { session: never }).session;
}

/** The id of a response event (its `response_id`). */
export function ridOf(event: ServerEvent): string | undefined {
  return (event as { response_id?: string }).response_id;
}

/** Resolves with the terminal event of one response (already received ones count). */
export function terminalOf(socket: TestSocket, responseId: string): Promise<ServerEvent> {
  return waitFor(
    socket,
    () => socket.recorder.events.find((e) => TERMINAL_TYPES.has(e.type) && ridOf(e) === responseId),
    `terminal event of ${responseId}`,
  );
}

/** Resolves once `count` events matching `match` were received (already received ones count). */
export function eventsWhere(
  socket: TestSocket,
  match: (e: ServerEvent) => boolean,
  count = 1,
): Promise<ServerEvent[]> {
  return waitFor(
    socket,
    () => {
      const found = socket.recorder.events.filter(match);
      return found.length >= count ? found : undefined;
    },
    `${count} matching event(s)`,
  );
}

/** Output text deltas of one response, in order. */
export function deltasOf(socket: TestSocket, responseId: string): ServerEvent[] {
  return socket.recorder.events.filter(
    (e) => e.type === "response.output_text.delta" && ridOf(e) === responseId,
  );
}
