/**
 * hotline.v1 sessions across a fleet (spec/fleet.md): a resume token issued by one instance
 * takes the session over on another (the first connection is closed as `session_replaced`),
 * the responses it held are resumed there gaplessly while their owner goes on generating, a
 * repeated `client_request_id` attaches to the running response, and a cancel reaches the owner.
 */
import t from "tap";
import type { ServerEvent } from "../../../src/protocol/index.js";
import { eventsWhere, openHotline, ridOf, sessionOf, terminalOf } from "../helpers/hotline.js";
import { fleetOfTwo, SLOW } from "./helpers.js";
import { listFilesTool } from "../../helpers/tools.js";

const create = (clientRequestId: string) => ({
  type: "response.create",
  input: "write a lexer",
  client_request_id: clientRequestId,
  metadata: { "sim.output_tokens": "4000" },
});
const seq = (e: ServerEvent) => (e as { sequence_number: number }).sequence_number;

t.test("a session opened on A is resumed, retried and cancelled on B", async (t) => {
  const fleet = await fleetOfTwo(t, SLOW);
  if (!fleet) return;
  const { a, b } = fleet;

  const { socket: onA, first } = await openHotline(a.wsUrl);
  t.teardown(() => onA.close());
  const opened = sessionOf(first);
  onA.send(create("c1"));
  onA.send(create("c2"));
  // Two responses at once: their response.created may come in either order (each is shown
  // once its record is in Redis), so both are awaited from the same place.
  const createdOf = (crid: string) => (e: ServerEvent) =>
    e.type === "response.created" && e.client_request_id === crid;
  await onA.matching((e) => createdOf("c1")(e) || createdOf("c2")(e));
  await onA.matching((e) => createdOf("c1")(e) || createdOf("c2")(e));
  const r1 = ridOf(onA.recorder.events.find(createdOf("c1"))!)!;
  const r2 = ridOf(onA.recorder.events.find(createdOf("c2"))!)!;
  // Read a while on A, then lose A's connection's place: the last event seen of r1.
  const seenOnA = await eventsWhere(onA, (e) => ridOf(e) === r1, 30);
  const last = seq(seenOnA.at(-1)!);

  const { socket: onB, first: resumed } = await openHotline(b.wsUrl, {
    headers: { "Hotline-Resume-Token": opened.resume_token },
  });
  t.teardown(() => onB.close());
  t.equal(resumed.type, "session.resumed", "B resumed the session A opened");
  t.equal(sessionOf(resumed).id, opened.id, "the same session");
  const held = (resumed as unknown as { responses: { response_id: string }[] }).responses;
  t.same(held.map((r) => r.response_id).sort(), [r1, r2].sort(), "with both responses");

  const replaced = await onA.next("error");
  t.equal((replaced as unknown as { error: { code: string } }).error.code, "session_replaced");
  t.equal((await onA.closed).code, 4002, "A's connection closed 4002");

  onB.send({ type: "response.resume", response_id: r1, after_sequence_number: last });
  // Enough events to be sure B follows A's live generation, not only its history.
  const afterResume = await eventsWhere(onB, (e) => ridOf(e) === r1, 200);
  t.ok(
    afterResume.every((e, i) => seq(e) === last + 1 + i),
    `resumed at ${last + 1}: gapless, no duplicate`,
  );

  // Events reach the new connection once it resumes the response (RESUME-6).
  const lastOfR2 = onA.recorder.events.filter((e) => ridOf(e) === r2).at(-1)!;
  onB.send({ type: "response.resume", response_id: r2, after_sequence_number: seq(lastOfR2) });
  onB.send({ type: "response.cancel", response_id: r2 });
  const cancelled = await terminalOf(onB, r2);
  t.equal(cancelled.type, "response.cancelled", "a cancel on B stops r2 on A");

  const before = onB.recorder.events.length;
  onB.send(create("c1"));
  const again = await onB.next("response.created", (e) => e.client_request_id === "c1");
  t.equal(ridOf(again), r1, "a repeated client_request_id attaches to r1");
  const createdSince = onB.recorder.events
    .slice(before)
    .filter((e) => e.type === "response.created" && ridOf(e) !== r1);
  t.same(createdSince, [], "no second response started");

  onB.send({ type: "response.cancel", response_id: r1 });
  const ended = await terminalOf(onB, r1);
  t.equal(ended.type, "response.cancelled");
  // B's connection starts mid-stream (a resume), so only the recorder's per-connection
  // ordering check ("before response.created") does not apply; schema checks do.
  const problems = onB.recorder.problems.filter((p) => !p.includes("before response.created"));
  t.same(problems, [], "every frame on B valid");
  t.same(onA.recorder.problems, [], "every frame on A valid");
});

