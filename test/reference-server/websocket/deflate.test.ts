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

/** Opens a connection offering deflate (`header` as the raw offer when given). */
async function open(url: string, header?: string): Promise<{ ws: WebSocket; accepted: string }> {
  const ws = new WebSocket(url, {
    perMessageDeflate: header === undefined,
    ...(header === undefined ? {} : { headers: { "Sec-WebSocket-Extensions": header } }),
  });
  let accepted = "";
  ws.once("upgrade", (response) => {
    accepted = String(response.headers["sec-websocket-extensions"] ?? "");
  });
  await new Promise<void>((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  return { ws, accepted };
}

t.test("a bounded server window, and the offer declined past the principal's cap", async (t) => {
  const server = await startServer({
    logLevel: "silent",
    permessageDeflate: true,
    deflate: { maxPerPrincipal: 2 },
  });
  t.teardown(() => server.close());
  const first = await open(server.wsUrl);
  const second = await open(server.wsUrl);
  t.match(first.accepted, /server_max_window_bits=11/, "the server's window is bounded");
  t.match(second.accepted, /^permessage-deflate/);
  const third = await open(server.wsUrl);
  t.equal(third.accepted, "", "past the cap: connected, uncompressed (TRANSPORT-21)");
  third.ws.close();
  first.ws.close();
  await new Promise((resolve) => first.ws.once("close", resolve));
  // The slot is released with its connection (once the server saw the close).
  let fourth = await open(server.wsUrl);
  for (let i = 0; i < 40 && fourth.accepted === ""; i++) {
    fourth.ws.close();
    await new Promise((resolve) => setTimeout(resolve, 25));
    fourth = await open(server.wsUrl);
  }
  t.match(fourth.accepted, /^permessage-deflate/, "a released slot is reused");
  second.ws.close();
  fourth.ws.close();
});

t.test(
  "an offer asking for a smaller server window is served uncompressed, not refused",
  async (t) => {
    const server = await startServer({ logLevel: "silent", permessageDeflate: true });
    t.teardown(() => server.close());
    const offer = "permessage-deflate; server_max_window_bits=9";
    const { ws, accepted } = await open(server.wsUrl, offer);
    t.equal(accepted, "", "connected without the extension");
    ws.close();
  },
);
