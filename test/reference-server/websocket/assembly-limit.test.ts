/**
 * Message assembly is limited per profile (TRANSPORT-19, issue 18): a core connection's
 * fragmented message is cut off (1009) once it passes twice the core limit, not twice the
 * larger hotline.v1 limit; the attack held 7.5 MiB per unfinished core message, with no end.
 */
import t from "tap";
import { startServer } from "../../../reference-server/index.js";
import { TestSocket } from "../helpers/clients.js";
import { openHotline } from "../helpers/hotline.js";

t.test("an unfinished core message past twice the core limit closes with 1009", async (t) => {
  const server = await startServer({ logLevel: "silent" });
  t.teardown(() => server.close());
  const socket = await TestSocket.open(server.wsUrl);
  // 2.5 MiB of an unfinished text message: past 2 × 1 MiB (core), below 2 × 4 MiB (hotline.v1).
  const fragment = Buffer.alloc(512 << 10, 0x20);
  for (let i = 0; i < 5; i++) socket.ws.send(fragment, { fin: false, binary: false });
  const closed = await socket.closed;
  t.equal(closed.code, 1009);
});

t.test("hotline.v1 still assembles up to its own, larger limit", async (t) => {
  const server = await startServer({ logLevel: "silent" });
  t.teardown(() => server.close());
  const { socket } = await openHotline(server.wsUrl);
  // 3 MiB: past twice the core limit, within hotline.v1's 4 MiB.
  socket.send({ type: "response.create", input: "x ".repeat(1_500_000), generate: false });
  const first = await socket.matching((e) => e.type === "error" || e.type === "response.created");
  // Read and answered (here: too many tokens for the context window), not cut off.
  t.match(first, { type: "error", error: { code: "context_length_exceeded" } });
  socket.close();
});

t.test("an unfinished message is closed with 4003 message_incomplete (TRANSPORT-20)", async (t) => {
  const server = await startServer({ logLevel: "silent", incompleteMessageMs: 300 });
  t.teardown(() => server.close());
  const socket = await TestSocket.open(server.wsUrl);
  socket.ws.send('{"type":"response.create",', { fin: false, binary: false });
  const closed = await socket.closed;
  t.equal(closed.code, 4003);
  t.equal(closed.reason, "message_incomplete");
});
