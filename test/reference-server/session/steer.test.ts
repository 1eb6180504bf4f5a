/**
 * Steer as values (session/steer.ts): which code refuses a steer (INT-16), what the replies
 * carry (INT-13: `steer_…` id, target, lane; INT-17: the hotline.v1 echo), and the connection's
 * own numbering of steer events; steers held while their target calls tools (INT-19 to INT-21).
 */
import t from "tap";
import type { ResponseSteerEvent } from "../../../src/protocol/index.js";
import type { Tracked } from "../../../reference-server/session/tracked-responses.js";
import {
  heldInput,
  MAX_HELD_STEERS,
  SteerLedger,
  steerRefusal,
} from "../../../reference-server/session/steer.js";

const running = { running: true, status: "in_progress", steerable: true, held: 0 } as const;

t.test("refusal codes", async (t) => {
  t.equal(steerRefusal(undefined, "x")?.code, "response_not_found");
  t.equal(
    steerRefusal({ running: false, status: "completed", steerable: true, held: 0 }, "x")?.code,
    "response_already_completed",
  );
  t.equal(
    steerRefusal({ running: false, status: "incomplete", steerable: true, held: 0 }, "x")?.code,
    "response_not_active",
  );
  t.equal(steerRefusal({ ...running, steerable: false }, "x")?.code, "steering_not_supported");
  t.equal(steerRefusal({ ...running, held: 7 }, "x"), undefined, "the eighth steer is held");
  t.equal(steerRefusal({ ...running, held: 8 }, "x")?.code, "too_many_pending_steers");
  t.equal(steerRefusal(running, "")?.code, "invalid_input", "empty input");
  t.equal(steerRefusal(running, [])?.code, "invalid_input", "empty list");
  const assistant = [{ role: "assistant", content: "no" }] as ResponseSteerEvent["input"];
  t.equal(steerRefusal(running, assistant)?.code, "invalid_input", "another role");
  const tool = [{ type: "function_call_output", call_id: "c", output: "{}" }];
  t.equal(steerRefusal(running, tool as ResponseSteerEvent["input"])?.code, "invalid_input");
  t.equal(steerRefusal(running, "go"), undefined);
  const user = [{ type: "message", role: "user", content: "go" }] as ResponseSteerEvent["input"];
  t.equal(steerRefusal(running, user), undefined, "user message items");
});

type Required = { type: "function_call_output"; call_id: string; name: string }[];

function tracked(
  id: string,
  lane: string,
  done = false,
  status = "in_progress",
  required: Required = [],
): Tracked {
  return {
    run: { id, done, status, requiredInput: () => required },
    lane,
    background: false,
  } as unknown as Tracked;
}

t.test("the ledger: accepted, failed, numbering, lanes and the hotline.v1 echo", async (t) => {
  const ledger = new SteerLedger(true);
  const steer = (id: string): ResponseSteerEvent => ({
    type: "response.steer",
    previous_response_id: id,
    input: "go",
    client_request_id: "q",
  });
  const a = ledger.answer(steer("r1"), tracked("r1", "lane-a"));
  t.match(a.reply, {
    type: "response.steer.accepted",
    steer: { id: /^steer_[0-9a-f]{32}$/, previous_response_id: "r1" },
    sequence_number: 0,
    stream_id: "lane-a",
    client_request_id: "q",
  });
  t.same(a.accepted?.lane, "lane-a");
  const gone = ledger.answer(steer("r9"), undefined);
  t.match(gone.reply, {
    type: "response.steer.failed",
    steer: { previous_response_id: "r9", input: "go" },
    error: { code: "response_not_found", type: "invalid_request_error" },
    sequence_number: 1,
  });
  t.notOk("stream_id" in gone.reply, "an unknown target has no lane");
  t.notOk("id" in (gone.reply as { steer: object }).steer, "never accepted: no id");
  ledger.ended(tracked("r2", "lane-b", true, "completed"));
  const late = ledger.answer(steer("r2"), undefined);
  t.match(late.reply, {
    error: { code: "response_already_completed" },
    stream_id: "lane-b",
    sequence_number: 2,
  });
  const failed = ledger.successorFailed(steer("r1"), a.accepted!, "no room");
  t.match(failed, {
    steer: { id: a.accepted!.id },
    error: { code: "successor_creation_failed", message: "no room" },
    sequence_number: 3,
  });
  const core = new SteerLedger(false).answer(steer("r1"), tracked("r1", ""));
  t.notOk("client_request_id" in core.reply, "core: no Hotline echo");
  t.notOk("stream_id" in core.reply, "the default lane: no stream_id");
});

t.test("held steers: pending after a tool call, prepended to the continuation", async (t) => {
  const ledger = new SteerLedger(false);
  const steer = (input: string): ResponseSteerEvent => ({
    type: "response.steer",
    previous_response_id: "r1",
    input,
  });
  const target = tracked("r1", "lane-a");
  const first = ledger.answer(steer("one"), target).accepted!;
  ledger.hold(steer("one"), first);
  const second = ledger.answer(steer("two"), target).accepted!;
  ledger.hold(steer("two"), second);
  t.equal(ledger.waitingFor("r1", "lane-a"), undefined, "held, not yet waiting");
  const stub = { type: "function_call_output" as const, call_id: "c1", name: "read_file" };
  const release = ledger.ended(tracked("r1", "lane-a", true, "completed", [stub]));
  t.equal(release.successor, undefined, "no automatic successor while tool output is owed");
  t.match(release.send, [
    {
      type: "response.steer.pending",
      steer: { id: first.id, previous_response_id: "r1" },
      reason: "waiting_for_required_input",
      required_input: [stub],
      stream_id: "lane-a",
      sequence_number: 2,
    },
    { type: "response.steer.pending", steer: { id: second.id }, sequence_number: 3 },
  ]);
  t.equal(ledger.waitingFor("r1", ""), undefined, "another lane's continuation takes nothing");
  const held = ledger.waitingFor("r1", "lane-a");
  t.same(heldInput(held!), [
    { type: "message", role: "user", content: "one" },
    { type: "message", role: "user", content: "two" },
  ]);
  ledger.committed("r1");
  t.equal(ledger.waitingFor("r1", "lane-a"), undefined, "committed once");
});

t.test("held steers of a response that ended otherwise", async (t) => {
  const ledger = new SteerLedger(false);
  const steer: ResponseSteerEvent = {
    type: "response.steer",
    previous_response_id: "r1",
    input: "x",
  };
  const hold = (): void => {
    const accepted = ledger.answer(steer, tracked("r1", "")).accepted!;
    ledger.hold(steer, accepted);
  };
  hold();
  const done = ledger.ended(tracked("r1", "", true, "completed"));
  t.equal(done.successor?.steers.length, 1, "completed with no tool output owed: a successor");
  t.same(done.send, []);
  hold();
  const failed = ledger.ended(tracked("r1", "", true, "failed"));
  t.equal(failed.successor, undefined);
  t.match(failed.send, [
    {
      type: "response.steer.failed",
      steer: { input: "x" },
      error: { code: "response_not_active" },
    },
  ]);
  for (let i = 0; i < MAX_HELD_STEERS; i++) hold();
  t.match(ledger.answer(steer, tracked("r1", "")).reply, {
    type: "response.steer.failed",
    error: { code: "too_many_pending_steers" },
  });
});
