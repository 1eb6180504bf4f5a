/**
 * A hotline.v1 session's connection-local cache across a fleet (spec/fleet.md FLEET-1, RESP-9,
 * RESP-16) with a real redis-server and two reference-server processes: a session opened on A
 * and taken over by B continues there its `store: false` responses (finished before the
 * take-over, or still running on A then) from the conversation A would have continued, and
 * nothing else reaches them (RESP-13: another session, HTTP, GET), nor what A's cache had
 * dropped (RESP-12). Taken back by A, it continues there what B's cache held, in B's order
 * (RESP-16: what fell out of it on B stays out). A response that ends while B is taking the
 * session over, before B adopts it, is continued on B too (B's Redis slowed to time it).
 */
import t from "tap";
import type { ServerEvent } from "../../../src/protocol/index.js";
import { TERMINAL_TYPES, type TestSocket } from "../helpers/clients.js";
import { eventsWhere, openHotline, ridOf, sessionOf, terminalOf } from "../helpers/hotline.js";
import { fleetOfTwo, getJson, post } from "./helpers.js";

const short = (input: string) => ({ input, metadata: { "sim.output_tokens": "12" } });

type Usage = { input_tokens: number; output_tokens: number };
const usageOf = (e: ServerEvent) => (e as unknown as { response: { usage: Usage } }).response.usage;
const codeOf = (e: ServerEvent) => (e as unknown as { error: { code: string } }).error.code;
/** A terminal event's type, or the code of the error that refused the create. */
const outcome = (e: ServerEvent) => (e.type === "error" ? `error ${codeOf(e)}` : e.type);

let requests = 0;

/**
 * Sends a `response.create` on a hotline.v1 socket; resolves with its terminal event, or with
 * the error that refused it.
 */
async function answer(socket: TestSocket, body: Record<string, unknown>): Promise<ServerEvent> {
  const crid = `q${++requests}`;
  socket.send({ type: "response.create", client_request_id: crid, ...body });
  const [first] = await eventsWhere(
    socket,
    (e) =>
      (e.type === "response.created" || e.type === "error") &&
      (e as { client_request_id?: string }).client_request_id === crid,
  );
  return first!.type === "error" ? first! : terminalOf(socket, ridOf(first!)!);
}

