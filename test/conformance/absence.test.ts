/**
 * CONF-18: a case never gives PASS for the absence of what it did not provoke. Through a proxy
 * that leaves a correct server's responses without any output item (renumbered, so nothing
 * else breaks), the cases about items and delta gaps have nothing to judge: they are SKIPPED
 * with the reason, where they used to PASS (every item closed, no gap too long: vacuously).
 * So are, with `--sim`, the comparison of two such outputs (sim.deterministic) and, through a
 * proxy that reports nothing prewarmed, the cache hit after a prewarm (session.prewarm-cache-hit).
 */
import t from "tap";
import type { ProxyHooks, WireEvent } from "./support/proxy-hooks.js";
import { runSelected } from "./support/selected-cases.js";

const numbering = {};

/** Drops every output item event and empties the output; renumbers what is left. */
const noOutput: ProxyHooks = {
  fromServer(e: WireEvent, conn) {
    const next = conn.state(numbering, () => ({ current: "", counts: new Map<string, number>() }));
    // Core-profile events name no response: they belong to the last one announced.
    if (e.type === "response.created" && e.response) next.current = e.response.id;
    const id = e.response_id ?? e.response?.id ?? next.current;
    if (typeof e.sequence_number !== "number") return undefined;
    if (
      /^response\.(output_item|content_part|output_text|refusal|reasoning|function_call)/.test(
        e.type,
      )
    )
      return null;
    if (e.response) {
      e.response.output = [];
      if (e.response.usage) {
        e.response.usage.output_tokens = 0;
        e.response.usage.total_tokens = e.response.usage.input_tokens;
      }
    }
    const n = next.counts.get(id) ?? 0;
    next.counts.set(id, n + 1);
    e.sequence_number = n;
    return e;
  },
};

t.test("nothing to judge is SKIPPED, not PASS", async (t) => {
  const byId = await runSelected(t, {
    ids: ["stream.items-closed", "stream.timely-deltas"],
    profile: "core",
    timeoutMs: 5_000,
    layers: [noOutput],
  });
  t.equal(
    byId.get("stream.items-closed")?.verdict,
    "SKIPPED",
    byId.get("stream.items-closed")?.reason ?? "",
  );
  t.match(byId.get("stream.items-closed")?.reason, /opened no output item/);
  t.equal(
    byId.get("stream.timely-deltas")?.verdict,
    "SKIPPED",
    byId.get("stream.timely-deltas")?.reason ?? "",
  );
  t.match(byId.get("stream.timely-deltas")?.reason, /too few gaps/);
});

/** Reports no prewarmed tokens in every session.updated that answers a prewarm. */
const nothingPrewarmed: ProxyHooks = {
  fromServer(e: WireEvent) {
    const prewarm =
      e.type === "session.updated" ? (e.prewarm as { cached_tokens?: number }) : undefined;
    if (prewarm?.cached_tokens === undefined) return undefined;
    prewarm.cached_tokens = 0;
    return e;
  },
};

t.test("with --sim, two outputs without text are not called deterministic", async (t) => {
  const byId = await runSelected(t, {
    ids: ["sim.deterministic"],
    profile: "core",
    sim: true,
    timeoutMs: 5_000,
    layers: [noOutput],
  });
  const c = byId.get("sim.deterministic");
  t.equal(c?.verdict, "SKIPPED", c?.reason ?? "");
  t.match(c?.reason, /neither response produced output text/);
});

t.test("nothing prewarmed: no cache hit to judge", async (t) => {
  const byId = await runSelected(t, {
    ids: ["session.prewarm-cache-hit"],
    profile: "auto",
    timeoutMs: 5_000,
    layers: [nothingPrewarmed],
  });
  const c = byId.get("session.prewarm-cache-hit");
  t.equal(c?.verdict, "SKIPPED", c?.reason ?? "");
  t.match(c?.reason, /no prewarmed tokens to find cached/);
});
