/**
 * Codex's `response.interrupt` (INT-23, INT-24) on a real server over a core connection:
 * acknowledged in the response's stream, the open item announced interrupted and left out of
 * `output`, the response ended `incomplete` (reason `interrupted`) with truthful usage, and a
 * continuation that reads only what was finished. Every frame is schema- and order-checked.
 */
import t from "tap";
import { type RunningServer, startServer } from "../../../reference-server/index.js";
import type { ServerEvent } from "../../../src/protocol/index.js";
import { TestSocket } from "../helpers/clients.js";

let server: RunningServer;
t.before(async () => {
  server = await startServer({
    logLevel: "silent",
    backend: { tiers: { wafer: { decodeTokensPerSecond: 400, burstTokensPerSecond: 400 } } },
  });
});
t.teardown(() => server.close());

type Resource = {
  id: string;
  output: { id: string }[];
  incomplete_details: { reason: string } | null;
  usage: { input_tokens: number; output_tokens: number };
};

t.test(
  "an interrupt mid-message: accepted, item interrupted, incomplete, continuable",
  async (t) => {
    const socket = await TestSocket.open(server.wsUrl);
    socket.send({
      type: "response.create",
      input: "write",
      stream_id: "codex",
      metadata: { "sim.output_tokens": "400" },
    });
    const created = (await socket.next("response.created")) as { response: Resource };
    const id = created.response.id;
    const added = (await socket.next("response.output_item.added")) as { item: { id: string } };
    for (let i = 0; i < 3; i++) await socket.next("response.output_text.delta");
    socket.send({ type: "response.interrupt", response_id: id, mode: "discard_partial_items" });
    const accepted = await socket.matching((e) => e.type === "response.interrupt.accepted");
    t.match(
      accepted,
      { response_id: id, stream_id: "codex" },
      "numbered in the stream, on its lane",
    );
    const interrupted = await socket.matching((e) => e.type === "response.output_item.interrupted");
    t.match(interrupted, { response_id: id, item_id: added.item.id, output_index: 0 });
    const ended = (await socket.terminal()) as ServerEvent & { response: Resource };
    t.equal(ended.type, "response.incomplete");
    t.equal(ended.response.incomplete_details?.reason, "interrupted");
    t.same(ended.response.output, [], "the partial message is discarded");
    const events = socket.recorder.events;
    const after = events.slice(events.indexOf(accepted));
    t.notOk(
      after.some(
        (e) => e.type === "response.output_item.done" || e.type === "response.content_part.done",
      ),
      "no done event for the interrupted item",
    );
    const seq = (e: ServerEvent) => (e as { sequence_number: number }).sequence_number;
    t.equal(seq(interrupted), seq(accepted) + 1);
    t.equal(seq(ended), seq(interrupted) + 1, "gapless in the response's stream");
    const deltas = events.filter((e) => e.type === "response.output_text.delta").length;
    t.ok(ended.response.usage.output_tokens >= deltas, "usage counts the tokens generated");
    t.ok(ended.response.usage.output_tokens < 400, "and only those");
    // The continuation reads the parent's input and its own, not the discarded text.
    socket.send({
      type: "response.create",
      previous_response_id: id,
      input: "write",
      stream_id: "codex",
      metadata: { "sim.output_tokens": "2" },
    });
    const next = (await socket.matching((e) => e.type === "response.completed")) as ServerEvent & {
      response: Resource;
    };
    t.equal(
      next.response.usage.input_tokens,
      2 * ended.response.usage.input_tokens,
      "parent input + the same new input, nothing of the discarded output",
    );
    socket.recorder.assertClean();
    socket.close();
  },
);

t.test("an interrupt of an unknown or finished response changes nothing", async (t) => {
  const socket = await TestSocket.open(server.wsUrl);
  socket.send({
    type: "response.interrupt",
    response_id: "resp_nope",
    mode: "discard_partial_items",
  });
  t.match(await socket.next("error"), { error: { code: "response_not_active" } });
  socket.send({ type: "response.create", input: "hi", metadata: { "sim.output_tokens": "3" } });
  const done = (await socket.terminal()) as { type: string; response: Resource };
  t.equal(done.type, "response.completed");
  socket.send({
    type: "response.interrupt",
    response_id: done.response.id,
    mode: "discard_partial_items",
  });
  t.match(await socket.next("error"), { error: { code: "response_not_active" } });
  socket.send({
    type: "response.interrupt",
    response_id: done.response.id,
    mode: "keep_partial_items",
  });
  t.match(await socket.next("error"), { error: { code: "invalid_event" } }, "an unknown mode");
  socket.recorder.assertClean();
  socket.close();
});