t.test(
  "a session's store:false responses are continued on the instance that took it over",
  async (t) => {
    const fleet = await fleetOfTwo(t);
    if (!fleet) return;
    const { a, b } = fleet;
    const { socket: onA, first } = await openHotline(a.wsUrl);
    t.teardown(() => onA.close());
    const unstored = (body: Record<string, unknown>) => ({ store: false, ...body });

    // Finished before the take-over: A's continuation of it is the one B must reproduce (r1 stays
    // cached on A: the session's cache holds its max_in_flight most recent responses).
    const r1 = await answer(onA, unstored(short("my name is Ada; remember it")));
    t.equal(r1.type, "response.completed");
    const r1Id = ridOf(r1)!;
    const follow = unstored({ ...short("what is my name?"), previous_response_id: r1Id });
    const onAFollow = await answer(onA, follow);
    t.equal(onAFollow.type, "response.completed", "A continues r1 from its cache");
    const expected = usageOf(onAFollow).input_tokens;
    const alone = await answer(onA, unstored(short("what is my name?")));
    t.ok(expected > usageOf(alone).input_tokens, "the history counts on A");

    // A failed continuation evicts its previous response from the cache (RESP-12): r3 is not
    // continued on A any more, and must not be on B either.
    const r3 = await answer(onA, unstored(short("a response continued wrongly")));
    const r3Id = ridOf(r3)!;
    const bad = { "sim.output_tokens": "-1" };
    const refused = await answer(
      onA,
      unstored({ input: "x", previous_response_id: r3Id, metadata: bad }),
    );
    t.equal(refused.type, "error", "a continuation of r3 failed on A");
    const evicted = await answer(onA, unstored({ ...short("x"), previous_response_id: r3Id }));
    t.equal(outcome(evicted), "error previous_response_not_found", "A dropped r3 (RESP-12)");

    // Still running on A when the session moves (at the default 1,200 tok/s: r2 a second, r4
    // steered from B before its end).
    const running = (crid: string, tokens: number) => {
      onA.send({
        type: "response.create",
        client_request_id: crid,
        store: false,
        input: "count to a thousand",
        metadata: { "sim.output_tokens": String(tokens) },
      });
      return onA.next("response.created", (e) => e.client_request_id === crid).then(ridOf);
    };
    const r2Id = (await running("r2", 1200))!;
    const r4Id = (await running("r4", 6000))!;

    const { socket: onB, first: resumed } = await openHotline(b.wsUrl, {
      headers: { "Hotline-Resume-Token": sessionOf(first).resume_token },
    });
    t.teardown(() => onB.close());
    t.equal(resumed.type, "session.resumed", "B took the session over");
    const held = (resumed as unknown as { responses: { response_id: string; status: string }[] })
      .responses;
    t.equal(held.find((r) => r.response_id === r2Id)?.status, "in_progress", "r2 runs on A still");

    await t.test("a response running on A, steered from B: its successor reads it", async (t) => {
      onB.send({ type: "response.resume", response_id: r4Id, after_sequence_number: -1 });
      onB.send({
        type: "response.steer",
        previous_response_id: r4Id,
        input: "stop at ten",
        metadata: { "sim.output_tokens": "12" },
      });
      await onB.next("response.steer.accepted");
      const steered = await terminalOf(onB, r4Id);
      t.equal(steered.type, "response.incomplete", "A cut r4");
      const [successor] = await eventsWhere(
        onB,
        (e) =>
          (e.type === "response.created" && e.steered_from === r4Id) ||
          e.type === "response.steer.failed",
      );
      t.equal(successor!.type, "response.created", "a successor started on B");
      if (successor!.type !== "response.created") return;
      const done = await terminalOf(onB, ridOf(successor!)!);
      t.equal(done.type, "response.completed", "its successor ran on B");
      t.ok(
        usageOf(done).input_tokens > usageOf(steered).output_tokens,
        `from r4's conversation: ${usageOf(done).input_tokens} input tokens > r4's ` +
          `${usageOf(steered).output_tokens} output tokens`,
      );
    });

    await t.test(
      "a response finished before the take-over: the same context as on A",
      async (t) => {
        const onBFollow = await answer(onB, follow);
        t.equal(outcome(onBFollow), "response.completed", "B continues r1");
        if (onBFollow.type === "error") return;
        t.equal(usageOf(onBFollow).input_tokens, expected, "B counted the history A counted");
      },
    );

    await t.test("a response that ended on A after the take-over, continued at once", async (t) => {
      onB.send({ type: "response.resume", response_id: r2Id, after_sequence_number: -1 });
      const ended = await terminalOf(onB, r2Id);
      t.equal(ended.type, "response.completed", "r2 ended on A, read on B");
      // Sent as soon as the end is read: B shows the end once it can continue it.
      const next = await answer(onB, unstored({ ...short("go on"), previous_response_id: r2Id }));
      t.equal(outcome(next), "response.completed", "B continues r2");
      if (next.type === "error") return;
      const r2 = usageOf(ended);
      t.ok(
        usageOf(next).input_tokens > r2.input_tokens + r2.output_tokens,
        `with r2's input and output: ${usageOf(next).input_tokens} input tokens > ` +
          `${r2.input_tokens} + ${r2.output_tokens}`,
      );
    });

    await t.test("what A's cache had dropped stays dropped", async (t) => {
      const again = await answer(onB, unstored({ ...short("x"), previous_response_id: r3Id }));
      t.equal(
        outcome(again),
        "error previous_response_not_found",
        "r3 is not continued on B either",
      );
    });

    await t.test("nothing but the session reaches them (RESP-13)", async (t) => {
      const { socket: other } = await openHotline(b.wsUrl);
      t.teardown(() => other.close());
      for (const store of [false, true]) {
        const elsewhere = await answer(other, { ...short("x"), store, previous_response_id: r1Id });
        t.equal(
          outcome(elsewhere),
          "error previous_response_not_found",
          `another session of the principal on B, store: ${store}`,
        );
      }
      for (const store of [false, true]) {
        const http = await post(b.url, "/v1/responses", {
          ...short("x"),
          store,
          previous_response_id: r1Id,
        });
        t.equal(http.status, 400, `HTTP on B, store: ${store}`);
        t.equal((http.body.error as { code?: string } | null)?.code, "previous_response_not_found");
      }
      for (const id of [r1Id, r2Id]) {
        t.equal((await getJson(b.url, `/v1/responses/${id}`)).status, 404, `GET ${id} on B: 404`);
      }
    });
  },
);

