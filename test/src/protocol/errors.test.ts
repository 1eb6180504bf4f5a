import t from "tap";
import { ERROR_REGISTRY, lookupError, ProtocolError } from "../../../src/protocol/errors.js";
import { readJson } from "../../helpers/repo.js";

t.test("the generated registry mirrors schemas/registry/errors.json", async (t) => {
  const source = readJson<{
    errors: { code: string; status: number; retryable: boolean; close_code: number | null }[];
  }>("schemas/registry/errors.json");
  t.equal(Object.keys(ERROR_REGISTRY).length, source.errors.length);
  for (const e of source.errors) {
    const entry = lookupError(e.code);
    t.ok(entry, e.code);
    t.equal(entry?.status, e.status, `${e.code} status`);
    t.equal(entry?.retryable, e.retryable, `${e.code} retryable`);
    t.equal(entry?.closeCode, e.close_code, `${e.code} close code`);
  }
  const closeCodes = source.errors.map((e) => e.close_code).filter((c) => c !== null);
  t.equal(new Set(closeCodes).size, closeCodes.length, "close codes are not shared");
  for (const c of closeCodes)
    t.ok(c === 1003 || c === 1008 || c === 1009 || (c! >= 4000 && c! <= 4099), `${c} in range`);
});

t.test("envelopes: core carries no Hotline fields, hotline.v1 correlates", async (t) => {
  const err = new ProtocolError("invalid_event", "/model must be string", {
    param: "/model",
    eventId: "evt_1",
    responseId: "resp_1",
  });
  t.same(err.toEnvelope("core"), {
    type: "error",
    status: 400,
    error: {
      code: "invalid_event",
      message: "/model must be string",
      type: "invalid_request_error",
      param: "/model",
    },
  });
  const hotline = err.toEnvelope("hotline.v1");
  t.equal(hotline.event_id, "evt_1");
  t.equal(hotline.response_id, "resp_1");
  t.equal(hotline.error.retryable, false);
  const back = ProtocolError.fromEnvelope(hotline);
  t.equal(back.code, "invalid_event");
  t.equal(back.context.eventId, "evt_1");
  t.equal(new ProtocolError("too_many_in_flight", "x").retryable, true);
  t.equal(new ProtocolError("session_replaced", "x").closeCode, 4002);
});
