/**
 * The client's recovery logic against a scripted peer (a fake socket factory), so each step
 * is deterministic: heartbeats keep the idle watchdog quiet, silence trips it, the client
 * reconnects with the resume token, asks to resume from its last sequence number, and drops
 * the replayed events it already delivered.
 */
import t from "tap";
import { HotlineClient, type SocketFactory } from "../../../src/client/index.js";
import { SPEC_VERSION } from "../../../src/protocol/index.js";
import { until } from "./helpers.js";

interface FakeSocket {
  options: Parameters<SocketFactory>[0];
  sent: Record<string, unknown>[];
  aborted: boolean;
  push(event: Record<string, unknown>): void;
}

const session = (token: string) => ({
  id: "sess_1",
  protocol: "hotline.v1",
  version: SPEC_VERSION,
  resume_token: token,
  limits: {
    max_in_flight: 4,
    max_message_bytes: 1 << 20,
    context_window_tokens: 128_000,
    connection_max_age_ms: 3_600_000,
    resume_window_ms: 60_000,
    heartbeat_interval_ms: 40,
  },
  features: ["multiplex", "cancel", "steer", "resume", "heartbeat", "idempotency"],
});

function fakeFactory(sockets: FakeSocket[]): SocketFactory {
  return async (options) => {
    const fake: FakeSocket = {
      options,
      sent: [],
      aborted: false,
      push: (event) => options.handlers.onMessage(JSON.stringify(event)),
    };
    sockets.push(fake);
    const first =
      options.resumeToken === undefined
        ? { type: "session.created", session: session("rt_1") }
        : { type: "session.resumed", session: session("rt_2"), responses: [] };
    setTimeout(() => fake.push(first), 1);
    return {
      protocol: "hotline.v1",
      send: (data) => fake.sent.push(JSON.parse(data) as Record<string, unknown>),
      close: () => undefined,
      abort: () => {
        fake.aborted = true;
      },
    };
  };
}

const delta = (seq: number, text: string) => ({
  type: "response.output_text.delta",
  response_id: "resp_1",
  sequence_number: seq,
  item_id: "msg_1",
  output_index: 0,
  content_index: 0,
  delta: text,
});

t.test("heartbeats keep the watchdog quiet; silence reconnects and resumes", async (t) => {
  const sockets: FakeSocket[] = [];
  const client = new HotlineClient({
    url: "ws://fake.invalid/v1/responses",
    socketFactory: fakeFactory(sockets),
    reconnect: { initialDelayMs: 5 },
  });
  t.teardown(() => client.close());
  await client.connect();
  const stream = client.responses.create({ input: "hi" });
  await until(() => sockets[0]!.sent.length === 1);
  const create = sockets[0]!.sent[0]!;
  t.equal(create.type, "response.create");
  t.match(create.client_request_id, /^req_/, "every create carries a client_request_id");
  const first = sockets[0]!;
  first.push({
    type: "response.created",
    response_id: "resp_1",
    sequence_number: 0,
    client_request_id: create.client_request_id,
    response: { id: "resp_1", status: "in_progress", output: [] },
  });
  first.push(delta(1, "Hel"));
  // 6 heartbeat intervals of heartbeats: more than the 120 ms idle timeout, no reconnect.
  for (let i = 0; i < 6; i++) {
    await new Promise((resolve) => setTimeout(resolve, 30));
    first.push({ type: "session.heartbeat", server_time_ms: Date.now() });
  }
  t.equal(sockets.length, 1, "heartbeats count as activity");
  // Silence: the watchdog fires after three heartbeat intervals.
  await until(() => sockets.length === 2, 2_000);
  t.ok(first.aborted, "the dead connection was dropped");
  const second = sockets[1]!;
  t.equal(second.options.resumeToken, "rt_1", "the resume token is presented");
  await until(() => second.sent.length === 1);
  t.same(second.sent[0], {
    type: "response.resume",
    response_id: "resp_1",
    after_sequence_number: 1,
    event_id: second.sent[0]!.event_id,
  });
  // The replay repeats what was delivered (seq 0, 1) before continuing.
  second.push(delta(1, "Hel"));
  second.push(delta(2, "lo"));
  second.push(delta(2, "lo"));
  second.push({
    type: "response.completed",
    response_id: "resp_1",
    sequence_number: 3,
    response: { id: "resp_1", status: "completed", output: [] },
  });
  t.equal(await stream.text(), "Hello", "duplicates dropped, nothing missing");
  t.equal(stream.lastSequenceNumber, 3);
});

t.test("a create with no reply is repeated verbatim on the resumed connection", async (t) => {
  const sockets: FakeSocket[] = [];
  const client = new HotlineClient({
    url: "ws://fake.invalid/v1/responses",
    socketFactory: fakeFactory(sockets),
    reconnect: { initialDelayMs: 5 },
    idleTimeoutMs: 50,
  });
  t.teardown(() => client.close());
  await client.connect();
  const stream = client.responses.create({ input: "hi", client_request_id: "req_fixed" });
  await until(() => sockets[0]!.sent.length === 1);
  await until(() => sockets.length === 2, 2_000);
  await until(() => sockets[1]!.sent.length === 1);
  const { event_id: _a, ...firstBody } = sockets[0]!.sent[0]!;
  const { event_id: _b, ...againBody } = sockets[1]!.sent[0]!;
  t.same(againBody, firstBody, "same body and client_request_id (RESUME-11)");
  t.equal(againBody.client_request_id, "req_fixed");
  client.close();
  await t.rejects(stream.finalResponse(), { name: "HotlineClientError", code: "closed" });
});
