/** HTTP binding rules broken by the proxy (spec/http-binding.md). */
import { defineMutation } from "../support/proxy-hooks.js";

/** `/v1/responses/{id}` and `/v1/responses/{id}/cancel`. */
const RESOURCE = /^\/v1\/responses\/[^/?]+(\?.*)?$/;
const CANCEL = /^\/v1\/responses\/[^/?]+\/cancel$/;

type Body = Record<string, unknown> & { error?: Record<string, unknown> };

/** The HTTP binding mutations, one per rule. */
export const httpMutations = [
  defineMutation({
    name: "json-as-text-plain",
    rule: "HTTP-1",
    description: "answers a non-streaming POST /v1/responses with Content-Type text/plain",
    http: {
      response(answer, req) {
        if (req.method !== "POST" || req.path !== "/v1/responses" || answer.status !== 200) {
          return undefined;
        }
        return { ...answer, headers: { ...answer.headers, "content-type": "text/plain" } };
      },
    },
  }),
  defineMutation({
    name: "response-id-in-sse",
    rule: "HTTP-6",
    description: "adds the Hotline-only response_id to every SSE event of a response",
    http: {
      sseMessage(m, _req, stream) {
        if (m.json?.type === "response.created") stream.set("id", m.json.response?.id);
        const id = stream.get("id");
        if (!m.json || typeof id !== "string") return undefined;
        m.json.response_id = id;
        return m;
      },
    },
  }),
  defineMutation({
    name: "refusal-without-param",
    rule: "HTTP-7",
    description: "leaves error.param out of JSON error bodies when it is null",
    http: {
      response(answer) {
        const err = (answer.body as Body | null)?.error;
        if (answer.status < 400 || !err || !("param" in err)) return undefined;
        delete err.param;
        return answer;
      },
    },
  }),
  defineMutation({
    name: "disconnect-ignored",
    rule: "HTTP-9",
    description: "keeps generating an SSE response after its client disconnected",
    http: { keepUpstreamOnAbort: true },
  }),
  defineMutation({
    name: "http-token-added",
    rule: "HTTP-10",
    description: "serves HTTP requests without a valid token as if they had one",
    http: {
      request(req, env) {
        req.headers.authorization = `Bearer ${env.token}`;
      },
    },
  }),
  defineMutation({
    name: "retrieve-without-output",
    rule: "HTTP-11",
    description: "returns stored responses from GET /v1/responses/{id} with an empty output",
    alsoFails: {
      "http.cancel-finished-unknown":
        "it reads the stored response back with GET after cancelling it, to see it unchanged (HTTP-15)",
    },
    http: {
      response(answer, req) {
        const body = answer.body as Body | null;
        if (req.method !== "GET" || !RESOURCE.test(req.path) || answer.status !== 200 || !body) {
          return undefined;
        }
        body.output = [];
        return answer;
      },
    },
  }),
  defineMutation({
    name: "starting-after-ignored",
    rule: "HTTP-12",
    description: "ignores starting_after and replays a background stream from its start",
    http: {
      request(req) {
        const url = new URL(req.path, "http://proxy");
        if (!url.searchParams.has("starting_after")) return;
        url.searchParams.delete("starting_after");
        req.path = `${url.pathname}${url.search}`;
      },
    },
  }),
  defineMutation({
    name: "cancel-returns-snapshot",
    rule: "HTTP-13",
    description: "answers a cancel of a running response with its in_progress snapshot",
    http: {
      response(answer, req) {
        const body = answer.body as Body | null;
        const cancelled = (body?.incomplete_details as { reason?: string } | null)?.reason;
        if (!CANCEL.test(req.path) || answer.status !== 200 || cancelled !== "cancelled") {
          return undefined;
        }
        Object.assign(body!, {
          status: "in_progress",
          incomplete_details: null,
          completed_at: null,
        });
        return answer;
      },
    },
  }),
  defineMutation({
    name: "cancel-unknown-400",
    rule: "HTTP-16",
    description: "answers a cancel of an unknown id with 400 instead of 404",
    http: {
      response(answer, req) {
        if (req.method !== "POST" || !CANCEL.test(req.path) || answer.status !== 404) {
          return undefined;
        }
        return { ...answer, status: 400 };
      },
    },
  }),
];