t.test("a session taken over and back again continues what its cache holds", async (t) => {
  const fleet = await fleetOfTwo(t);
  if (!fleet) return;
  const { a, b } = fleet;
  const unstored = (body: Record<string, unknown>) => ({ store: false, ...body });
  const resume = async (url: string, token: string) => {
    const { socket, first } = await openHotline(url, {
      headers: { "Hotline-Resume-Token": token },
    });
    t.teardown(() => socket.close());
    return { socket, first };
  };
  /** A create's input tokens (the same conversation counts the same), or why it was refused. */
  const inputOf = (e: ServerEvent) => (e.type === "error" ? outcome(e) : usageOf(e).input_tokens);

  const { socket: onA, first: created } = await openHotline(a.wsUrl);
  t.teardown(() => onA.close());
  const token = sessionOf(created).resume_token;
  // The default lane keeps the max_in_flight most recent responses (RESP-16), and a session
  // taken over keeps them in order: filled one past capacity across the move to B, it drops its
  // oldest response there, r0, and B hands A back the rest.
  const capacity = sessionOf(created).limits.max_in_flight!;
  t.ok(capacity >= 4, `the cache holds ${capacity} responses`);

  const r0 = await answer(onA, unstored(short("a response the cache will drop")));
  t.equal(r0.type, "response.completed", "r0 on A");
  const r1 = await answer(onA, unstored(short("my name is Ada; remember it")));
  t.equal(r1.type, "response.completed", "r1 on A");
  const r1Id = ridOf(r1)!;
  const onR1 = unstored({ ...short("what is my name?"), previous_response_id: r1Id });
  const expected1 = inputOf(await answer(onA, onR1));
  t.ok(Number(expected1) > usageOf(r1).input_tokens + usageOf(r1).output_tokens, "A continues r1");

  const { socket: onB, first: onBFirst } = await resume(b.wsUrl, token);
  t.equal(onBFirst.type, "session.resumed", "B took the session over");
  const r2 = await answer(onB, unstored(short("my name is Grace now")));
  t.equal(r2.type, "response.completed", "r2 on B");
  const r2Id = ridOf(r2)!;
  const onR2 = unstored({ ...short("and now, what is my name?"), previous_response_id: r2Id });
  const expected2 = inputOf(await answer(onB, onR2));
  t.ok(Number(expected2) > usageOf(r2).input_tokens + usageOf(r2).output_tokens, "B continues r2");
  // Cached so far: r0, r1, its continuation, r2, its continuation; the fillers make it
  // capacity + 1, which drops r0.
  for (let i = 5; i <= capacity; i++) {
    const filler = await answer(onB, unstored(short(`filler ${i}`)));
    t.equal(filler.type, "response.completed", `filler ${i} on B`);
  }

  const { socket: onA2, first: back } = await resume(a.wsUrl, token);
  t.equal(back.type, "session.resumed", "A took the session back");
  const dropped = await answer(onA2, unstored({ ...short("x"), previous_response_id: ridOf(r0) }));
  t.equal(outcome(dropped), "error previous_response_not_found", "r0 fell out of it on B");
  // r1 is the oldest cached now: its continuation (cached in turn) pushes it out, not r2.
  t.equal(inputOf(await answer(onA2, onR1)), expected1, "A continues r1 as before the moves");
  t.equal(inputOf(await answer(onA2, onR2)), expected2, "A continues r2 as B did");
});

