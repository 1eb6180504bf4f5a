/**
 * CONF-18: a case never gives PASS for the absence of what it did not provoke. Through a proxy
 * that leaves a correct server's responses without any output item (renumbered, so nothing
 * else breaks), the cases about items and delta gaps have nothing to judge: they are SKIPPED
 * with the reason, where they used to PASS (every item closed, no gap too long: vacuously).
 */
import t from "tap";
import { allCases } from "../../conformance/cases/index.js";
import { runConformance } from "../../conformance/runner.js";
import { SpecIndex } from "../../conformance/spec-index.js";
import { startServer } from "../../reference-server/index.js";
import { startBreakingProxy } from "./support/breaking-proxy.js";
import type { ProxyHooks, WireEvent } from "./support/proxy-hooks.js";

const TOKEN = "absence-token";
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
  const server = await startServer({ port: 0, logLevel: "silent", tokens: [TOKEN] });
  t.teardown(() => server.close());
  const proxy = await startBreakingProxy({
    upstream: { wsUrl: server.wsUrl, httpUrl: server.url },
    token: TOKEN,
    layers: [noOutput],
  });
  t.teardown(() => proxy.close());
  const ids = ["stream.items-closed", "stream.timely-deltas"];
  const run = await runConformance({
    target: {
      wsUrl: proxy.wsUrl,
      httpUrl: proxy.httpUrl,
      token: TOKEN,
      headers: {},
      model: null,
      rttMs: 0,
    },
    cases: allCases.filter((c) => ids.includes(c.id)),
    spec: SpecIndex.load(),
    profile: "core",
    timeoutMs: 5_000,
  });
  const byId = new Map(run.cases.map((c) => [c.id, c]));
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
