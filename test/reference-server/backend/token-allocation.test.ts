// The decode loop allocates nothing a token (issue 19): a delta's text is one slice of the
// block its tokens came from, taken when the delta is handed out. Read with V8's sampling heap
// profiler, which counts every allocation (young objects included), as the difference between
// two runs with the same deltas and ten times the tokens in each.
import { Session } from "node:inspector/promises";
import t from "tap";
import { Backend } from "../../../reference-server/backend/backend.js";
import { encode } from "../../../reference-server/backend/tokenizer.js";
import type { BurstMode } from "../../../reference-server/backend/tiers.js";
import type { GenerationSink } from "../../../reference-server/backend/types.js";
import { VirtualClock } from "../../../src/util/clock.js";

const STREAMS = 32;
const DELTA_INTERVAL_MS = 10;
const MEASURED_MS = 500;

interface Run {
  /** Bytes allocated on V8's heap while the measured stretch ran (sampled). */
  bytes: number;
  tokens: number;
  deltas: number;
}

/** Bytes a sampled profile's allocations add up to, from `node` down. */
function allocated(node: { selfSize: number; children: (typeof node)[] }): number {
  return node.children.reduce((sum, child) => sum + allocated(child), node.selfSize);
}

async function run(session: Session, mode: BurstMode, tokensPerSecond: number): Promise<Run> {
  const clock = new VirtualClock();
  const wafer = {
    decodeTokensPerSecond: tokensPerSecond,
    // Bursts at the same rate: the same pacing, with the speculative path's decision a token.
    burstTokensPerSecond: tokensPerSecond,
    burstMode: mode,
    maxConcurrentSequences: STREAMS,
  };
  const backend = new Backend({ clock, deltaIntervalMs: DELTA_INTERVAL_MS, tiers: { wafer } });
  let tokens = 0;
  let deltas = 0;
  const sink: GenerationSink = {
    onText: (_text, n) => {
      tokens += n ?? 1;
      deltas++;
    },
    onComplete: () => {},
    onError: (failure) => {
      throw new Error(failure.message);
    },
  };
  const input = encode("Write the frame parser, with tests.");
  for (let i = 0; i < STREAMS; i++) {
    const metadata = { "sim.output_tokens": "1000000" };
    backend.submit({ inputTokens: input, tier: "wafer", seed: i, metadata }, sink);
  }
  for (let ms = 0; ms < 100; ms++) clock.advance(1); // prefill, first blocks, compiled code
  const before = { tokens, deltas };
  await session.post("HeapProfiler.startSampling", {
    samplingInterval: 128,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  for (let ms = 0; ms < MEASURED_MS; ms++) clock.advance(1);
  const { profile } = await session.post("HeapProfiler.stopSampling");
  return {
    bytes: allocated(profile.head),
    tokens: tokens - before.tokens,
    deltas: deltas - before.deltas,
  };
}

for (const mode of ["off", "speculative"] as const) {
  t.test(
    `ten times the tokens a delta allocate no more than the same deltas (bursts ${mode})`,
    async (t) => {
      const session = new Session();
      session.connect();
      await session.post("HeapProfiler.enable");
      try {
        // Each rate once unmeasured: the first run after the other rate pays for recompiling.
        await run(session, mode, 10_000);
        await run(session, mode, 1000);
        const least = (a: Run, b: Run): Run => (a.bytes <= b.bytes ? a : b);
        const few = least(await run(session, mode, 1000), await run(session, mode, 1000));
        const many = least(await run(session, mode, 10_000), await run(session, mode, 10_000));
        t.ok(Math.abs(many.deltas - few.deltas) <= STREAMS, "the same deltas in both runs");
        t.ok(many.tokens >= 9 * few.tokens, `ten times the tokens (${few.tokens}, ${many.tokens})`);
        const perToken = (many.bytes - few.bytes) / (many.tokens - few.tokens);
        t.ok(
          perToken < 4,
          `bytes allocated a token: ${perToken.toFixed(2)} (${few.bytes} and ${many.bytes} bytes in all)`,
        );
      } finally {
        await session.post("HeapProfiler.disable");
        session.disconnect();
      }
    },
  );
}
