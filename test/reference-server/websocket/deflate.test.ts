// permessage-deflate is negotiated only when the server enables it and the client offers it,
// and a compressed turn arrives whole and valid (TRANSPORT-14).
import t from "tap";
import WebSocket from "ws";
import { startServer } from "../../../reference-server/index.js";
import { TestSocket } from "../helpers/clients.js";

async function extensionsOf(url: string, offer: boolean): Promise<string> {
  const ws = new WebSocket(url, { perMessageDeflate: offer });
  await new Promise<void>((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  const extensions = ws.extensions;
  ws.close();
  return extensions;
}

t.test("negotiated only when enabled and offered", async (t) => {
  const plain = await startServer({ port: 0, logLevel: "silent" });
  const deflate = await startServer({ port: 0, logLevel: "silent", permessageDeflate: true });
  t.teardown(async () => {
    await plain.close();
    await deflate.close();
  });
  t.equal(await extensionsOf(plain.wsUrl, true), "", "disabled by default");
  t.match(await extensionsOf(deflate.wsUrl, true), /^permessage-deflate/, "enabled and offered");
  t.equal(await extensionsOf(deflate.wsUrl, false), "", "not offered");
});

t.test("a compressed turn arrives whole and schema-valid", async (t) => {
  const server = await startServer({ port: 0, logLevel: "silent", permessageDeflate: true });
  t.teardown(() => server.close());
  const socket = await TestSocket.open(server.wsUrl);
  t.teardown(() => socket.close());
  t.match(socket.ws.extensions, /permessage-deflate/);
  socket.send({
    type: "response.create",
    model: "hotline-sim-1",
    input: "hello",
    max_output_tokens: 64,
  });
  const terminal = await socket.terminal();
  t.match(terminal.type, /^response\.(completed|incomplete)$/, terminal.type);
  const deltas = socket.recorder.events.filter((e) => e.type === "response.output_text.delta");
  const done = socket.recorder.events.find((e) => e.type === "response.output_text.done");
  t.ok(deltas.length > 0);
  t.equal(
    deltas.map((e) => (e as { delta: string }).delta).join(""),
    (done as { text: string }).text,
  );
  t.same(socket.recorder.problems, []);
});