t.test(
  "a token whose instance died resumes nothing: resume_expired, a fresh session",
  async (t) => {
    const fleet = await fleetOfTwo(t, SLOW);
    if (!fleet) return;
    const { a, b } = fleet;
    const { socket: onA, first } = await openHotline(a.wsUrl);
    const token = sessionOf(first).resume_token;
    a.child.kill("SIGKILL");
    await onA.closed;
    const { socket: onB, first: fresh } = await openHotline(b.wsUrl, {
      headers: { "Hotline-Resume-Token": token },
    });
    t.teardown(() => onB.close());
    t.equal(fresh.type, "session.created");
    const error = await onB.next("error");
    t.equal((error as unknown as { error: { code: string } }).error.code, "resume_expired");
  },
);

t.test("a response generated on A is steered and interrupted from B", async (t) => {
  const fleet = await fleetOfTwo(t, SLOW);
  if (!fleet) return;
  const { a, b } = fleet;
  const { socket: onA, first } = await openHotline(a.wsUrl);
  t.teardown(() => onA.close());
  onA.send(create("s1"));
  const r1 = ridOf(await onA.next("response.created"))!;
  onA.send(create("s2"));
  const r2 = ridOf(await onA.next("response.created", (e) => ridOf(e) !== r1))!;
  await onA.next("response.output_text.delta", (e) => ridOf(e) === r2);
  const lastOf = (id: string) => seq(onA.recorder.events.filter((e) => ridOf(e) === id).at(-1)!);

  const { socket: onB, first: resumed } = await openHotline(b.wsUrl, {
    headers: { "Hotline-Resume-Token": sessionOf(first).resume_token },
  });
  t.teardown(() => onB.close());
  t.equal(resumed.type, "session.resumed");
  onB.send({ type: "response.resume", response_id: r1, after_sequence_number: lastOf(r1) });
  onB.send({ type: "response.resume", response_id: r2, after_sequence_number: lastOf(r2) });
  await onB.next("response.output_text.delta", (e) => ridOf(e) === r1);

  onB.send({ type: "response.steer", previous_response_id: r1, input: "also handle comments" });
  const accepted = await onB.next("response.steer.accepted");
  t.match(accepted, { steer: { previous_response_id: r1 } }, "B accepts the steer of A's r1");
  const steered = (await terminalOf(onB, r1)) as unknown as {
    type: string;
    response: { incomplete_details: { reason: string }; usage: { output_tokens: number } };
  };
  t.equal(steered.type, "response.incomplete", "A cut r1");
  t.equal(steered.response.incomplete_details.reason, "steered", "as a steer (INT-14)");
  const successor = await onB.next("response.created", (e) => e.steered_from === r1);
  const next = ridOf(successor)!;
  t.not(next, r1, "a successor started on B");
  onB.send({ type: "response.cancel", response_id: next });
  const ended = (await terminalOf(onB, next)) as unknown as {
    response: { usage: { input_tokens: number } };
  };
  t.ok(
    ended.response.usage.input_tokens > steered.response.usage.output_tokens,
    `the successor reads r1's conversation: ${ended.response.usage.input_tokens} input tokens ` +
      `> r1's ${steered.response.usage.output_tokens} output tokens`,
  );

  onB.send({ type: "response.interrupt", response_id: r2, mode: "discard_partial_items" });
  const ack = await onB.next("response.interrupt.accepted");
  t.equal(ridOf(ack), r2, "A acknowledged the interrupt sent to B");
  const interrupted = (await terminalOf(onB, r2)) as unknown as {
    type: string;
    response: { incomplete_details: { reason: string } };
  };
  t.equal(interrupted.type, "response.incomplete");
  t.equal(interrupted.response.incomplete_details.reason, "interrupted", "INT-23 on A");
  const problems = onB.recorder.problems.filter((p) => !p.includes("before response.created"));
  t.same(problems, [], "every frame on B valid");
});

