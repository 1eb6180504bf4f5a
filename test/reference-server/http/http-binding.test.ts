/**
 * The HTTP binding (HTTP-1..17): JSON and SSE creates with exact framing, GET by id, the
 * background stream resume with `starting_after`, cancel (incomplete, reason cancelled),
 * 404s, bearer authentication, `/healthz` and `/metrics`. Every SSE body is checked by
 * `recordSse` (event = type, no id, final [DONE], schemas, state machines).
 */
import t from "tap";
import { type RunningServer, startServer } from "../../../reference-server/index.js";
import { validateObject } from "../../../src/protocol/index.js";
import { recordSse, TestSocket } from "../helpers/clients.js";

let server: RunningServer;
t.before(async () => {
  server = await startServer({ logLevel: "silent" });
});
t.teardown(() => server.close());

function post(
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

t.test("POST JSON returns the finished, valid resource; GET returns it again", async (t) => {
  const res = await post("/v1/responses", { input: "hi", metadata: { "sim.output_tokens": "8" } });
  t.equal(res.status, 200);
  t.match(res.headers.get("content-type"), /^application\/json/);
  const body = await res.json();
  t.ok(validateObject("ResponseResource", body).ok);
  t.equal(body.status, "completed");
  const again = await fetch(`${server.url}/v1/responses/${body.id}`);
  t.same(await again.json(), body);
});

t.test("POST stream:true is SSE with event = type and a final [DONE]", async (t) => {
  const res = await post("/v1/responses", {
    input: "hi",
    stream: true,
    metadata: { "sim.output_tokens": "20" },
  });
  t.equal(res.status, 200);
  t.match(res.headers.get("content-type"), /^text\/event-stream/);
  const recorder = recordSse(await res.text());
  recorder.assertClean();
  t.equal(recorder.events[0]?.type, "response.created");
  t.equal(recorder.events.at(-1)?.type, "response.completed");
});

t.test(
  "a failure mid-stream: error with the next sequence_number, then response.failed",
  async (t) => {
    const res = await post("/v1/responses", {
      input: "hi",
      stream: true,
      metadata: { "sim.error": "server_error:4" },
    });
    const recorder = recordSse(await res.text());
    recorder.assertClean();
    const types = recorder.events.map((e) => e.type);
    t.same(types.slice(-2), ["error", "response.failed"]);
  },
);

t.test("refusals before the start are JSON errors with the registry status", async (t) => {
  const bad = await post("/v1/responses", "{nope");
  t.equal(bad.status, 400);
  t.equal((await bad.json()).error.code, "invalid_json");
  const invalid = await post("/v1/responses", { input: 42, stream: true });
  t.equal(invalid.status, 400);
  const body = await invalid.json();
  t.equal(body.error.code, "invalid_event");
  t.equal(body.error.param, "/input");
  const missing = await post("/v1/responses", { input: "x", previous_response_id: "resp_nope" });
  t.equal(missing.status, 400);
  t.equal((await missing.json()).error.code, "previous_response_not_found");
  const unknown = await fetch(`${server.url}/v1/responses/resp_nope`);
  t.equal(unknown.status, 404);
  t.equal((await unknown.json()).error.code, "response_not_found");
  const cancelUnknown = await post("/v1/responses/resp_nope/cancel", "");
  t.equal(cancelUnknown.status, 404);
});

t.test("store:false responses are not retrievable", async (t) => {
  const body = await (
    await post("/v1/responses", {
      input: "x",
      store: false,
      metadata: { "sim.output_tokens": "3" },
    })
  ).json();
  t.equal((await fetch(`${server.url}/v1/responses/${body.id}`)).status, 404);
});

t.test(
  "background: GET ?stream=true&starting_after=N replays then goes live; cancel ends it",
  async (t) => {
    const created = await post("/v1/responses", {
      input: "long task",
      background: true,
      service_tier: "wafer",
      metadata: { "sim.output_tokens": "3000" },
    });
    const resource = await created.json();
    t.ok(["queued", "in_progress"].includes(resource.status));
    t.equal(resource.background, true);
    const controller = new AbortController();
    const full = await fetch(`${server.url}/v1/responses/${resource.id}?stream=true`, {
      signal: controller.signal,
    });
    const reader = full.body!.getReader();
    // Read until some deltas arrived, then ask for a resume from sequence 3.
    let text = "";
    while ((text.match(/output_text\.delta/g) ?? []).length < 4) {
      const { value } = await reader.read();
      text += new TextDecoder().decode(value);
    }
    const resumed = await fetch(
      `${server.url}/v1/responses/${resource.id}?stream=true&starting_after=3`,
    );
    const cancel = await post(`/v1/responses/${resource.id}/cancel`, "");
    t.equal(cancel.status, 200);
    const cancelled = await cancel.json();
    t.equal(cancelled.status, "incomplete");
    t.same(cancelled.incomplete_details, { reason: "cancelled" });
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    const all = recordSse(text);
    all.assertClean();
    t.equal(all.events.at(-1)?.type, "response.incomplete");
    const tail = await resumed.text();
    const first = JSON.parse(
      tail
        .split("\n")
        .find((l) => l.startsWith("data: "))!
        .slice(6),
    );
    t.equal(first.sequence_number, 4, "the resume starts right after N");
    t.equal(tail.trimEnd().split("\n").at(-1), "data: [DONE]");
    // A finished response is returned unchanged by a second cancel (HTTP-16).
    const again = await (await post(`/v1/responses/${resource.id}/cancel`, "")).json();
    t.same(again, cancelled);
    controller.abort();
  },
);

t.test("a disconnected SSE client stops costing backend compute", async (t) => {
  const before = server.backend.counters().total;
  const res = await post("/v1/responses", {
    input: "long",
    stream: true,
    metadata: { "sim.output_tokens": "5000" },
  });
  const reader = res.body!.getReader();
  await reader.read();
  await reader.cancel();
  await waitFor(() => server.backend.counters().total.cancelled > before.cancelled);
  const atCancel = server.backend.counters().total.tokensGenerated;
  await new Promise((resolve) => setImmediate(resolve));
  t.equal(server.backend.counters().total.activeSequences, 0, "no sequence left running");
  t.ok(atCancel - before.tokensGenerated < 5000, "generation stopped early");
});

t.test("bearer tokens: 401 without, 200 with", async (t) => {
  const locked = await startServer({ logLevel: "silent", tokens: ["secret"] });
  t.teardown(() => locked.close());
  const denied = await fetch(`${locked.url}/v1/responses`, { method: "POST", body: "{}" });
  t.equal(denied.status, 401);
  t.equal((await denied.json()).error.code, "unauthorized");
  const ok = await fetch(`${locked.url}/v1/responses`, {
    method: "POST",
    headers: { authorization: "Bearer secret" },
    body: JSON.stringify({ input: "x", metadata: { "sim.output_tokens": "2" } }),
  });
  t.equal(ok.status, 200);
});

t.test("/healthz and /metrics", async (t) => {
  const health = await fetch(`${server.url}/healthz`);
  t.equal((await health.json()).status, "ok");
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  for (const name of [
    "hotline_sessions",
    "hotline_responses_in_flight",
    "hotline_tokens_per_second",
    "hotline_backend_queue_depth",
    "hotline_time_to_first_token_seconds_bucket",
  ]) {
    t.match(metrics, name);
  }
  // Earlier tests made HTTP creates: each counted once in the server's own overhead.
  const count = /hotline_server_overhead_seconds_count\{binding="http"\} (\d+)/.exec(metrics);
  t.ok(count && Number(count[1]) > 0, `server overhead observed per HTTP create: ${count?.[0]}`);
});

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

t.test(
  "GET /v1/models lists the served models; one by id; unknown is model_not_found",
  async (t) => {
    const list = await fetch(`${server.url}/v1/models`);
    t.equal(list.status, 200);
    const body = (await list.json()) as { data: { id: string }[] };
    t.ok(validateObject("ModelList", body).ok, "a valid ModelList");
    t.same(
      body.data.map((m) => m.id),
      [server.service.defaultModel],
    );
    const one = await fetch(`${server.url}/v1/models/${server.service.defaultModel}`);
    t.equal(one.status, 200);
    t.same(await one.json(), body.data[0]);
    const unknown = await fetch(`${server.url}/v1/models/gpt-imaginary`);
    t.equal(unknown.status, 404);
    t.equal(((await unknown.json()) as { error: { code: string } }).error.code, "model_not_found");
    const post = await fetch(`${server.url}/v1/models`, { method: "POST" });
    t.equal(post.status, 405);
    t.equal(post.headers.get("allow"), "GET");
  },
);

t.test("the model list is configurable and needs the bearer token", async (t) => {
  const guarded = await startServer({
    logLevel: "silent",
    tokens: ["sk-models"],
    models: ["wafer-coder", "wafer-coder-mini"],
  });
  t.teardown(() => guarded.close());
  t.equal((await fetch(`${guarded.url}/v1/models`)).status, 401);
  const res = await fetch(`${guarded.url}/v1/models`, {
    headers: { authorization: "Bearer sk-models" },
  });
  const body = (await res.json()) as { data: { id: string }[] };
  t.same(
    body.data.map((m) => m.id),
    ["wafer-coder", "wafer-coder-mini"],
  );
  t.equal(guarded.service.defaultModel, "wafer-coder", "the first listed model is the default");
});

t.test("a model not served is model_not_found on every binding (RESP-28)", async (t) => {
  const http = await fetch(`${server.url}/v1/responses`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "gpt-imaginary", input: "hi" }),
  });
  t.equal(http.status, 404);
  const body = (await http.json()) as { error: { code: string; param: string } };
  t.same([body.error.code, body.error.param], ["model_not_found", "model"]);
  const compact = await fetch(`${server.url}/v1/responses/compact`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "gpt-imaginary", input: "hi" }),
  });
  t.equal(compact.status, 404);
  const socket = await TestSocket.open(server.wsUrl);
  socket.send({ type: "response.create", model: "gpt-imaginary", input: "hi" });
  const refused = await socket.next("error");
  t.same([refused.status, refused.error.code], [404, "model_not_found"]);
  socket.send({ type: "response.create", model: server.service.defaultModel, input: "hi" });
  t.equal((await socket.terminal()).type, "response.completed", "the served model still works");
  socket.close();
});
