/**
 * Issue 7, "What must hold": four responses multiplexed on one hotline.v1 connection, one
 * cancelled with truncation (INT-7), one steered (INT-14, INT-15, INT-17), the other two complete with
 * exactly the text the server stored; and `stream_id` lanes on hotline.v1 (RESP-40).
 */
import t from "tap";
import { HotlineClient, type ResponseEvent } from "../../../src/client/index.js";
import { outputText, startTestServer, tokens, until } from "./helpers.js";

t.test("4 multiplexed responses: one cancelled with truncate, one steered", async (t) => {
  const server = await startTestServer({ tokensPerSecond: 300 });
  t.teardown(() => server.close());
  const client = new HotlineClient({ url: server.wsUrl });
  t.teardown(() => client.close());
  const info = await client.connect();
  t.equal(info.profile, "hotline.v1");
  t.ok(info.session?.resume_token, "the session has a resume token");
  t.ok((client.limits?.max_in_flight ?? 0) >= 4, "the server allows 4 in flight");

  const streams = [0, 1, 2, 3].map((i) =>
    client.responses.create({ input: `task ${i}`, ...tokens(600) }),
  );
  const seen: ResponseEvent[][] = streams.map(() => []);
  const readers = streams.map(async (stream, i) => {
    for await (const event of stream) seen[i]!.push(event);
  });
  await until(() => streams.every((s) => s.currentText.length > 20));
  const ids = await Promise.all(streams.map((s) => s.id()));
  t.equal(new Set(ids).size, 4, "four distinct responses");
  t.equal(server.backend.counters().total.activeSequences, 4, "all four run at once");

  const [plain, cancelled, steered, other] = streams as [
    (typeof streams)[0],
    (typeof streams)[0],
    (typeof streams)[0],
    (typeof streams)[0],
  ];
  const shown = cancelled.currentText;
  const cancelledFinal = await cancelled.cancel({ truncate: true });
  t.equal(cancelledFinal.status, "cancelled");
  t.equal(outputText(cancelledFinal), shown, "stored output cut to what was shown (INT-7)");
  t.ok((cancelledFinal.usage?.output_tokens ?? 600) < 600, "usage counts only generated tokens");

  const next = steered.steer("now do it with iterators");
  const nextFinal = await next.finalResponse();
  const steeredFinal = await steered.finalResponse();
  t.equal(steeredFinal.status, "incomplete", "the steered response ends incomplete (INT-14)");
  t.equal(steeredFinal.incomplete_details?.reason, "steered");
  t.equal(next.steeredFrom, ids[2]);
  t.equal(nextFinal.previous_response_id, ids[2], "the new response continues the steered one");
  t.equal(nextFinal.status, "completed");
  t.equal(await next.text(), outputText(nextFinal));
  const created = await (async () => {
    for await (const event of next) if (event.type === "response.created") return event;
    return undefined;
  })();
  t.equal(created?.steered_from, ids[2], "response.created names steered_from (INT-17)");
  t.equal(created?.client_request_id, next.clientRequestId);

  for (const stream of [plain, other]) {
    const final = await stream.finalResponse();
    t.equal(final.status, "completed");
    t.equal(await stream.text(), outputText(final), "text has no gap and no duplicate");
  }
  await Promise.all(readers);
  seen.forEach((events, i) => {
    t.ok(
      events.every((e) => (e as { response_id?: string }).response_id === ids[i]),
      `stream ${i} got only its own events`,
    );
    t.same(
      events.map((e) => (e as { sequence_number?: number }).sequence_number),
      events.map((_, n) => n),
      `stream ${i} sequence numbers are 0..n`,
    );
  });
  t.ok(client.rateLimits.size > 0, "rate limits known from rate_limits.updated");
});

t.test("ping and session defaults", async (t) => {
  const server = await startTestServer();
  t.teardown(() => server.close());
  const client = new HotlineClient({ url: server.wsUrl });
  t.teardown(() => client.close());
  await client.connect();
  t.ok((await client.ping()) >= 0, "session.pong answered");
  const updated = await client.updateSession({ instructions: "Be brief." });
  t.equal(updated.session.defaults?.instructions, "Be brief.");
  t.equal(client.session?.defaults?.instructions, "Be brief.");
});

t.test("hotline.v1 lanes: stream_id lanes are FIFO, each response its own events", async (t) => {
  const server = await startTestServer({ tokensPerSecond: 2000 });
  t.teardown(() => server.close());
  const client = new HotlineClient({ url: server.wsUrl });
  t.teardown(() => client.close());
  const info = await client.connect();
  t.equal(info.profile, "hotline.v1");
  t.ok(info.session?.features.includes("lanes"), "the session offers lanes (RESP-40)");
  const a1 = client.responses.create({ input: "a1", stream_id: "a", ...tokens(200) });
  const a2 = client.responses.create({ input: "a2", stream_id: "a", ...tokens(10) });
  const b1 = client.responses.create({ input: "b1", stream_id: "b", ...tokens(10) });
  const order: string[] = [];
  const watch = (name: string, s: typeof a1) =>
    s.finalResponse().then((r) => {
      order.push(name);
      return r;
    });
  const events: ResponseEvent[] = [];
  const reader = (async () => {
    for await (const event of a2) events.push(event);
  })();
  const [ra1, ra2, rb1] = await Promise.all([watch("a1", a1), watch("a2", a2), watch("b1", b1)]);
  await reader;
  t.ok(order.indexOf("b1") < order.indexOf("a1"), `lane b did not wait for lane a: ${order}`);
  t.ok(order.indexOf("a1") < order.indexOf("a2"), "lane a in order (RESP-31)");
  t.ok(
    events.every((e) => (e as { stream_id?: string }).stream_id === "a"),
    "every event of a named lane carries its stream_id beside response_id (RESP-40)",
  );
  for (const [s, r] of [
    [a1, ra1],
    [a2, ra2],
    [b1, rb1],
  ] as const) {
    t.equal(await s.text(), outputText(r), `${r.id}: the stream got its own events`);
  }
});
