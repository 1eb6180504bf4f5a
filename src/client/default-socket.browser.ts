/**
 * The browser build's default socket factory: the global `WebSocket`.
 *
 * @module
 */
import { standardSocketFactory } from "./browser-socket.js";
import type { SocketFactory } from "./socket.js";

/** The platform's default factory. */
export function defaultSocketFactory(): SocketFactory {
  return standardSocketFactory();
}
