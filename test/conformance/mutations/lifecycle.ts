/** Response lifecycle rules broken by the proxy (spec/responses.md). */
import { ERROR_REGISTRY } from "../../../src/protocol/index.js";
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
    name: "temperature-rejected",
    rule: "RESP-1",
    description: "rejects valid creates that set temperature with invalid_event",
    fromClient(m, conn) {
      if (m.event?.type !== "response.create" || typeof m.event.temperature !== "number") {
        return undefined;
      }
      conn.toClient(
        errorEvent(conn, "invalid_event", "temperature is not supported.", {
          param: "/temperature",
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
];
