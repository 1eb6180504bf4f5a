/**
 * The fleet (`hotline serve --redis`, spec/fleet.md) with a real redis-server and two
 * reference-server processes: a response created on one instance is read, replayed, followed
 * and cancelled on the other; the owner's death and Redis's end a response truthfully.
 */
import { Redis } from "ioredis";
import t from "tap";
import { TestSocket } from "../helpers/clients.js";
import {
  fleetOfTwo,
  freePort,
  gapless,
  getJson,
  post,
  readSse,
  serveExit,
  SLOW,
  type StreamEvent,
} from "./helpers.js";
import { openHotline, sessionOf } from "../helpers/hotline.js";

// With SLOW (200 tok/s), a 4,000-token response runs for 20 s, longer than any step waits.
const background = (tokens: number) => ({
  input: "write a parser",
  background: true,
  service_tier: "wafer",
  metadata: { "sim.output_tokens": String(tokens) },
});

t.test("a --redis that is not a Redis URL is a one-line usage error", async (t) => {
  const { code, stderr } = await serveExit(["--redis", "http://127.0.0.1:6379"]);
  t.equal(code, 2);
  t.match(stderr, /^hotline serve: --redis must use redis:\/\/ or rediss:\/\//);
  t.equal(stderr.trim().split("\n").length, 1, "one line");
});

t.test("an unreachable Redis at start: one line, exit 1, nothing listens", async (t) => {
  const port = await freePort();
  const { code, stderr } = await serveExit(["--redis", `redis://127.0.0.1:${port}`]);
  t.equal(code, 1);
  t.match(stderr, new RegExp(`^hotline serve: cannot reach Redis at 127\\.0\\.0\\.1:${port}`));
  t.equal(stderr.trim().split("\n").length, 1, "one line");
});

t.test("two instances share the response store and its event streams", async (t) => {
  const fleet = await fleetOfTwo(t, SLOW);
  if (!fleet) return;
  const { a, b } = fleet;

  const created = await post(a.url, "/v1/responses", background(4000));
  t.equal(created.status, 200);
  const id = created.body.id as string;

  await t.test("GET on the other instance", async (t) => {
    const got = await getJson(b.url, `/v1/responses/${id}`);
    t.equal(got.status, 200);
    t.equal(got.body.id, id);
    t.ok(["queued", "in_progress"].includes(got.body.status as string));
    const unknown = await getJson(b.url, "/v1/responses/resp_nope");
    t.equal(unknown.status, 404, "an id nobody holds is still unknown");
  });

  await t.test("resume on the other instance mid-stream: gapless, no duplicate", async (t) => {
    // Read the first events on A, drop the stream, go on from the last one on B.
    const first: StreamEvent[] = [];
    const abort = new AbortController();
    await new Promise<void>((resolve) => {
      void readSse(`${a.url}/v1/responses/${id}?stream=true`, (event) => {
        first.push(event);
        if (first.length === 40) resolve();
      }).then(() => resolve());
      void abort;
    });
    const last = first.at(-1)!.sequence_number;
    t.ok(gapless(first, 0), "the first part is gapless");
    const rest: StreamEvent[] = [];
    const tail = readSse(
      `${b.url}/v1/responses/${id}?stream=true&starting_after=${last}`,
      (event) => {
        rest.push(event);
        // Live events produced on A keep arriving on B for 3 s at 200 tok/s (past the 1-s lease
        // the owner must keep renewing); then A is asked (on B) to stop.
        if (rest.length === 600) void post(b.url, `/v1/responses/${id}/cancel`);
      },
    );
    const { events, done } = await tail;
    t.ok(done, "the stream on B ended with [DONE]");
    t.ok(events.length > 600, `B carried the live events (${events.length})`);
    t.ok(gapless(events, last + 1), `B went on at ${last + 1} with no gap and no duplicate`);
    t.equal(events.at(-1)!.type, "response.incomplete", "one terminal: the cancel");
    const whole = await readSse(`${a.url}/v1/responses/${id}?stream=true`);
    t.same(
      events.map((e) => JSON.stringify(e)),
      whole.events.slice(last + 1).map((e) => JSON.stringify(e)),
      "B's events are A's, byte for byte",
    );
  });

  await t.test("cancel from the other instance reaches the owner", async (t) => {
    const second = await post(a.url, "/v1/responses", background(4000));
    const id2 = second.body.id as string;
    const cancelled = await post(b.url, `/v1/responses/${id2}/cancel`);
    t.equal(cancelled.status, 200);
    t.equal(cancelled.body.status, "incomplete");
    t.same(cancelled.body.incomplete_details, { reason: "cancelled" });
    const onOwner = await getJson(a.url, `/v1/responses/${id2}`);
    t.equal(onOwner.body.status, "incomplete", "the owner stopped it");
    // B holds a copy of it now; a continuation there runs from the conversation A stored.
    const continued = await post(b.url, "/v1/responses", {
      input: "go on",
      previous_response_id: id2,
      metadata: { "sim.output_tokens": "4" },
    });
    t.equal(continued.status, 200, JSON.stringify(continued.body.error));
  });
});

t.test(
  "kill -9 of the owner: followers get response.failed (server_error, retryable)",
  async (t) => {
    const fleet = await fleetOfTwo(t, SLOW);
    if (!fleet) return;
    const { a, b } = fleet;
    const created = await post(a.url, "/v1/responses", background(4000));
    const id = created.body.id as string;
    let killedAt = 0;
    const follow = readSse(`${b.url}/v1/responses/${id}?stream=true`, (event) => {
      if (event.sequence_number === 20) {
        killedAt = performance.now();
        a.child.kill("SIGKILL");
      }
    });
    const { events, done } = await follow;
    const endedMs = performance.now() - killedAt;
    t.ok(done, "the stream ended");
    t.ok(gapless(events, 0), "gapless up to the end");
    const failed = events.at(-1)!;
    t.equal(failed.type, "response.failed");
    const response = failed.response as { status: string; error: { code: string } };
    t.equal(response.status, "failed");
    t.equal(response.error.code, "server_error", "server_error: retryable in the registry");
    t.equal(events.at(-2)!.type, "error", "the SSE framing: an error event first");
    t.equal(
      events.filter(
        (e) =>
          e.type.startsWith("response.") &&
          "response" in e &&
          (e.response as { status: string }).status === "failed",
      ).length,
      1,
      "exactly one terminal",
    );
    t.comment(`ended ${Math.round(endedMs)} ms after the kill (lease 1000 ms)`);
    const got = await getJson(b.url, `/v1/responses/${id}`);
    t.equal(got.body.status, "failed", "GET says so too");
  },
);

t.test(
  "Redis stopped and restarted under load: refused, then truthful ends, then back",
  async (t) => {
    const fleet = await fleetOfTwo(t, SLOW);
    if (!fleet) return;
    const { redis, a, b } = fleet;
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      ids.push((await post(a.url, "/v1/responses", background(4000))).body.id as string);
    }
    const onOwner = ids.map((id) => readSse(`${a.url}/v1/responses/${id}?stream=true`));
    const onOther = ids.map((id) => readSse(`${b.url}/v1/responses/${id}?stream=true`));
    await new Promise((resolve) => setTimeout(resolve, 500));
    await redis.stop();

    // A learns that Redis is gone from its connection's close, which can reach it just after
    // the first request: ask until it has (a create accepted before then ends failed).
    let refused = await post(a.url, "/v1/responses", background(10));
    for (let i = 0; i < 20 && refused.status === 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      refused = await post(a.url, "/v1/responses", background(10));
    }
    t.equal(refused.status, 500, "a create while Redis is away is refused");
    const error = refused.body.error as { code: string; message: string };
    t.equal(error.code, "server_error");
    t.match(error.message, /unreachable/);

    for (const [name, streams] of [
      ["owner", onOwner],
      ["other instance", onOther],
    ] as const) {
      for (const { events, done } of await Promise.all(streams)) {
        t.ok(done, `${name}: the stream ended`);
        t.equal(events.at(-1)?.type, "response.failed", `${name}: it ended failed`);
        t.ok(gapless(events, 0), `${name}: gapless`);
      }
    }

    await redis.restart();
    let back = await post(a.url, "/v1/responses", background(10));
    for (let i = 0; i < 40 && back.status !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      back = await post(a.url, "/v1/responses", background(10));
    }
    t.equal(back.status, 200, "new work is accepted once Redis is back");
    const onB = await getJson(b.url, `/v1/responses/${back.body.id as string}`);
    t.equal(onB.status, 200, "and shared again");
  },
);

