import net from "node:net";
import { DelayLine, type DelayLineSink, Link, realScheduler } from "./delay-line.js";

export interface DelayProxyOptions {
  /** Where connections are forwarded. */
  target: { host: string; port: number };
  /** Simulated round-trip time; each direction is delayed by half of it. */
  rttMs: number;
  /** Bandwidth of the simulated link, per direction, shared by all connections. Unlimited if absent. */
  bandwidthBytesPerSec?: number;
  /** A loopback address: "127.0.0.1" (default), "::1" or "localhost". */
  listenHost?: string;
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Bytes queued in one direction of one connection before its sender is paused (default 8 MiB). */
  maxQueuedBytes?: number;
  /** Called for every accepted connection, e.g. to remember the id for `cut()`. */
  onConnection?: (connection: DelayProxyConnection) => void;
}

/** Counters over the proxy's lifetime; bytes count what was delivered, after the delay. */
export interface DelayProxyStats {
  connectionsAccepted: number;
  connectionsOpen: number;
  bytesToTarget: number;
  bytesToClient: number;
}

/** One proxied connection. */
export interface DelayProxyConnection {
  readonly id: number;
  /** The client's local port, as the proxy sees it (matches the client socket's `localPort`). */
  readonly clientPort: number;
  readonly bytesToTarget: number;
  readonly bytesToClient: number;
}

/** A running delay proxy. */
export interface DelayProxy {
  /** The address the proxy listens on. */
  readonly host: string;
  readonly port: number;
  readonly rttMs: number;
  /** `host:port`, with brackets around an IPv6 host. */
  readonly authority: string;
  /** A URL that reaches the target through the proxy, e.g. `url("ws", "/v1/realtime")`. */
  url(scheme?: string, path?: string): string;
  /** A snapshot of the counters. */
  readonly stats: DelayProxyStats;
  /** The connections currently open, oldest first. */
  connections(): DelayProxyConnection[];
  /** Abruptly resets both sides of one connection now (no delay); false if it is not open. */
  cut(id: number): boolean;
  /** Abruptly resets every open connection now; returns how many. */
  cutAll(): number;
  /** Stops listening and destroys every connection. */
  close(): Promise<void>;
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "::1", "localhost"]);

/**
 * Starts a TCP proxy on loopback that makes the path to `target` behave like one with the given
 * round trip: every chunk reaches the other side half an RTT after it was sent, in order, and a
 * new connection costs one RTT before the client's first byte can leave (the SYN/SYN-ACK that
 * loopback skips), so TCP and TLS handshakes cost real round trips.
 */
export async function startDelayProxy(options: DelayProxyOptions): Promise<DelayProxy> {
  const { target, rttMs } = options;
  if (!(rttMs >= 0) || !Number.isFinite(rttMs)) {
    throw new RangeError(`rttMs must be a finite number >= 0, got ${rttMs}`);
  }
  const listenHost = options.listenHost ?? "127.0.0.1";
  if (!LOOPBACK_HOSTS.has(listenHost)) {
    throw new RangeError(`listenHost must be a loopback address, got ${listenHost}`);
  }
  const halfRtt = rttMs / 2;
  const maxQueuedBytes = options.maxQueuedBytes ?? 8 * 1024 * 1024;
  const bandwidth = options.bandwidthBytesPerSec;
  const upLink = bandwidth === undefined ? undefined : new Link(bandwidth);
  const downLink = bandwidth === undefined ? undefined : new Link(bandwidth);

  const stats: DelayProxyStats = {
    connectionsAccepted: 0,
    connectionsOpen: 0,
    bytesToTarget: 0,
    bytesToClient: 0,
  };
  const open = new Map<number, ProxiedConnection>();
  let nextId = 1;

  const server = net.createServer({ allowHalfOpen: true, noDelay: true }, (client) => {
    const conn = new ProxiedConnection(nextId++, client, {
      target,
      halfRtt,
      maxQueuedBytes,
      upLink,
      downLink,
      stats,
      onClosed: () => {
        open.delete(conn.id);
        stats.connectionsOpen--;
      },
    });
    open.set(conn.id, conn);
    stats.connectionsAccepted++;
    stats.connectionsOpen++;
    options.onConnection?.(conn);
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host: listenHost, port: options.port ?? 0 }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as net.AddressInfo;
  const host = address.address;
  const port = address.port;
  const authority = host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;

  const cutAll = (): number => {
    const all = [...open.values()];
    for (const conn of all) conn.cut();
    return all.length;
  };

  return {
    host,
    port,
    rttMs,
    authority,
    url: (scheme = "http", path = "") => `${scheme}://${authority}${path}`,
    get stats() {
      return { ...stats };
    },
    connections: () => [...open.values()],
    cut(id) {
      const conn = open.get(id);
      conn?.cut();
      return conn !== undefined;
    },
    cutAll,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        cutAll();
      }),
  };
}

