/**
 * The HTTP client streams a response over SSE through the shared parser: every event in
 * order, ending with the terminal one, and the same text as the stored response.
 */
import t from "tap";
import { HotlineHttpClient } from "../../../src/client/index.js";
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
