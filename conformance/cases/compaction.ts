/**
 * Compaction (Open Responses 2026-04-24 `/responses/compact`) and the HTTP paths around it:
 * the endpoint's answer (HTTP-18), the new chain after it on a WebSocket (RESP-27), the
 * simulated compaction's counts (SIM-15), and 404/405 on the paths under /v1/responses/
 * (HTTP-19). A server without the endpoint (404 or 405) gets the compaction cases SKIPPED.
 */
import { defineCase } from "../case.js";
import type { CaseContext } from "../context.js";
import type { JsonAnswer } from "../harness/http-client.js";

/** A short conversation: two user messages around an assistant answer. */
const CONVERSATION = [
  { type: "message", role: "user", content: "We agreed to launch on Tuesday." },
  { type: "message", role: "assistant", content: "Understood: the launch is on Tuesday." },
  { type: "message", role: "user", content: "Remember the code word: slate." },
];

interface CompactBody {
  object?: unknown;
  output?: { type?: string; role?: string; content?: unknown }[];
  usage?: { input_tokens?: number };
}

/** POSTs a compaction; SKIPs the case when the server does not offer the endpoint. */
async function compact(ctx: CaseContext, body: Record<string, unknown>): Promise<JsonAnswer> {
  const res = await ctx.httpClient.json("POST", "v1/responses/compact", body);
  if (res.status === 404 || res.status === 405) {
    ctx.skip(`POST /v1/responses/compact answered ${res.status}: the server offers no compaction`);
  }
  return res;
}

/**
 * The model a compact body names (it is required there): the run's `--model`, else the first
 * the server lists at `GET /v1/models`; SKIPPED when neither says.
 */
async function model(ctx: CaseContext): Promise<Record<string, unknown>> {
  const given = ctx.body().model;
  if (typeof given === "string") return { model: given };
  const listed = await ctx.httpClient.json("GET", "v1/models");
  const first = (listed.body as { data?: { id?: unknown }[] } | null)?.data?.[0]?.id;
  if (listed.status !== 200 || typeof first !== "string") {
    ctx.skip(
      `the compact body needs a model: no --model given and GET /v1/models answered ${listed.status} without one`,
    );
  }
  return { model: first };
}

export const compactionCases = [
  defineCase({
    id: "http.compact",
    title:
      "POST /v1/responses/compact answers a response.compaction holding a compaction item; no model is a 400",
    requirements: ["HTTP-18"],
    level: "MUST",
    profile: "http",
    area: "http",
    async run(ctx) {
      const res = await compact(ctx, { ...(await model(ctx)), input: CONVERSATION });
      const body = res.body as CompactBody | null;
      const types = (body?.output ?? []).map((i) => i.type);
      ctx.check(
        "HTTP-18",
        res.status === 200 &&
          body?.object === "response.compaction" &&
          types.includes("compaction"),
        `HTTP ${res.status}, object ${JSON.stringify(body?.object)}, output ${JSON.stringify(types)} (wanted 200, response.compaction, a compaction item)`,
      );
      const missing = await ctx.httpClient.json("POST", "v1/responses/compact", {
        input: CONVERSATION,
      });
      ctx.check(
        "HTTP-18",
        missing.status === 400,
        `a body without model: HTTP ${missing.status} (wanted 400)`,
      );
    },
  }),
  defineCase({
    id: "continuation.compact-new-chain",
    title: "A compacted window starts a new chain on a WebSocket, without previous_response_id",
    requirements: ["RESP-27"],
    level: "MUST",
    profile: "core",
    area: "continuation",
    async run(ctx) {
      const res = await compact(ctx, { ...(await model(ctx)), input: CONVERSATION });
      const output = (res.body as CompactBody | null)?.output;
      if (res.status !== 200 || !Array.isArray(output)) {
        return ctx.skip(`the compaction itself failed (HTTP ${res.status}): see http.compact`);
      }
      const sock = await ctx.connect();
      const answer = await ctx.createAnswer(
        sock,
        ctx.body({
          store: false,
          input: [...output, { type: "message", role: "user", content: "Continue." }],
          max_output_tokens: 16,
        }),
      );
      if (answer.type === "error") {
        const error = answer.data.error as { code?: string; param?: string } | undefined;
        ctx.fail(
          "RESP-27",
          `the compacted window was refused: ${error?.code} param ${JSON.stringify(error?.param)} (frame #${answer.entry})`,
          answer.entry,
        );
        return;
      }
      const done = await sock.waitTerminal();
      ctx.check(
        "RESP-27",
        done.terminal?.type === "response.completed" ||
          done.terminal?.type === "response.incomplete",
        `the new chain ended ${done.terminal?.type} (frame #${done.terminal?.entry})`,
        done.terminal?.entry,
      );
    },
  }),
  defineCase({
    id: "sim.compaction",
    title:
      "A simulated compaction keeps the user messages verbatim and counts input tokens as a create does",
    requirements: ["SIM-15"],
    level: "MUST",
    profile: "http",
    area: "simulation",
    sim: true,
    async run(ctx) {
      const res = await compact(ctx, { ...(await model(ctx)), input: CONVERSATION });
      const body = res.body as CompactBody | null;
      const output = body?.output ?? [];
      const kept = output
        .filter((i) => i.type === "message")
        .map((i) => (i.content as { text?: string }[] | undefined)?.[0]?.text);
      const users = CONVERSATION.filter((m) => m.role === "user").map((m) => m.content);
      ctx.check(
        "SIM-15",
        JSON.stringify(kept) === JSON.stringify(users) &&
          output.filter((i) => i.type === "compaction").length === 1 &&
          output.at(-1)?.type === "compaction",
        `kept ${JSON.stringify(kept)}, output ${JSON.stringify(output.map((i) => i.type))} (wanted the user messages, then one compaction item)`,
      );
      const created = await ctx.httpClient.json(
        "POST",
        "v1/responses",
        ctx.body({ input: CONVERSATION, max_output_tokens: 16 }),
      );
      const createdInput = (created.body as { usage?: { input_tokens?: number } } | null)?.usage
        ?.input_tokens;
      ctx.check(
        "SIM-15",
        body?.usage?.input_tokens === createdInput,
        `usage.input_tokens: compaction ${body?.usage?.input_tokens}, create ${createdInput}`,
      );
    },
  }),
  defineCase({
    id: "http.unknown-paths",
    title: "Paths under /v1/responses/ that name nothing are 404; a wrong method is 405 with Allow",
    requirements: ["HTTP-19"],
    level: "MUST",
    profile: "http",
    area: "http",
    async run(ctx) {
      const unknown = await ctx.httpClient.json("GET", "v1/responses/resp_conform/unknown-action");
      ctx.check(
        "HTTP-19",
        unknown.status === 404,
        `GET /v1/responses/{id}/unknown-action: HTTP ${unknown.status} (wanted 404)`,
      );
      for (const [method, path] of [
        ["DELETE", "v1/responses/resp_conform"],
        ["PUT", "v1/responses"],
      ] as const) {
        const res = await ctx.httpClient.json(method, path);
        const allow = res.headers.allow;
        ctx.check(
          "HTTP-19",
          (res.status === 405 && typeof allow === "string" && allow.length > 0) ||
            (res.status === 404 && method === "DELETE"),
          `${method} /${path}: HTTP ${res.status}, Allow ${JSON.stringify(allow)} (wanted 405 with Allow)`,
        );
      }
    },
  }),
];