t.test(
  "a steer sent to B inside A's tool call waits for the call's end (INT-19, INT-20)",
  async (t) => {
    const fleet = await fleetOfTwo(t, SLOW);
    if (!fleet) return;
    const { a, b } = fleet;
    const tools = [listFilesTool()];
    const { socket: onA, first } = await openHotline(a.wsUrl);
    t.teardown(() => onA.close());
    onA.send({ type: "response.create", input: "list the files", tools, tool_choice: "required" });
    const id = ridOf(await onA.next("response.created"))!;
    await onA.next("response.function_call_arguments.delta", (e) => ridOf(e) === id);
    const last = seq(onA.recorder.events.filter((e) => ridOf(e) === id).at(-1)!);

    const { socket: onB } = await openHotline(b.wsUrl, {
      headers: { "Hotline-Resume-Token": sessionOf(first).resume_token },
    });
    t.teardown(() => onB.close());
    onB.send({ type: "response.resume", response_id: id, after_sequence_number: last });
    await onB.next("response.function_call_arguments.delta", (e) => ridOf(e) === id);
    onB.send({ type: "response.steer", previous_response_id: id, input: "skip node_modules" });
    await onB.next("response.steer.accepted");
    const ended = (await terminalOf(onB, id)) as unknown as {
      type: string;
      response: { output: { type: string; call_id: string; arguments: string }[] };
    };
    t.equal(ended.type, "response.completed", "the call was not cut");
    const call = ended.response.output.find((i) => i.type === "function_call")!;
    t.ok(
      (JSON.parse(call.arguments) as { paths: string[] }).paths.length >= 200,
      "whole arguments",
    );
    const pending = await onB.next("response.steer.pending");
    t.match(
      pending,
      {
        required_input: [
          { type: "function_call_output", call_id: call.call_id, name: "list_files" },
        ],
      },
      "pending on B, with the stub of A's call",
    );
    t.notOk(
      onB.recorder.events.some((e) => e.type === "response.created" && e.steered_from === id),
      "no automatic successor",
    );
  },
);

t.test("an older token of a session that moved still resumes it, on either instance", async (t) => {
  const fleet = await fleetOfTwo(t, SLOW);
  if (!fleet) return;
  const { a, b } = fleet;
  const { socket: first, first: created } = await openHotline(a.wsUrl);
  const opened = sessionOf(created);
  first.ws.terminate();
  await first.closed;
  const headers = { "Hotline-Resume-Token": opened.resume_token };
  const { socket: onB, first: onBFirst } = await openHotline(b.wsUrl, { headers });
  t.equal(onBFirst.type, "session.resumed", "B took the session over");
  t.not(sessionOf(onBFirst).resume_token, opened.resume_token, "and issued a new token");
  onB.ws.terminate();
  await onB.closed;
  // A client that never read B's token presents the first one again, to A, which handed the
  // session over: every token of the session follows it to its holder.
  const { socket: backOnA, first: again } = await openHotline(a.wsUrl, { headers });
  t.teardown(() => backOnA.close());
  t.equal(again.type, "session.resumed", "the first token resumes it on A again");
  t.equal(sessionOf(again).id, opened.id, "the same session");
});

t.test("a store:false response of a session resumes on B, and stays hidden from GET", async (t) => {
  const fleet = await fleetOfTwo(t, SLOW);
  if (!fleet) return;
  const { a, b } = fleet;
  const { socket: onA, first } = await openHotline(a.wsUrl);
  t.teardown(() => onA.close());
  onA.send({ ...create("nf"), store: false });
  const id = ridOf(await onA.next("response.created"))!;
  await onA.next("response.output_text.delta", (e) => ridOf(e) === id);
  const last = seq(onA.recorder.events.filter((e) => ridOf(e) === id).at(-1)!);

  const { socket: onB, first: resumed } = await openHotline(b.wsUrl, {
    headers: { "Hotline-Resume-Token": sessionOf(first).resume_token },
  });
  t.teardown(() => onB.close());
  const held = (resumed as unknown as { responses: { response_id: string }[] }).responses;
  t.same(
    held.map((r) => r.response_id),
    [id],
    "RESP-13 allows a resume of the same session: B holds it",
  );
  onB.send({ type: "response.resume", response_id: id, after_sequence_number: last });
  const replayed = await eventsWhere(onB, (e) => ridOf(e) === id, 40);
  t.ok(
    replayed.every((e, i) => seq(e) === last + 1 + i),
    "replayed and live on B: gapless, no duplicate",
  );
  for (const url of [a.url, b.url]) {
    const got = await fetch(`${url}/v1/responses/${id}`);
    t.equal(got.status, 404, `GET on ${url === a.url ? "A" : "B"}: not found (RESP-13)`);
  }
  onB.send({ type: "response.cancel", response_id: id });
  t.equal((await terminalOf(onB, id)).type, "response.cancelled", "a cancel on B reaches A");
});

