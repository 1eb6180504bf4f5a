/**
 * The frames one turn writes on a connection leave in one `writev` (turnCork), and each is
 * still its own WebSocket frame, in order, none lost.
 */
import type { IncomingMessage } from "node:http";
import { randomBytes } from "node:crypto";
import type { Socket } from "node:net";
import t from "tap";
import WebSocket, { WebSocketServer } from "ws";
import { RealClock } from "../../../src/util/clock.js";
import { portOf } from "../../../reference-server/websocket/connection.js";
import {
  type Corkable,
  sendCorkedWrites,
  turnCork,
} from "../../../reference-server/websocket/turn-cork.js";

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function fakeSocket(): Corkable & { corks: number; uncorks: number; destroyed: boolean } {
  return {
    corks: 0,
    uncorks: 0,
    destroyed: false,
    cork() {
      this.corks++;
    },
    uncork() {
      this.uncorks++;
    },
  };
}

t.test("a turn's writes cork the socket once and its end uncorks it", async (t) => {
  const socket = fakeSocket();
  const cork = turnCork(socket);
  cork();
  cork();
  cork();
  t.same([socket.corks, socket.uncorks], [1, 0], "corked once, still corked within the turn");
  await nextTurn();
  t.same([socket.corks, socket.uncorks], [1, 1], "uncorked when the turn ended");
  cork();
  await nextTurn();
  t.same([socket.corks, socket.uncorks], [2, 2], "the next turn corks again");
});

t.test("sendCorkedWrites sends within the turn, and later writes of it cork again", async (t) => {
  const socket = fakeSocket();
  const cork = turnCork(socket);
  cork();
  sendCorkedWrites();
  t.same([socket.corks, socket.uncorks], [1, 1], "uncorked at once, before the turn ends");
  cork();
  t.same([socket.corks, socket.uncorks], [2, 1], "the turn's next write corks again");
  await nextTurn();
  t.same([socket.corks, socket.uncorks], [2, 2], "and the turn's end sends that");
});

t.test("sockets corked in one turn are all uncorked; a destroyed one is left alone", async (t) => {
  const a = fakeSocket();
  const b = fakeSocket();
  const corkA = turnCork(a);
  const corkB = turnCork(b);
  corkA();
  corkB();
  b.destroyed = true;
  await nextTurn();
  t.same([a.corks, a.uncorks], [1, 1]);
  t.same([b.corks, b.uncorks], [1, 0], "no uncork on a destroyed socket");
  corkB();
  t.equal(b.corks, 1, "nor a cork");
});

interface Pair {
  server: WebSocket;
  raw: Socket;
  client: WebSocket;
  close(): Promise<void>;
}

