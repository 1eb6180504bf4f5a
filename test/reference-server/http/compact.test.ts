/**
 * `POST /v1/responses/compact` (HTTP-18, SIM-15) and the new chain after it (RESP-27): user
 * messages kept verbatim, one compaction item, token counts equal to a create's; a tampered
 * compaction is refused; unknown paths are 404 and every 405 names its methods (HTTP-19).
 */
import t from "tap";
import { type RunningServer, startServer } from "../../../reference-server/index.js";
import { validateObject } from "../../../src/protocol/index.js";
import { TestSocket } from "../helpers/clients.js";

let server: RunningServer;
t.before(async () => {
  server = await startServer({ logLevel: "silent" });
});
t.teardown(() => server.close());

const CONVERSATION = [
  { type: "message", role: "user", content: "We agreed to launch on Tuesday and notify support." },
  { type: "message", role: "assistant", content: "Understood: Tuesday, support notified first." },
  { type: "message", role: "user", content: [{ type: "input_text", text: "Code word: slate." }] },
];

function post(path: string, body: unknown): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

interface Compacted {
  object: string;
  output: {
    type: string;
    role?: string;
    content?: { text: string }[];
    encrypted_content?: string;
  }[];
  usage: { input_tokens: number; output_tokens: number; total_tokens: number };
}

t.test(
  "a compaction keeps the user messages and summarises the rest, counted as a create",
  async (t) => {
    const res = await post("/v1/responses/compact", {
      model: "hotline-sim-1",
      instructions: "Be brief.",
      prompt_cache_key: "compact-test",
      input: CONVERSATION,
    });
    t.equal(res.status, 200);
    const body = (await res.json()) as Compacted;
    const valid = validateObject("CompactResource", body);
    t.ok(valid.ok, JSON.stringify(valid.ok ? "" : valid.issues[0]));
    t.equal(body.object, "response.compaction");
    t.same(
      body.output.map((i) => i.type),
      ["message", "message", "compaction"],
    );
    t.same(
      body.output.slice(0, 2).map((i) => [i.role, i.content?.[0]?.text]),
      [
        ["user", "We agreed to launch on Tuesday and notify support."],
        ["user", "Code word: slate."],
      ],
    );
    const created = await post("/v1/responses", {
      input: CONVERSATION,
      instructions: "Be brief.",
      max_output_tokens: 16,
    });
    const usage = ((await created.json()) as { usage: { input_tokens: number } }).usage;
    t.equal(body.usage.input_tokens, usage.input_tokens, "input tokens as a create counts them");
    t.ok(body.usage.output_tokens > 0, "the summary has tokens");
    t.equal(body.usage.total_tokens, body.usage.input_tokens + body.usage.output_tokens);
  },
);

t.test("the compacted window starts a new chain on a WebSocket (RESP-27)", async (t) => {
  const compacted = (await (
    await post("/v1/responses/compact", { model: "hotline-sim-1", input: CONVERSATION })
  ).json()) as Compacted;
  const socket = await TestSocket.open(server.wsUrl);
  socket.send({
    type: "response.create",
    store: false,
    input: [...compacted.output, { type: "message", role: "user", content: "Continue." }],
    metadata: { "sim.output_tokens": "8" },
  });
  const done = (await socket.terminal()) as {
    type: string;
    response: { usage: { input_tokens: number } };
  };
  t.equal(done.type, "response.completed");
  t.ok(done.response.usage.input_tokens > 0);
  // A compaction this server did not produce is refused where it stands.
  socket.send({
    type: "response.create",
    input: [{ type: "compaction", encrypted_content: "gAAAAABpM0Yj-forged" }],
  });
  const refused = await socket.next("error");
  t.equal(refused.error.code, "invalid_event");
  t.equal(refused.error.param, "/input/0/encrypted_content");
  socket.recorder.assertClean();
  socket.close();
});

t.test("a stored response's conversation is compacted with the new input", async (t) => {
  const first = (await (
    await post("/v1/responses", {
      input: "Remember: ember.",
      metadata: { "sim.output_tokens": "20" },
    })
  ).json()) as { id: string };
  const res = await post("/v1/responses/compact", {
    model: "hotline-sim-1",
    previous_response_id: first.id,
    input: "And now compact.",
  });
  const body = (await res.json()) as Compacted;
  t.same(
    body.output.map((i) => i.content?.[0]?.text ?? i.type),
    ["Remember: ember.", "And now compact.", "compaction"],
  );
  const unknown = await post("/v1/responses/compact", {
    model: "hotline-sim-1",
    previous_response_id: "resp_000000000000000000000000",
  });
  t.equal(unknown.status, 400);
  t.equal(
    ((await unknown.json()) as { error: { code: string } }).error.code,
    "previous_response_not_found",
  );
});

t.test("a compact body without model is a 400 naming it", async (t) => {
  const res = await post("/v1/responses/compact", { input: CONVERSATION });
  t.equal(res.status, 400);
  const body = (await res.json()) as { error: { code: string; param: string } };
  t.same([body.error.code, body.error.param], ["invalid_event", "/model"]);
});

t.test("unknown paths are 404; a 405 names the methods (HTTP-19)", async (t) => {
  const cases: [string, string, number, string | null][] = [
    ["GET", "/v1/responses/compact", 405, "POST"],
    ["DELETE", "/v1/responses/resp_1", 405, "GET"],
    ["GET", "/v1/responses/resp_1/cancel", 405, "POST"],
    ["PUT", "/v1/responses", 405, "GET, POST"],
    ["GET", "/v1/responses/resp_1/steer", 404, null],
    ["GET", "/v1/responses/%", 404, null],
  ];
  for (const [method, path, status, allow] of cases) {
    const res = await fetch(`${server.url}${path}`, { method });
    t.equal(res.status, status, `${method} ${path} → ${status}`);
    t.equal(res.headers.get("allow"), allow, `${method} ${path}: Allow ${allow}`);
    const body = (await res.json()) as { error: { code: string } };
    t.ok(body.error.code, `${method} ${path}: an error body`);
  }
});