t.test(
  "a store:false response that ended while its session was on B resumes back on A",
  async (t) => {
    const fleet = await fleetOfTwo(t, SLOW);
    if (!fleet) return;
    const { a, b } = fleet;
    const { socket: onA, first } = await openHotline(a.wsUrl);
    onA.send({
      type: "response.create",
      input: "hi",
      store: false,
      metadata: { "sim.output_tokens": "60" },
    });
    const id = ridOf(await onA.next("response.created"))!;
    onA.ws.terminate();
    await onA.closed;
    const headers = { "Hotline-Resume-Token": sessionOf(first).resume_token };
    const { socket: onB, first: onBFirst } = await openHotline(b.wsUrl, { headers });
    const token = sessionOf(onBFirst).resume_token;
    onB.send({ type: "response.resume", response_id: id, after_sequence_number: -1 });
    t.equal((await terminalOf(onB, id)).type, "response.completed", "it ended on A, read on B");
    onB.ws.terminate();
    await onB.closed;
    // Back on A, which generated it and forgot it when it ended (store: false).
    const { socket: back, first: again } = await openHotline(a.wsUrl, {
      headers: { "Hotline-Resume-Token": token },
    });
    t.teardown(() => back.close());
    const held = (again as unknown as { responses: { response_id: string }[] }).responses;
    t.same(
      held.map((r) => r.response_id),
      [id],
      "A holds it again",
    );
    back.send({ type: "response.resume", response_id: id, after_sequence_number: -1 });
    t.equal((await terminalOf(back, id)).type, "response.completed", "and replays it to its end");
  },
);

t.test("a token of a session its holder discarded is expired at once on another", async (t) => {
  const fleet = await fleetOfTwo(t, [...SLOW, "--resume-window-ms", "200"]);
  if (!fleet) return;
  const { a, b } = fleet;
  const { socket: onA, first } = await openHotline(a.wsUrl);
  onA.ws.terminate();
  await onA.closed;
  // The window ends on A: the session is discarded there, and A is still its holder in Redis.
  await new Promise((resolve) => setTimeout(resolve, 600));
  const asked = performance.now();
  const { socket: onB, first: fresh } = await openHotline(b.wsUrl, {
    headers: { "Hotline-Resume-Token": sessionOf(first).resume_token },
  });
  t.teardown(() => onB.close());
  const waited = performance.now() - asked;
  t.equal(fresh.type, "session.created", "a fresh session");
  const error = await onB.next("error");
  t.equal((error as unknown as { error: { code: string } }).error.code, "resume_expired");
  // Not followed as a moving session (5 s): A answered it holds nothing and is still named.
  t.ok(waited < 4000, `answered after ${Math.round(waited)} ms, not after following it 5 s`);
});

t.test("a hand-over answered after its taker stopped waiting is held by the taker", async (t) => {
  const fleet = await fleetOfTwo(t, SLOW);
  if (!fleet) return;
  const { a, b } = fleet;
  const { socket: onA, first } = await openHotline(a.wsUrl);
  const opened = sessionOf(first);
  onA.ws.terminate();
  await onA.closed;
  const headers = { "Hotline-Resume-Token": opened.resume_token };
  // A is frozen past B's 2 s wait for its answer: B starts a fresh session meanwhile.
  a.child.kill("SIGSTOP");
  const { socket: early, first: fresh } = await openHotline(b.wsUrl, { headers });
  a.child.kill("SIGCONT");
  t.equal(fresh.type, "session.created", "B gave up waiting: a fresh session");
  early.close();
  // A, thawed, hands the session to B (and names B its holder) after all: B holds it.
  let again: ServerEvent | undefined;
  for (let i = 0; i < 40 && again?.type !== "session.resumed"; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const { socket, first: reply } = await openHotline(b.wsUrl, { headers });
    again = reply;
    socket.close();
  }
  t.equal(again?.type, "session.resumed", "the token resumes the session on B");
  t.equal(again && sessionOf(again).id, opened.id, "the same session");
});
