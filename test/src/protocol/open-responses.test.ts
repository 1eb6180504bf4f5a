// Payloads shaped as the Open Responses 2026-04-24 documents describe them (a completed text
// turn, a function-call turn, the WebSocket error envelope, previous_response_not_found, the
// SSE error event, a continuation create) validate against the core schemas.
import t from "tap";
import { validateClientEvent, validateServerEvent } from "../../../src/protocol/validate.js";
import { listFiles, readJson } from "../../helpers/repo.js";

const fixtures = listFiles("test/fixtures/open-responses", ".json");

t.test("Open Responses server payloads validate", async (t) => {
  const server = fixtures.filter((f) => !f.endsWith("-create.json"));
  t.ok(server.length >= 5);
  for (const file of server) {
    for (const event of readJson<unknown[]>(file)) {
      const result = validateServerEvent(event);
      t.ok(
        result.ok,
        `${file} ${(event as { type: string }).type}${result.ok ? "" : `: ${result.issues[0]?.message}`}`,
      );
    }
  }
});

t.test("an Open Responses continuation create validates", async (t) => {
  const result = validateClientEvent(
    readJson("test/fixtures/open-responses/continuation-create.json"),
  );
  t.ok(result.ok, result.ok ? "validates" : String(result.issues[0]?.message));
});

t.test("the validator catches what a strict client must reject", async (t) => {
  const [created] = readJson<Record<string, unknown>[]>(
    "test/fixtures/open-responses/completed-text-turn.json",
  );
  const response = { ...(created?.response as Record<string, unknown>) };
  delete response.safety_identifier;
  const result = validateServerEvent({ ...created, response });
  t.notOk(result.ok, "a ResponseResource without one of its 31 required fields is rejected");
  if (!result.ok) t.equal(result.issues[0]?.pointer, "/response/safety_identifier");
  // RESP-24: a member no create body defines (`stream` is accepted and ignored, RESP-22).
  const unknown = validateClientEvent({ type: "response.create", model: "m", max_tokens: 5 });
  t.notOk(unknown.ok);
  if (!unknown.ok) t.equal(unknown.issues[0]?.message, "/max_tokens is not allowed here");
  t.ok(validateClientEvent({ type: "response.create", model: "m", stream: true }).ok);
});
