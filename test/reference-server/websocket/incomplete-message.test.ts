/**
 * An unfinished message has a time bound (TRANSPORT-20, issue 18): bytes that complete no frame
 * arm a timer on the injectable clock, a complete message or control frame disarms it, and the
 * connection is closed with 4003 (`message_incomplete`) when it fires. Driven on virtual time over a real ws server and
 * client on loopback.
 */
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import t, { type Test } from "tap";
import { WebSocket, WebSocketServer } from "ws";
import { VirtualClock } from "../../../src/util/clock.js";
import {
  boundIncompleteMessages,
  INCOMPLETE_MESSAGE_CLOSE,
} from "../../../reference-server/websocket/incomplete-message.js";

const TIMEOUT_MS = 1_000;

/** A ws server whose connections are watched on `clock`; `chunks()` waits for the next bytes. */
async function watched(t: Test) {
  const clock = new VirtualClock();
  const http = createServer();
  const wss = new WebSocketServer({ noServer: true });
  let onChunk: (() => void) | undefined;
  http.on("upgrade", (request, socket, head) => {
    wss.handleUpgrade(request, socket, head, (ws) => {
      boundIncompleteMessages(ws, socket, clock, TIMEOUT_MS);
      // After the watcher's listener: resolves once the watcher has judged the chunk.
      socket.on("data", () => onChunk?.());
    });
  });
  http.listen(0, "127.0.0.1");
  await once(http, "listening");
  t.teardown(() => {
    for (const ws of wss.clients) ws.terminate();
    http.close();
  });
  const client = new WebSocket(`ws://127.0.0.1:${(http.address() as AddressInfo).port}`);
  await once(client, "open");
  const closed = new Promise<number>((resolve) => client.once("close", (code) => resolve(code)));
  const chunk = () => new Promise<void>((resolve) => (onChunk = resolve));
  return { clock, client, closed, chunk };
}

t.test("an unfinished message is closed with 4003 when the bound passes, not before", async (t) => {
  const { clock, client, closed, chunk } = await watched(t);
  const seen = chunk();
  client.send('{"type":"response.create",', { fin: false });
  await seen;
  t.equal(clock.pendingTimers, 1, "the unfinished message armed the timer");
  clock.advance(TIMEOUT_MS - 1);
  t.equal(client.readyState, WebSocket.OPEN, "still open just before the bound");
  clock.advance(1);
  t.equal(await closed, INCOMPLETE_MESSAGE_CLOSE);
});

t.test("a message finished in time disarms the timer", async (t) => {
  const { clock, client, chunk } = await watched(t);
  let seen = chunk();
  client.send('{"type":', { fin: false });
  await seen;
  t.equal(clock.pendingTimers, 1);
  seen = chunk();
  client.send('"x"}', { fin: true });
  await seen;
  t.equal(clock.pendingTimers, 0, "the completed message disarmed it");
  clock.advance(TIMEOUT_MS * 10);
  t.equal(client.readyState, WebSocket.OPEN);
  client.close();
});

t.test("complete messages and pings arm nothing", async (t) => {
  const { clock, client, chunk } = await watched(t);
  let seen = chunk();
  client.send('{"type":"session.ping"}');
  await seen;
  seen = chunk();
  client.ping();
  await seen;
  t.equal(clock.pendingTimers, 0);
  clock.advance(TIMEOUT_MS * 10);
  t.equal(client.readyState, WebSocket.OPEN);
  client.close();
});
