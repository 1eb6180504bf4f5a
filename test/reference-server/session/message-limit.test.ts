/**
 * The hotline.v1 message limit (TRANSPORT-13): an explicit `maxMessageBytes` (`serve
 * --max-message-bytes`) is the limit `session.created` advertises and the one enforced (it
 * used to be raised to the 4 MiB default); without one, hotline.v1 keeps 4 MiB.
 */
import t, { type Test } from "tap";
import {
  type RunningServer,
  type ServerOptions,
  startServer,
} from "../../../reference-server/index.js";
import { openHotline, sessionOf } from "../helpers/hotline.js";

async function serve(t: Test, options: ServerOptions = {}): Promise<RunningServer> {
  const server = await startServer({ logLevel: "silent", ...options });
  t.teardown(() => server.close());
  return server;
}

t.test("an explicit maxMessageBytes is the advertised and enforced limit", async (t) => {
  const server = await serve(t, { maxMessageBytes: 65_536 });
  const { socket, first } = await openHotline(server.wsUrl);
  t.equal(sessionOf(first).limits.max_message_bytes, 65_536, "session.created advertises it");
  // Far below the old 4 MiB, above the advertised limit: refused as too large.
  socket.send({ type: "response.create", input: "x".repeat(100_000), generate: false });
  // The old server accepted it and ran the response: that must fail, not hang.
  const closed = await Promise.race([
    socket.closed,
    socket.terminal().then((e) => ({ code: 0, reason: `accepted (${e.type})` })),
  ]);
  t.equal(closed.code, 1009, "closed with 1009");
  t.equal(socket.recorder.ofType("error")[0]?.error.code, "message_too_large");
  socket.recorder.assertClean();
});

t.test("a limit above the default is advertised too", async (t) => {
  const server = await serve(t, { maxMessageBytes: 8 << 20 });
  const { socket, first } = await openHotline(server.wsUrl);
  t.equal(sessionOf(first).limits.max_message_bytes, 8 << 20);
  socket.close();
});

t.test("without one, hotline.v1 keeps its 4 MiB default", async (t) => {
  const server = await serve(t);
  const { socket, first } = await openHotline(server.wsUrl);
  t.equal(sessionOf(first).limits.max_message_bytes, 4 << 20);
  socket.close();
});
