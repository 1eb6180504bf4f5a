/**
 * CONF-16: `interrupt.cancel-queued` waits for a `response.queued` as long as the server keeps
 * answering, not a fixed window. Against a correct server whose tier runs two sequences and
 * queues the rest, behind a link that delivers the first `response.queued` 1.5 s late, the
 * case judges the cancel (PASS). Before, it gave up after 1000 ms and was SKIPPED ("no response
 * was queued") although the server had queued one.
 */
import t from "tap";
import type { ProxyHooks } from "./support/proxy-hooks.js";
import { runSelected, SLOW_TIER } from "./support/selected-cases.js";

const DELAY_MS = 1_500;
const delayed = {};

/** Holds the client-bound frames for DELAY_MS at the connection's first response.queued. */
const lateQueued: ProxyHooks = {
  fromServer(e, conn) {
    const state = conn.state(delayed, () => ({ done: false }));
    if (e.type === "response.queued" && !state.done) {
      state.done = true;
      conn.pauseClient(DELAY_MS);
    }
    return undefined;
  },
};

t.test("a response.queued that arrives late is still waited for", async (t) => {
  const byId = await runSelected(t, {
    ids: ["interrupt.cancel-queued"],
    profile: "auto",
    sim: true,
    timeoutMs: 3 * DELAY_MS,
    server: SLOW_TIER,
    layers: [lateQueued],
  });
  const c = byId.get("interrupt.cancel-queued");
  t.equal(c?.verdict, "PASS", `interrupt.cancel-queued: ${c?.verdict} ${c?.reason ?? ""}`);
  t.ok(
    (c?.durationMs ?? 0) >= DELAY_MS,
    `the case took ${c?.durationMs.toFixed(0)} ms, past the delayed response.queued`,
  );
});
