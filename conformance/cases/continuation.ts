/** Continuation and the connection-local cache, including store=false and eviction (spec/responses.md). */
import { defineCase } from "../case.js";
import { errorCode, errorParam, lacksEndpoint } from "../context.js";

export const continuationCases = [
  defineCase({
    id: "continuation.orphan-tool-output",
    title: "A function_call_output answering no call in the context is refused, starting nothing",
    requirements: ["RESP-26"],
    level: "MUST",
    profile: "core",
    area: "continuation",
    async run(ctx) {
      const sock = await ctx.connect();
      const first = await ctx.complete(sock, { store: false, max_output_tokens: 16 });
      const answer = await ctx.createAnswer(
        sock,
        ctx.body({
          store: false,
          previous_response_id: first.id,
          input: [{ type: "function_call_output", call_id: ORPHAN_CALL_ID, output: "42" }],
          max_output_tokens: 16,
        }),
      );
      ctx.check(
        "RESP-26",
        answer.type === "error",
        answer.type === "error"
          ? `refused: ${errorCode(answer)} param ${JSON.stringify(errorParam(answer))} (frame #${answer.entry})`
          : `a response started for an output answering no call (frame #${answer.entry})`,
        answer.entry,
      );
      if (answer.type === "response.created") await sock.waitTerminal();
    },
  }),
  defineCase({
    id: "continuation.context-kept",
    title:
      "A continuation's context holds the previous response's input and output (usage.input_tokens)",
    requirements: ["RESP-29"],
    level: "MUST",
    profile: "core",
    area: "continuation",
    async run(ctx) {
      const sock = await ctx.connect();
      const first = await ctx.complete(sock, { store: false, max_output_tokens: 32 });
      const next = await ctx
        .complete(sock, {
          store: false,
          previous_response_id: first.id,
          input: CONTEXT_KEPT_INPUT,
          max_output_tokens: 16,
        })
        .catch((error: Error) => {
          // A refused continuation is continuation.connection-cache's finding, not this one's.
          if (!error.message.startsWith("response.create was rejected")) throw error;
          return ctx.skip(`the continuation was refused (${error.message}): nothing to measure`);
        });
      const usage = (r: typeof first.response) =>
        (r.terminal?.response.usage ?? null) as {
          input_tokens?: unknown;
          output_tokens?: unknown;
        } | null;
      const a = usage(first.response);
      const b = usage(next.response);
      if (
        typeof a?.input_tokens !== "number" ||
        typeof a.output_tokens !== "number" ||
        typeof b?.input_tokens !== "number" ||
        a.input_tokens + a.output_tokens === 0
      ) {
        return ctx.skip(
          `usage does not count tokens (first ${JSON.stringify(a)}, continuation ${JSON.stringify(b)}): the context cannot be measured`,
        );
      }
      // Open Responses: the model is sampled over previous input + previous output + input.
      const floor = a.input_tokens + a.output_tokens;
      ctx.check(
        "RESP-29",
        b.input_tokens >= floor,
        `expected the continuation's usage.input_tokens >= ${floor} (previous input ${a.input_tokens} + output ${a.output_tokens}), saw ${b.input_tokens} (frame #${next.response.terminal?.entry})`,
        next.response.terminal?.entry,
      );
    },
  }),
  defineCase({
    id: "continuation.connection-cache",
    title: "The most recent response continues on the same connection even with store=false",
    requirements: ["RESP-9"],
    level: "MUST",
    profile: "core",
    area: "continuation",
    async run(ctx) {
      const sock = await ctx.connect();
      const first = await ctx.complete(sock, { store: false, max_output_tokens: 32 });
      const next = await ctx.complete(sock, {
        store: false,
        previous_response_id: first.id,
        input: "Now add a test.",
        max_output_tokens: 16,
      });
      const prev = (next.response.events[0]?.data.response as { previous_response_id?: unknown })
        ?.previous_response_id;
      ctx.check(
        "RESP-9",
        next.response.terminal !== null && prev === first.id,
        `continuation started (previous_response_id ${JSON.stringify(prev)})`,
      );
    },
  }),
  defineCase({
    id: "continuation.store-false-missing",
    title:
      "store=false with a previous_response_id not in the cache gets previous_response_not_found",
    requirements: ["RESP-10"],
    level: "MUST",
    profile: "core",
    area: "continuation",
    async run(ctx) {
      const sock = await ctx.connect();
      const err = await ctx.expectError(sock, {
        type: "response.create",
        ...ctx.body({ store: false, previous_response_id: "resp_conformance_missing" }),
      });
      ctx.check(
        "RESP-10",
        errorCode(err) === "previous_response_not_found",
        `error ${errorCode(err)}`,
        err.entry,
      );
      ctx.check(
        "RESP-10",
        errorParam(err) === "previous_response_id",
        `param ${JSON.stringify(errorParam(err))}`,
        err.entry,
      );
    },
  }),
  defineCase({
    id: "continuation.store-fallback",
    title: "With store=true a previous response from another connection is resolved from the store",
    requirements: ["RESP-11"],
    level: "MUST",
    profile: "core",
    area: "continuation",
    async run(ctx) {
      const a = await ctx.connect();
      const first = await ctx.complete(a, { store: true, max_output_tokens: 16 });
      a.close();
      const b = await ctx.connect();
      const next = await ctx.complete(b, {
        store: true,
        previous_response_id: first.id,
        input: "Continue.",
        max_output_tokens: 16,
      });
      ctx.check(
        "RESP-11",
        next.response.terminal !== null,
        "stored response continued on a new connection",
      );
      const err = await ctx.expectError(b, {
        type: "response.create",
        ...ctx.body({ store: true, previous_response_id: "resp_conformance_nowhere" }),
      });
      ctx.check(
        "RESP-11",
        errorCode(err) === "previous_response_not_found",
        `unknown id: ${errorCode(err)}`,
        err.entry,
      );
    },
  }),
  defineCase({
    id: "continuation.evict-after-failure",
    title: "A failed continuation evicts the referenced response from the connection cache",
    requirements: ["RESP-12"],
    level: "MUST",
    profile: "core",
    area: "continuation",
    async run(ctx) {
      const sock = await ctx.connect();
      const first = await ctx.complete(sock, { store: false, max_output_tokens: 16 });
      // A continuation that fails on any server: max_output_tokens past every window.
      const fail = await ctx.createAnswer(
        sock,
        ctx.body({
          store: false,
          previous_response_id: first.id,
          max_output_tokens: ctx.overflowTokens,
        }),
      );
      if (fail.type !== "error") {
        const r = await sock.waitTerminal(
          String((fail.data.response as { id?: unknown } | undefined)?.id),
        );
        if (r.terminal?.type !== "response.failed") {
          return ctx.skip(
            `could not make the continuation fail: max_output_tokens ${ctx.overflowTokens} was accepted and ended ${r.terminal?.type} (frame #${r.terminal?.entry})`,
          );
        }
      }
      ctx.note(
        `continuation failed with ${fail.type === "error" ? errorCode(fail) : "response.failed"}`,
      );
      const retry = await ctx.expectError(sock, {
        type: "response.create",
        ...ctx.body({ store: false, previous_response_id: first.id, max_output_tokens: 16 }),
      });
      ctx.check(
        "RESP-12",
        errorCode(retry) === "previous_response_not_found",
        `retry after the failed continuation: ${errorCode(retry)}`,
        retry.entry,
      );
    },
  }),
  defineCase({
    id: "continuation.store-false-isolated",
    title: "A store=false response is unreachable from another connection and from GET",
    requirements: ["RESP-13"],
    level: "MUST",
    profile: "core",
    area: "continuation",
    async run(ctx) {
      const a = await ctx.connect();
      const first = await ctx.complete(a, { store: false, max_output_tokens: 16 });
      const b = await ctx.connect();
      for (const store of [false, true]) {
        const err = await ctx.expectError(b, {
          type: "response.create",
          ...ctx.body({ store, previous_response_id: first.id }),
        });
        ctx.check(
          "RESP-13",
          errorCode(err) === "previous_response_not_found",
          `other connection, store=${store}: ${errorCode(err)}`,
          err.entry,
        );
      }
      const got = await ctx.httpClient.json("GET", `v1/responses/${first.id}`);
      // A server without the GET endpoint answers 404 for any id: that says nothing (CONF-18).
      if (lacksEndpoint(got)) {
        ctx.note(
          `not stored: not exercised, GET /v1/responses/{id} is no endpoint here (HTTP ${got.status} ${JSON.stringify(got.body).slice(0, 80)})`,
        );
      } else {
        ctx.check(
          "RESP-13",
          got.status === 404,
          `expected GET /v1/responses/{id} of a store=false response to answer 404 response_not_found, saw HTTP ${got.status}`,
        );
      }
      a.close();
    },
  }),
];

/** A call id no server can have issued (continuation.orphan-tool-output). */
export const ORPHAN_CALL_ID = "call_conform_orphan";

/** The new input of continuation.context-kept's continuation. */
export const CONTEXT_KEPT_INPUT = "Now add a test for it.";
