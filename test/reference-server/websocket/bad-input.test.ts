/**
 * Bad input never takes the server down or disturbs other connections (ERR-9..13,
 * TRANSPORT-11/12/14): invalid JSON, unknown types, schema violations, HTTP-only members over
 * the socket get an error and the session goes on; binary frames close with 1003, oversized
 * ones with 1009. A stream on another connection runs to a clean completion meanwhile.
 */
import t from "tap";
import { type RunningServer, startServer } from "../../../reference-server/index.js";
import { TestSocket } from "../helpers/clients.js";

let server: RunningServer;
t.before(async () => {
  server = await startServer({ logLevel: "silent" });
});
t.teardown(() => server.close());

t.test("every kind of bad input, while another connection streams", async (t) => {
  const bystander = await TestSocket.open(server.wsUrl);
  bystander.send({
    type: "response.create",
    input: "keep going",
    metadata: { "sim.output_tokens": "400" },
  });
  await bystander.next("response.output_text.delta");

  const socket = await TestSocket.open(server.wsUrl);
  const cases: [unknown, string, string | null][] = [
    ["{not json", "invalid_json", null],
    ["[1,2,3]", "invalid_json", null],
    ['"just a string"', "invalid_json", null],
    [{ no: "type" }, "unknown_event_type", "/type"],
    [{ type: "response.frobnicate" }, "unknown_event_type", "/type"],
    [{ type: "session.ping", nonce: "x" }, "unknown_event_type", "/type"],
    [{ type: "response.cancel", response_id: "resp_x" }, "unknown_event_type", "/type"],
    [{ type: "response.create", input: 42 }, "invalid_event", "/input"],
    [{ type: "response.create", input: "x", temperature: 9 }, "invalid_event", "/temperature"],
    [{ type: "response.create", input: "x", surprise: true }, "invalid_event", "/surprise"],
    // RESP-24: members no create body defines, and those that would change the request.
    [{ type: "response.create", input: "x", max_tokens: 5 }, "invalid_event", "/max_tokens"],
    [{ type: "response.create", input: "x", conversation: "c" }, "invalid_event", "/conversation"],
    // RESP-23: accepted members are still checked.
    [{ type: "response.create", input: "x", stream: "yes" }, "invalid_event", "/stream"],
    [
      { type: "response.create", input: "x", client_metadata: { turn: 1 } },
      "invalid_event",
      "/client_metadata/turn",
    ],
    [
      { type: "response.create", input: "x", tools: [{ type: "namespace", name: "agents" }] },
      "invalid_event",
      "/tools/0/tools",
    ],
    [
      { type: "response.create", input: "x", tools: [{ type: "fucntion", name: "f" }] },
      "invalid_event",
      "/tools/0/type",
    ],
    [{ type: "response.create", input: "x", background: true }, "invalid_event", "/background"],
  ];
  for (const [frame, code, param] of cases) {
    socket.send(frame);
    const error = await socket.next("error");
    t.equal(error.error.code, code, `${JSON.stringify(frame)} → ${code}`);
    t.equal(error.status, 400);
    if (param !== null) t.equal(error.error.param, param);
    t.notOk("sequence_number" in error);
  }
  t.equal(socket.recorder.ofType("response.created").length, 0, "nothing started");
  // The session goes on.
  socket.send({ type: "response.create", input: "fine", metadata: { "sim.output_tokens": "5" } });
  t.equal((await socket.next("response.completed")).response.status, "completed");
  socket.recorder.assertClean();
  socket.close();

  const finished = await bystander.next("response.completed");
  t.equal(finished.response.usage?.output_tokens, 400, "the other stream was not disturbed");
  bystander.recorder.assertClean();
  bystander.close();
});

t.test("a binary frame closes with 1003", async (t) => {
  const socket = await TestSocket.open(server.wsUrl);
  socket.ws.send(Buffer.from([1, 2, 3]), { binary: true });
  const closed = await socket.closed;
  t.equal(closed.code, 1003);
  t.equal(closed.reason, "binary_frame_not_supported");
  t.equal(socket.recorder.ofType("error")[0]?.error.code, "binary_frame_not_supported");
  socket.recorder.assertClean();
});

t.test("an oversized frame closes with 1009 (with the error event first)", async (t) => {
  const socket = await TestSocket.open(server.wsUrl);
  socket.send({ type: "response.create", input: "x".repeat(1_100_000) });
  const closed = await socket.closed;
  t.equal(closed.code, 1009);
  t.equal(socket.recorder.ofType("error")[0]?.error.code, "message_too_large");
  socket.recorder.assertClean();
});

t.test("a frame far beyond the limit still closes with 1009", async (t) => {
  const socket = await TestSocket.open(server.wsUrl);
  socket.send({ type: "response.create", input: "x".repeat(2_200_000) });
  t.equal((await socket.closed).code, 1009);
});

t.test("a frame of exactly 1 MiB is accepted", async (t) => {
  const socket = await TestSocket.open(server.wsUrl);
  const base = JSON.stringify({ type: "response.create", input: "", generate: false });
  const filler = "a ".repeat((1_048_576 - base.length) / 2);
  const frame = JSON.stringify({ type: "response.create", input: filler, generate: false });
  t.ok(Buffer.byteLength(frame) <= 1_048_576);
  socket.send(frame);
  const outcome = await socket.matching(
    (e) => e.type === "response.completed" || e.type === "error",
  );
  // Half a million tokens: parsed and validated, then refused for the context window only.
  t.equal(outcome.type, "error");
  t.equal((outcome as { error: { code: string } }).error.code, "context_length_exceeded");
  socket.send({
    type: "response.create",
    input: "still open",
    metadata: { "sim.output_tokens": "3" },
  });
  t.equal((await socket.next("response.completed")).type, "response.completed");
  socket.recorder.assertClean();
  socket.close();
});

t.test("the server still serves after all of it", async (t) => {
  const res = await fetch(`${server.url}/healthz`);
  t.equal(res.status, 200);
});
