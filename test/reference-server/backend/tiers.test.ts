import t from "tap";
import {
  DEFAULT_GPU_TIER,
  DEFAULT_WAFER_TIER,
  decodeIntervalMs,
  resolveTiersConfig,
  tierFromServiceTier,
} from "../../../reference-server/backend/tiers.js";

t.test("defaults and overrides", (t) => {
  t.match(DEFAULT_WAFER_TIER, {
    decodeTokensPerSecond: 1200,
    burstTokensPerSecond: 4000,
    prefillTokensPerSecond: 50_000,
    firstTokenFloorMs: 15,
    maxConcurrentSequences: 64,
  });
  t.match(DEFAULT_GPU_TIER, {
    decodeTokensPerSecond: 90,
    prefillTokensPerSecond: 8000,
    firstTokenFloorMs: 150,
    maxConcurrentSequences: 256,
  });
  const config = resolveTiersConfig({ wafer: { maxQueue: 3 }, auto: { longInputTokens: 10 } });
  t.equal(config.wafer.maxQueue, 3);
  t.equal(config.wafer.decodeTokensPerSecond, 1200);
  t.equal(config.auto.longInputTokens, 10);
  t.throws(() => resolveTiersConfig({ gpu: { decodeTokensPerSecond: 0 } }), RangeError);
  t.throws(() => resolveTiersConfig({ wafer: { burstFraction: 2 } }), RangeError);
  t.end();
});

t.test("service_tier mapping", (t) => {
  t.equal(tierFromServiceTier("default"), "wafer");
  t.equal(tierFromServiceTier("priority"), "wafer");
  t.equal(tierFromServiceTier("flex"), "gpu");
  t.equal(tierFromServiceTier("gpu"), "gpu");
  t.equal(tierFromServiceTier(undefined), "auto");
  t.end();
});

t.test("speculative bursts are deterministic per seed and hit the configured share", (t) => {
  const tier = { ...DEFAULT_WAFER_TIER, burstMode: "speculative" as const, burstFraction: 0.25 };
  const fast = 1000 / 4000;
  let bursts = 0;
  for (let i = 0; i < 16 * 4000; i += 16) if (decodeIntervalMs(tier, 5, i) === fast) bursts++;
  t.ok(Math.abs(bursts / 4000 - 0.25) < 0.03, `${bursts / 40}% of runs burst`);
  t.equal(decodeIntervalMs(tier, 5, 123), decodeIntervalMs(tier, 5, 123));
  t.end();
});
