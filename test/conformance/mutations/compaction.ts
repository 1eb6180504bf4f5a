/** Compaction and HTTP path rules broken by the proxy (spec/http-binding.md, responses.md). */
import { defineMutation } from "../support/proxy-hooks.js";
import { correlationOf, errorEvent } from "../support/stream-edits.js";

type CompactBody = {
  output?: { type?: string }[];
  usage?: { input_tokens?: number; total_tokens?: number };
};

const isCompact = (path: string) => path.split("?", 1)[0] === "/v1/responses/compact";

/** The compaction mutations, one per rule. */
export const compactionMutations = [
  defineMutation({
    name: "compact-without-item",
    rule: "HTTP-18",
    description: "answers a compaction with the kept messages but no compaction item",
    http: {
      response(answer, req) {
        const body = answer.body as CompactBody | null;
        if (!isCompact(req.path) || answer.status !== 200 || !Array.isArray(body?.output)) {
          return undefined;
        }
        body.output = body.output.filter((i) => i.type !== "compaction");
        return answer;
      },
    },
  }),
  defineMutation({
    name: "compacted-window-refused",
    rule: "RESP-27",
    description: "refuses a WebSocket create whose input holds a compaction item",
    fromClient(m, conn) {
      const input = m.event?.type === "response.create" ? m.event.input : undefined;
      if (!Array.isArray(input) || !input.some((i: { type?: string }) => i.type === "compaction")) {
        return undefined;
      }
      conn.toClient(
        errorEvent(conn, "invalid_event", "compaction items are not accepted.", {
          param: "/input",
          ...correlationOf(m.event!),
        }),
      );
      return null;
    },
  }),
  defineMutation({
    name: "compaction-miscounted",
    rule: "SIM-15",
    description: "reports a compaction's input tokens without the conversation's last item",
    http: {
      response(answer, req) {
        const usage = (answer.body as CompactBody | null)?.usage;
        if (!isCompact(req.path) || answer.status !== 200 || !usage?.input_tokens) return undefined;
        usage.input_tokens -= 9;
        if (usage.total_tokens !== undefined) usage.total_tokens -= 9;
        return answer;
      },
    },
  }),
  defineMutation({
    name: "allow-header-dropped",
    rule: "HTTP-19",
    description: "answers 405 without the Allow header",
    http: {
      response(answer) {
        if (answer.status !== 405) return undefined;
        const headers = Object.fromEntries(
          Object.entries(answer.headers).filter(([k]) => k.toLowerCase() !== "allow"),
        );
        return { ...answer, headers };
      },
    },
  }),
];
