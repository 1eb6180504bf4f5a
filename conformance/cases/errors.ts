/** Errors and bad input: the envelope, the registry, and a session that survives (spec/errors.md). */
import { ERROR_REGISTRY } from "../../src/protocol/index.js";
import { defineCase } from "../case.js";
import { errorCode, errorParam } from "../context.js";
import { describeErrorEnvelope } from "../harness/ws-client.js";

/**
 * An event that only breaks its schema (ERR-11): the cases about every error's envelope use it,
 * so a server mishandling bad JSON or unknown types fails only the cases about those.
 */
const SCHEMA_VIOLATION = { type: "response.create", input: 42 };

export const errorCases = [
  defineCase({
    id: "errors.envelope",
    title: "Every error has type, numeric status and error.code/message from the registry",
    requirements: ["ERR-1", "ERR-2"],
    level: "MUST",
    profile: "core",
    area: "errors",
    aggregates: ["ERR-1", "ERR-2"],
    async run(ctx) {
      const sock = await ctx.connect();
      // A schema violation (ERR-11) provokes the error: its envelope is what is checked here.
      const err = await ctx.expectError(sock, SCHEMA_VIOLATION);
      ctx.check(
        "ERR-1",
        typeof err.data.status === "number" && typeof errorCode(err) === "string",
        `expected a numeric status and a string error.code; ${describeErrorEnvelope(err.data)}`,
        err.entry,
      );
      const registered = ERROR_REGISTRY[errorCode(err) as "invalid_event"]?.status;
      ctx.check(
        "ERR-2",
        err.data.status === registered,
        `expected ${registered === undefined ? "a registered error.code" : `status ${registered}`}; ${describeErrorEnvelope(err.data)}`,
        err.entry,
      );
    },
  }),
  defineCase({
    id: "errors.core-unnumbered",
    title: "Errors on a core connection carry no sequence_number",
    requirements: ["ERR-3"],
    level: "MUST",
    profile: "core",
    area: "errors",
    connection: "core-only",
    aggregates: ["ERR-3"],
    async run(ctx) {
      const sock = await ctx.connect({ profile: "core" });
      const err = await ctx.expectError(sock, SCHEMA_VIOLATION);
      ctx.check("ERR-3", !("sequence_number" in err.data), "no sequence_number", err.entry);
    },
  }),
  defineCase({
    id: "errors.correlation",
    title:
      "Errors echo the event_id of the event that caused them and name the response they are about",
    requirements: ["ERR-4", "ERR-5"],
    level: "MUST",
    profile: "hotline.v1",
    area: "errors",
    async run(ctx) {
      const sock = await ctx.connect();
      const err = await ctx.expectError(sock, {
        type: "response.create",
        event_id: "evt_conf_1",
        input: 42,
      });
      ctx.check(
        "ERR-4",
        err.data.event_id === "evt_conf_1",
        `event_id ${JSON.stringify(err.data.event_id)}`,
        err.entry,
      );
      // An error about one response: resuming one the session never held (RESUME-9), or,
      // without resume, cancelling one (INT-12).
      const err2 = await ctx.expectError(
        sock,
        ctx.info.features.includes("resume")
          ? {
              type: "response.resume",
              response_id: "resp_conf_unknown",
              after_sequence_number: -1,
              event_id: "evt_conf_2",
            }
          : { type: "response.cancel", response_id: "resp_conf_unknown", event_id: "evt_conf_2" },
      );
      ctx.check(
        "ERR-5",
        err2.data.response_id === "resp_conf_unknown",
        `response_id ${JSON.stringify(err2.data.response_id)} on ${errorCode(err2)}`,
        err2.entry,
      );
    },
  }),
  defineCase({
    id: "errors.retryable",
    title: "error.retryable is present and equals the registry's flag (hotline.v1)",
    requirements: ["ERR-7"],
    level: "MUST",
    profile: "hotline.v1",
    area: "errors",
    aggregates: ["ERR-7"],
    async run(ctx) {
      const sock = await ctx.connect();
      const err = await ctx.expectError(sock, SCHEMA_VIOLATION);
      const retryable = (err.data.error as { retryable?: unknown }).retryable;
      ctx.check(
        "ERR-7",
        retryable === ERROR_REGISTRY.invalid_json.retryable,
        `retryable ${JSON.stringify(retryable)}`,
        err.entry,
      );
    },
  }),
  defineCase({
    id: "errors.create-rejection-echo",
    title: "An error rejecting a response.create echoes its client_request_id",
    requirements: ["ERR-8"],
    level: "SHOULD",
    profile: "hotline.v1",
    area: "errors",
    async run(ctx) {
      const sock = await ctx.connect();
      const err = await ctx.expectError(sock, {
        type: "response.create",
        ...ctx.body({
          client_request_id: "crid-reject",
          max_output_tokens: ctx.overflowTokens,
        }),
      });
      ctx.check(
        "ERR-8",
        err.data.client_request_id === "crid-reject",
        `client_request_id ${JSON.stringify(err.data.client_request_id)}`,
        err.entry,
      );
    },
  }),
  defineCase({
    id: "errors.steer-rejection-echo",
    title: "A refused response.steer (response.steer.failed) echoes its client_request_id",
    requirements: ["INT-17"],
    level: "MUST",
    profile: "hotline.v1",
    area: "errors",
    features: ["steer"],
    async run(ctx) {
      const sock = await ctx.connect();
      // The response is unknown, as one that ended just before the steer arrived would be.
      const from = sock.frames.length;
      sock.send({
        type: "response.steer",
        previous_response_id: "resp_conform_gone",
        input: "continue",
        client_request_id: "crid-steer-reject",
      });
      const failed = await sock.waitFor(
        (f) => f.type === "response.steer.failed" || f.type === "error",
        "the steer's refusal",
        { from },
      );
      ctx.check(
        "INT-17",
        failed.type === "response.steer.failed" &&
          failed.data.client_request_id === "crid-steer-reject",
        `${failed.type}, client_request_id ${JSON.stringify(failed.data.client_request_id)}`,
        failed.entry,
      );
    },
  }),
  defineCase({
    id: "errors.invalid-json",
    title: "Invalid JSON gets invalid_json; the connection and a response in flight go on",
    requirements: ["ERR-9", "ERR-12", "ERR-13"],
    level: "MUST",
    profile: "core",
    area: "errors",
    async run(ctx) {
      const sock = await ctx.connect();
      for (const text of ["{not json", "[1,2,3]", '"a string"', ""]) {
        const err = await ctx.expectError(sock, text);
        ctx.check(
          "ERR-9",
          errorCode(err) === "invalid_json",
          `${JSON.stringify(text)}: ${errorCode(err)}`,
          err.entry,
        );
      }
      await ctx.stillOpen(sock, "ERR-13");
      const { id } = await ctx.create(sock);
      const err = await ctx.expectError(sock, "{broken");
      ctx.check(
        "ERR-9",
        errorCode(err) === "invalid_json",
        `during a response: ${errorCode(err)}`,
        err.entry,
      );
      const r = await sock.waitTerminal(id);
      // A response that had ended before the bad frame was answered was not in flight (CONF-18).
      if ((r.terminal?.entry ?? Infinity) < err.entry) {
        ctx.note(
          `ERR-12 not exercised: the response ended (frame #${r.terminal?.entry}) before the bad frame was answered (frame #${err.entry})`,
        );
        return;
      }
      ctx.check(
        "ERR-12",
        r.terminal?.type === "response.completed" || r.terminal?.type === "response.incomplete",
        `expected the response in flight to end completed or incomplete, it ended ${r.terminal?.type}`,
        r.terminal?.entry,
      );
    },
  }),
  defineCase({
    id: "errors.unknown-type",
    title: "A missing or unknown type gets unknown_event_type and the connection stays open",
    requirements: ["ERR-10"],
    level: "MUST",
    profile: "core",
    area: "errors",
    async run(ctx) {
      const sock = await ctx.connect();
      for (const event of [{ type: "response.explode" }, { input: "no type" }, { type: 7 }]) {
        const err = await ctx.expectError(sock, event as Record<string, unknown>);
        ctx.check(
          "ERR-10",
          errorCode(err) === "unknown_event_type",
          `${JSON.stringify(event)}: ${errorCode(err)}`,
          err.entry,
        );
      }
      await ctx.stillOpen(sock, "ERR-10");
    },
  }),
  defineCase({
    id: "errors.schema-violation",
    title: "A schema violation gets invalid_event with the JSON pointer of the offending value",
    requirements: ["ERR-11"],
    level: "MUST",
    profile: "core",
    area: "errors",
    async run(ctx) {
      const sock = await ctx.connect();
      for (const [field, value] of [
        ["input", 42],
        ["temperature", "hot"],
        ["max_output_tokens", -1],
      ] as const) {
        const err = await ctx.expectError(sock, {
          type: "response.create",
          ...ctx.body({ [field]: value }),
        });
        ctx.check(
          "ERR-11",
          errorCode(err) === "invalid_event" && errorParam(err) === `/${field}`,
          `${field}=${JSON.stringify(value)}: ${errorCode(err)} param ${JSON.stringify(errorParam(err))}`,
          err.entry,
        );
      }
      await ctx.stillOpen(sock, "ERR-13");
    },
  }),
  defineCase({
    id: "errors.close-codes",
    title: "A connection closed for a registered error uses the registry's close code",
    requirements: ["ERR-14"],
    level: "MUST",
    profile: "core",
    area: "errors",
    async run(ctx) {
      const sock = await ctx.connect();
      sock.sendRaw(Buffer.from([0]), true);
      // A server that answers and keeps the connection has decided; a second later is enough.
      const closed = await sock.waitClose(undefined, { answeredMs: 1_000 });
      ctx.check(
        "ERR-14",
        closed.code === ERROR_REGISTRY.binary_frame_not_supported.closeCode,
        `binary frame: expected close ${ERROR_REGISTRY.binary_frame_not_supported.closeCode}, saw ${closed.code}`,
      );
    },
  }),
  defineCase({
    id: "errors.rate-limit-exceeded",
    title: "A create past a spent rate limit gets rate_limit_exceeded, starting nothing",
    requirements: ["ERR-16"],
    level: "MUST",
    profile: "hotline.v1",
    area: "rate-limits",
    features: ["rate_limits"],
    async run(ctx) {
      const limits = ctx.limits as unknown as { rate_limits?: { name: string; limit: number }[] };
      const smallest = Math.min(
        ...(limits.rate_limits ?? []).filter((r) => r.name === "requests").map((r) => r.limit),
      );
      if (!Number.isFinite(smallest) || smallest > 50)
        ctx.skip("no request rate limit small enough to spend in a run");
      const sock = await ctx.connect();
      let rejected = null;
      for (let i = 0; i <= smallest && !rejected; i++) {
        const from = sock.frames.length;
        sock.send({
          type: "response.create",
          ...ctx.body({ max_output_tokens: 16, generate: false }),
        });
        const f = await sock.waitFor(
          (x) => x.type === "response.created" || x.type === "error",
          "an answer",
          { from },
        );
        if (f.type === "error") rejected = f;
      }
      ctx.check(
        "ERR-16",
        rejected !== null && errorCode(rejected) === "rate_limit_exceeded",
        `after ${smallest} requests: ${rejected ? errorCode(rejected) : "never rejected"}`,
        rejected?.entry,
      );
    },
  }),
];