async function pair(deflate = false): Promise<Pair> {
  const perMessageDeflate = deflate ? { threshold: 0 } : false;
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0, perMessageDeflate });
  await new Promise<void>((resolve) => wss.once("listening", resolve));
  const { port } = wss.address() as { port: number };
  const accepted = new Promise<[WebSocket, IncomingMessage]>((resolve) =>
    wss.once("connection", (ws, request) => resolve([ws, request])),
  );
  const client = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: deflate });
  await new Promise<void>((resolve, reject) => {
    client.once("open", () => resolve());
    client.once("error", reject);
  });
  const [server, request] = await accepted;
  return {
    server,
    raw: request.socket as Socket,
    client,
    close: async () => {
      client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** Counts the socket's writes to the kernel (what a `writev` per frame would show). */
function countWrites(raw: Socket): { writes: number } {
  const counter = { writes: 0 };
  const target = raw as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of ["_writev", "_write"]) {
    const original = target[name]!.bind(raw);
    target[name] = (...args: unknown[]) => {
      counter.writes++;
      return original(...args);
    };
  }
  return counter;
}

function receive(client: WebSocket, count: number): Promise<string[]> {
  const frames: string[] = [];
  return new Promise((resolve) => {
    client.on("message", (data) => {
      frames.push(String(data));
      if (frames.length === count) resolve(frames);
    });
  });
}

t.test("a port with its socket sends a turn's frames in one write, one frame each", async (t) => {
  const { server, raw, client, close } = await pair();
  t.teardown(close);
  const port = portOf(server, new RealClock(), undefined, raw);
  const counter = countWrites(raw);
  const frames = Array.from({ length: 200 }, (_, i) => JSON.stringify({ sequence_number: i }));
  const received = receive(client, frames.length);
  for (const frame of frames.slice(0, 5)) port.send(frame);
  await nextTurn();
  t.equal(counter.writes, 1, "five frames of one turn: one write");
  for (const frame of frames.slice(5)) port.send(frame);
  t.same(await received, frames, "every frame arrives, its own message, in order");
  t.equal(counter.writes, 2, "the next turn's frames: one more write");
  let drained = false;
  port.onDrain(() => (drained = true));
  t.ok(drained, "nothing unsent once every frame arrived");
});

t.test("without the socket each frame is its own write (what the cork saves)", async (t) => {
  const { server, raw, client, close } = await pair();
  t.teardown(close);
  const port = portOf(server, new RealClock());
  const counter = countWrites(raw);
  const received = receive(client, 5);
  for (let i = 0; i < 5; i++) port.send(`{"n":${i}}`);
  await received;
  t.equal(counter.writes, 5);
});

t.test("backpressure still sees corked bytes as unsent", async (t) => {
  const { server, raw, close } = await pair();
  t.teardown(close);
  const port = portOf(server, new RealClock(), undefined, raw);
  port.send("x".repeat(10_000));
  t.ok(port.bufferedAmount() >= 10_000, `bufferedAmount ${port.bufferedAmount()} while corked`);
  let drained = false;
  port.onDrain(() => (drained = true));
  t.notOk(drained, "not drained before the write");
  while (!drained) await nextTurn();
  t.equal(port.bufferedAmount(), 0);
});

/** Text that deflate cannot shrink much (random base64), `bytes` long. */
function incompressible(bytes: number): string {
  return randomBytes(Math.ceil((bytes * 3) / 4))
    .toString("base64")
    .slice(0, bytes);
}

for (const deflate of [false, true]) {
  const how = deflate ? "permessage-deflate (a callback a frame)" : "plain (a zero-length write)";
  t.test(
    `${how}: the drain waits for a reader that stopped, and runs with nothing unsent`,
    async (t) => {
      const { server, raw, client, close } = await pair(deflate);
      t.teardown(close);
      const port = portOf(server, new RealClock(), 1 << 30, raw);
      client.pause();
      const frame = incompressible(64 << 10);
      for (let i = 0; i < 256; i++) port.send(frame); // 16 MiB: more than the loopback holds
      let unsentWhenDrained: number | undefined;
      port.onDrain(() => (unsentWhenDrained = port.bufferedAmount()));
      await new Promise((resolve) => setTimeout(resolve, 300));
      t.equal(unsentWhenDrained, undefined, "no drain while the peer reads nothing");
      const received = receive(client, 256);
      client.resume();
      await received;
      while (unsentWhenDrained === undefined) await nextTurn();
      t.equal(unsentWhenDrained, 0, "nothing was left unsent when the drain ran");
    },
  );
}

t.test(
  "permessage-deflate: a drain asked for right after the sends waits for the frames still being compressed",
  async (t) => {
    const { server, raw, client, close } = await pair(true);
    t.teardown(close);
    const port = portOf(server, new RealClock(), 1 << 30, raw);
    const received = receive(client, 64);
    for (let i = 0; i < 64; i++) port.send(incompressible(16 << 10));
    t.ok(port.bufferedAmount() > 0, "frames are waiting");
    const unsent = await new Promise<number>((resolve) =>
      port.onDrain(() => resolve(port.bufferedAmount())),
    );
    t.equal(unsent, 0, "the drain ran once ws had written every frame");
    await received;
  },
);
