/**
 * The official `openai` npm package's HTTP client, unchanged, against the HTTP binding:
 * `responses.create` with and without `stream`. The SDK's fetch is wrapped so the raw SSE
 * bytes it reads are also checked (event = type, no id, final [DONE]) and every event is
 * schema-validated and state-machine-checked.
 */
import OpenAI from "openai";
import t from "tap";
import { validateObject } from "../../../src/protocol/index.js";
import { type RunningServer, startServer } from "../../../reference-server/index.js";
import { recordSse } from "../helpers/clients.js";
import { WireRecorder } from "../helpers/recorder.js";

let server: RunningServer;
t.before(async () => {
  server = await startServer({ logLevel: "silent" });
});
t.teardown(() => server.close());

/** A fetch that tees every SSE body into `bodies`. */
function teeFetch(bodies: Promise<string>[]): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    const type = response.headers.get("content-type") ?? "";
    if (!type.startsWith("text/event-stream") || !response.body) return response;
    const [mine, theirs] = response.body.tee();
    bodies.push(new Response(mine).text());
    return new Response(theirs, { status: response.status, headers: response.headers });
  };
}

t.test("responses.create without stream returns the finished resource", async (t) => {
  const client = new OpenAI({ apiKey: "sk-test", baseURL: `${server.url}/v1` });
  const response = await client.responses.create({
    model: "hotline-sim-1",
    input: "Write a sorting function.",
    metadata: { "sim.output_tokens": "30" },
  });
  // The SDK adds the `output_text` convenience member; the wire object is the rest.
  const { output_text: _text, ...wire } = response;
  const check = validateObject("ResponseResource", wire);
  t.ok(check.ok, JSON.stringify(check.ok ? [] : check.issues));
  t.equal(response.status, "completed");
  t.equal(response.usage?.output_tokens, 30);
  t.ok(response.output_text.length > 0, "the SDK's output_text helper works");
});

t.test("responses.create with stream: the SDK's events, and the raw SSE framing", async (t) => {
  const bodies: Promise<string>[] = [];
  const client = new OpenAI({
    apiKey: "sk-test",
    baseURL: `${server.url}/v1`,
    fetch: teeFetch(bodies),
  });
  const stream = await client.responses.create({
    model: "hotline-sim-1",
    input: "Explain closures.",
    stream: true,
    metadata: { "sim.output_tokens": "25" },
  });
  const recorder = new WireRecorder();
  const types: string[] = [];
  for await (const event of stream) {
    recorder.event(event);
    types.push(event.type);
  }
  t.equal(types[0], "response.created");
  t.equal(types.at(-1), "response.completed");
  t.ok(types.includes("response.output_text.delta"));
  recorder.assertClean();
  t.equal(bodies.length, 1);
  const raw = recordSse(await bodies[0]!);
  raw.assertClean();
  t.equal(raw.events.length, types.length, "the SDK saw every SSE event");
});

t.test("the SDK's stream helper assembles the final response", async (t) => {
  const client = new OpenAI({ apiKey: "sk-test", baseURL: `${server.url}/v1` });
  const recorder = new WireRecorder();
  const stream = client.responses.stream({
    model: "hotline-sim-1",
    input: "Say something.",
    metadata: { "sim.output_tokens": "12" },
  });
  stream.on("event", (event) => recorder.event(event));
  const final = await stream.finalResponse();
  t.equal(final.status, "completed");
  t.ok(final.output_text.length > 0);
  recorder.assertClean();
});
