/**
 * hotline.v1 sessions across a fleet (spec/fleet.md): a resume token issued by one instance
 * takes the session over on another (the first connection is closed as `session_replaced`),
 * the responses it held are resumed there gaplessly while their owner goes on generating, a
 * repeated `client_request_id` attaches to the running response, and a cancel reaches the owner.
 */
import t from "tap";
import type { ServerEvent } from "../../../src/protocol/index.js";
import { openHotline, ridOf, sessionOf, terminalOf } from "../helpers/hotline.js";
import { fleetOfTwo, SLOW } from "./helpers.js";

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
  const seenOnA = await new Promise<ServerEvent[]>((resolve) => {
    const check = () => {
      const mine = onA.recorder.events.filter((e) => ridOf(e) === r1);
      if (mine.length >= 30) {
        onA.ws.off("message", check);
        resolve(mine);
      }
    };
    onA.ws.on("message", check);
  });
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
  const afterResume = await new Promise<ServerEvent[]>((resolve) => {
    const check = () => {
      const mine = onB.recorder.events.filter((e) => ridOf(e) === r1);
      if (mine.length >= 200) {
        onB.ws.off("message", check);
        resolve(mine);
      }
    };
    onB.ws.on("message", check);
  });
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
