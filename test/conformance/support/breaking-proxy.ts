/**
 * A proxy between the conformance runner and a correct server that breaks rules by rewriting
 * traffic: it accepts the runner's WebSocket upgrade only once the server accepted its own copy
 * (so refusals reach the runner unchanged), relays text frames both ways through the hook sets'
 * transforms, relays closes, and hands plain HTTP to the HTTP relay. The runner reaches it only
 * over loopback sockets, as it would any server.
 */
import { Agent, createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { WebSocketServer } from "ws";
import { relayHttp } from "./http-relay.js";
import type { ProxyEnv, ProxyHooks } from "./proxy-hooks.js";
import { MAX_PAYLOAD, WsRelay } from "./ws-relay.js";

/** Where the proxy relays to, and how it breaks the traffic. */
export interface BreakingProxyOptions {
  /** The correct server. */
  upstream: { wsUrl: string; httpUrl: string };
  /** A bearer token the server accepts (hooks may use it). */
  token: string;
  /** Hook sets applied in order to every frame (a setting's, then a mutation's). */
  layers: readonly ProxyHooks[];
}

/** A running proxy. */
export interface BreakingProxy {
  readonly wsUrl: string;
  readonly httpUrl: string;
  /** Stops listening and drops every connection, both sides. */
  close(): Promise<void>;
}

/** Starts a proxy on 127.0.0.1 (any free port). */
export async function startBreakingProxy(options: BreakingProxyOptions): Promise<BreakingProxy> {
  const shared = new Map<object, unknown>();
  const env: ProxyEnv = {
    token: options.token,
    shared: <T>(key: object, init: () => T): T => {
      if (!shared.has(key)) shared.set(key, init());
      return shared.get(key) as T;
    },
  };
  const relays = new Set<WsRelay>();
  const chosen = new WeakMap<IncomingMessage, string>();
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: MAX_PAYLOAD,
    clientTracking: false,
    handleProtocols: (_offered, req) => chosen.get(req) || false,
  });
  const agent = new Agent({ keepAlive: true });
  const seen = new WeakSet<Socket>();
  const upstreamHttp = new URL(options.upstream.httpUrl);
  const server: Server = createServer((req, res) => {
    const newConnection = !seen.has(req.socket);
    seen.add(req.socket);
    relayHttp(req, res, {
      upstream: upstreamHttp,
      layers: options.layers,
      env,
      agent,
      newConnection,
    }).catch(() => res.destroy());
  });
  server.on("upgrade", (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on("error", () => undefined);
    const relay = new WsRelay(env, options.layers, relays);
    void relay
      .start(req, socket, head, options.upstream.wsUrl, (protocol, onOpen) => {
        chosen.set(req, protocol);
        wss.handleUpgrade(req, socket, head, onOpen);
      })
      .catch(() => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    wsUrl: `ws://127.0.0.1:${port}/v1/responses`,
    httpUrl: `http://127.0.0.1:${port}`,
    async close() {
      for (const r of relays) r.destroy();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      agent.destroy();
      await closed;
    },
  };
}
