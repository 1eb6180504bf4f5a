/**
 * The time a peer may take to finish a message (TRANSPORT-20). ws assembles a fragmented (or
 * slowly sent) message up to its `maxPayload` with no time limit, so a peer could hold that
 * much of the server's memory for the connection's whole life by never sending the last
 * fragment. This watches the connection's socket: bytes that completed no frame arm a timer;
 * any complete message or control frame disarms it; when it fires the connection is closed
 * with 4003 (`message_incomplete`).
 */
import type { Duplex } from "node:stream";
import type { WebSocket } from "ws";

/** The timers it needs: the backend's `Clock` (virtual in tests) fits. */
export interface MessageTimer {
  now(): number;
  setTimer(atMs: number, fn: () => void): () => void;
}

/** Default time from the first byte of an unfinished message to the 4003 close. */
export const DEFAULT_INCOMPLETE_MESSAGE_MS = 30_000;

/** Close code of a connection whose message was not finished in time (`message_incomplete`). */
export const INCOMPLETE_MESSAGE_CLOSE = 4003;

/**
 * Bounds how long `ws` may hold an unfinished message. Call it right after the upgrade, with
 * the upgraded `socket`: its `data` listener must run after ws's own, which ws added during the
 * upgrade, so that a chunk's complete frames have been emitted before the chunk is judged.
 */
export function boundIncompleteMessages(
  ws: WebSocket,
  socket: Duplex,
  clock: MessageTimer,
  timeoutMs = DEFAULT_INCOMPLETE_MESSAGE_MS,
): void {
  let cancel: (() => void) | undefined;
  let sawFrame = false;
  const disarm = () => {
    cancel?.();
    cancel = undefined;
  };
  const frame = () => {
    sawFrame = true;
    disarm();
  };
  ws.on("message", frame);
  ws.on("ping", frame);
  ws.on("pong", frame);
  ws.once("close", disarm);
  socket.on("data", () => {
    // A chunk that completed a frame leaves at most the start of the next one: the timer
    // starts with the next chunk that completes nothing.
    if (sawFrame) {
      sawFrame = false;
      return;
    }
    if (cancel || ws.readyState !== ws.OPEN) return;
    cancel = clock.setTimer(clock.now() + timeoutMs, () => {
      cancel = undefined;
      if (ws.readyState === ws.OPEN) {
        ws.close(INCOMPLETE_MESSAGE_CLOSE, "message_incomplete");
      }
    });
  });
}
