/** Continuation and connection-cache rules broken by the proxy (spec/responses.md). */
import type { ResponseResource } from "../../../src/protocol/index.js";
import { CONTEXT_KEPT_INPUT, ORPHAN_CALL_ID } from "../../../conformance/cases/continuation.js";
import { defineMutation, type WireEvent, type WsConnection } from "../support/proxy-hooks.js";
import { correlationOf, errorEvent, isTerminal } from "../support/stream-edits.js";

/** Keys of per-connection and proxy-wide state. */
const startedHere = {};
const unstored = {};

/** The previous response a create continues, and whether it would be stored. */
function continuation(e: Record<string, unknown> | null): { prev: string; store: boolean } | null {
  if (e?.type !== "response.create" || typeof e.previous_response_id !== "string") return null;
  return { prev: e.previous_response_id, store: e.store !== false };
}

/** The refusal a server that cannot resolve `prev` sends, correlated to the create. */
function notFound(conn: WsConnection, prev: string, create: WireEvent | null): WireEvent {
  return errorEvent(conn, "previous_response_not_found", `Previous response '${prev}' not found.`, {
    param: "previous_response_id",
    ...correlationOf(create),
  });
}

/** The continuation and connection-cache mutations, one per rule. */
export const continuationMutations = [
  defineMutation({
    name: "no-connection-cache",
    rule: "RESP-9",
    description: "resolves previous_response_id from the store only, so store=false chains break",
    alsoFails: {
      "lanes.cache":
        "each lane's cached response is the connection cache of RESP-37: its store=false chains break the same way",
    },
    fromClient(m, conn) {
      const c = continuation(m.event);
      if (!c || c.store) return undefined;
      conn.toClient(notFound(conn, c.prev, m.event));
      return null;
    },
  }),
  defineMutation({
    name: "not-found-without-param",
    rule: "RESP-10",
    description: "sends previous_response_not_found with param null",
    fromServer(e) {
      if (e.error?.code !== "previous_response_not_found") return undefined;
      e.error.param = null;
      return e;
    },
  }),
  defineMutation({
    name: "store-not-consulted",
    rule: "RESP-11",
    description:
      "resolves previous_response_id only among the connection's own responses, never from the store",
    fromServer(e, conn) {
      if (e.type === "response.created" && e.response) {
        conn.state(startedHere, () => new Set<string>()).add(e.response.id);
      }
      return undefined;
    },
    fromClient(m, conn) {
      const c = continuation(m.event);
      if (!c?.store || conn.state(startedHere, () => new Set<string>()).has(c.prev)) {
        return undefined;
      }
      conn.toClient(notFound(conn, c.prev, m.event));
      return null;
    },
  }),
  defineMutation({
    name: "store-false-retrievable",
    rule: "RESP-13",
    description: "answers GET /v1/responses/{id} for store=false responses too",
    fromServer(e, conn) {
      if (isTerminal(e) && e.response?.store === false) {
        conn.env
          .shared(unstored, () => new Map<string, ResponseResource>())
          .set(e.response.id, e.response);
      }
      return undefined;
    },
    http: {
      response(answer, req, env) {
        const id = /^\/v1\/responses\/([^/?]+)$/.exec(req.path)?.[1];
        const kept = id && env.shared(unstored, () => new Map<string, ResponseResource>()).get(id);
        if (req.method !== "GET" || answer.status !== 404 || !kept) return undefined;
        return { status: 200, headers: { "content-type": "application/json" }, body: kept };
      },
    },
  }),
  defineMutation({
    name: "orphan-tool-output-served",
    rule: "RESP-26",
    description: "serves a function_call_output that answers no call, as if it were user text",
    fromClient(m) {
      const input = m.event?.type === "response.create" ? m.event.input : undefined;
      if (!Array.isArray(input)) return undefined;
      const orphan = (i: { type?: string; call_id?: string }) =>
        i.type === "function_call_output" && i.call_id === ORPHAN_CALL_ID;
      if (!input.some(orphan)) return undefined;
      const rewritten = input.map((i: { type?: string; call_id?: string; output?: string }) =>
        orphan(i) ? { type: "message", role: "user", content: String(i.output) } : i,
      );
      return { ...m.event!, input: rewritten };
    },
  }),
  defineMutation({
    name: "continuation-context-dropped",
    rule: "RESP-29",
    description: "serves continuation.context-kept's continuation without the previous response",
    fromClient(m) {
      if (m.event?.type !== "response.create" || m.event.input !== CONTEXT_KEPT_INPUT) {
        return undefined;
      }
      const { previous_response_id: _previous, ...rest } = m.event;
      return rest as typeof m.event;
    },
  }),
];
