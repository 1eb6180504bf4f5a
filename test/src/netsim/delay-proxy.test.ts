import { createHash, randomBytes } from "node:crypto";
import net from "node:net";
import { performance } from "node:perf_hooks";
import t, { type Test } from "tap";
import { type DelayProxy, startDelayProxy } from "../../../src/netsim/delay-proxy.js";

const RTT = 40;

/** A loopback TCP server on port 0; closes with the test. */
async function listen(
  t: Test,
  onConnection: (socket: net.Socket) => void,
): Promise<{ host: string; port: number }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.teardown(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return { host: "127.0.0.1", port: (server.address() as net.AddressInfo).port };
}

async function echoServer(t: Test): Promise<{ host: string; port: number }> {
  return listen(t, (socket) => socket.pipe(socket));
}

async function proxyTo(
  t: Test,
  target: { host: string; port: number },
  options: { rttMs?: number; bandwidthBytesPerSec?: number } = {},
): Promise<DelayProxy> {
  const proxy = await startDelayProxy({ target, rttMs: options.rttMs ?? RTT, ...options });
  t.teardown(() => proxy.close());
  return proxy;
}

function connect(t: Test, proxy: DelayProxy): net.Socket {
  const socket = net.connect({ host: proxy.host, port: proxy.port, noDelay: true });
  socket.on("error", () => {});
  t.teardown(() => {
    socket.destroy();
  });
  return socket;
}

/** Resolves once `socket` has received `bytes` bytes in total since the call. */
function receive(socket: net.Socket, bytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let got = 0;
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      got += chunk.length;
      if (got >= bytes) {
        socket.off("data", onData);
        socket.off("close", onClose);
        resolve(Buffer.concat(chunks));
      }
    };
    const onClose = () => reject(new Error(`closed after ${got} of ${bytes} bytes`));
    socket.on("data", onData);
    socket.on("close", onClose);
  });
}

