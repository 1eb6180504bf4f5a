/**
 * Issue 7, "What must hold": a connection cut mid-stream by a proxy the test controls is
 * recovered without the caller noticing: the client reconnects with the resume token, resumes
 * each response from its last sequence number, and the text arrives whole, with no gap and no
 * duplicate.
 */
import t from "tap";
import { HotlineClient, type ConnectionState } from "../../../src/client/index.js";
import { startDelayProxy } from "../../../src/netsim/index.js";
import { outputText, startTestServer, tokens, until } from "./helpers.js";

t.test("a cut mid-stream resumes every response with its exact full text", async (t) => {
  const server = await startTestServer({ tokensPerSecond: 300 });
  t.teardown(() => server.close());
  const proxy = await startDelayProxy({
    target: { host: server.host, port: server.port },
    rttMs: 2,
  });
  t.teardown(() => proxy.close());
  const client = new HotlineClient({
    url: proxy.url("ws", "/v1/responses"),
    reconnect: { initialDelayMs: 20 },
  });
  t.teardown(() => client.close());
  const states: ConnectionState[] = [];
  client.on("state", (state) => states.push(state));
  await client.connect();

  const streams = [0, 1].map((i) =>
    client.responses.create({ input: `long ${i}`, ...tokens(500) }),
  );
  const sequences: number[][] = [[], []];
  const readers = streams.map(async (stream, i) => {
    for await (const event of stream) {
      sequences[i]!.push((event as { sequence_number: number }).sequence_number);
    }
  });
  await until(() => streams.every((s) => s.currentText.length > 40));
  t.equal(proxy.cutAll(), 1, "the one connection is cut");

  for (const stream of streams) {
    const final = await stream.finalResponse();
    t.equal(final.status, "completed");
    t.equal(await stream.text(), outputText(final), "exact full text after resume");
  }
  await Promise.all(readers);
  for (const seqs of sequences)
    t.same(
      seqs,
      seqs.map((_, n) => n),
      "no gap, no duplicate",
    );
  t.ok(states.includes("reconnecting"), "the client went through reconnecting");
  t.equal(client.state, "open");
  t.equal(proxy.stats.connectionsAccepted, 2, "one reconnect");
});
