/**
 * The official `openai` npm package's `ResponsesWS` (7.x), unchanged, against a real server on
 * loopback: OpenAI WebSocket mode's `stream_id` lanes (RESP-31 to RESP-39) and `response.steer`
 * (INT-13 to INT-16), and the SDK's own reconnect path. Every event the SDK receives is
 * schema-validated and state-machine-checked per lane.
 */
import net from "node:net";
import OpenAI from "openai";
import { ResponsesWS } from "openai/resources/responses/ws";
import t from "tap";
import { type RunningServer, startServer } from "../../../reference-server/index.js";
import { WireRecorder } from "../helpers/recorder.js";
import { listFilesTool } from "../../helpers/tools.js";

type Event = { type: string; stream_id?: string; [k: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

const MODEL = "hotline-sim-1";
const tokens = (n: number) => ({ "sim.output_tokens": String(n) });
const TERMINAL = new Set(["response.completed", "response.incomplete", "response.failed"]);

/** An SDK connection recording every event, with a way to wait for one. */
function connect(url: string, options: ConstructorParameters<typeof ResponsesWS>[1] = {}) {
  const client = new OpenAI({ apiKey: "sk-test", baseURL: `${url}/v1` });
  const ws = new ResponsesWS(client, options);
  const recorder = new WireRecorder();
  const events: Event[] = [];
  const errors: unknown[] = [];
  const waiters: { pred: (e: Event) => boolean; from: number; resolve: (e: Event) => void }[] = [];
  ws.on("event", (event: unknown) => {
    recorder.event(event);
    events.push(event as Event);
    for (const w of [...waiters]) {
      if (events.length - 1 >= w.from && w.pred(event as Event)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(event as Event);
      }
    }
  });
  ws.on("error", (error: unknown) => errors.push(error));
  /**
   * The first event from index `from` on that matches. A liveness bound, not a performance
   * one: a server that never sends it fails the test in 20 s instead of hanging it.
   */
  const next = (pred: (e: Event) => boolean, from = 0): Promise<Event> => {
    const found = events.slice(from).find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no such event: ${pred}`)), 20_000);
      waiters.push({ pred, from, resolve: (e) => (clearTimeout(timer), resolve(e)) });
    });
  };
  const send = (event: Record<string, unknown>) => ws.send(event as never);
  const create = (body: Record<string, unknown>) =>
    send({ type: "response.create", model: MODEL, ...body });
  /** The terminal event of the response with this id. */
  const terminal = (id: string) => next((e) => TERMINAL.has(e.type) && e.response?.id === id);
  /** The n-th response.created on a lane (0-based), counting from `from`. */
  const created = async (lane: string | undefined, n = 0, from = 0) => {
    let seen = -1;
    return next((e) => e.type === "response.created" && e.stream_id === lane && ++seen === n, from);
  };
  return { ws, recorder, events, errors, next, send, create, terminal, created };
}

let server: RunningServer;
t.before(async () => {
  server = await startServer({ logLevel: "silent" });
});
t.teardown(() => server.close());

t.test("two lanes run at once, their events interleave, each echoes its stream_id", async (t) => {
  const c = connect(server.url);
  c.create({ input: "lane a", stream_id: "a", metadata: tokens(300) });
  c.create({ input: "lane b", stream_id: "b", metadata: tokens(300) });
  const a = (await c.created("a")).response.id as string;
  const b = (await c.created("b")).response.id as string;
  const [endA, endB] = await Promise.all([c.terminal(a), c.terminal(b)]);
  t.equal(endA.type, "response.completed");
  t.equal(endB.type, "response.completed");
  const ofA = c.events.filter((e) => e.stream_id === "a");
  const ofB = c.events.filter((e) => e.stream_id === "b");
  t.ok(ofA.length > 20 && ofB.length > 20, `lane a ${ofA.length} events, lane b ${ofB.length}`);
  t.equal(ofA.length + ofB.length, c.events.length, "no event without a lane");
  const firstDeltaB = c.events.findIndex((e) => e.stream_id === "b" && e.type.endsWith(".delta"));
  t.ok(firstDeltaB < c.events.indexOf(endA), "lane b streamed before lane a ended (concurrent)");
  c.recorder.assertClean();
  c.ws.close();
});

t.test("one lane is FIFO: the second create starts after the first's terminal", async (t) => {
  const c = connect(server.url);
  c.create({ input: "first", stream_id: "q", metadata: tokens(100) });
  c.create({ input: "second", stream_id: "q", metadata: tokens(10) });
  c.create({ input: "default lane", metadata: tokens(10) });
  const first = await c.created("q", 0);
  const second = await c.created("q", 1);
  const end = await c.terminal(first.response.id);
  t.ok(c.events.indexOf(end) < c.events.indexOf(second), "no overlap within a lane (RESP-31)");
  const plain = await c.created(undefined);
  t.notOk("stream_id" in plain, "the default lane echoes no stream_id (RESP-36)");
  t.ok(c.events.indexOf(plain) < c.events.indexOf(end), "the default lane did not wait for q");
  await c.terminal(second.response.id);
  await c.terminal(plain.response.id);
  c.recorder.assertClean();
  c.ws.close();
});

t.test("lane limits: 32 named lanes, 16 in flight with the rest queued, bad ids", async (t) => {
  const c = connect(server.url);
  for (let i = 0; i < 33; i++)
    c.create({ input: `lane ${i}`, stream_id: `l${i}`, metadata: tokens(40) });
  const refused = await c.next((e) => e.type === "error");
  t.match(refused, {
    status: 400,
    error: { code: "websocket_stream_limit_reached", type: "invalid_request_error" },
    stream_id: "l32",
  });
  const ends: Event[] = [];
  for (let i = 0; i < 32; i++) {
    const created = await c.created(`l${i}`);
    ends.push(await c.terminal(created.response.id));
  }
  t.ok(
    ends.every((e) => e.type === "response.completed"),
    "all 32 lanes completed: queued, not refused",
  );
  let running = 0;
  let most = 0;
  for (const e of c.events) {
    if (e.type === "response.created") most = Math.max(most, ++running);
    else if (TERMINAL.has(e.type)) running--;
  }
  t.equal(most, 16, "at most 16 in flight at once across lanes (RESP-35)");
  const from = c.events.length;
  c.create({ input: "x", stream_id: "" });
  c.create({ input: "x", stream_id: "has space" });
  const bad = await c.next((e) => e.type === "error", from);
  t.match(bad, { status: 400, error: { code: "invalid_stream_id", param: "stream_id" } });
  t.notOk("stream_id" in bad, "invalid_stream_id echoes nothing (RESP-33)");
  const bad2 = await c.next((e) => e.type === "error" && e !== bad, from);
  t.equal(bad2.error.code, "invalid_stream_id");
  c.recorder.assertClean();
  c.ws.close();
});

t.test("per-lane continuation, cross-lane forks, eviction by lane", async (t) => {
  const c = connect(server.url);
  const turn = async (body: Record<string, unknown>, lane: string) => {
    const from = c.events.length;
    c.create({ store: false, metadata: tokens(10), stream_id: lane, ...body });
    const first = await c.next(
      (e) => (e.type === "response.created" || e.type === "error") && e.stream_id === lane,
      from,
    );
    return first.type === "error" ? first : c.terminal(first.response.id);
  };
  const a1 = (await turn({ input: "a one" }, "a")).response.id;
  const b1 = (await turn({ input: "b one" }, "b")).response.id;
  // Each lane keeps its own latest response (RESP-37): both continue with store:false.
  const a2 = await turn({ input: "a two", previous_response_id: a1 }, "a");
  const b2 = await turn({ input: "b two", previous_response_id: b1 }, "b");
  t.equal(a2.type, "response.completed");
  t.equal(b2.type, "response.completed");
  t.equal(a2.response.previous_response_id, a1);
  // A new lane forks from lane a's latest.
  const fork = await turn({ input: "fork", previous_response_id: a2.response.id }, "c");
  t.equal(fork.type, "response.completed", "a lane forks from another's response");
  // A failed cross-lane fork keeps lane b's response (RESP-38).
  const badInput = [{ type: "function_call_output", call_id: "call_none", output: "{}" }];
  const failedFork = await turn({ input: badInput, previous_response_id: b2.response.id }, "d");
  t.equal(failedFork.type, "error");
  t.equal(failedFork.stream_id, "d", "a lane-scoped error echoes its stream_id");
  const b3 = await turn({ input: "b three", previous_response_id: b2.response.id }, "b");
  t.equal(b3.type, "response.completed", "lane b's response survived the failed fork");
  // A failed same-lane continuation evicts its parent (RESP-12 within a lane).
  const failed = await turn({ input: badInput, previous_response_id: b3.response.id }, "b");
  t.equal(failed.type, "error");
  const retry = await turn({ input: "b again", previous_response_id: b3.response.id }, "b");
  t.match(retry, { type: "error", error: { code: "previous_response_not_found" }, stream_id: "b" });
  c.recorder.assertClean();
  c.ws.close();
});

t.test(
  "steer end to end: accepted, incomplete (steered), successor created on the lane",
  async (t) => {
    const c = connect(server.url);
    c.create({ input: "write a long module", stream_id: "s", metadata: tokens(3000) });
    const first = await c.created("s");
    const id = first.response.id as string;
    let deltas = 0;
    await c.next((e) => e.type === "response.output_text.delta" && ++deltas === 3);
    c.send({ type: "response.steer", previous_response_id: id, input: "Use iterators instead." });
    const accepted = await c.next((e) => e.type.startsWith("response.steer."));
    t.match(accepted, {
      type: "response.steer.accepted",
      steer: { id: /^steer_/, previous_response_id: id },
      stream_id: "s",
    });
    const ended = await c.terminal(id);
    t.equal(ended.type, "response.incomplete");
    t.equal(ended.response.incomplete_details.reason, "steered");
    t.equal(ended.stream_id, "s");
    const successor = await c.created("s", 1);
    t.ok(c.events.indexOf(ended) < c.events.indexOf(successor), "the commit point follows");
    t.equal(successor.response.previous_response_id, id);
    t.notOk("steered_from" in successor, "no Hotline member in core");
    const done = await c.terminal(successor.response.id);
    t.equal(done.type, "response.completed");
    t.ok(done.response.usage.input_tokens > ended.response.usage.input_tokens, "chained context");
    // Steering the finished successor: the input comes back (INT-16).
    c.send({ type: "response.steer", previous_response_id: successor.response.id, input: "late" });
    const failed = await c.next((e) => e.type === "response.steer.failed");
    t.match(failed, {
      steer: { previous_response_id: successor.response.id, input: "late" },
      error: { code: "response_already_completed", type: "invalid_request_error" },
      stream_id: "s",
    });
    t.notOk(failed.steer.id, "no id: never accepted");
    // The steered response, no longer the lane's latest: ended, but not completed.
    c.send({ type: "response.steer", previous_response_id: id, input: "later still" });
    const inactive = await c.next((e) => e.type === "response.steer.failed" && e !== failed);
    t.match(inactive, { error: { code: "response_not_active" }, stream_id: "s" });
    c.send({ type: "response.steer", previous_response_id: "resp_nope", input: "x" });
    const unknown = await c.next(
      (e) => e.type === "response.steer.failed" && e !== failed && e !== inactive,
    );
    t.equal(unknown.error.code, "response_not_found");
    t.notOk("stream_id" in unknown, "an unknown target has no lane");
    t.equal(c.errors.length, 0, "the SDK raised no error: steer replies are events");
    c.recorder.assertClean();
    c.ws.close();
  },
);

/** A tool whose arguments take hundreds of tokens to stream: a steer lands inside the call. */
const LIST_FILES = listFilesTool();

/**
 * A tool-calling turn on lane `t`, optionally steered inside its call, then the explicit
 * continuation with the tool's result: what the SDK received and the continuation's usage.
 */
async function toolTurn(url: string, steer: string | undefined) {
  const c = connect(url);
  const tools = [LIST_FILES];
  c.create({ input: "list the files", stream_id: "t", tools, tool_choice: "required" });
  const id = (await c.created("t")).response.id as string;
  await c.next((e) => e.type === "response.output_item.added" && e.item.type === "function_call");
  if (steer !== undefined)
    c.send({ type: "response.steer", previous_response_id: id, input: steer });
  const ended = await c.terminal(id);
  const call = ended.response.output.find((i: { type: string }) => i.type === "function_call");
  const pending =
    steer === undefined ? undefined : await c.next((e) => e.type === "response.steer.pending");
  const from = c.events.length;
  c.create({
    stream_id: "t",
    tools,
    previous_response_id: id,
    input: [{ type: "function_call_output", call_id: call.call_id, output: "src/a.ts" }],
  });
  const next = (await c.created("t", 0, from)).response.id as string;
  const done = await c.terminal(next);
  return { c, id, ended, call, pending, done };
}

t.test(
  "steer inside a tool call: the call completes, response.steer.pending follows, the input rides on the continuation",
  async (t) => {
    const plain = await toolTurn(server.url, undefined);
    const steered = await toolTurn(server.url, "Only the TypeScript files, please.");
    const { c, id, ended, call, pending } = steered;
    const accepted = c.events.find((e) => e.type.startsWith("response.steer."))!;
    t.match(accepted, { type: "response.steer.accepted", steer: { previous_response_id: id } });
    // INT-19: the call is not cut.
    t.equal(ended.type, "response.completed", "the tool call completes");
    t.equal(call.status, "completed");
    t.same(JSON.parse(call.arguments), JSON.parse(plain.call.arguments), "the same whole call");
    // INT-20: pending after response.completed, with the stub of the result owed.
    t.ok(c.events.indexOf(pending!) > c.events.indexOf(ended), "pending follows the terminal");
    t.match(pending, {
      type: "response.steer.pending",
      steer: { id: accepted.steer.id, previous_response_id: id },
      reason: "waiting_for_required_input",
      required_input: [{ type: "function_call_output", call_id: call.call_id, name: "list_files" }],
      stream_id: "t",
    });
    t.notOk(
      c.events.some(
        (e) =>
          e.type === "response.created" &&
          e.response.previous_response_id === id &&
          c.events.indexOf(e) < c.events.indexOf(pending!),
      ),
      "no automatic successor: the client owes the tool output",
    );
    // INT-21: the queued input is prepended to the explicit continuation, once.
    const extra = steered.done.response.usage.input_tokens - plain.done.response.usage.input_tokens;
    t.ok(extra > 0, `the continuation carries the steer's input (${extra} more input tokens)`);
    t.equal(c.errors.length, 0, "the SDK raised no error");
    c.recorder.assertClean();
    c.ws.close();
    plain.c.ws.close();
  },
);

t.test("the SDK's reconnect path: a dropped connection, a fresh session", async (t) => {
  // A TCP relay between the SDK and the server, so the network can drop (close 1006).
  const sockets = new Set<net.Socket>();
  const target = new URL(server.url);
  const relay = net.createServer((inbound) => {
    const outbound = net.connect(Number(target.port), target.hostname);
    inbound.pipe(outbound).pipe(inbound);
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.on("error", () => s.destroy());
      s.on("close", () => sockets.delete(s));
    }
  });
  await new Promise<void>((resolve) => relay.listen(0, "127.0.0.1", resolve));
  t.teardown(() => relay.close());
  const port = (relay.address() as net.AddressInfo).port;
  const attempts: number[] = [];
  const c = connect(`http://127.0.0.1:${port}`, {
    reconnect: {
      onReconnecting: (e: { attempt: number }) => void attempts.push(e.attempt),
      initialDelay: 10,
      maxDelay: 20,
    },
  });
  c.create({ input: "kept", stream_id: "r", store: true, metadata: tokens(10) });
  const kept = await c.terminal((await c.created("r")).response.id);
  c.create({ input: "local", stream_id: "r", store: false, metadata: tokens(10) });
  const local = await c.terminal((await c.created("r", 1)).response.id);
  const reconnected = new Promise<void>((resolve) => c.ws.on("reconnected", () => resolve()));
  for (const s of sockets) s.destroy();
  await reconnected;
  t.ok(attempts.length >= 1, "the SDK reconnected on its own");
  const from = c.events.length;
  c.create({ input: "after", stream_id: "r", previous_response_id: kept.response.id, store: true });
  const after = await c.next((e) => e.type === "response.created" || e.type === "error", from);
  t.equal(after.type, "response.created", "a stored response continues on the new connection");
  await c.terminal(after.response.id);
  const from2 = c.events.length;
  c.create({
    input: "lost",
    stream_id: "r",
    previous_response_id: local.response.id,
    store: false,
  });
  const lost = await c.next((e) => e.type === "error", from2);
  t.match(
    lost,
    { error: { code: "previous_response_not_found" }, stream_id: "r" },
    "lanes are per connection",
  );
  c.ws.close();
});
