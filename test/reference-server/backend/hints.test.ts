import t from "tap";
import { parseHints } from "../../../reference-server/backend/hints.js";

t.test("parses sim.* hints from string metadata and ignores bad values", (t) => {
  t.same(parseHints(undefined), {});
  t.same(
    parseHints({
      "sim.output_tokens": "42",
      "sim.delay_ms": "12.5",
      "sim.force_tool_call": "read_file",
      "sim.error": "rate_limit_exceeded:3",
    }),
    {
      outputTokens: 42,
      delayMs: 12.5,
      forceToolCall: "read_file",
      error: { code: "rate_limit_exceeded", afterTokens: 3 },
    },
  );
  t.same(
    parseHints({
      "sim.force_tool_call": "true",
      "sim.error": "server_error",
      "sim.error_after_tokens": "7",
    }),
    {
      forceToolCall: true,
      error: { code: "server_error", afterTokens: 7 },
    },
  );
  t.same(
    parseHints({ "sim.output_tokens": "-1", "sim.delay_ms": "", "sim.force_tool_call": "false" }),
    {},
  );
  t.same(parseHints({ "sim.output_tokens": "1.5", other: "x" }), {});
  t.end();
});
