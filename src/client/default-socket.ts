/**
 * The socket factory used when none is given: `ws` on Node. The browser build swaps this
 * module for `default-socket.browser.ts` so `ws` never reaches a bundle.
 *
 * @module
 */
import { nodeSocketFactory } from "./node-socket.js";
import type { SocketFactory } from "./socket.js";

/** The platform's default factory. */
export function defaultSocketFactory(): SocketFactory {
  return nodeSocketFactory();
}
