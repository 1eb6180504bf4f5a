/**
 * `previous_response_id` across a fleet (spec/fleet.md, FLEET-7) with a real redis-server and
 * two reference-server processes: a stored response generated on A is continued on B, over
 * HTTP and over a WebSocket, from the same context A would continue it from.
 */
import t from "tap";
import { TestSocket } from "../helpers/clients.js";
import { fleetOfTwo, post } from "./helpers.js";

const short = (input: string) => ({ input, metadata: { "sim.output_tokens": "12" } });
const inputTokens = (body: Record<string, unknown>) =>
  (body.usage as { input_tokens: number }).input_tokens;

t.test("a stored response generated on A is continued on B", async (t) => {
  const fleet = await fleetOfTwo(t);
  if (!fleet) return;
  const { a, b } = fleet;

  /** A response stored on A, and the input tokens A's own continuation of it counts. */
  const storedOnA = async (text: string) => {
    const first = await post(a.url, "/v1/responses", short(text));
    t.equal(first.status, 200);
    const id = first.body.id as string;
    const follow = { ...short("what is my name?"), previous_response_id: id };
    const onA = await post(a.url, "/v1/responses", follow);
    t.equal(onA.status, 200);
    return { id, follow, expected: inputTokens(onA.body) };
  };
  const { id: r1, follow, expected } = await storedOnA("my name is Ada; remember it");
  const alone = await post(a.url, "/v1/responses", short("what is my name?"));
  t.ok(expected > inputTokens(alone.body), "the history counts on A");

  await t.test("over HTTP: the same context as on A", async (t) => {
    const onB = await post(b.url, "/v1/responses", follow);
    t.equal(onB.status, 200, JSON.stringify(onB.body.error));
    t.equal(onB.body.previous_response_id, r1);
    t.equal(inputTokens(onB.body), expected, "B counted the whole history as input");
    // And back: B's response continued on A (a chain that crosses twice).
    const back = await post(a.url, "/v1/responses", {
      ...short("and again?"),
      previous_response_id: onB.body.id,
    });
    t.equal(back.status, 200, JSON.stringify(back.body.error));
    t.ok(inputTokens(back.body) > expected, "A continued B's response with all of it");
  });

  await t.test("over a WebSocket on B", async (t) => {
    const stored = await storedOnA("my name is Grace; remember it");
    const socket = await TestSocket.open(b.wsUrl);
    t.teardown(() => socket.close());
    socket.send({ type: "response.create", ...stored.follow });
    // Sent behind it on the same connection: handled after it (the order holds).
    socket.send({ type: "response.create", ...short("unrelated") });
    const done = await socket.terminal();
    t.equal(done.type, "response.completed", JSON.stringify(done));
    const response = (done as unknown as { response: Record<string, unknown> }).response;
    t.equal(response.previous_response_id, stored.id, "the continuation ended first");
    t.equal(inputTokens(response), stored.expected, "the same input tokens as on A");
  });

  await t.test("a continuation that arrives before the previous response's end", async (t) => {
    // B reads the previous response still running on A (as it may read one whose terminal
    // event a client already has, before A's next write): it waits for the end, a while.
    const socket = await TestSocket.open(a.wsUrl);
    t.teardown(() => socket.close());
    const tokens = { "sim.output_tokens": "360" }; // 0.3 s at the default 1,200 tok/s
    socket.send({ type: "response.create", store: true, input: "count", metadata: tokens });
    const created = await socket.next("response.created");
    const onB = await post(b.url, "/v1/responses", {
      ...short("go on"),
      previous_response_id: created.response.id,
    });
    t.equal(onB.status, 200, JSON.stringify(onB.body.error));
    t.ok(inputTokens(onB.body) > 360, "with the whole output of the previous response");
  });

  await t.test("what is not continuable stays refused", async (t) => {
    const notFound = async (body: Record<string, unknown>) => {
      const answer = await post(b.url, "/v1/responses", body);
      t.equal(answer.status, 400);
      t.equal((answer.body.error as { code: string }).code, "previous_response_not_found");
    };
    await notFound({ ...short("x"), previous_response_id: "resp_nope" });
    // RESP-13: store: false never reaches the store.
    await notFound({ ...short("x"), store: false, previous_response_id: r1 });
    const unstored = await post(a.url, "/v1/responses", { ...short("x"), store: false });
    await notFound({ ...short("x"), previous_response_id: unstored.body.id });
  });
});
