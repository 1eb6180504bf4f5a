/**
 * `overload`: twice the backend's capacity for the duration. Admission (the per-token
 * in-flight limit, set to the capacity) answers the excess with 429 `rate_limit_exceeded`;
 * refused users back off and retry (the queue is on the client side), and the backend's own
 * queue absorbs what slips through. The server must not crash, and the p99 time to first token
 * of admitted requests must stay within twice the unloaded p99 measured first in the same run
 * (after a warm-up that is not measured, so both phases run on warm code).
 *
 * Refused users retry with capped exponential back-off and full jitter, as a well-behaved API
 * client does: a fixed short back-off made ~600 refusals a second whose handling (on the same
 * two cores as the server) was the tail of the admitted requests' TTFT, not the overload.
 */
import { all, CheckingClient, createBody, random, sleep } from "../../src/testing/index.js";
import type { Scenario } from "./common.js";
import { check, ScenarioRecorder } from "./report.js";
import { startScenarioServer } from "./server-child.js";

const DECODE_TOK_S = 1200;
const OUTPUT_TOKENS = 200;
/** Back-off after the first refusal; doubles per refusal in a row up to the cap. */
const BACKOFF_BASE_MS = 10;
const BACKOFF_CAP_MS = 250;
/** Not measured: lets the JIT and the server's caches warm up before the unloaded phase. */
const WARMUP_S = 3;

/** Full-jitter back-off: uniform in [0, min(cap, base * 2^attempt)]. */
export function backoffMs(rand: () => number, attempt: number): number {
  return rand() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
}

export const overload: Scenario = {
  name: "overload",
  summary: "twice the backend capacity: 429s and queueing, no crash, bounded TTFT",
  defaults: { durationS: 60, sessions: 16 },
  async run(options) {
    // --sessions is the backend capacity here (wafer sequence slots); users are twice that.
    const capacity = options.sessions;
    const server = await startScenarioServer({
      backend: {
        tiers: {
          wafer: {
            decodeTokensPerSecond: DECODE_TOK_S,
            burstMode: "off",
            maxConcurrentSequences: capacity,
            maxQueue: capacity,
          },
        },
      },
      limits: { inFlight: capacity },
    });
    const users = 2 * capacity;
    const clients = Array.from({ length: users }, () => new CheckingClient(server.wsUrl));
    const recorder = new ScenarioRecorder(
      server,
      Math.max(5_000, options.durationS * 100),
      options.log,
      // A forced full GC per sample would pause the server under test every second and
      // become the TTFT tail this scenario bounds; RSS here is reported, not bounded.
      { gc: false },
    );
    const warmS = Math.max(3, Math.min(10, options.durationS / 4));
    let queuedSeen = 0;
    try {
      await all(users, (i) => clients[i]!.connect());
      await recorder.start(1_000);
      const rands = clients.map((_, i) => random(options.seed * 104729 + i));
      const admitted = clients.map(() => 0);
      let loading = false;
      // Every response is counted; only measured phases record time to first token.
      const loop = async (i: number, until: number, measure: boolean) => {
        const rand = rands[i]!;
        const client = clients[i]!;
        let refusals = 0;
        while (performance.now() < until) {
          const outcome = await client.create(createBody(OUTPUT_TOKENS));
          if (outcome.kind === "refused") {
            recorder.refuse(outcome.code);
            await sleep(backoffMs(rand, refusals++));
            continue;
          }
          refusals = 0;
          if (loading) admitted[i]!++;
          recorder.started++;
          const r = outcome.response;
          await r.done;
          if (measure && r.firstDeltaAt !== undefined) recorder.ttft(r.firstDeltaAt - r.sentAt);
          recorder.finished(r.status ?? "timeout", r.outputTokens);
        }
      };
      // Unloaded: half the capacity, closed loop; first a warm-up that is not measured.
      const half = Math.max(1, capacity / 2);
      await all(half, (i) => loop(i, performance.now() + WARMUP_S * 1000, false));
      const unloadedStartS = recorder.now();
      const warmEnd = performance.now() + warmS * 1000;
      await all(half, (i) => loop(i, warmEnd, true));
      const unloaded = recorder.ttftP99(unloadedStartS);
      const loadStartS = recorder.now();
      const tokensBefore = (await recorder.sample()).counters.tokensGenerated;
      const endAt = performance.now() + options.durationS * 1000;
      const probe = setInterval(() => {
        queuedSeen = Math.max(queuedSeen, recorder.last?.counters.queued ?? 0);
      }, 250);
      loading = true;
      await all(users, (i) => loop(i, endAt, true));
      loading = false;
      clearInterval(probe);
      const loaded = recorder.ttftP99(loadStartS);
      const loadS = recorder.now() - loadStartS;
      const tokensLoaded = (await recorder.sample()).counters.tokensGenerated - tokensBefore;
      // Share of the backend's decode capacity the admitted requests used while overloaded.
      recorder.extra.backend_utilization =
        Math.round((tokensLoaded / (capacity * DECODE_TOK_S * loadS)) * 1000) / 1000;
      recorder.extra.capacity = capacity;
      recorder.extra.users = users;
      recorder.extra.unloaded_ttft_p99_ms = Math.round(unloaded.p99 * 10) / 10;
      recorder.extra.loaded_ttft_p99_ms = Math.round(loaded.p99 * 10) / 10;
      recorder.extra.unloaded_measured = unloaded.n;
      recorder.extra.loaded_admitted = loaded.n;
      recorder.extra.backend_queue_peak = queuedSeen;
      // Admission is first come, first served: who gets the freed slots under overload.
      recorder.extra.admitted_per_user_min = Math.min(...admitted);
      recorder.extra.admitted_per_user_max = Math.max(...admitted);
      return await recorder.report({
        scenario: "overload",
        command: options.command,
        params: {
          capacity,
          users,
          duration_s: options.durationS,
          warmup_s: WARMUP_S,
          unloaded_s: warmS,
          output_tokens: OUTPUT_TOKENS,
        },
        clients,
        decodeTokensPerSecond: DECODE_TOK_S,
        checks: (r) => {
          const refused429 = r.responses.refused.rate_limit_exceeded ?? 0;
          return [
            check("server_crashed", server.crashed() ? 1 : 0, "== 0", !server.crashed()),
            check(
              "ttft_p99_loaded_over_unloaded",
              loaded.p99 / unloaded.p99,
              "<= 2",
              loaded.p99 <= 2 * unloaded.p99,
            ),
            check("refused_429", refused429, "> 0", refused429 > 0),
            check("lost_events", r.lost_events, "== 0", r.lost_events === 0),
            check("duplicated_events", r.duplicated_events, "== 0", r.duplicated_events === 0),
            check("errors", r.errors, "== 0", r.errors === 0),
          ];
        },
      });
    } finally {
      recorder.stop();
      for (const c of clients) c.close();
      await server.stop();
    }
  },
};
