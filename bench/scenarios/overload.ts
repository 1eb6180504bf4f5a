/**
 * `overload`: twice the backend's capacity for the duration. Admission (the per-token
 * in-flight limit, set to the capacity) answers the excess with 429 `rate_limit_exceeded`;
 * refused users back off and retry (the queue is on the client side), and the backend's own
 * queue absorbs what slips through. The server must not crash, and the p99 time to first token
 * of admitted requests must stay within twice the unloaded p99 measured first in the same run.
 */
import { ScenarioClient } from "./client.js";
import { all, between, createBody, random, type Scenario, sleep } from "./common.js";
import { check, ScenarioRecorder } from "./report.js";
import { startScenarioServer } from "./server-child.js";

const DECODE_TOK_S = 1200;
const OUTPUT_TOKENS = 200;

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
    const clients = Array.from({ length: users }, () => new ScenarioClient(server.wsUrl));
    const recorder = new ScenarioRecorder(server, Math.max(5_000, options.durationS * 100));
    const warmS = Math.max(3, Math.min(10, options.durationS / 4));
    let queuedSeen = 0;
    try {
      await all(users, (i) => clients[i]!.connect());
      await recorder.start(1_000);
      const loop = async (i: number, until: number, track: boolean) => {
        const rand = random(options.seed * 104729 + i);
        const client = clients[i]!;
        while (performance.now() < until) {
          const outcome = await client.create(createBody(OUTPUT_TOKENS));
          if (outcome.kind === "refused") {
            if (track) recorder.refuse(outcome.code);
            await sleep(between(rand, 10, 40));
            continue;
          }
          if (track) recorder.started++;
          const r = outcome.response;
          await r.done;
          if (track && r.firstDeltaAt !== undefined) recorder.ttft(r.firstDeltaAt - r.sentAt);
          if (track) recorder.finished(r.status ?? "timeout", r.outputTokens);
        }
      };
      // Unloaded: half the capacity, closed loop.
      const warmEnd = performance.now() + warmS * 1000;
      await all(Math.max(1, capacity / 2), (i) => loop(i, warmEnd, true));
      const unloaded = recorder.ttftP99();
      const loadStartS = recorder.now();
      const endAt = performance.now() + options.durationS * 1000;
      const probe = setInterval(() => {
        queuedSeen = Math.max(queuedSeen, recorder.last?.counters.queued ?? 0);
      }, 250);
      await all(users, (i) => loop(i, endAt, true));
      clearInterval(probe);
      const loaded = recorder.ttftP99(loadStartS);
      recorder.extra.capacity = capacity;
      recorder.extra.users = users;
      recorder.extra.unloaded_ttft_p99_ms = Math.round(unloaded.p99 * 10) / 10;
      recorder.extra.loaded_ttft_p99_ms = Math.round(loaded.p99 * 10) / 10;
      recorder.extra.loaded_admitted = loaded.n;
      recorder.extra.backend_queue_peak = queuedSeen;
      return await recorder.report({
        scenario: "overload",
        command: options.command,
        params: {
          capacity,
          users,
          duration_s: options.durationS,
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
