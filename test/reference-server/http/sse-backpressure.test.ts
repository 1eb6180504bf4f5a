/**
 * SSE respects backpressure (STREAM-15 over HTTP, issue 18): a stream nobody reads pauses its
 * generation once the socket's buffer is full, instead of running to completion in memory
 * (+42 MiB before); and a background stream read again with `GET ?stream=true` is paced by
 * its reader, not copied into the socket's buffer whole. The client stops reading by pausing
 * its socket; virtual time drives the generation as fast as the test advances it.
 */
import { connect, type Socket } from "node:net";
import t from "tap";
import { type RunningServer, startServer } from "../../../reference-server/index.js";
import { VirtualClock } from "../../../reference-server/backend/index.js";
import type { ResponseRun } from "../../../reference-server/index.js";
import type { ServerResponse } from "node:http";

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** Sends a request on a raw socket that then stops reading. */
function nonReader(server: RunningServer, head: string, body = ""): Socket {
  const socket = connect(server.port, server.host);
  socket.write(head + body);
  socket.pause();
  return socket;
}

function post(body: object): [string, string] {
  const text = JSON.stringify(body);
  return [
    "POST /v1/responses HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
      `Content-Length: ${Buffer.byteLength(text)}\r\n\r\n`,
    text,
  ];
}

/** Advances virtual time until `done()`, in small steps that let I/O run. */
async function drive(clock: VirtualClock, done: () => boolean): Promise<void> {
  for (let i = 0; i < 200_000 && !done(); i++) {
    clock.advance(5);
    await tick();
  }
}

t.test("an unread SSE stream pauses its generation", async (t) => {
  const clock = new VirtualClock();
  const server = await startServer({ logLevel: "silent", backend: { clock } });
  t.teardown(() => server.close());
  const socket = nonReader(
    server,
    ...post({ input: "hi", stream: true, metadata: { "sim.output_tokens": "100000" } }),
  );
  t.teardown(() => socket.destroy());
  let run: ResponseRun | undefined;
  await drive(clock, () => (run ??= [...server.service.store.liveRuns()][0]) !== undefined);
  await drive(clock, () => run!.done || run!.handle?.paused === true);
  t.notOk(run!.done, "the response did not run to its end into memory");
  t.equal(run!.handle?.paused, true, "its generation is paused");
  // Reading again resumes it: it ends.
  socket.resume();
  await drive(clock, () => run!.done);
  t.equal(run!.resource().status, "completed");
});

t.test("a background stream read again is paced by its reader", async (t) => {
  const clock = new VirtualClock();
  const server = await startServer({ logLevel: "silent", backend: { clock } });
  t.teardown(() => server.close());
  const created = fetch(`${server.url}/v1/responses`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      input: "hi",
      background: true,
      metadata: { "sim.output_tokens": "60000" },
    }),
  });
  const id = ((await created.then((r) => r.json())) as { id: string }).id;
  const run = server.service.get(id, "anonymous")!;
  await drive(clock, () => run.done);
  t.equal(run.resource().status, "completed");
  // Replays of the whole log (~60k events, ~9 MB) to readers that do not read.
  const held: ServerResponse[] = [];
  server.httpServer.on("request", (_req, res: ServerResponse) => held.push(res));
  const readers = [0, 1].map(() =>
    nonReader(server, `GET /v1/responses/${id}?stream=true HTTP/1.1\r\nHost: x\r\n\r\n`),
  );
  t.teardown(() => readers.forEach((s) => s.destroy()));
  // The replay writes what it writes as soon as the head is out.
  while (held.length < 2 || held.some((res) => !res.headersSent)) await tick();
  await tick();
  for (const res of held) {
    t.ok(res.writableLength < 1 << 20, `unsent bytes held for a non-reader: ${res.writableLength}`);
    t.notOk(res.writableEnded, "the replay waits for its reader");
  }
  // A reader that reads gets every event and [DONE].
  const whole = await fetch(`${server.url}/v1/responses/${id}?stream=true`).then((r) => r.text());
  t.equal(whole.split("event: response.output_text.delta").length - 1, 60_000);
  t.ok(whole.endsWith("data: [DONE]\n\n"));
});

t.test("replay streams count as the principal's connections", async (t) => {
  const clock = new VirtualClock();
  const server = await startServer({
    logLevel: "silent",
    backend: { clock },
    limits: { connections: 2 },
  });
  t.teardown(() => server.close());
  const created = await fetch(`${server.url}/v1/responses`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      input: "hi",
      background: true,
      metadata: { "sim.output_tokens": "30000" },
    }),
  });
  const id = ((await created.json()) as { id: string }).id;
  const run = server.service.get(id, "anonymous")!;
  await drive(clock, () => run.done);
  const held: ServerResponse[] = [];
  server.httpServer.on("request", (_req, res: ServerResponse) => held.push(res));
  const readers = [0, 1].map(() =>
    nonReader(server, `GET /v1/responses/${id}?stream=true HTTP/1.1\r\nHost: x\r\n\r\n`),
  );
  t.teardown(() => readers.forEach((s) => s.destroy()));
  while (held.length < 2 || held.some((res) => !res.headersSent)) await tick();
  const third = await fetch(`${server.url}/v1/responses/${id}?stream=true`);
  t.equal(third.status, 429, "a third stream of the token is refused");
  t.equal((await third.json()).error.code, "rate_limit_exceeded");
  // A reader that leaves frees its slot.
  const closed = new Promise((resolve) => held[0]!.once("close", resolve));
  readers[0]!.destroy();
  await closed;
  const fourth = await fetch(`${server.url}/v1/responses/${id}?stream=true`);
  t.equal(fourth.status, 200);
  await fourth.text();
});
