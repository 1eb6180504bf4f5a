/**
 * What real clients send is served (RESP-22, RESP-23): the Codex CLI 0.171.0's create body,
 * captured from the wire (test/fixtures/codex/), over a core WebSocket as Codex uses it
 * (`generate:false` prewarm with `stream:true`, then a turn continuing it, then the tool
 * output) and over HTTP. The tools are echoed as sent; `client_metadata` is not echoed. The
 * tool loop ends: a prompt naming a tool calls it, its output is answered in text (SIM-12/13).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import t from "tap";
import { type RunningServer, startServer } from "../../../reference-server/index.js";
import { validateObject } from "../../../src/protocol/index.js";
import { recordSse, TestSocket } from "../helpers/clients.js";
import { ROOT } from "../../helpers/repo.js";

type Body = Record<string, unknown> & { input: unknown[]; tools: { type: string }[] };
const codex = JSON.parse(
  readFileSync(join(ROOT, "test/fixtures/codex/response-create-0.171.0.json"), "utf8"),
) as Body;

let server: RunningServer;
t.before(async () => {
  server = await startServer({ logLevel: "silent" });
});
t.teardown(() => server.close());

interface Item {
  type: string;
  name?: string;
  call_id?: string;
}
const outputOf = (e: unknown) => (e as { response: { output: Item[] } }).response.output;

t.test("the Codex CLI's WebSocket turn: prewarm, continuation, tool call, answer", async (t) => {
  const socket = await TestSocket.open(server.wsUrl);
  socket.send({ type: "response.create", ...codex, generate: false, input: codex.input });
  const prewarm = (await socket.terminal()) as { type: string; response: { id: string } };
  t.equal(prewarm.type, "response.completed", "the stream:true prewarm is served");
  t.same(outputOf(prewarm), [], "generate:false produced no output");

  socket.send({
    type: "response.create",
    ...codex,
    input: [],
    previous_response_id: prewarm.response.id,
  });
  const turn = (await socket.terminal()) as {
    type: string;
    response: { id: string; tools: unknown[]; usage: { input_tokens_details: unknown } };
  };
  t.equal(turn.type, "response.completed");
  const call = outputOf(turn).find((i) => i.type === "function_call");
  t.equal(call?.name, "exec_command", "'Use exec_command …' calls exec_command");
  t.same(turn.response.tools, codex.tools.map(echoed), "every tool echoed as sent");
  t.notOk("client_metadata" in turn.response, "client_metadata is not echoed");

  socket.send({
    type: "response.create",
    ...codex,
    input: [{ type: "function_call_output", call_id: call!.call_id, output: "a.txt\nb.txt" }],
    previous_response_id: turn.response.id,
  });
  const answer = await socket.terminal();
  t.equal(answer.type, "response.completed");
  t.same(
    outputOf(answer).map((i) => i.type),
    ["message"],
    "the tool's output is answered in text, not with another call",
  );
  t.equal(socket.recorder.ofType("error").length, 0, "no error on the way");
  socket.recorder.assertClean();
  socket.close();
});

t.test("the Codex CLI's HTTP turn streams to completion", async (t) => {
  const res = await fetch(`${server.url}/v1/responses`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "text/event-stream",
      "accept-encoding": "zstd,gzip",
      "x-client-request-id": "0190-codex",
      "session-id": "0190-codex",
    },
    body: JSON.stringify(codex),
  });
  t.equal(res.status, 200);
  const recorder = recordSse(await res.text());
  const terminal = recorder.events.at(-1) as { type: string; response?: unknown };
  t.equal(terminal.type, "response.completed");
  t.ok(validateObject("ResponseResource", terminal.response).ok);
  recorder.assertClean();
});

t.test("accepted members are still checked, over HTTP too", async (t) => {
  for (const [patch, pointer] of [
    [{ client_metadata: { turn: 1 } }, "/client_metadata/turn"],
    [{ tools: [{ type: "namespace", name: "agents" }] }, "/tools/0/tools"],
    [{ tools: [{ type: "fucntion", name: "f" }] }, "/tools/0/type"],
    [{ max_tokens: 5 }, "/max_tokens"],
    [{ prompt_cache_retention: "forever" }, "/prompt_cache_retention"],
  ] as const) {
    const res = await fetch(`${server.url}/v1/responses`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ input: "hi", ...patch }),
    });
    const body = (await res.json()) as { error: { code: string; param: string } };
    t.equal(res.status, 400, `${JSON.stringify(patch)} → 400`);
    t.equal(body.error.code, "invalid_event");
    t.equal(body.error.param, pointer);
  }
});

/** A tool as the resource echoes it: a function with its Open Responses nulls filled. */
function echoed(tool: { type: string }): unknown {
  if (tool.type !== "function") return tool;
  const f = tool as { type: string } & {
    name?: string;
    description?: string;
    parameters?: unknown;
    strict?: boolean;
  };
  return {
    type: "function",
    name: f.name,
    description: f.description ?? null,
    parameters: f.parameters ?? null,
    strict: f.strict ?? null,
  };
}

t.test("a tool output answering no call is refused and evicts its parent (RESP-26)", async (t) => {
  const socket = await TestSocket.open(server.wsUrl);
  socket.send({ type: "response.create", input: "Remember: ember.", store: false });
  const first = (await socket.terminal()) as { response: { id: string } };
  socket.send({
    type: "response.create",
    store: false,
    previous_response_id: first.response.id,
    input: [{ type: "function_call_output", call_id: "call_missing", output: "no call" }],
  });
  const refused = await socket.next("error");
  t.equal(refused.error.code, "tool_call_not_found");
  t.equal(refused.error.param, "/input/0/call_id");
  socket.send({
    type: "response.create",
    store: false,
    previous_response_id: first.response.id,
    input: "Continue.",
  });
  t.equal((await socket.next("error")).error.code, "previous_response_not_found", "evicted");
  t.equal(socket.recorder.ofType("response.created").length, 1, "only the first started");
  // A call and its output in one input are a complete pair (the Codex CLI over HTTP).
  socket.send({
    type: "response.create",
    input: [
      { type: "function_call", call_id: "call_1", name: "read_file", arguments: "{}" },
      { type: "function_call_output", call_id: "call_1", output: "text" },
    ],
  });
  t.equal((await socket.terminal()).type, "response.completed");
  socket.close();
});