t.test("per-principal in-flight limit counts every instance", async (t) => {
  const flags = [...SLOW, "--token-in-flight", "2"];
  const fleet = await fleetOfTwo(t, flags);
  if (!fleet) return;
  const { a, b } = fleet;
  t.equal((await post(a.url, "/v1/responses", background(4000))).status, 200);
  t.equal((await post(a.url, "/v1/responses", background(4000))).status, 200);
  // B learns A's counts within a few hundred milliseconds; until then it may admit one, which
  // is cancelled at once (it counted in flight only while it ran).
  let refused: { status: number; body: Record<string, unknown> } | undefined;
  for (let i = 0; i < 50 && refused === undefined; i++) {
    const attempt = await post(b.url, "/v1/responses", background(4000));
    if (attempt.status === 429) refused = attempt;
    else {
      await post(b.url, `/v1/responses/${attempt.body.id as string}/cancel`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  t.equal(refused?.status, 429, "B refuses a third response of the principal");
  const error = refused?.body.error as { code: string; message: string } | undefined;
  t.equal(error?.code, "rate_limit_exceeded");
  t.match(error?.message, /principal\.in_flight/);
});

t.test("per-principal requests per minute count every instance", async (t) => {
  const flags = ["--token-rpm", "4"];
  const fleet = await fleetOfTwo(t, flags);
  if (!fleet) return;
  const { a, b } = fleet;
  const small = { input: "hi", metadata: { "sim.output_tokens": "2" } };
  for (let i = 0; i < 3; i++) t.equal((await post(a.url, "/v1/responses", small)).status, 200);
  // B hears of A's three within a few hundred milliseconds (one more refills every 15 s).
  await new Promise((resolve) => setTimeout(resolve, 600));
  t.equal((await post(b.url, "/v1/responses", small)).status, 200, "B admits the fourth");
  const refused = await post(b.url, "/v1/responses", small);
  t.equal(refused.status, 429, "and refuses the fifth of the fleet's minute");
  t.match((refused.body.error as { message: string }).message, /principal\.requests/);
  await new Promise((resolve) => setTimeout(resolve, 600));
  t.equal((await post(a.url, "/v1/responses", small)).status, 429, "so does A, told of B's");
});

t.test("a response's events go to Redis in batches, unpacked gaplessly elsewhere", async (t) => {
  const fleet = await fleetOfTwo(t);
  if (!fleet) return;
  const { redis, a, b } = fleet;
  // 1,200 tokens at the default 1,200 tok/s: a delta every 4 ms for a second.
  const created = await post(a.url, "/v1/responses", background(1200));
  const id = created.body.id as string;
  const { events, done } = await readSse(`${b.url}/v1/responses/${id}?stream=true`);
  t.ok(done, "B's stream ended with [DONE]");
  t.ok(gapless(events, 0), `B numbered the ${events.length} events from 0 without a gap`);
  t.equal(events.at(-1)!.type, "response.completed");
  const client = new Redis(redis.url);
  t.teardown(() => client.disconnect());
  const entries = await client.xlen(`hotline:e:${id}`);
  t.ok(
    entries * 2 <= events.length,
    `${entries} stream entries for ${events.length} events: several events an entry`,
  );
});

t.test(
  "an id streamed by A is found on B at once, however late its writes reach Redis",
  async (t) => {
    // A's writes reach Redis 200 ms late: it must not show a response before its record is there.
    const fleet = await fleetOfTwo(t, [], { aWritesDelayMs: 200 });
    if (!fleet) return;
    const { a, b } = fleet;
    const long = { input: "write", store: true, metadata: { "sim.output_tokens": "4000" } };

    await t.test("WebSocket: a cancel on B right after response.created", async (t) => {
      const socket = await TestSocket.open(a.wsUrl);
      t.teardown(() => socket.close());
      socket.send({ type: "response.create", ...long });
      const created = await socket.next("response.created");
      const cancelled = await post(b.url, `/v1/responses/${created.response.id}/cancel`);
      t.equal(cancelled.status, 200, JSON.stringify(cancelled.body.error));
      t.equal((await socket.terminal()).type, "response.incomplete", "the owner stopped it");
    });

    await t.test("hotline.v1: the token of session.created resumes on B at once", async (t) => {
      const { socket: onA, first } = await openHotline(a.wsUrl);
      onA.ws.terminate();
      const { socket: onB, first: resumed } = await openHotline(b.wsUrl, {
        headers: { "Hotline-Resume-Token": sessionOf(first).resume_token },
      });
      t.teardown(() => onB.close());
      t.equal(resumed.type, "session.resumed", "A showed its token once it was in Redis");
    });

    await t.test("SSE: a GET on B right after response.created", async (t) => {
      const res = await fetch(`${a.url}/v1/responses`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ...long, stream: true }),
      });
      const reader = res.body!.getReader();
      const { value } = await reader.read();
      const id = /"id":"(resp_[^"]+)"/.exec(new TextDecoder().decode(value))?.[1];
      const got = await getJson(b.url, `/v1/responses/${id}`);
      t.equal(got.status, 200, JSON.stringify(got.body.error));
      await reader.cancel();
    });
  },
);
