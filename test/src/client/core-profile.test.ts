/**
 * The client against a server that does not select hotline.v1: it falls back to the core
 * profile, runs creates one at a time, and refuses what core cannot do.
 */
import t from "tap";
import { HotlineClient, HotlineClientError } from "../../../src/client/index.js";
import { outputText, startTestServer, tokens } from "./helpers.js";

t.test("falls back to core and streams responses one at a time", async (t) => {
  const server = await startTestServer({ hotline: false, tokensPerSecond: 2000 });
  t.teardown(() => server.close());
  const client = new HotlineClient({ url: server.wsUrl });
  t.teardown(() => client.close());
  const info = await client.connect();
  t.equal(info.profile, "core");
  t.equal(info.session, undefined);
  t.equal(client.limits, undefined);
  const first = client.responses.create({ input: "one", ...tokens(40) });
  const second = client.responses.create({ input: "two", ...tokens(30) });
  const events: string[] = [];
  for await (const event of first) events.push(event.type);
  t.equal(events[0], "response.created");
  t.equal(events.at(-1), "response.completed");
  const [firstFinal, secondFinal] = await Promise.all([
    first.finalResponse(),
    second.finalResponse(),
  ]);
  t.equal(await first.text(), outputText(firstFinal));
  t.equal(await second.text(), outputText(secondFinal));
  t.not(firstFinal.id, secondFinal.id);
  t.equal(secondFinal.usage?.output_tokens, 30);
});

t.test("cancel and steer need hotline.v1", async (t) => {
  const server = await startTestServer({ hotline: false, tokensPerSecond: 2000 });
  t.teardown(() => server.close());
  const client = new HotlineClient({ url: server.wsUrl });
  t.teardown(() => client.close());
  const stream = client.responses.create({ input: "x", ...tokens(20) });
  await t.rejects(stream.cancel(), HotlineClientError);
  const steered = stream.steer("y");
  await t.rejects(steered.finalResponse(), { code: "unsupported" });
  await stream.finalResponse();
});

t.test("a server error event rejects the create with a ReceivedError", async (t) => {
  const server = await startTestServer({ hotline: false });
  t.teardown(() => server.close());
  const client = new HotlineClient({ url: server.wsUrl });
  t.teardown(() => client.close());
  const stream = client.responses.create({ input: "x", previous_response_id: "resp_missing" });
  await t.rejects(stream.finalResponse(), {
    name: "ReceivedError",
    code: "previous_response_not_found",
  });
  const ok = client.responses.create({ input: "after", ...tokens(5) });
  t.equal((await ok.finalResponse()).status, "completed", "the connection goes on");
});
