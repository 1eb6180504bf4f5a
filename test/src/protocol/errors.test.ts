import t from "tap";
import {
  ERROR_REGISTRY,
  lookupError,
  ProtocolError,
  ReceivedError,
} from "../../../src/protocol/errors.js";
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
  const back = ReceivedError.fromEnvelope(hotline);
  t.equal(back.code, "invalid_event");
  t.equal(back.registered, ERROR_REGISTRY.invalid_event);
  t.equal(back.context.eventId, "evt_1");
  t.equal(back.context.param, "/model");
  t.equal(new ProtocolError("too_many_in_flight", "x").retryable, true);
  t.equal(new ProtocolError("session_replaced", "x").closeCode, 4002);
});

t.test(
  "a received error reads as the peer sent it; the registry fills only what is missing",
  async (t) => {
    // A foreign server: an unregistered code, its own status, type and retry advice.
    const foreign = ReceivedError.fromEnvelope({
      status: 503,
      error: { code: "engine_busy", message: "busy", type: "server_error", retryable: true },
    });
    t.equal(foreign.code, "engine_busy");
    t.equal(foreign.registered, undefined);
    t.equal(foreign.status, 503);
    t.equal(foreign.retryable, true);
    t.equal(foreign.errorType, "server_error");
    // A registered code whose status the peer gave differently: the peer's status stands.
    const sent = ReceivedError.fromEnvelope({
      status: 418,
      error: { code: "invalid_event", message: "x" },
    });
    t.equal(sent.status, 418);
    t.equal(sent.errorType, "invalid_request_error");
    t.equal(sent.retryable, false);
    // Nothing but a message: a server_error with the registry's status.
    const bare = new ReceivedError({ message: "" }, undefined);
    t.equal(bare.code, "server_error");
    t.equal(bare.status, 500);
    t.match(bare.message, /without a message/);
    t.equal(new ReceivedError({ code: "too_many_in_flight" }, undefined).retryable, true);
  },
);
