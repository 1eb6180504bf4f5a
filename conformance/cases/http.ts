/** The HTTP binding: JSON, SSE framing, refusals, retrieve and cancel (spec/http-binding.md). */
import { defineCase } from "../case.js";
import { now } from "../harness/wire-log.js";
import { PROMPT } from "../context.js";

const isDelta = (t: unknown): boolean => typeof t === "string" && t.endsWith(".delta");

export const httpCases = [
  defineCase({
    id: "http.json-response",
    title: "POST without stream returns 200 JSON with the final ResponseResource",
    requirements: ["HTTP-1"],
    level: "MUST",
    profile: "http",
    area: "http",
    async run(ctx) {
      const res = await ctx.httpClient.json(
        "POST",
        "v1/responses",
        ctx.body({ max_output_tokens: 32 }),
      );
      const body = res.body as Record<string, unknown>;
      ctx.check(
        "HTTP-1",
        res.status === 200 && res.contentType.startsWith("application/json"),
        `HTTP ${res.status} ${res.contentType}`,
      );
      ctx.check(
        "HTTP-1",
        body?.object === "response" &&
          ["completed", "incomplete", "failed"].includes(String(body.status)),
        `status ${JSON.stringify(body?.status)}`,
      );
    },
  }),
  defineCase({
    id: "http.sse-framing",
    title:
      "SSE: event: equals type, one data line of JSON, no id:, final [DONE], core streaming rules",
    requirements: ["HTTP-2", "HTTP-3", "HTTP-4", "HTTP-5"],
    level: "MUST",
    profile: "http",
    area: "http",
    aggregates: ["HTTP-2", "HTTP-3", "HTTP-4", "HTTP-5"],
    async run(ctx) {
      const a = await ctx.httpClient.sse("POST", "v1/responses", ctx.body({ stream: true }));
      ctx.check(
        "HTTP-2",
        a.status === 200 && a.contentType.startsWith("text/event-stream"),
        `HTTP ${a.status} ${a.contentType}`,
      );
      ctx.check(
        "HTTP-3",
        a.sawDone && a.messages.at(-1)?.data === "[DONE]",
        "stream ended with data: [DONE]",
      );
      ctx.check(
        "HTTP-4",
        a.messages.every((m) => m.id === null),
        "no id: lines",
      );
      ctx.check(
        "HTTP-5",
        a.response?.terminal !== null && a.response !== undefined,
        `terminal ${a.response?.terminal?.type}`,
      );
    },
  }),
  defineCase({
    id: "http.no-hotline",
    title: "No Hotline-only events, fields or status cancelled over HTTP",
    requirements: ["HTTP-6"],
    level: "MUST",
    profile: "http",
    area: "http",
    aggregates: ["HTTP-6"],
    async run(ctx) {
      const a = await ctx.httpClient.sse(
        "POST",
        "v1/responses",
        ctx.body({ stream: true, max_output_tokens: 32 }),
      );
      ctx.check("HTTP-6", a.messages.length > 0, `${a.messages.length} SSE messages checked`);
    },
  }),
  defineCase({
    id: "http.refusal-json",
    title:
      "A request refused before it starts gets the registry status and a JSON error body, not SSE",
    requirements: ["HTTP-7"],
    level: "MUST",
    profile: "http",
    area: "http",
    async run(ctx) {
      const a = await ctx.httpClient.sse(
        "POST",
        "v1/responses",
        ctx.body({ stream: true, input: 42 }),
      );
      const err = (a.body as { error?: Record<string, unknown> } | null)?.error;
      ctx.check(
        "HTTP-7",
        a.status === 400 && a.contentType.startsWith("application/json"),
        `HTTP ${a.status} ${a.contentType}`,
      );
      ctx.check(
        "HTTP-7",
        typeof err?.code === "string" && typeof err?.message === "string" && "param" in (err ?? {}),
        `error ${JSON.stringify(err?.code)} param ${JSON.stringify(err?.param)}`,
      );
    },
  }),
  defineCase({
    id: "http.disconnect-stops",
    title: "When an SSE client disconnects, generation stops within one decode step",
    requirements: ["HTTP-9"],
    level: "MUST",
    profile: "http",
    area: "http",
    async run(ctx) {
      // Calibration: the server's decode rate on a whole stream, to bound what it may have
      // generated before it could see the disconnect.
      const whole = await ctx.httpClient.sse(
        "POST",
        "v1/responses",
        ctx.body({ stream: true, max_output_tokens: 48 }),
      );
      const wr = whole.response;
      const wholeTokens = Number(
        (wr?.terminal?.response.usage as { output_tokens?: number })?.output_tokens ?? 0,
      );
      const span = (wr?.lastDeltaAt ?? 0) - (wr?.firstDeltaAt ?? 0);
      const perMs = span > 0 ? wholeTokens / span : 0;
      let id = "";
      let deltas = 0;
      let createdAt = 0;
      let stoppedAt = 0;
      await ctx.httpClient.sse(
        "POST",
        "v1/responses",
        ctx.body({
          stream: true,
          store: true,
          max_output_tokens: 2000,
          input: `${PROMPT} Make it long and detailed.`,
        }),
        {
          onMessage(m) {
            if (m.json?.type === "response.created") {
              id = String((m.json.response as { id: string }).id);
              createdAt = now();
            }
            if (isDelta(m.json?.type)) deltas += 1;
            if (deltas >= 3) stoppedAt = now();
            return deltas >= 3 ? "stop" : undefined;
          },
        },
      );
      if (!id) return void ctx.fail("HTTP-9", "no response.created before the disconnect");
      await new Promise((r) => setTimeout(r, 150));
      const got = await ctx.httpClient.json("GET", `v1/responses/${id}`);
      const body = got.body as { status?: string; usage?: { output_tokens?: number } };
      ctx.check(
        "HTTP-9",
        got.status === 200 && body.status !== "in_progress" && body.status !== "completed",
        `after disconnecting at ${deltas} deltas the stored response is ${JSON.stringify(body.status)}`,
      );
      const bound = deltas + Math.ceil(perMs * (stoppedAt - createdAt + 50)) + 2;
      ctx.check(
        "HTTP-9",
        (body.usage?.output_tokens ?? Infinity) <= Math.min(bound, 1000),
        `output_tokens ${body.usage?.output_tokens} of max 2000 (client saw ${deltas} deltas; bound ${bound} at ${perMs.toFixed(2)} tokens/ms over the ${(stoppedAt - createdAt).toFixed(0)} ms to the disconnect + 50 ms)`,
      );
    },
  }),
  defineCase({
    id: "http.auth",
    title: "HTTP requests without a valid bearer token get 401 unauthorized",
    requirements: ["HTTP-10"],
    level: "MUST",
    profile: "http",
    area: "http",
    async run(ctx) {
      if (ctx.target.token === null)
        ctx.skip("no --token given: the server's auth cannot be exercised");
      for (const auth of [undefined, `Bearer ${ctx.target.token}-wrong`]) {
        const res = await ctx.httpClient.json(
          "POST",
          "v1/responses",
          ctx.body({ max_output_tokens: 16 }),
          { headers: { authorization: auth ?? "" } },
        );
        const code = (res.body as { error?: { code?: string } })?.error?.code;
        ctx.check(
          "HTTP-10",
          res.status === 401 && code === "unauthorized",
          `${auth ? "wrong" : "missing"} token: HTTP ${res.status} ${code}`,
        );
      }
    },
  }),
  defineCase({
    id: "http.retrieve",
    title: "GET /v1/responses/{id} returns stored responses and 404 response_not_found otherwise",
    requirements: ["HTTP-11"],
    level: "MUST",
    profile: "http",
    area: "http",
    async run(ctx) {
      const made = await ctx.httpClient.json(
        "POST",
        "v1/responses",
        ctx.body({ store: true, max_output_tokens: 16 }),
      );
      const id = (made.body as { id: string }).id;
      const got = await ctx.httpClient.json("GET", `v1/responses/${id}`);
      ctx.check(
        "HTTP-11",
        got.status === 200 && (got.body as { id?: string }).id === id,
        `stored: HTTP ${got.status}`,
      );
      ctx.check(
        "HTTP-11",
        JSON.stringify((got.body as { output?: unknown }).output) ===
          JSON.stringify((made.body as { output?: unknown }).output),
        "retrieved output equals the created one",
      );
      const missing = await ctx.httpClient.json("GET", "v1/responses/resp_conformance_missing");
      ctx.check(
        "HTTP-11",
        missing.status === 404 &&
          (missing.body as { error?: { code?: string } })?.error?.code === "response_not_found",
        `unknown: HTTP ${missing.status}`,
      );
      const unstored = await ctx.httpClient.json(
        "POST",
        "v1/responses",
        ctx.body({ store: false, max_output_tokens: 16 }),
      );
      const gone = await ctx.httpClient.json(
        "GET",
        `v1/responses/${(unstored.body as { id: string }).id}`,
      );
      ctx.check("HTTP-11", gone.status === 404, `store=false: HTTP ${gone.status}`);
    },
  }),
  defineCase({
    id: "http.background-stream",
    title: "GET ?stream=true&starting_after=N replays a background response after N, then [DONE]",
    requirements: ["HTTP-12"],
    level: "MUST",
    profile: "http",
    area: "http",
    async run(ctx) {
      const made = await ctx.httpClient.json(
        "POST",
        "v1/responses",
        ctx.body({ background: true, store: true }),
      );
      if (made.status !== 200)
        return void ctx.fail("HTTP-12", `background POST answered HTTP ${made.status}`);
      const id = (made.body as { id: string }).id;
      const a = await ctx.httpClient.sse(
        "GET",
        `v1/responses/${id}?stream=true&starting_after=2`,
        undefined,
        { startingAfter: 2 },
      );
      const seqs = a.messages.filter((m) => m.json).map((m) => m.json!.sequence_number as number);
      ctx.check(
        "HTTP-12",
        seqs[0] === 3 && seqs.every((s, i) => s === 3 + i),
        `replayed sequence numbers ${seqs[0]}..${seqs.at(-1)}`,
      );
      // A missing final [DONE] is HTTP-3's: the harness files it under http.sse-framing.
    },
  }),
  defineCase({
    id: "http.cancel",
    title:
      "Cancel of a streaming response: 200 incomplete/cancelled, stream ends response.incomplete then [DONE]",
    requirements: ["HTTP-13", "HTTP-14"],
    level: "MUST",
    profile: "http",
    area: "http",
    async run(ctx) {
      let cancel: Promise<import("../harness/http-client.js").JsonAnswer> | null = null;
      const a = await ctx.httpClient.sse(
        "POST",
        "v1/responses",
        ctx.body({ stream: true, store: true, input: `${PROMPT} Make it long and detailed.` }),
        {
          onMessage(m, answer) {
            if (!cancel && isDelta(m.json?.type)) {
              const id = answer.tracker.responses[0]?.id;
              cancel = ctx.httpClient.json("POST", `v1/responses/${id}/cancel`);
            }
            return undefined;
          },
        },
      );
      if (!cancel) return void ctx.fail("HTTP-13", "no output delta arrived to cancel after");
      const c = await (cancel as Promise<import("../harness/http-client.js").JsonAnswer>);
      const body = c.body as { status?: string; incomplete_details?: { reason?: string } };
      ctx.check(
        "HTTP-13",
        c.status === 200 &&
          body.status === "incomplete" &&
          body.incomplete_details?.reason === "cancelled",
        `cancel answered HTTP ${c.status}, status ${body.status}, reason ${body.incomplete_details?.reason}`,
      );
      const t = a.response?.terminal;
      ctx.check(
        "HTTP-14",
        t?.type === "response.incomplete" &&
          (t.response.incomplete_details as { reason?: string })?.reason === "cancelled",
        `stream ended ${t?.type}`,
        t?.entry,
      );
      // A missing final [DONE] is HTTP-3's: the harness files it under http.sse-framing.
    },
  }),
  defineCase({
    id: "http.cancel-finished-unknown",
    title: "Cancel of a finished response returns it unchanged; of an unknown id, 404",
    requirements: ["HTTP-15", "HTTP-16"],
    level: "MUST",
    profile: "http",
    area: "http",
    async run(ctx) {
      const made = await ctx.httpClient.json(
        "POST",
        "v1/responses",
        ctx.body({ store: true, max_output_tokens: 16 }),
      );
      const id = (made.body as { id: string }).id;
      const c = await ctx.httpClient.json("POST", `v1/responses/${id}/cancel`);
      ctx.check(
        "HTTP-15",
        c.status === 200 && JSON.stringify(c.body) === JSON.stringify(made.body),
        `finished: HTTP ${c.status}, ${JSON.stringify(c.body) === JSON.stringify(made.body) ? "unchanged" : "changed"}`,
      );
      const u = await ctx.httpClient.json("POST", "v1/responses/resp_conformance_missing/cancel");
      ctx.check(
        "HTTP-16",
        u.status === 404 &&
          (u.body as { error?: { code?: string } })?.error?.code === "response_not_found",
        `unknown: HTTP ${u.status}`,
      );
    },
  }),
];
