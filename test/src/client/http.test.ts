/**
 * The HTTP client streams a response over SSE through the shared parser: every event in
 * order, ending with the terminal one, and the same text as the stored response. A refusal
 * reads as the server sent it, ours or a foreign one.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import t from "tap";
import { HotlineHttpClient } from "../../../src/client/index.js";
import { ReceivedError } from "../../../src/protocol/index.js";
import { outputText, startTestServer, tokens } from "./helpers.js";

t.test("streams one response over SSE to its terminal event", async (t) => {
  const server = await startTestServer({ tokensPerSecond: 4000 });
  t.teardown(() => server.close());
  const client = new HotlineHttpClient({ baseUrl: server.url });
  const stream = client.create({ input: "hello", ...tokens(25) });
  const types: string[] = [];
  for await (const event of stream) types.push(event.type);
  t.equal(types[0], "response.created");
  t.equal(types.at(-1), "response.completed");
  const final = await stream.finalResponse();
  t.equal(final.usage?.output_tokens, 25);
  t.equal(await stream.text(), outputText(final));
});

t.test("a refused create fails with the server's code and HTTP status", async (t) => {
  const server = await startTestServer({ tokensPerSecond: 4000 });
  t.teardown(() => server.close());
  const client = new HotlineHttpClient({ baseUrl: server.url });
  const error = await client
    .create({ model: "no-such-model", input: "hello" })
    .finalResponse()
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  t.type(error, ReceivedError);
  t.match(error, {
    code: "model_not_found",
    status: 404,
    retryable: false,
    context: { param: "model" },
  });
});

t.test("a foreign server's error reads as sent: unregistered code, its own status", async (t) => {
  const foreign = createServer((_req, res) => {
    res.writeHead(503, { "Content-Type": "application/json" });
    res.end(
      JSON.stringify({ error: { code: "engine_busy", message: "try later", retryable: true } }),
    );
  });
  await new Promise<void>((resolve) => foreign.listen(0, "127.0.0.1", resolve));
  t.teardown(() => foreign.close());
  const { port } = foreign.address() as AddressInfo;
  const client = new HotlineHttpClient({ baseUrl: `http://127.0.0.1:${port}` });
  const error = await client
    .create({ input: "hello" })
    .finalResponse()
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  t.type(error, ReceivedError);
  t.match(error, { code: "engine_busy", status: 503, retryable: true, message: "try later" });
});