t.test("responses that end while B takes the session over are continued on B", async (t) => {
  // Every command B sends reaches Redis D ms late, so each step of its take-over lasts about D
  // and A's responses can be timed to end between two of them. After the resume reaches B: A
  // hands the session over at 3 D (B reads the token, the holder, asks); B reads the cache at
  // 4 D, then the responses in the session's order, 2 D each (record, stream), and 1 D more to
  // load an ended one's conversation; it adopts the session at about 15 D.
  const D = 300;
  const fleet = await fleetOfTwo(t, [], { bWritesDelayMs: D });
  if (!fleet) return;
  const { a, b } = fleet;
  const { socket: onA, first } = await openHotline(a.wsUrl);
  t.teardown(() => onA.close());
  // B's first connection is slower (code loaded): not the resume's.
  (await openHotline(b.wsUrl)).socket.close();

  // The delays run from the creates; the resume starts RESUME_AT after them.
  const RESUME_AT = 1000;
  const since = performance.now();
  const create = (crid: string, delayMs: number) => {
    onA.send({
      type: "response.create",
      client_request_id: crid,
      store: false,
      input: `${crid}: count to ten`,
      metadata: { "sim.output_tokens": "12", "sim.delay_ms": String(Math.round(delayMs)) },
    });
    return onA.next("response.created", (e) => e.client_request_id === crid).then(ridOf);
  };
  const ids = (await Promise.all([
    // Ends after the hand-over (3 D), before B reads its stream (6 D): B finds it ended.
    create("early", RESUME_AT + 4.6 * D),
    // Ends after B read it running (9 D), while B reads the three others (to 15 D).
    create("later", RESUME_AT + 11.75 * D),
    create("done1", 0),
    create("done2", 0),
    create("done3", 0),
  ])) as string[];
  const [early, later, ...done] = ids;
  for (const id of done) t.equal((await terminalOf(onA, id)).type, "response.completed");
  const waited = performance.now() - since;
  t.ok(waited < RESUME_AT, `the others ended in ${Math.round(waited)} ms`);
  await new Promise((resolve) => setTimeout(resolve, RESUME_AT - waited));

  const { socket: onB, first: resumed } = await openHotline(b.wsUrl, {
    headers: { "Hotline-Resume-Token": sessionOf(first).resume_token },
  });
  t.teardown(() => onB.close());
  t.equal(resumed.type, "session.resumed", "B took the session over");
  t.equal((await onA.closed).reason, "session_replaced", "A handed it over");
  const held = (resumed as unknown as { responses: { response_id: string; status: string }[] })
    .responses;
  t.same(
    held.map((r) => r.response_id),
    ids,
    "B read them in this order",
  );
  for (const [name, id] of [
    ["early", early!],
    ["later", later!],
  ] as const) {
    const endedOnA = onA.recorder.events.some((e) => TERMINAL_TYPES.has(e.type) && ridOf(e) === id);
    t.notOk(endedOnA, `${name} was running on A at the hand-over`);
    const status = held.find((r) => r.response_id === id)?.status;
    t.equal(status, "completed", `${name} had ended when B resumed the session`);
    onB.send({ type: "response.resume", response_id: id, after_sequence_number: -1 });
    const ended = usageOf(await terminalOf(onB, id));
    const next = await answer(onB, { store: false, ...short("go on"), previous_response_id: id });
    t.equal(outcome(next), "response.completed", `B continues ${name}`);
    if (next.type === "error") continue;
    t.ok(
      usageOf(next).input_tokens > ended.input_tokens + ended.output_tokens,
      `from ${name}'s conversation: ${usageOf(next).input_tokens} input tokens > ` +
        `${ended.input_tokens} + ${ended.output_tokens}`,
    );
  }
});
