/**
 * The official `openai` npm package's `ResponsesWS` client, unchanged, against the core
 * profile: a turn, a continuation showing cached tokens, a function-call turn, and
 * `previous_response_not_found`. Every event the SDK receives is schema-validated and
 * state-machine-checked.
 */
import OpenAI from "openai";
import { ResponsesWS } from "openai/resources/responses/ws";
import t from "tap";
import { type RunningServer, startServer } from "../../../reference-server/index.js";
import { WireRecorder } from "../helpers/recorder.js";

interface Turn {
  events: { type: string; [k: string]: unknown }[];
  // The SDK's own event types; the recorder has validated them against our schemas.
  terminal: { type: string; response: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** An SDK connection whose every event goes through a recorder. */
function connect(server: RunningServer) {
  const client = new OpenAI({ apiKey: "sk-test", baseURL: `${server.url}/v1` });
  const ws = new ResponsesWS(client);
  const recorder = new WireRecorder();
  const errors: { error?: unknown; message: string }[] = [];
  let listener: ((event: any) => void) | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
  ws.on("event", (event: unknown) => {
    recorder.event(event);
    listener?.(event);
  });
  ws.on("error", (error: { error?: unknown; message: string }) => errors.push(error));
  /** Sends a create and resolves at its terminal event (or its error envelope). */
  const turn = (body: Record<string, unknown>): Promise<Turn> =>
    new Promise((resolve) => {
      const events: Turn["events"] = [];
      listener = (event) => {
        events.push(event);
        if (
          event.type === "error" ||
          ["response.completed", "response.incomplete", "response.failed"].includes(event.type)
        ) {
          listener = undefined;
          resolve({ events, terminal: event });
        }
      };
      ws.send({ type: "response.create", ...body } as never);
    });
  return { ws, recorder, errors, turn };
}

let server: RunningServer;
t.before(async () => {
  server = await startServer({ logLevel: "silent" });
});
t.teardown(() => server.close());

t.test("a turn: created, in_progress, text items, completed with usage", async (t) => {
  const { ws, recorder, turn } = connect(server);
  const result = await turn({
    model: "hotline-sim-1",
    input: "Write a function that adds two numbers.",
    metadata: { "sim.output_tokens": "40" },
  });
  const types = result.events.map((e) => e.type);
  t.equal(types[0], "response.created");
  t.equal(types[1], "response.in_progress");
  t.ok(types.includes("response.output_text.delta"));
  t.equal(result.terminal.type, "response.completed");
  const response = result.terminal.response;
  t.equal(response.status, "completed");
  t.equal(response.usage.output_tokens, 40);
  t.ok(response.usage.input_tokens > 5);
  t.equal(response.output[0].type, "message");
  t.ok(response.output[0].content[0].text.length > 0);
  recorder.assertClean();
  ws.close();
});

t.test("a continuation with previous_response_id shows cached tokens", async (t) => {
  const { ws, recorder, turn } = connect(server);
  // A long first input: the prefix cache works in 64-token blocks.
  const input = `Refactor this module.\n${"export const value = compute(input, options);\n".repeat(60)}`;
  const first = await turn({
    model: "hotline-sim-1",
    input,
    store: false,
    metadata: { "sim.output_tokens": "20" },
  });
  t.equal(first.terminal.type, "response.completed");
  t.equal(first.terminal.response.usage.input_tokens_details.cached_tokens, 0);
  const second = await turn({
    model: "hotline-sim-1",
    previous_response_id: first.terminal.response.id,
    input: [{ role: "user", content: "Now add tests." }],
    store: false,
    metadata: { "sim.output_tokens": "20" },
  });
  t.equal(second.terminal.type, "response.completed");
  const usage = second.terminal.response.usage;
  t.equal(second.terminal.response.previous_response_id, first.terminal.response.id);
  t.ok(usage.input_tokens > first.terminal.response.usage.input_tokens, "context includes turn 1");
  t.ok(
    usage.input_tokens_details.cached_tokens >= 512,
    `cached ${usage.input_tokens_details.cached_tokens}`,
  );
  recorder.assertClean();
  ws.close();
});

t.test("a function-call turn, then its output sent back", async (t) => {
  const { ws, recorder, turn } = connect(server);
  const tools = [
    {
      type: "function",
      name: "get_weather",
      description: "Weather for a city",
      parameters: {
        type: "object",
        properties: { city: { type: "string" } },
        required: ["city"],
        additionalProperties: false,
      },
      strict: true,
    },
  ];
  const first = await turn({
    model: "hotline-sim-1",
    input: "Weather in Paris?",
    tools,
    tool_choice: "required",
  });
  t.equal(first.terminal.type, "response.completed");
  const call = first.terminal.response.output.find(
    (i: { type: string }) => i.type === "function_call",
  );
  t.ok(call, "a function_call item");
  t.equal(call.name, "get_weather");
  t.match(JSON.parse(call.arguments), { city: String });
  t.ok(first.events.some((e) => e.type === "response.function_call_arguments.delta"));
  const second = await turn({
    model: "hotline-sim-1",
    previous_response_id: first.terminal.response.id,
    input: [{ type: "function_call_output", call_id: call.call_id, output: '{"temp_c": 21}' }],
    tools,
    metadata: { "sim.output_tokens": "10" },
  });
  t.equal(second.terminal.type, "response.completed");
  t.ok(second.terminal.response.output.length > 0);
  t.ok(
    second.terminal.response.usage.input_tokens > first.terminal.response.usage.input_tokens,
    "the call and its output are in the context",
  );
  recorder.assertClean();
  ws.close();
});

t.test("previous_response_not_found for an unknown id (store=false)", async (t) => {
  const { ws, recorder, turn, errors } = connect(server);
  const result = await turn({
    model: "hotline-sim-1",
    previous_response_id: "resp_doesnotexist",
    input: "continue",
    store: false,
  });
  t.equal(result.terminal.type, "error");
  const envelope = result.terminal as unknown as {
    status: number;
    error: { code: string; param: string };
  };
  t.equal(envelope.status, 400);
  t.equal(envelope.error.code, "previous_response_not_found");
  t.equal(envelope.error.param, "previous_response_id");
  t.equal(errors.length, 1, "the SDK surfaced it as an error");
  t.notOk("sequence_number" in result.terminal, "core error envelopes carry no sequence_number");
  // The session goes on.
  const after = await turn({
    model: "hotline-sim-1",
    input: "hi",
    metadata: { "sim.output_tokens": "5" },
  });
  t.equal(after.terminal.type, "response.completed");
  recorder.assertClean();
  ws.close();
});
