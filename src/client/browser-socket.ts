/**
 * A {@link SocketFactory} over the standard `WebSocket` (browsers, Deno, Node 22+). Tokens
 * travel as subprotocol entries because the standard API cannot set headers.
 *
 * @module
 */
import { HotlineClientError } from "./errors.js";
import { type ClientSocket, type SocketFactory, subprotocolsWithTokens } from "./socket.js";

/** Creates a factory over a standard WebSocket constructor (default: the global one). */
export function standardSocketFactory(
  WebSocketImpl: typeof WebSocket = globalThis.WebSocket,
): SocketFactory {
  return (options) =>
    new Promise<ClientSocket>((resolve, reject) => {
      if (typeof WebSocketImpl !== "function") {
        reject(new HotlineClientError("connect_failed", "No WebSocket implementation available."));
        return;
      }
      let opened = false;
      let ws: WebSocket;
      try {
        ws = new WebSocketImpl(options.url, subprotocolsWithTokens(options));
      } catch (error) {
        reject(new HotlineClientError("connect_failed", String(error), { cause: error }));
        return;
      }
      ws.onopen = () => {
        opened = true;
        resolve({
          protocol: ws.protocol,
          send: (data) => ws.send(data),
          close: (code, reason) => ws.close(code ?? 1000, reason),
          abort: () => ws.close(1000, "client watchdog"),
        });
      };
      ws.onmessage = (event: MessageEvent) => {
        if (typeof event.data === "string") options.handlers.onMessage(event.data);
      };
      ws.onclose = (event: CloseEvent) => {
        if (!opened) {
          reject(
            new HotlineClientError(
              "connect_failed",
              `WebSocket to ${options.url} failed (close ${event.code}).`,
            ),
          );
          return;
        }
        options.handlers.onClose(event.code, event.reason);
      };
    });
}
