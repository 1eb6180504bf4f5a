/**
 * Resume (spec/resume.md): a connection killed mid-stream by a delay proxy the test controls is
 * resumed on a new one with the full text, no gap and no duplicate (RESUME-2/6); a repeated
 * `client_request_id` after the cut starts nothing new (RESUME-11); an unread response pauses
 * at its buffer bound instead of dropping events (RESUME-10); an abandoned session stops costing
 * compute within the window and its token expires (RESUME-13/4). Prewarm on virtual time
 * (SESSION-8/9).
 */
import { setImmediate as tick } from "node:timers/promises";
import t from "tap";
import { VirtualClock } from "../../../reference-server/backend/index.js";
import { sessionClock, startServer } from "../../../reference-server/index.js";
import type { ServerEvent } from "../../../src/protocol/index.js";
import { startDelayProxy } from "../../../src/netsim/index.js";
import type { TestSocket } from "../helpers/clients.js";
import { eventsWhere, openHotline, ridOf, sessionOf, terminalOf } from "../helpers/hotline.js";

const slow = { tiers: { wafer: { decodeTokensPerSecond: 400, burstTokensPerSecond: 400 } } };

async function createdId(socket: TestSocket, clientRequestId: string): Promise<string> {
  const event = await socket.next(
    "response.created",
    (e) => (e as { client_request_id?: string }).client_request_id === clientRequestId,
  );
  return event.response.id;
}

/** Resolves once `done()` holds, checking every event-loop turn (no fixed sleep). */
async function until(done: () => boolean, what: string, limitMs = 10_000): Promise<void> {
  const start = performance.now();
  while (!done()) {
    if (performance.now() - start > limitMs) throw new Error(`timed out waiting: ${what}`);
    await tick();
  }
}

function lastSeq(socket: TestSocket, id: string): number {
  let last = -1;
  for (const e of socket.recorder.events) {
    if (ridOf(e) === id && e.type !== "error") {
      last = (e as { sequence_number: number }).sequence_number;
    }
  }
  return last;
}

function outputText(event: ServerEvent): string {
  const output = (event as { response: { output: { content?: { text: string }[] }[] } }).response
    .output;
  return output
    .flatMap((i) => i.content ?? [])
    .map((c) => c.text)
    .join("");
}

t.test(
  "a connection cut mid-stream resumes with the full text, no gap, no duplicate",
  async (t) => {
    const server = await startServer({ logLevel: "silent", backend: slow });
    t.teardown(() => server.close());
    const proxy = await startDelayProxy({
      target: { host: server.host, port: server.port },
      rttMs: 4,
    });
    t.teardown(() => proxy.close());
    const { socket: a, first } = await openHotline(proxy.url("ws", "/v1/responses"));
    const token = sessionOf(first).resume_token;
    const create = {
      type: "response.create",
      input: "write the parser",
      client_request_id: "q1",
      metadata: { "sim.output_tokens": "600" },
    };
    a.send(create);
    const id = await createdId(a, "q1");
    await eventsWhere(a, (e) => e.type === "response.output_text.delta" && ridOf(e) === id, 10);
    t.equal(proxy.cutAll(), 1, "the proxy killed the connection");
    await a.closed;
    const seen = lastSeq(a, id);
    const submitted = server.backend.counters().total.submitted;

    const { socket: b, first: resumed } = await openHotline(server.wsUrl, {
      headers: { "Hotline-Resume-Token": token },
    });
    t.equal(resumed.type, "session.resumed");
    t.equal(sessionOf(resumed).id, sessionOf(first).id, "same session");
    const listed = (resumed as { responses: { response_id: string; status: string }[] }).responses;
    t.ok(
      listed.some((r) => r.response_id === id),
      "the response is listed",
    );
    b.recorder.adopt(a.recorder, id);
    b.send({ type: "response.resume", response_id: id, after_sequence_number: seen });
    const terminal = await terminalOf(b, id);
    t.equal(terminal.type, "response.completed");
    const full = a.recorder.text(id) + b.recorder.text(id).slice(a.recorder.text(id).length);
    t.equal(b.recorder.text(id), outputText(terminal), "the adopted stream holds the full text");
    t.equal(full, outputText(terminal));
    const firstReplayed = b.recorder.events.find((e) => ridOf(e) === id) as {
      sequence_number: number;
    };
    t.equal(firstReplayed.sequence_number, seen + 1, "replay starts right after the last seen");
    b.recorder.assertClean();

    // The ambiguous create repeated after the cut attaches instead of starting a second one.
    b.send(create);
    const again = await b.next("response.created", (e) => ridOf(e) === id);
    t.equal(again.response.id, id);
    t.equal(server.backend.counters().total.submitted, submitted, "no second response");
    b.close();
  },
);

t.test(
  "an unread response pauses at its buffer bound instead of dropping (RESUME-10)",
  async (t) => {
    const server = await startServer({
      logLevel: "silent",
      backend: slow,
      session: { resumeBufferBytes: 4000 },
    });
    t.teardown(() => server.close());
    const { socket: a, first } = await openHotline(server.wsUrl);
    a.send({
      type: "response.create",
      input: "long",
      client_request_id: "u1",
      metadata: { "sim.output_tokens": "400" },
    });
    const id = await createdId(a, "u1");
    a.close();
    await a.closed;
    // It fills the buffer, then sits paused.
    await until(() => server.backend.counters().total.paused === 1, "generation paused");
    t.equal(server.backend.counters().total.paused, 1, "generation paused");
    const { socket: b } = await openHotline(server.wsUrl, {
      headers: { "Hotline-Resume-Token": sessionOf(first).resume_token },
    });
    b.send({ type: "response.resume", response_id: id, after_sequence_number: -1 });
    const terminal = await terminalOf(b, id);
    t.equal(terminal.type, "response.completed");
    t.equal(b.recorder.text(id), outputText(terminal), "nothing was dropped");
    b.recorder.assertClean();
    b.close();
  },
);

