/** Response lifecycle: create, reject, order, terminal state, context window, generate:false (spec/responses.md). */
import { defineCase } from "../case.js";
import { errorCode, errorParam } from "../context.js";
import type { RecordingSocket } from "../harness/ws-client.js";
import { fillTier, releaseAll, SATURATION_LIMIT } from "./saturation.js";

export const lifecycleCases = [
  defineCase({
    id: "lifecycle.created-first",
    title: "A valid response.create starts a response whose first event is response.created",
    requirements: ["RESP-1", "RESP-4"],
    level: "MUST",
    profile: "core",
    area: "lifecycle",
    aggregates: ["RESP-4"],
    async run(ctx) {
      const sock = await ctx.connect();
      const { response } = await ctx.complete(sock, {
        max_output_tokens: 32,
        temperature: 0.2,
        metadata: { case: "lifecycle" },
      });
      const first = response.events[0];
      ctx.check(
        "RESP-1",
        response.terminal !== null,
        `response started and ended with ${response.terminal?.type}`,
      );
      ctx.check(
        "RESP-4",
        first?.type === "response.created",
        `first event ${first?.type}`,
        first?.entry,
      );
    },
  }),
  defineCase({
    id: "lifecycle.terminal-response",
    title: "The terminal event's response has the matching status, completed_at and full usage",
    requirements: ["RESP-6"],
    level: "MUST",
    profile: "core",
    area: "lifecycle",
    aggregates: ["RESP-6"],
    async run(ctx) {
      const sock = await ctx.connect();
      const { response } = await ctx.complete(sock);
      const usage = (response.terminal?.response.usage ?? {}) as Record<string, number>;
      ctx.check("RESP-6", response.terminal !== null, `terminal ${response.terminal?.type}`);
      ctx.check(
        "RESP-6",
        usage.total_tokens === usage.input_tokens! + usage.output_tokens!,
        `usage total ${usage.total_tokens} = input ${usage.input_tokens} + output ${usage.output_tokens}`,
        response.terminal?.entry,
      );
    },
  }),
  defineCase({
    id: "lifecycle.rejects-stream-fields",
    title:
      "stream, stream_options (and background on core) are rejected with invalid_event naming the field",
    requirements: ["RESP-2"],
    level: "MUST",
    profile: "core",
    area: "lifecycle",
    connection: "core-only",
    async run(ctx) {
      const sock = await ctx.connect({ profile: "core" });
      for (const [field, value] of [
        ["stream", true],
        ["stream_options", { include_obfuscation: false }],
        ["background", true],
      ] as const) {
        const err = await ctx.expectError(sock, {
          type: "response.create",
          ...ctx.body({ [field]: value }),
        });
        ctx.check(
          "RESP-2",
          errorCode(err) === "invalid_event" && errorParam(err) === `/${field}`,
          `${field}: ${errorCode(err)} param ${JSON.stringify(errorParam(err))}`,
          err.entry,
        );
      }
      await sock.idle(50);
      const started = sock.frames.some((f) => f.type === "response.created");
      ctx.check(
        "RESP-2",
        !started,
        started ? "a rejected create started a response" : "nothing started",
      );
    },
  }),
  defineCase({
    id: "lifecycle.core-sequential",
    title: "A core connection processes creates one at a time in arrival order",
    requirements: ["RESP-3"],
    level: "MUST",
    profile: "core",
    area: "lifecycle",
    connection: "core-only",
    async run(ctx) {
      const sock = await ctx.connect({ profile: "core" });
      sock.send({
        type: "response.create",
        ...ctx.body({ max_output_tokens: 24, metadata: { n: "1" } }),
      });
      sock.send({
        type: "response.create",
        ...ctx.body({ max_output_tokens: 24, metadata: { n: "2" } }),
      });
      await sock.waitFor(
        () => sock.tracker.responses.filter((r) => r.terminal).length >= 2,
        "two terminal events",
      );
      const [a, b] = sock.tracker.responses;
      ctx.check(
        "RESP-3",
        (a?.terminal?.entry ?? Infinity) < (b?.events[0]?.entry ?? -1),
        `second response's first event #${b?.events[0]?.entry} after first's terminal #${a?.terminal?.entry}`,
      );
      const meta = (r: typeof a) =>
        (r?.events[0]?.data.response as { metadata?: { n?: string } })?.metadata?.n;
      ctx.check(
        "RESP-3",
        meta(a) === "1" && meta(b) === "2",
        `arrival order kept (${meta(a)}, ${meta(b)})`,
      );
    },
  }),
  defineCase({
    id: "lifecycle.queued-announced",
    title:
      "A response waiting for capacity is announced with response.queued, then response.in_progress",
    requirements: ["RESP-5"],
    level: "MUST",
    profile: "core",
    area: "lifecycle",
    async run(ctx) {
      const sock = await ctx.connect();
      const n = Math.min(ctx.limits.max_in_flight, 32);
      for (let i = 0; i < n; i++)
        sock.send({ type: "response.create", ...ctx.body({ max_output_tokens: 16 }) });
      await sock.waitFor(
        () => sock.tracker.responses.filter((r) => r.terminal).length >= n,
        `${n} terminal events`,
      );
      const queued = sock.tracker.responses.filter((r) =>
        r.events.some((e) => e.type === "response.queued"),
      );
      if (queued.length === 0) ctx.skip("the server never queued a response: RESP-5 not exercised");
      for (const r of queued) {
        const q = r.events.findIndex((e) => e.type === "response.queued");
        const p = r.events.findIndex((e) => e.type === "response.in_progress");
        ctx.check(
          "RESP-5",
          q === 1 && p > q,
          `queued at event ${q}, in_progress at ${p}`,
          r.events[q]?.entry,
        );
      }
    },
  }),
  defineCase({
    id: "lifecycle.context-length",
    title:
      "A create whose context plus max_output_tokens exceeds the window gets context_length_exceeded",
    requirements: ["RESP-7"],
    level: "MUST",
    profile: "core",
    area: "lifecycle",
    async run(ctx) {
      const sock = await ctx.connect();
      const err = await ctx.expectError(sock, {
        type: "response.create",
        ...ctx.body({ max_output_tokens: ctx.limits.context_window_tokens + 1 }),
      });
      ctx.check(
        "RESP-7",
        errorCode(err) === "context_length_exceeded",
        `error ${errorCode(err)}`,
        err.entry,
      );
      await sock.idle(30);
      ctx.check(
        "RESP-7",
        !sock.frames.some((f) => f.type === "response.created"),
        "nothing started",
      );
    },
  }),
  defineCase({
    id: "lifecycle.generate-false",
    title: "generate:false prefills, completes with empty output and is chainable",
    requirements: ["RESP-8"],
    level: "MUST",
    profile: "core",
    area: "lifecycle",
    async run(ctx) {
      const sock = await ctx.connect();
      const { response, id } = await ctx.complete(sock, { generate: false, store: false });
      const resp = response.terminal?.response ?? {};
      const usage = (resp.usage ?? {}) as Record<string, unknown>;
      ctx.check(
        "RESP-8",
        response.terminal?.type === "response.completed",
        `terminal ${response.terminal?.type}`,
        response.terminal?.entry,
      );
      ctx.check(
        "RESP-8",
        Array.isArray(resp.output) && resp.output.length === 0 && usage.output_tokens === 0,
        `output length ${(resp.output as unknown[] | undefined)?.length}, output_tokens ${String(usage.output_tokens)}`,
        response.terminal?.entry,
      );
      const next = await ctx.complete(sock, {
        previous_response_id: id,
        store: false,
        input: "Now write it.",
        max_output_tokens: 16,
      });
      ctx.check(
        "RESP-8",
        next.response.terminal !== null,
        "the warmed response was accepted as previous_response_id",
      );
    },
  }),
  defineCase({
    id: "lifecycle.overloaded",
    title: "A full backend queue answers server_overloaded, starting nothing",
    requirements: ["RESP-19"],
    level: "MUST",
    profile: "core",
    area: "rate-limits",
    async run(ctx) {
      const opened: RecordingSocket[] = [];
      try {
        const refused = await fillTier(ctx, opened, (s) => s.first.type === "error");
        if (!refused) {
          return ctx.skip(
            `${SATURATION_LIMIT} long responses were all admitted: the server's queue is deeper than this case fills`,
          );
        }
        const started = refused.sock.frames
          .slice(refused.from)
          .some((f) => f.type === "response.created");
        ctx.check(
          "RESP-19",
          errorCode(refused.first) === "server_overloaded" && !started,
          `the create past a full queue got error ${JSON.stringify(errorCode(refused.first))}; ${started ? "a response.created was sent" : "nothing started"}`,
          refused.first.entry,
        );
      } finally {
        releaseAll(opened);
      }
    },
  }),
];
