/**
 * A {@link SocketFactory} over `ws` for Node: credentials go in `Authorization` and the
 * resume token in `Hotline-Resume-Token`, the header forms of TRANSPORT-5 and RESUME-1.
 * The browser build replaces this file with `default-socket.browser.ts`.
 *
 * @module
 */
import WebSocket from "ws";
import { HotlineClientError } from "./errors.js";
import type { ClientSocket, OpenSocketOptions, SocketFactory } from "./socket.js";

/** Creates a factory that opens sockets with `ws`. */
export function nodeSocketFactory(): SocketFactory {
  return async (options) => {
    try {
      return await open(options);
    } catch (error) {
      // ws fails a handshake that offered subprotocols when the server selects none, which is
      // exactly how a core-profile server answers (TRANSPORT-2): ask again without them.
      if (!(error instanceof NoSubprotocol)) throw error;
      return open({ ...options, protocols: [] });
    }
  };
}

class NoSubprotocol extends Error {}

function open(options: OpenSocketOptions): Promise<ClientSocket> {
  return new Promise<ClientSocket>((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (options.bearerToken) headers.Authorization = `Bearer ${options.bearerToken}`;
    if (options.resumeToken) headers["Hotline-Resume-Token"] = options.resumeToken;
    let opened = false;
    const ws = new WebSocket(options.url, options.protocols, { headers });
    ws.on("unexpected-response", (_request, response) => {
      ws.terminate();
      reject(
        new HotlineClientError(
          "connect_failed",
          `The server refused the upgrade with HTTP ${response.statusCode}.`,
        ),
      );
    });
    ws.on("error", (error) => {
      if (opened) return;
      if (error.message === "Server sent no subprotocol") reject(new NoSubprotocol());
      else reject(new HotlineClientError("connect_failed", error.message, { cause: error }));
    });
    ws.on("open", () => {
      opened = true;
      resolve({
        protocol: ws.protocol,
        send: (data) => ws.send(data),
        close: (code, reason) => ws.close(code ?? 1000, reason),
        abort: () => ws.terminate(),
      });
    });
    ws.on("message", (data, isBinary) => {
      if (!isBinary) options.handlers.onMessage(data.toString());
    });
    ws.on("close", (code, reason) => {
      if (opened) options.handlers.onClose(code, reason.toString());
    });
  });
}
