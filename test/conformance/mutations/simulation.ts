/** Simulated-backend rules broken by the proxy (spec/backend-simulation.md). */
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { DEFAULT_CONTEXT_WINDOW_TOKENS } from "../../../src/protocol/index.js";
import { defineMutation, type WireEvent } from "../support/proxy-hooks.js";
import { isTerminal, PrefixEdit } from "../support/stream-edits.js";

/** Keys of per-connection state, one per mutation that keeps some. */
const lastMaxTokens = {};
const heldStarts = {};
const textEdits = {};
const argumentEdits = {};
const failedInsteadOfQueued = {};
const slowDecodeDebt = {};

/** The rate decode-too-slow lets text through at, tok/s: well under SIM-4's floor of 1,080. */
const SLOW_DECODE_TOKENS_PER_SECOND = 700;

/** The context window when the session does not say (the Open Responses window). */
const WINDOW = DEFAULT_CONTEXT_WINDOW_TOKENS;

/** The simulated-backend mutations, one per rule. */
export const simulationMutations = [
  defineMutation({
    name: "saturated-tier-fails",
    rule: "SIM-10",
    setting: "small-tier",
    description:
      "fails a request that finds every sequence busy (response.failed, server_overloaded) instead of queueing it",
    fromServer(e, conn) {
      const id = conn.responseOf(e);
      if (id === null) return undefined;
      const failed = conn.state(failedInsteadOfQueued, () => new Set<string>());
      // What the server sends of it later never reaches the client: it failed.
      if (failed.has(id)) return null;
      if (e.type !== "response.queued" || !e.response) return undefined;
      failed.add(id);
      e.type = "response.failed";
      e.response.status = "failed";
      e.response.error = {
        code: "server_overloaded",
        message: "Every sequence of the tier is busy.",
      } as NonNullable<typeof e.response.error>;
      delete e.queue_position;
      return e;
    },
  }),
  defineMutation({
    name: "input-undercounted",
    rule: "SIM-1",
    description: "reports 20 input tokens fewer than the rendered context has",
    fromServer(e) {
      const usage = isTerminal(e) ? e.response?.usage : undefined;
      if (!usage) return undefined;
      const less = Math.min(20, usage.input_tokens);
      usage.input_tokens -= less;
      usage.total_tokens -= less;
      return e;
    },
  }),
  defineMutation({
    name: "window-sum-miscoded",
    rule: "SIM-2",
    description:
      "answers invalid_event when input plus max_output_tokens exceeds the window but max_output_tokens alone fits",
    fromClient(m, conn) {
      if (m.event?.type === "response.create") {
        conn.state(lastMaxTokens, () => ({ n: 0 })).n = Number(m.event.max_output_tokens ?? 0);
      }
      return undefined;
    },
    fromServer(e, conn) {
      const asked = conn.state(lastMaxTokens, () => ({ n: 0 })).n;
      if (e.error?.code !== "context_length_exceeded" || asked > WINDOW) return undefined;
      e.error.code = "invalid_event";
      e.error.param = "/max_output_tokens";
      return e;
    },
  }),
  defineMutation({
    name: "created-with-first-token",
    rule: "SIM-3",
    description:
      "sends response.created only with the first output token, so no prefill precedes it",
    fromServer(e, conn) {
      const held = conn.state(heldStarts, () => new Map<string, WireEvent[]>());
      const id = conn.responseOf(e);
      if (id === null) return undefined;
      if (e.type === "response.created") {
        held.set(id, [e]);
        return null;
      }
      const events = held.get(id);
      if (!events) return undefined;
      events.push(e);
      if (!e.type.endsWith(".delta") && !isTerminal(e)) return null;
      held.delete(id);
      return events;
    },
  }),
  defineMutation({
    name: "decode-too-slow",
    rule: "SIM-4",
    description: `delivers output text at most at ${SLOW_DECODE_TOKENS_PER_SECOND} tok/s, well under the wafer tier's 1,200 less 10%`,
    fromServer(e, conn) {
      if (e.type !== "response.output_text.delta" || typeof e.delta !== "string") return undefined;
      // Every delta waits behind pauses worth its tokens at 700 tok/s: the client-bound queue
      // runs them one after another, so the text cannot arrive faster whatever the server does.
      // Whole milliseconds (a timer's granularity), the remainder carried to the next delta.
      const debt = conn.state(slowDecodeDebt, () => ({ ms: 0 }));
      debt.ms += countTokens(e.delta) * (1000 / SLOW_DECODE_TOKENS_PER_SECOND);
      if (debt.ms >= 1) {
        const ms = Math.floor(debt.ms);
        conn.pauseClient(ms);
        debt.ms -= ms;
      }
      return undefined;
    },
  }),
  defineMutation({
    name: "continuation-cache-cold",
    rule: "SIM-6",
    description: "reports no cached tokens for continuations",
    fromServer(e) {
      const usage = isTerminal(e) && e.response?.previous_response_id ? e.response.usage : null;
      if (!usage) return undefined;
      usage.input_tokens_details.cached_tokens = 0;
      return e;
    },
  }),
  defineMutation({
    name: "second-answer-differs",
    rule: "SIM-7",
    description: "prefixes the text of every response after a connection's first with 'Well, '",
    fromServer(e, conn) {
      const id = conn.responseOf(e);
      if (id === null || conn.ordinal(id) < 1) return undefined;
      const byResponse = conn.state(textEdits, () => new Map<string, PrefixEdit>());
      if (!byResponse.has(id)) byResponse.set(id, new PrefixEdit("Well, ", "text"));
      return byResponse.get(id)!.edit(e) ? e : undefined;
    },
  }),
  defineMutation({
    name: "incomplete-usage-off-by-one",
    rule: "SIM-8",
    description: "counts one output token more than max_output_tokens when stopping there",
    fromServer(e) {
      const r = e.type === "response.incomplete" ? e.response : undefined;
      if (!r?.usage || r.incomplete_details?.reason !== "max_output_tokens") return undefined;
      r.usage.output_tokens += 1;
      r.usage.total_tokens += 1;
      return e;
    },
  }),
  defineMutation({
    name: "output-hint-ignored",
    rule: "SIM-11",
    description: "ignores the sim.output_tokens hint (the response takes its natural length)",
    fromClient(m) {
      const metadata = m.event?.type === "response.create" ? m.event.metadata : undefined;
      if (typeof metadata !== "object" || metadata === null || !("sim.output_tokens" in metadata)) {
        return undefined;
      }
      const { "sim.output_tokens": _hint, ...rest } = metadata as Record<string, string>;
      return { ...m.event!, metadata: rest };
    },
  }),
  defineMutation({
    name: "arguments-not-json",
    rule: "SIM-9",
    description: "streams function_call arguments with a stray leading '{' (not JSON)",
    fromServer(e, conn) {
      const id = conn.responseOf(e);
      if (id === null) return undefined;
      const byResponse = conn.state(argumentEdits, () => new Map<string, PrefixEdit>());
      if (!byResponse.has(id)) byResponse.set(id, new PrefixEdit("{", "arguments"));
      return byResponse.get(id)!.edit(e) ? e : undefined;
    },
  }),
  defineMutation({
    name: "auto-never-calls",
    rule: "SIM-12",
    description: "never calls a tool under tool_choice auto, whatever the prompt asks",
    alsoFails: {
      "sim.parallel-calls": "SIM-16's calls are SIM-12's under auto: with none, there are none",
    },
    fromClient(m) {
      if (m.event?.type !== "response.create" || !Array.isArray(m.event.tools)) return undefined;
      if (m.event.tool_choice !== undefined && m.event.tool_choice !== "auto") return undefined;
      return { ...m.event, tool_choice: "none" };
    },
  }),
  defineMutation({
    name: "tool-loop-never-ends",
    rule: "SIM-13",
    description: "calls the tool again after its output instead of answering",
    fromClient(m) {
      const input = m.event?.type === "response.create" ? m.event.input : undefined;
      if (!Array.isArray(input)) return undefined;
      const last = input.at(-1) as { type?: string } | undefined;
      if (last?.type !== "function_call_output") return undefined;
      return { ...m.event!, tool_choice: "required" };
    },
  }),
  defineMutation({
    name: "arguments-ignore-required",
    rule: "SIM-14",
    description: "fills function_call arguments as if the tool's parameters required nothing",
    fromClient(m) {
      if (m.event?.type !== "response.create" || !Array.isArray(m.event.tools)) return undefined;
      const tools = (m.event.tools as { parameters?: Record<string, unknown> }[]).map((tool) => {
        if (!tool.parameters) return tool;
        const { required: _required, ...parameters } = tool.parameters;
        return { ...tool, parameters };
      });
      return { ...m.event, tools };
    },
  }),
  defineMutation({
    name: "parallel-calls-ignored",
    rule: "SIM-16",
    description: "makes one tool call per response whatever parallel_tool_calls says",
    fromClient(m) {
      if (m.event?.type !== "response.create" || m.event.parallel_tool_calls !== true)
        return undefined;
      return { ...m.event, parallel_tool_calls: false };
    },
  }),
];
