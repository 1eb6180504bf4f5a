import t from "tap";
import { Backend } from "../../../reference-server/backend/backend.js";
import { VirtualClock } from "../../../src/util/clock.js";
import { encode } from "../../../reference-server/backend/tokenizer.js";
import type { FunctionTool } from "../../../reference-server/backend/types.js";
import { inputOf, RecordingSink } from "./recording-sink.js";

function setup(contextWindowTokens?: number) {
  const clock = new VirtualClock();
  const backend = new Backend({ clock, contextWindowTokens });
  return { clock, backend, sink: () => new RecordingSink(clock) };
}

t.test("the context window is enforced", (t) => {
  const { clock, backend, sink } = setup(2000);
  const over = sink();
  const handle = backend.submit({ inputTokens: inputOf(2001), tier: "wafer" }, over);
  t.equal(over.failure?.code, "context_length_exceeded", "synchronously, before submit returns");
  t.equal(over.failure?.retryable, false);
  t.equal(handle.state, "done");
  t.equal(backend.counters().tiers.wafer.rejected, 1);

  const nearFull = sink();
  backend.submit(
    { inputTokens: inputOf(1990), tier: "wafer", metadata: { "sim.output_tokens": 50 } },
    nearFull,
  );
  clock.runAll();
  t.equal(nearFull.textTokens, 10, "output stops at the window");
  t.equal(nearFull.completion?.reason, "max_output_tokens");

  const defaultWindow = new Backend({ clock });
  t.equal(defaultWindow.contextWindowTokens, 128_000);
  t.end();
});

t.test("cache hits shorten prefill and report cached tokens", (t) => {
  const { clock, backend, sink } = setup();
  const history = inputOf(20_000, 3);
  const warm = sink();
  backend.submit(
    { inputTokens: history, tier: "wafer", generate: false, conversationKey: "c1" },
    warm,
  );
  t.equal(warm.started?.cachedTokens, 0);
  t.equal(warm.started?.prefillMs, 400 + 15);
  clock.runAll();
  t.equal(warm.completion?.reason, "stop", "generate:false completes after prefill");
  t.equal(warm.completion?.usage.outputTokens, 0);
  t.equal(warm.textTokens, 0);

  const next = sink();
  const turn = [...history, ...inputOf(500, 4)];
  backend.submit(
    { inputTokens: turn, tier: "wafer", conversationKey: "c1", maxOutputTokens: 40 },
    next,
  );
  const cached = Math.floor(20_000 / 64) * 64;
  t.equal(next.started?.cachedTokens, cached);
  t.equal(next.started?.prefillMs, ((turn.length - cached) * 1000) / 50_000 + 15);
  clock.runAll();
  t.equal(next.completion?.usage.cachedTokens, cached);
  t.same(next.completion!.usage, {
    inputTokens: turn.length,
    cachedTokens: cached,
    outputTokens: 40,
  });
  t.match(backend.stats().kvCache, { hits: 1, misses: 1 });
  t.equal(backend.counters().total.cachedTokens, cached);
  t.equal(backend.counters().total.prefillTokens, 20_000 + turn.length - cached);
  t.end();
});

t.test("the previous output is cached for the next turn", (t) => {
  const { clock, backend, sink } = setup();
  const first = sink();
  const input = inputOf(640, 8);
  backend.submit(
    { inputTokens: input, tier: "wafer", metadata: { "sim.output_tokens": 300 } },
    first,
  );
  clock.runAll();
  const next = [...input, ...encode(first.text), ...inputOf(10, 9)];
  t.ok(backend.kvCache.peek(next) >= 640 + 256, "input and most of the output hit");
  t.end();
});

t.test("sim hints: error after N tokens, added delay", (t) => {
  const { clock, backend, sink } = setup();
  const failing = sink();
  backend.submit(
    { inputTokens: inputOf(100), tier: "wafer", metadata: { "sim.error": "server_error:5" } },
    failing,
  );
  clock.runAll();
  t.equal(failing.textTokens, 5);
  t.equal(failing.failure?.code, "server_error");
  t.equal(failing.failure?.usage.outputTokens, 5);
  t.equal(failing.terminals, 1);
  t.equal(backend.counters().total.failed, 1);

  const delayed = sink();
  const t0 = clock.now();
  backend.submit(
    { inputTokens: inputOf(100, 77), tier: "wafer", metadata: { "sim.delay_ms": "100" } },
    delayed,
  );
  t.equal(delayed.started?.prefillMs, 2 + 15 + 100);
  clock.runAll();
  t.equal(delayed.textSpan!.first - t0, 117);
  t.end();
});

t.test("auto routing: short interactive to wafer, background or long to gpu", (t) => {
  const { backend } = setup();
  t.equal(backend.routeTier({ tier: "auto", inputTokens: inputOf(500) }), "wafer");
  t.equal(backend.routeTier({ tier: "auto", inputTokens: inputOf(500), background: true }), "gpu");
  t.equal(backend.routeTier({ tier: "auto", inputTokens: inputOf(40_000) }), "gpu");
  t.equal(backend.routeTier({ tier: "wafer", inputTokens: inputOf(40_000) }), "wafer");
  const handle = backend.submit(
    { inputTokens: inputOf(10), tier: "auto", background: true },
    new RecordingSink(backend.clock),
  );
  t.equal(handle.tier, "gpu");
  t.end();
});

t.test("function calls stream through the sink", (t) => {
  const { clock, backend, sink } = setup();
  const tools: FunctionTool[] = [
    {
      type: "function",
      name: "apply_patch",
      parameters: {
        type: "object",
        properties: { patch: { type: "string" } },
        required: ["patch"],
      },
    },
  ];
  const s = sink();
  backend.submit(
    { inputTokens: inputOf(100), tier: "wafer", tools, toolChoice: "required", seed: 4 },
    s,
  );
  clock.runAll();
  const kinds = [...new Set(s.events.map((e) => e.kind))];
  t.same(kinds, ["start", "call.start", "call.arguments", "call.done", "complete"]);
  const done = s.events.find((e) => e.kind === "call.done");
  const args =
    done?.kind === "call.done"
      ? (JSON.parse(done.call.arguments) as { patch: unknown })
      : undefined;
  t.type(args?.patch, "string");
  const argTokens = s.events.reduce((n, e) => n + (e.kind === "call.arguments" ? e.tokens : 0), 0);
  t.equal(s.completion?.usage.outputTokens, argTokens);
  t.end();
});

t.test("close cancels everything, queued included", (t) => {
  const clock = new VirtualClock();
  const backend = new Backend({ clock, tiers: { wafer: { maxConcurrentSequences: 1 } } });
  const a = new RecordingSink(clock);
  const b = new RecordingSink(clock);
  backend.submit({ inputTokens: inputOf(10), tier: "wafer" }, a);
  backend.submit({ inputTokens: inputOf(10), tier: "wafer" }, b);
  backend.close();
  t.equal(a.completion?.reason, "cancelled");
  t.equal(b.completion?.reason, "cancelled");
  t.equal(clock.pendingTimers, 0);
  t.match(backend.counters().total, { activeSequences: 0, queued: 0, cancelled: 2 });
  t.end();
});