/** Polls a condition on the event loop (socket teardown finishes a turn or two after 'close'). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 2));
}

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

t.test("a round trip on an open connection costs at least the RTT", async (t) => {
  const proxy = await proxyTo(t, await echoServer(t));
  const socket = connect(t, proxy);
  socket.write("warm");
  await receive(socket, 4);
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    socket.write("ping");
    t.equal((await receive(socket, 4)).toString(), "ping");
    samples.push(performance.now() - start);
  }
  t.comment(`ping round trips (ms): ${samples.map((s) => s.toFixed(1)).join(", ")}`);
  t.ok(Math.min(...samples) >= RTT, `every round trip >= ${RTT} ms`);
});

t.test("a new connection costs one RTT before its first exchange", async (t) => {
  const proxy = await proxyTo(t, await echoServer(t));
  const start = performance.now();
  const socket = connect(t, proxy);
  socket.write("hello");
  t.equal((await receive(socket, 5)).toString(), "hello");
  const elapsed = performance.now() - start;
  t.comment(`connect + first echo: ${elapsed.toFixed(1)} ms`);
  t.ok(elapsed >= 2 * RTT, `connect + first echo >= ${2 * RTT} ms`);
});

t.test("a server that speaks first is heard two RTTs after the connect", async (t) => {
  const target = await listen(t, (socket) => socket.write("banner"));
  const proxy = await proxyTo(t, target);
  const start = performance.now();
  const socket = connect(t, proxy);
  t.equal((await receive(socket, 6)).toString(), "banner");
  const elapsed = performance.now() - start;
  t.comment(`server banner after ${elapsed.toFixed(1)} ms`);
  t.ok(elapsed >= 2 * RTT);
});

t.test("4 MiB of random bytes each way arrive intact and in order", async (t) => {
  const size = 4 * 1024 * 1024;
  const up = randomBytes(size);
  const down = randomBytes(size);
  let serverGot: Promise<Buffer> | undefined;
  const target = await listen(t, (socket) => {
    serverGot = receive(socket, size);
    writeInRandomChunks(socket, down);
  });
  const proxy = await proxyTo(t, target);
  const start = performance.now();
  const socket = connect(t, proxy);
  const clientGot = receive(socket, size);
  writeInRandomChunks(socket, up);
  const received = await clientGot;
  await new Promise((resolve) => setImmediate(resolve));
  const atServer = await serverGot!;
  t.comment(`8 MiB exchanged in ${(performance.now() - start).toFixed(0)} ms`);
  t.equal(received.length, size);
  t.equal(sha256(received), sha256(down), "target -> client bytes identical");
  t.equal(atServer.length, size);
  t.equal(sha256(atServer), sha256(up), "client -> target bytes identical");
  t.same(proxy.stats, {
    connectionsAccepted: 1,
    connectionsOpen: 1,
    bytesToTarget: size,
    bytesToClient: size,
  });
});

function writeInRandomChunks(socket: net.Socket, data: Buffer): void {
  let offset = 0;
  while (offset < data.length) {
    const length = 1 + Math.floor(Math.random() * 100_000);
    socket.write(data.subarray(offset, offset + length));
    offset += length;
  }
}

t.test("the bandwidth limit serialises bytes: 1 MiB at 4 MiB/s takes 250 ms", async (t) => {
  const size = 1024 * 1024;
  let got: Promise<Buffer> | undefined;
  const target = await listen(t, (socket) => {
    got = receive(socket, size);
  });
  const proxy = await proxyTo(t, target, { rttMs: 0, bandwidthBytesPerSec: 4 * 1024 * 1024 });
  const payload = randomBytes(size);
  const socket = connect(t, proxy);
  await new Promise((resolve) => socket.once("connect", resolve));
  const start = performance.now();
  socket.write(payload);
  while (!got) await new Promise((resolve) => setImmediate(resolve));
  t.equal((await got).length, size);
  const elapsed = performance.now() - start;
  t.comment(`1 MiB at 4 MiB/s: ${elapsed.toFixed(1)} ms`);
  t.ok(elapsed >= 250, "at least 250 ms");
});

t.test("half-close passes through after the data before it", async (t) => {
  const target = await listen(t, (socket) => {
    socket.on("data", (chunk) => socket.write(chunk));
    socket.on("end", () => socket.end("bye"));
  });
  const proxy = await proxyTo(t, target);
  const socket = net.connect({ host: proxy.host, port: proxy.port, allowHalfOpen: true });
  t.teardown(() => socket.destroy());
  const chunks: Buffer[] = [];
  socket.on("data", (chunk) => chunks.push(chunk));
  socket.end("hi");
  await new Promise((resolve) => socket.once("end", resolve));
  t.equal(Buffer.concat(chunks).toString(), "hibye");
  await new Promise((resolve) => socket.once("close", resolve));
  await until(() => proxy.stats.connectionsOpen === 0);
  t.pass("the proxy forgot the connection");
});

t.test("cut() resets the client side at once and forgets the connection", async (t) => {
  let targetClosed: Promise<unknown> | undefined;
  const target = await listen(t, (socket) => {
    targetClosed = new Promise((resolve) => socket.once("close", resolve));
    socket.pipe(socket);
  });
  const seen: number[] = [];
  const proxy = await startDelayProxy({
    target,
    rttMs: RTT,
    onConnection: (connection) => seen.push(connection.id),
  });
  t.teardown(() => proxy.close());
  const socket = connect(t, proxy);
  socket.write("x");
  await receive(socket, 1);
  const [connection] = proxy.connections();
  t.ok(connection);
  t.same(seen, [connection!.id]);
  t.equal(connection!.clientPort, socket.localPort);
  t.equal(connection!.bytesToClient, 1);

  let error: NodeJS.ErrnoException | undefined;
  socket.on("error", (err) => {
    error = err;
  });
  const closed = new Promise((resolve) => socket.once("close", resolve));
  const start = performance.now();
  t.equal(proxy.cut(connection!.id), true);
  await closed;
  t.comment(`client closed ${(performance.now() - start).toFixed(1)} ms after cut()`);
  t.equal(error?.code, "ECONNRESET", "the client sees a reset");
  await targetClosed;
  await until(() => proxy.stats.connectionsOpen === 0);
  t.same(proxy.connections(), []);
  t.equal(proxy.stats.connectionsOpen, 0);
  t.equal(proxy.cut(connection!.id), false);
});

t.test("cutAll() resets every connection", async (t) => {
  const proxy = await proxyTo(t, await echoServer(t));
  const sockets = [connect(t, proxy), connect(t, proxy), connect(t, proxy)];
  await Promise.all(
    sockets.map((socket) => {
      socket.write("y");
      return receive(socket, 1);
    }),
  );
  const closed = sockets.map((socket) => new Promise((resolve) => socket.once("close", resolve)));
  t.equal(proxy.cutAll(), 3);
  await Promise.all(closed);
  t.equal(proxy.stats.connectionsAccepted, 3);
  await until(() => proxy.stats.connectionsOpen === 0);
});

t.test("a target that refuses the connection closes the client", async (t) => {
  // A port that was free a moment ago and is closed now.
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const deadPort = (probe.address() as net.AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  const proxy = await proxyTo(t, { host: "127.0.0.1", port: deadPort });
  const socket = connect(t, proxy);
  await new Promise((resolve) => socket.once("close", resolve));
  await until(() => proxy.stats.connectionsOpen === 0);
  t.pass("the proxy forgot the connection");
});

t.test("target errors propagate to the client as a reset", async (t) => {
  const target = await listen(t, (socket) => {
    socket.once("data", () => socket.resetAndDestroy());
  });
  const proxy = await proxyTo(t, target);
  const socket = connect(t, proxy);
  let error: NodeJS.ErrnoException | undefined;
  socket.on("error", (err) => {
    error = err;
  });
  socket.write("boom");
  const start = performance.now();
  await new Promise((resolve) => socket.once("close", resolve));
  t.ok(performance.now() - start >= RTT, "the reset takes the round trip too");
  t.equal(error?.code, "ECONNRESET");
});

t.test("url helpers and listen address", async (t) => {
  const proxy = await proxyTo(t, await echoServer(t));
  t.equal(proxy.host, "127.0.0.1");
  t.equal(proxy.authority, `127.0.0.1:${proxy.port}`);
  t.equal(proxy.url(), `http://127.0.0.1:${proxy.port}`);
  t.equal(proxy.url("ws", "/v1/realtime"), `ws://127.0.0.1:${proxy.port}/v1/realtime`);
  await t.rejects(
    startDelayProxy({ target: { host: "127.0.0.1", port: 1 }, rttMs: 10, listenHost: "0.0.0.0" }),
    RangeError,
  );
  await t.rejects(
    startDelayProxy({ target: { host: "127.0.0.1", port: 1 }, rttMs: -5 }),
    RangeError,
  );
});

const hasIpv6Loopback = await new Promise<boolean>((resolve) => {
  const probe = net.createServer();
  probe.once("error", () => resolve(false));
  probe.listen(0, "::1", () => probe.close(() => resolve(true)));
});

t.test(
  "listens on ::1 with a bracketed authority",
  { skip: hasIpv6Loopback ? false : "no IPv6 loopback here" },
  async (t) => {
    const proxy = await proxyTo(t, await echoServer(t), { rttMs: 10 });
    const v6 = await startDelayProxy({
      target: { host: proxy.host, port: proxy.port },
      rttMs: 0,
      listenHost: "::1",
    });
    t.teardown(() => v6.close());
    t.equal(v6.host, "::1");
    t.equal(v6.authority, `[::1]:${v6.port}`);
    const socket = net.connect({ host: "::1", port: v6.port });
    t.teardown(() => socket.destroy());
    socket.write("v6");
    t.equal((await receive(socket, 2)).toString(), "v6");
  },
);