interface ConnectionContext {
  target: { host: string; port: number };
  halfRtt: number;
  maxQueuedBytes: number;
  upLink: Link | undefined;
  downLink: Link | undefined;
  stats: DelayProxyStats;
  onClosed: () => void;
}

/** Both sockets of one proxied connection and the two delay lines between them. */
class ProxiedConnection implements DelayProxyConnection {
  readonly clientPort: number;
  bytesToTarget = 0;
  bytesToClient = 0;

  readonly #client: net.Socket;
  readonly #upstream: net.Socket;
  readonly #toTarget: DelayLine;
  readonly #toClient: DelayLine;
  readonly #onClosed: () => void;
  #closedSockets = 0;

  constructor(
    readonly id: number,
    client: net.Socket,
    context: ConnectionContext,
  ) {
    const { halfRtt, stats } = context;
    this.#client = client;
    this.clientPort = client.remotePort ?? 0;
    this.#onClosed = context.onClosed;
    const acceptedAt = realScheduler.now();

    // Loopback completed the client's handshake at once. A real client's first byte could only
    // leave after SYN/SYN-ACK (one RTT), and a real server could only reply once the client's
    // ACK arrived (1.5 RTT): holding each direction until then makes the handshake cost its RTT.
    this.#upstream = net.connect({
      host: context.target.host,
      port: context.target.port,
      allowHalfOpen: true,
      noDelay: true,
    });
    this.#toTarget = new DelayLine({
      delayMs: halfRtt,
      openAt: acceptedAt + 2 * halfRtt,
      link: context.upLink,
      highWaterMark: context.maxQueuedBytes,
      onPressure: (pause) => (pause ? this.#client.pause() : this.#client.resume()),
      onDeliver: (bytes) => {
        this.bytesToTarget += bytes;
        stats.bytesToTarget += bytes;
      },
    });
    this.#toClient = new DelayLine({
      delayMs: halfRtt,
      openAt: acceptedAt + 3 * halfRtt,
      link: context.downLink,
      highWaterMark: context.maxQueuedBytes,
      onPressure: (pause) => (pause ? this.#upstream.pause() : this.#upstream.resume()),
      onDeliver: (bytes) => {
        this.bytesToClient += bytes;
        stats.bytesToClient += bytes;
      },
    });

    this.#wire(client, this.#toTarget, this.#upstream, this.#toClient);
    this.#wire(this.#upstream, this.#toClient, client, this.#toTarget);
    this.#toClient.attach(sinkFor(client, this.#toClient));
    this.#upstream.once("connect", () =>
      this.#toTarget.attach(sinkFor(this.#upstream, this.#toTarget)),
    );
  }

  /** Resets both sockets now, dropping whatever is still in flight. */
  cut(): void {
    this.#toTarget.close();
    this.#toClient.close();
    reset(this.#client);
    reset(this.#upstream);
  }

  /**
   * Feeds `source` into `line` (whose sink is `peer`), and keeps `intoSource` (the line that
   * writes into `source`) from writing to a dead socket.
   */
  #wire(source: net.Socket, line: DelayLine, peer: net.Socket, intoSource: DelayLine): void {
    let ended = false;
    source.on("data", (chunk: Buffer) => line.push(chunk));
    source.on("end", () => {
      ended = true;
      line.pushEnd();
    });
    // Errors surface again as 'close' with hadError; the listener keeps them from throwing.
    source.on("error", () => {});
    source.on("close", (hadError) => {
      intoSource.close();
      // A socket that closes without an orderly end (or with an error) went away abruptly:
      // the peer learns of it half an RTT later, after the bytes sent before it.
      if ((hadError || !ended) && !peer.destroyed) line.pushReset();
      this.#closedSockets++;
      if (this.#closedSockets === 2) {
        line.close();
        this.#onClosed();
      }
    });
  }
}

function sinkFor(socket: net.Socket, line: DelayLine): DelayLineSink {
  socket.on("drain", () => line.resume());
  return {
    write: (chunk) => !socket.destroyed && socket.write(chunk),
    end: () => {
      if (!socket.destroyed) socket.end();
    },
    reset: () => reset(socket),
  };
}

function reset(socket: net.Socket): void {
  if (socket.destroyed) return;
  // An RST, not a FIN, so the other end sees the connection die rather than finish.
  if (socket.connecting) {
    // resetAndDestroy() would wait for the connect to finish first.
    socket.destroy();
    return;
  }
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}
