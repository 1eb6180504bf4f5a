/**
 * Issue 7, "What must hold": a create whose send outcome is unknown (the server received it,
 * the connection died before any reply) is repeated after the reconnect with the same
 * `client_request_id` and body, and attaches to the one response the server started
 * (RESUME-11) instead of starting a second.
 */
import t from "tap";
import { HotlineClient } from "../../../src/client/index.js";
import { startDelayProxy } from "../../../src/netsim/index.js";
import { outputText, startTestServer, tokens, until } from "./helpers.js";

t.test("an ambiguous create retried after a reconnect starts one response", async (t) => {
  const server = await startTestServer({ tokensPerSecond: 400 });
  t.teardown(() => server.close());
  // A long round trip leaves a window in which the create has reached the server and no
  // reply has reached the client.
  const proxy = await startDelayProxy({
    target: { host: server.host, port: server.port },
    rttMs: 400,
  });
  t.teardown(() => proxy.close());
  const client = new HotlineClient({
    url: proxy.url("ws", "/v1/responses"),
    reconnect: { initialDelayMs: 20 },
  });
  t.teardown(() => client.close());
  await client.connect();
  const before = proxy.stats.bytesToTarget;
  const submittedBefore = server.backend.counters().total.submitted;
  const stream = client.responses.create({ input: "ambiguous", ...tokens(100) });
  await until(() => server.backend.counters().total.submitted > submittedBefore, 5_000);
  t.ok(proxy.stats.bytesToTarget > before, "the create reached the server");
  t.equal(stream.responseId, undefined, "no reply reached the client yet");
  proxy.cutAll();

  const final = await stream.finalResponse();
  t.equal(final.status, "completed");
  t.equal(await stream.text(), outputText(final));
  t.equal(
    server.backend.counters().total.submitted - submittedBefore,
    1,
    "exactly one generation was started",
  );
  t.equal(proxy.stats.connectionsAccepted, 2);
});
