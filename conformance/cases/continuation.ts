/** Continuation and the connection-local cache, including store=false and eviction (spec/responses.md). */
import { defineCase } from "../case.js";
import { errorCode, errorParam } from "../context.js";

export const continuationCases = [
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
      const fail = await ctx.expectError(sock, {
        type: "response.create",
        ...ctx.body({
          store: false,
          previous_response_id: first.id,
          max_output_tokens: ctx.limits.context_window_tokens + 1,
        }),
      });
      ctx.note(`continuation failed with ${errorCode(fail)}`);
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
      ctx.check("RESP-13", got.status === 404, `GET /v1/responses/{id}: HTTP ${got.status}`);
      a.close();
    },
  }),
];
