/**
 * A server that fails everything, quickly: it upgrades WebSocket connections and answers every
 * message with an `error` event lacking its status and code, and answers every HTTP request
 * with a 500 in plain text. The runner must judge it within 60 s (issue 12: decide as soon as
 * the server has answered; the per-turn timeout is for silence only).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer } from "ws";

export interface FailingServer {
  url: string;
  wsUrl: string;
  close(): Promise<void>;
}

export async function startFailingServer(): Promise<FailingServer> {
  const http = createServer((req, res) => {
    req.resume();
    res.writeHead(500, { "content-type": "text/plain" });
    res.end("everything fails here");
  });
  const wss = new WebSocketServer({ server: http });
  wss.on("connection", (ws) => {
    ws.on("message", () => ws.send(JSON.stringify({ type: "error", error: { message: "no" } })));
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/v1/responses`,
    async close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
