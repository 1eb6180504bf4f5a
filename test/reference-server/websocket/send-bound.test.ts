/**
 * One bounded send path (TRANSPORT-18, issue 18): what a peer can make the server send without
 * reading it, repeated `response.resume` replays or an `error` per bad frame, stops at the
 * connection's unsent-bytes bound, which closes the connection with 1008 instead of queueing
 * more (+291 MiB and +108 MiB before). The client stops reading by pausing its socket; once the
 * server has given up, it reads again and finds the close.
 */
import type { Socket } from "node:net";
import t from "tap";
import { type RunningServer, startServer } from "../../../reference-server/index.js";
import { openHotline, ridOf } from "../helpers/hotline.js";
import { TestSocket } from "../helpers/clients.js";

const BOUND = 256 << 10;

/** Waits, without a fixed sleep, until the server has started closing every connection. */
async function serverClosing(server: RunningServer): Promise<void> {
  while (server.websocket.clients().some((ws) => ws.readyState === 1)) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function rawSocket(socket: TestSocket): Socket {
  return (socket.ws as unknown as { _socket: Socket })._socket;
}

t.test("repeated resumes by a peer that does not read end in a 1008 close", async (t) => {
  const server = await startServer({ logLevel: "silent", maxUnsentBytes: BOUND });
  t.teardown(() => server.close());
  const { socket } = await openHotline(server.wsUrl);
  socket.send({
    type: "response.create",
    input: "hi",
    client_request_id: "r1",
    metadata: { "sim.output_tokens": "3000" },
  });
  const done = await socket.next("response.completed");
  const id = ridOf(done)!;
  rawSocket(socket).pause();
  // Each resume replays the last 300 kept events (~45 KB): 400 of them are ~18 MB, far more
  // than loopback's socket buffers take.
  const after = done.sequence_number - 300;
  for (let i = 0; i < 400; i++) {
    socket.send({ type: "response.resume", response_id: id, after_sequence_number: after });
  }
  await serverClosing(server);
  rawSocket(socket).resume();
  const closed = await socket.closed;
  t.equal(closed.code, 1008);
  const replayed = socket.recorder.events.filter((e) => e.type === "response.completed").length - 1;
  t.equal(socket.recorder.ofType("error").length, 0, "every resume was replayed, none refused");
  t.ok(replayed < 400, `the server stopped replaying (${replayed} replays reached the client)`);
});

t.test("an error per bad frame to a peer that does not read ends in a 1008 close", async (t) => {
  const server = await startServer({ logLevel: "silent", maxUnsentBytes: BOUND });
  t.teardown(() => server.close());
  const socket = await TestSocket.open(server.wsUrl);
  rawSocket(socket).pause();
  const frame = JSON.stringify({ type: "nope", event_id: "e".repeat(128) });
  // 100k error replies of ~300 bytes: ~30 MB, far more than loopback's socket buffers take.
  for (let i = 0; i < 100_000; i++) socket.send(frame);
  await serverClosing(server);
  rawSocket(socket).resume();
  const closed = await socket.closed;
  t.equal(closed.code, 1008);
  t.ok(
    socket.recorder.events.length < 60_000,
    `${socket.recorder.events.length} errors reached the client`,
  );
});
