/**
 * A client that disconnects mid-stream stops costing backend compute: asserted through the
 * backend's counters (a cancelled generation, no active sequence, tokens far below the
 * requested length), not through timing.
 */
import t from "tap";
import { startServer } from "../../../reference-server/index.js";
import { TestSocket } from "../helpers/clients.js";

t.test("closing the socket mid-stream cancels the generation", async (t) => {
  const server = await startServer({ logLevel: "silent" });
  t.teardown(() => server.close());
  const socket = await TestSocket.open(server.wsUrl);
  socket.send({
    type: "response.create",
    input: "long",
    metadata: { "sim.output_tokens": "20000" },
  });
  await socket.next("response.output_text.delta");
  t.equal(server.backend.counters().total.activeSequences, 1);
  socket.ws.terminate();
  while (server.backend.counters().total.cancelled < 1) {
    await new Promise((resolve) => setImmediate(resolve));
  }
  const counters = server.backend.counters().total;
  t.equal(counters.activeSequences, 0, "no sequence holds a slot");
  t.equal(counters.cancelled, 1);
  t.ok(counters.tokensGenerated < 20000, `stopped after ${counters.tokensGenerated} tokens`);
  t.equal(server.sessions.size, 0, "the session is gone");
  t.equal(server.service.store.liveCount, 0, "nothing in flight");
  socket.recorder.assertClean();
});

t.test("a queued create is dropped too when its connection goes", async (t) => {
  const server = await startServer({
    logLevel: "silent",
    backend: { tiers: { wafer: { maxConcurrentSequences: 1 } } },
  });
  t.teardown(() => server.close());
  const holder = await TestSocket.open(server.wsUrl);
  holder.send({
    type: "response.create",
    input: "a",
    service_tier: "wafer",
    metadata: { "sim.output_tokens": "2000" },
  });
  await holder.next("response.output_text.delta");
  const waiting = await TestSocket.open(server.wsUrl);
  waiting.send({
    type: "response.create",
    input: "b",
    service_tier: "wafer",
    metadata: { "sim.output_tokens": "50" },
  });
  const queued = await waiting.next("response.queued");
  t.equal(queued.response.status, "queued");
  waiting.ws.terminate();
  while (server.backend.counters().total.cancelled < 1) {
    await new Promise((resolve) => setImmediate(resolve));
  }
  t.equal(server.backend.counters().tiers.wafer.queued, 0, "the queue is empty");
  waiting.recorder.assertClean();
  holder.close();
});
