/** Response lifecycle rules broken by the proxy (spec/responses.md). */
import { ERROR_REGISTRY } from "../../../src/protocol/index.js";
import { UNSERVED_MODEL } from "../../../conformance/cases/lifecycle.js";
import { defineMutation } from "../support/proxy-hooks.js";
import { correlationOf, errorEvent, isTerminal } from "../support/stream-edits.js";

/** The response lifecycle mutations, one per rule. */
export const lifecycleMutations = [
  defineMutation({
    name: "overload-miscoded",
    rule: "RESP-19",
    setting: "small-tier",
    description:
      "refuses a create past a full backend queue with server_error instead of server_overloaded",
    fromServer(e) {
      if (e.error?.code !== "server_overloaded") return undefined;
      e.error.code = "server_error";
      e.status = ERROR_REGISTRY.server_error.status;
      if (e.error.retryable !== undefined)
        e.error.retryable = ERROR_REGISTRY.server_error.retryable;
      return e;
    },
  }),
  defineMutation({
    // Refusing an optional parameter (temperature) is no longer a RESP-1 failure of the basic
    // case (issue 12): this breaks the core of the create body instead, an input item list.
    name: "item-list-input-rejected",
    rule: "RESP-1",
    description: "rejects valid creates whose input is a list of one user message item",
    fromClient(m, conn) {
      const input = m.event?.input;
      if (
        m.event?.type !== "response.create" ||
        !Array.isArray(input) ||
        input.length !== 1 ||
        (input[0] as { type?: unknown; role?: unknown })?.type !== "message" ||
        (input[0] as { role?: unknown }).role !== "user"
      ) {
        return undefined;
      }
      conn.toClient(
        errorEvent(conn, "invalid_event", "input item lists are not supported.", {
          param: "/input",
          ...correlationOf(m.event),
        }),
      );
      return null;
    },
  }),
  defineMutation({
    name: "queued-never-in-progress",
    rule: "RESP-5",
    description: "announces every response as response.queued and never sends response.in_progress",
    fromServer(e, conn) {
      if (e.type !== "response.in_progress" || !e.response) return undefined;
      e.type = "response.queued";
      e.response.status = "queued";
      if (conn.profile === "hotline.v1") e.queue_position = 1;
      return e;
    },
  }),
  defineMutation({
    name: "total-tokens-without-input",
    rule: "RESP-6",
    description: "reports usage.total_tokens as the output tokens alone in terminal events",
    fromServer(e) {
      if (!isTerminal(e) || !e.response?.usage) return undefined;
      e.response.usage.total_tokens = e.response.usage.output_tokens;
      return e;
    },
  }),
  defineMutation({
    name: "context-length-miscoded",
    rule: "RESP-7",
    description:
      "rejects a create too long for the window with invalid_event, not context_length_exceeded",
    fromServer(e) {
      if (e.error?.code !== "context_length_exceeded") return undefined;
      e.error.code = "invalid_event";
      e.error.param = "/max_output_tokens";
      return e;
    },
  }),
  defineMutation({
    name: "generate-false-ignored",
    rule: "RESP-8",
    description: "ignores generate: false and samples output anyway",
    fromClient(m) {
      if (m.event?.type !== "response.create" || m.event.generate !== false) return undefined;
      const { generate: _generate, ...rest } = m.event;
      return rest as typeof m.event;
    },
  }),
  defineMutation({
    name: "stream-refused",
    rule: "RESP-22",
    description: "refuses WebSocket creates carrying stream or stream_options with invalid_event",
    fromClient(m, conn) {
      if (m.event?.type !== "response.create") return undefined;
      const field = ["stream", "stream_options"].find((f) => f in m.event!);
      if (field === undefined) return undefined;
      conn.toClient(
        errorEvent(conn, "invalid_event", `'${field}' is not allowed over the WebSocket.`, {
          param: `/${field}`,
          ...correlationOf(m.event),
        }),
      );
      return null;
    },
  }),
  defineMutation({
    name: "client-fields-refused",
    rule: "RESP-23",
    description:
      "refuses creates carrying client_metadata (as the Codex CLI sends) with invalid_event",
    http: {
      request(req) {
        if (req.method !== "POST" || !req.json || !("client_metadata" in req.json)) return;
        return {
          status: 400,
          headers: { "content-type": "application/json" },
          body: {
            error: {
              code: "invalid_event",
              message: "/client_metadata is not allowed here",
              type: "invalid_request_error",
              param: "/client_metadata",
            },
          },
        };
      },
    },
    fromClient(m, conn) {
      if (m.event?.type !== "response.create" || !("client_metadata" in m.event)) return undefined;
      conn.toClient(
        errorEvent(conn, "invalid_event", "/client_metadata is not allowed here", {
          param: "/client_metadata",
          ...correlationOf(m.event),
        }),
      );
      return null;
    },
  }),
  defineMutation({
    name: "unknown-member-ignored",
    rule: "RESP-24",
    description: "silently drops a create's unknown member (max_tokens) and serves the rest",
    fromClient(m) {
      if (m.event?.type !== "response.create" || !("max_tokens" in m.event)) return undefined;
      const { max_tokens: _maxTokens, ...rest } = m.event;
      return rest as typeof m.event;
    },
  }),
  defineMutation({
    name: "core-background-ignored",
    rule: "RESP-25",
    profiles: ["core"],
    description: "serves background: true on a core-profile connection as an ordinary response",
    fromClient(m, conn) {
      if (conn.profile !== "core" || m.event?.type !== "response.create") return undefined;
      if (m.event.background !== true) return undefined;
      const { background: _background, ...rest } = m.event;
      return rest as typeof m.event;
    },
  }),
  defineMutation({
    name: "unknown-model-served",
    rule: "RESP-28",
    description: "serves a create naming an unserved model with the default model",
    fromClient(m) {
      if (m.event?.type !== "response.create" || m.event.model !== UNSERVED_MODEL) return undefined;
      const { model: _model, ...rest } = m.event;
      return rest as typeof m.event;
    },
  }),
];
