/**
 * CONF-16: a case that waits for a batch of responses times out on silence, not on a fixed
 * window. Against a correct server whose batch takes several per-turn timeouts in all (a slow
 * tier of two sequences, the rest queued), the batch cases pass: every response event restarts
 * the wait (and the case's own bound counts silence too). Before, `multiplex.queue-position`
 * failed such a server with "no 8 terminal events within 3000 ms".
 */
import t from "tap";
import { runSelected, SLOW_TIER } from "./support/selected-cases.js";

const TIMEOUT_MS = 1_000;

t.test("batch waits end on silence only", async (t) => {
  const ids = [
    "multiplex.queue-position",
    "lifecycle.queued-announced",
    "lifecycle.core-sequential",
  ];
  const started = performance.now();
  // 16 output tokens at 20 tok/s: about 800 ms a response, two at a time, the rest queued.
  const byId = await runSelected(t, {
    ids,
    profile: "auto",
    sim: true,
    timeoutMs: TIMEOUT_MS,
    server: SLOW_TIER,
  });
  const queue = byId.get("multiplex.queue-position")!;
  t.equal(queue.verdict, "PASS", `multiplex.queue-position: ${queue.reason ?? ""}`);
  t.ok(
    queue.durationMs > 2 * TIMEOUT_MS,
    `its batch took ${queue.durationMs.toFixed(0)} ms, more than two per-turn timeouts`,
  );
  for (const id of ids) {
    const c = byId.get(id)!;
    t.ok(["PASS", "SKIPPED"].includes(c.verdict), `${id}: ${c.verdict} ${c.reason ?? ""}`);
  }
  t.comment(`run took ${((performance.now() - started) / 1000).toFixed(1)} s`);
});