t.test("an abandoned session stops costing compute within the window (RESUME-13)", async (t) => {
  // The resume window runs on the session's virtual clock: the test moves it past the window.
  const sessionTime = new VirtualClock();
  const server = await startServer({
    logLevel: "silent",
    backend: slow,
    session: { resumeWindowMs: 300 },
    sessionClock: sessionClock(sessionTime, Date.now()),
  });
  t.teardown(() => server.close());
  const { socket, first } = await openHotline(server.wsUrl);
  t.equal(sessionOf(first).limits.resume_window_ms, 300);
  socket.send({
    type: "response.create",
    input: "forever",
    client_request_id: "z1",
    store: true,
    metadata: { "sim.output_tokens": "20000" },
  });
  const id = await createdId(socket, "z1");
  socket.close();
  await socket.closed;
  const [session] = [...server.websocket.registry.sessions()];
  await until(() => session?.port === undefined, "the session detached");
  sessionTime.advance(299);
  t.equal(server.backend.counters().total.cancelled, 0, "still resumable within the window");
  sessionTime.advance(1);
  const counters = server.backend.counters().total;
  t.equal(counters.activeSequences, 0, "no sequence is generating");
  t.equal(counters.cancelled, 1, "cancelled");
  t.equal(server.service.get(id, "anonymous")?.status, "cancelled", "stored as cancelled");
  const { socket: late, first: fresh } = await openHotline(server.wsUrl, {
    headers: { "Hotline-Resume-Token": sessionOf(first).resume_token },
  });
  t.equal(fresh.type, "session.created");
  t.match(await late.next("error"), { error: { code: "resume_expired" } });
  late.close();
});

t.test("response.resume errors: position unavailable, not found", async (t) => {
  const server = await startServer({ logLevel: "silent" });
  t.teardown(() => server.close());
  const { socket } = await openHotline(server.wsUrl);
  socket.send({
    type: "response.create",
    input: "x",
    client_request_id: "e1",
    metadata: { "sim.output_tokens": "5" },
  });
  const id = await createdId(socket, "e1");
  await terminalOf(socket, id);
  socket.send({ type: "response.resume", response_id: id, after_sequence_number: 999 });
  t.match(await socket.next("error"), { error: { code: "resume_position_unavailable" } });
  socket.send({ type: "response.resume", response_id: "resp_nope", after_sequence_number: -1 });
  t.match(await socket.next("error"), { error: { code: "response_not_found" } });
  socket.close();
});

t.test(
  "prewarm fills the cache: shorter first prefill on virtual time, cached tokens",
  async (t) => {
    const clock = new VirtualClock();
    const server = await startServer({ logLevel: "silent", backend: { clock } });
    t.teardown(() => server.close());
    const instructions = (seed: string) =>
      Array.from({ length: 600 }, (_, i) => `${seed} rule ${i}: keep functions small.`).join("\n");
    const drive = async (done: () => boolean, limit = 5000): Promise<number> => {
      const start = clock.now();
      for (let i = 0; i < limit && !done(); i++) {
        clock.advance(1);
        await tick();
      }
      return clock.now() - start;
    };
    const firstTokenMs = async (socket: TestSocket, crid: string): Promise<[number, string]> => {
      socket.send({
        type: "response.create",
        input: "hello",
        client_request_id: crid,
        metadata: { "sim.output_tokens": "3" },
      });
      let id: string | undefined;
      void createdId(socket, crid).then((x) => (id = x));
      await drive(() => id !== undefined, 50);
      const run = server.service.get(id!, "anonymous")!;
      const ms = await drive(() => run.resource().output.length > 0 || run.done);
      await drive(() => run.done);
      return [ms, id!];
    };

    const { socket: warm } = await openHotline(server.wsUrl);
    warm.send({
      type: "session.update",
      session: { instructions: instructions("alpha") },
      prewarm: true,
    });
    let updated: ServerEvent | undefined;
    void warm.next("session.updated").then((e) => (updated = e));
    await drive(() => updated !== undefined);
    const cached = (updated as { prewarm?: { cached_tokens: number } }).prewarm?.cached_tokens ?? 0;
    t.ok(cached > 1000, `prewarm cached ${cached} tokens`);
    const [warmMs, warmId] = await firstTokenMs(warm, "w1");
    const warmDone = await terminalOf(warm, warmId);
    const usage = (
      warmDone as { response: { usage: { input_tokens_details: { cached_tokens: number } } } }
    ).response.usage;
    t.ok(usage.input_tokens_details.cached_tokens >= cached, "SESSION-9: cached tokens reported");

    const { socket: cold } = await openHotline(server.wsUrl);
    cold.send({ type: "session.update", session: { instructions: instructions("bravo") } });
    await cold.next("session.updated");
    const [coldMs] = await firstTokenMs(cold, "c1");
    t.ok(warmMs < coldMs, `first token after ${warmMs} ms prewarmed vs ${coldMs} ms cold`);
    warm.recorder.assertClean();
    cold.recorder.assertClean();
    warm.close();
    cold.close();
  },
);
