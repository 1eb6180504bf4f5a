/** Response lifecycle: create, reject, order, terminal state, context window, generate:false (spec/responses.md). */
import { defineCase } from "../case.js";
import { errorCode, errorParam, PROMPT } from "../context.js";
import type { Frame, RecordingSocket } from "../harness/ws-client.js";
import { CLIENT_FIELDS } from "./client-fields.js";
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
      // Only what the case needs, the input as an Open Responses item list (the create body's
      // core); optional parameters are lifecycle.client-fields-accepted's.
      const { response } = await ctx.complete(sock, {
        input: [{ type: "message", role: "user", content: PROMPT }],
        max_output_tokens: 32,
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
    id: "lifecycle.stream-fields-ignored",
    title:
      "A WebSocket create carrying stream: true or stream_options is served, as clients send it",
    requirements: ["RESP-22"],
    level: "SHOULD",
    profile: "core",
    area: "lifecycle",
    async run(ctx) {
      const sock = await ctx.connect();
      for (const [field, value] of [
        ["stream", true],
        ["stream_options", { include_obfuscation: false }],
      ] as const) {
        const answer = await ctx.createAnswer(
          sock,
          ctx.body({ [field]: value, max_output_tokens: 16 }),
        );
        ctx.check(
          "RESP-22",
          answer.type === "response.created",
          `${field}: ${describeAnswer(answer)}`,
          answer.entry,
        );
        if (answer.type === "response.created") await sock.waitTerminal(responseIdOf(answer));
      }
    },
  }),
  defineCase({
    id: "lifecycle.client-fields-accepted",
    title:
      "A create carrying what the Codex CLI sends (client_metadata, namespace and hosted tools, include, reasoning.summary) is served",
    requirements: ["RESP-23"],
    level: "SHOULD",
    profile: "core",
    area: "lifecycle",
    async run(ctx) {
      const sock = await ctx.connect();
      const answer = await ctx.createAnswer(
        sock,
        ctx.body({ ...CLIENT_FIELDS, max_output_tokens: 16 }),
      );
      ctx.check(
        "RESP-23",
        answer.type === "response.created",
        describeAnswer(answer),
        answer.entry,
      );
      if (answer.type !== "response.created") return;
      const response = await sock.waitTerminal(responseIdOf(answer));
      ctx.check(
        "RESP-23",
        ["response.completed", "response.incomplete"].includes(String(response.terminal?.type)),
        `terminal ${response.terminal?.type}`,
        response.terminal?.entry,
      );
    },
  }),
  defineCase({
    id: "lifecycle.unknown-member-refused",
    title: "A create holding a member no create body defines gets invalid_event naming it",
    requirements: ["RESP-24"],
    level: "SHOULD",
    profile: "core",
    area: "lifecycle",
    async run(ctx) {
      const sock = await ctx.connect();
      const answer = await ctx.createAnswer(sock, ctx.body({ max_tokens: 16 }));
      ctx.check(
        "RESP-24",
        answer.type === "error" &&
          errorCode(answer) === "invalid_event" &&
          errorParam(answer) === "/max_tokens",
        `max_tokens: ${describeAnswer(answer)}`,
        answer.entry,
      );
    },
  }),
  defineCase({
    id: "lifecycle.unknown-model",
    title: "A create naming a model the server does not serve gets model_not_found",
    requirements: ["RESP-28"],
    level: "SHOULD",
    profile: "core",
    area: "lifecycle",
    async run(ctx) {
      const sock = await ctx.connect();
      const answer = await ctx.createAnswer(
        sock,
        ctx.body({ model: UNSERVED_MODEL, max_output_tokens: 16 }),
      );
      ctx.check(
        "RESP-28",
        answer.type === "error" && errorCode(answer) === "model_not_found",
        `model ${UNSERVED_MODEL}: ${describeAnswer(answer)} (wanted error model_not_found)`,
        answer.entry,
      );
      if (answer.type === "response.created") await sock.waitTerminal(responseIdOf(answer));
    },
  }),
  defineCase({
    id: "lifecycle.core-background-refused",
    title: "background: true on a core-profile connection gets invalid_event at /background",
    requirements: ["RESP-25"],
    level: "SHOULD",
    profile: "core",
    area: "lifecycle",
    connection: "core-only",
    async run(ctx) {
      const sock = await ctx.connect({ profile: "core" });
      const answer = await ctx.createAnswer(
        sock,
        ctx.body({ background: true, max_output_tokens: 16 }),
      );
      ctx.check(
        "RESP-25",
        answer.type === "error" &&
          errorCode(answer) === "invalid_event" &&
          errorParam(answer) === "/background",
        `background: ${describeAnswer(answer)}`,
        answer.entry,
      );
      if (answer.type === "response.created") await sock.waitTerminal(responseIdOf(answer));
    },
  }),
  defineCase({
    id: "lifecycle.core-sequential",
    title: "A core connection processes creates one at a time in arrival order",
    requirements: ["RESP-31"],
    level: "MUST",
    profile: "core",
    area: "lifecycle",
    connection: "core-only",
    async run(ctx) {
      // Three creates at once: two cannot tell first-in-first-out from last-in-first-out (the
      // first may have started before the second arrived). Each is told apart by what the
      // ResponseResource echoes (metadata, else instructions), never by a backend's behaviour;
      // both are optional, so each is sent only when the server accepts it (probed once).
      const n = 3;
      const labels = {
        metadata: (await ctx.refuses("metadata", { n: "0" })) === null,
        instructions: (await ctx.refuses("instructions", "Request 0 of 3.")) === null,
      };
      const sock = await ctx.connect({ profile: "core" });
      for (let i = 1; i <= n; i++) {
        sock.send({
          type: "response.create",
          ...ctx.body({
            max_output_tokens: 24,
            ...(labels.metadata ? { metadata: { n: String(i) } } : {}),
            ...(labels.instructions ? { instructions: `Request ${i} of ${n}.` } : {}),
          }),
        });
      }
      // Open Responses lets a server refuse a create sent while one is in flight (it "MAY
      // accept multiple"): an error is an answer too.
      const answers = (): number =>
        sock.tracker.responses.filter((r) => r.terminal).length +
        sock.frames.filter((f) => f.type === "error").length;
      await sock.waitResponses(() => answers() >= n, `${n} answers (terminal events or errors)`);
      const started = sock.tracker.responses;
      if (started.length < 2) {
        return ctx.skip(
          `the server refused the creates sent while one was in flight (Open Responses lets it): ${started.length} of ${n} started, so sequential processing was not put to the test`,
        );
      }
      started.slice(1).forEach((b, i) => {
        const a = started[i]!;
        ctx.check(
          "RESP-31",
          (a.terminal?.entry ?? Infinity) < (b.events[0]?.entry ?? -1),
          `expected response ${i + 2}'s first event after response ${i + 1}'s terminal (frame #${a.terminal?.entry}), saw it at frame #${b.events[0]?.entry}`,
          b.events[0]?.entry,
        );
      });
      const label = (r: (typeof started)[number]): string | undefined => {
        const resp = r.events[0]?.data.response as
          { metadata?: { n?: unknown } | null; instructions?: unknown } | undefined;
        if (typeof resp?.metadata?.n === "string") return resp.metadata.n;
        const m =
          typeof resp?.instructions === "string" && /Request (\d+) of/.exec(resp.instructions);
        return m ? m[1] : undefined;
      };
      const order = started.map(label);
      if (order.some((x) => x === undefined)) {
        ctx.note(
          `arrival order not checked: ${!labels.metadata && !labels.instructions ? "the server refuses both metadata and instructions" : "response.created echoes neither metadata nor instructions"} (saw ${JSON.stringify(order)})`,
        );
        return;
      }
      const sorted = [...order].sort();
      ctx.check(
        "RESP-31",
        order.join() === sorted.join(),
        `expected the responses in arrival order ${sorted.join(", ")}, saw ${order.join(", ")} (frames ${started.map((r) => `#${r.events[0]?.entry}`).join(", ")})`,
        started[0]?.events[0]?.entry,
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
      // An error refusing a create is its answer too (CONF-16).
      await sock.waitResponses(
        () =>
          sock.tracker.responses.filter((r) => r.terminal).length +
            sock.frames.filter((f) => f.type === "error" && !f.data.response_id).length >=
          n,
        `${n} answers (terminal events or errors)`,
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
      const from = sock.frames.length;
      // max_output_tokens past the window (the advertised one, else 2^31-1, more than any server
      // holds): counting it into the window is Hotline's wording, so an answer other than the
      // error is judged as an addition.
      const err = await ctx.createAnswer(sock, ctx.body({ max_output_tokens: ctx.overflowTokens }));
      ctx.checkAddition(
        "RESP-7",
        errorCode(err) === "context_length_exceeded",
        `expected error context_length_exceeded for max_output_tokens ${ctx.overflowTokens}, saw ${describeAnswer(err)}`,
        err.entry,
      );
      if (err.type !== "error") {
        await sock.waitTerminal(responseIdOf(err));
        return;
      }
      // Decided by the next answer, not by a quiet period: a refused create that still started
      // shows its response.created before the follow-up's, whatever the window.
      await ctx.complete(sock, { max_output_tokens: 16 });
      const created = sock.since(from).filter((f) => f.type === "response.created");
      ctx.check(
        "RESP-7",
        created.length === 1,
        created.length === 1
          ? "the refused create started nothing"
          : `expected one response.created (the follow-up's) after the refusal, saw ${created.length} (frames ${created.map((f) => `#${f.entry}`).join(", ")})`,
        created[0]?.entry,
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
    // It fills the backend with sim.* hints and long responses: never against a real backend.
    sim: true,
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

function describeAnswer(f: Frame): string {
  return f.type === "error"
    ? `error ${errorCode(f)} param ${JSON.stringify(errorParam(f))}`
    : `${f.type} (frame #${f.entry})`;
}

function responseIdOf(f: Frame): string {
  return String((f.data.response as { id?: unknown } | undefined)?.id);
}

/** A model name no server serves (lifecycle.unknown-model). */
export const UNSERVED_MODEL = "hotline-conform-no-such-model";
