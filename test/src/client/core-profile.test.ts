/**
 * The client against a server that does not select hotline.v1: it falls back to the core
 * profile, runs creates one at a time per lane (`stream_id` lanes at once), steers with
 * OpenAI's `response.steer`, and refuses what core cannot do (cancel).
 */
import t from "tap";
import { HotlineClient, HotlineClientError, SteerPendingError } from "../../../src/client/index.js";
import { outputText, startTestServer, tokens } from "./helpers.js";
import { listFilesTool } from "../../helpers/tools.js";

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

t.test("cancel needs hotline.v1; steer is OpenAI's and works on core", async (t) => {
  const server = await startTestServer({ hotline: false, tokensPerSecond: 2000 });
  t.teardown(() => server.close());
  const client = new HotlineClient({ url: server.wsUrl });
  t.teardown(() => client.close());
  const stream = client.responses.create({ input: "x", ...tokens(400) });
  await t.rejects(stream.cancel(), HotlineClientError);
  await stream.id();
  const steered = stream.steer("y");
  const [before, after] = await Promise.all([stream.finalResponse(), steered.finalResponse()]);
  t.equal(before.status, "incomplete");
  t.equal(before.incomplete_details?.reason, "steered", "the steered response (INT-14)");
  t.equal(after.previous_response_id, before.id, "the successor continues it (INT-15)");
  t.equal(after.status, "completed");
  t.equal(steered.steeredFrom, before.id);
  // A steer the server does not commit fails the successor stream (INT-16).
  const late = stream.steer("too late");
  await t.rejects(late.finalResponse(), { name: "ReceivedError", code: "response_not_active" });
  const later = steered.steer("later");
  await t.rejects(later.finalResponse(), {
    name: "ReceivedError",
    code: "response_already_completed",
  });
});

t.test(
  "a steer inside a tool call: the successor stream fails with SteerPendingError",
  async (t) => {
    const server = await startTestServer({ hotline: false });
    t.teardown(() => server.close());
    const client = new HotlineClient({ url: server.wsUrl });
    t.teardown(() => client.close());
    const tool = listFilesTool();
    const stream = client.responses.create({
      input: "list",
      tools: [tool],
      tool_choice: "required",
    });
    for await (const event of stream) {
      if (event.type === "response.output_item.added") break;
    }
    const steered = stream.steer("Only TypeScript files.");
    const done = await stream.finalResponse();
    t.equal(done.status, "completed", "the call is not cut (INT-19)");
    console.error(JSON.stringify(done.output).slice(0, 300), done.usage);
    const error = await steered.finalResponse().then(
      () => undefined,
      (e: unknown) => e,
    );
    t.type(error, SteerPendingError, String(error));
    const pending = error as SteerPendingError;
    const call = done.output.find((i) => i.type === "function_call") as { call_id: string };
    t.equal(pending.previousResponseId, done.id);
    t.same(pending.requiredInput, [
      { type: "function_call_output", call_id: call.call_id, name: "list_files" },
    ]);
    t.match(pending.message, /waits for tool output/);
  },
);

t.test("lanes: stream_id runs lanes at once, each in order, on one core connection", async (t) => {
  const server = await startTestServer({ hotline: false, tokensPerSecond: 2000 });
  t.teardown(() => server.close());
  const client = new HotlineClient({ url: server.wsUrl });
  t.teardown(() => client.close());
  const a1 = client.responses.create({ input: "a1", stream_id: "a", ...tokens(200) });
  const a2 = client.responses.create({ input: "a2", stream_id: "a", ...tokens(10) });
  const b1 = client.responses.create({ input: "b1", stream_id: "b", ...tokens(10) });
  const plain = client.responses.create({ input: "default", ...tokens(10) });
  const order: string[] = [];
  const watch = (name: string, s: typeof a1) =>
    s.finalResponse().then((r) => {
      order.push(name);
      return r;
    });
  const [ra1, ra2, rb1, rd] = await Promise.all([
    watch("a1", a1),
    watch("a2", a2),
    watch("b1", b1),
    watch("d", plain),
  ]);
  t.ok(order.indexOf("b1") < order.indexOf("a1"), `lane b did not wait for lane a: ${order}`);
  t.ok(order.indexOf("d") < order.indexOf("a1"), "nor the default lane");
  t.ok(order.indexOf("a1") < order.indexOf("a2"), "lane a in order");
  for (const [s, r] of [
    [a1, ra1],
    [a2, ra2],
    [b1, rb1],
    [plain, rd],
  ] as const) {
    t.equal(await s.text(), outputText(r), `${r.id}: the stream got its own events`);
  }
  t.equal(ra2.usage?.output_tokens, 10);
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
