/**
 * `disconnect-storm`: sessions drop their connection mid-stream (no close handshake), come back
 * with their resume token and resume every unfinished response from the last sequence number
 * they read. Every response must complete with no event lost or duplicated and the streamed
 * text equal to the completed response's text.
 */
import {
  all,
  between,
  CheckingClient,
  createBody,
  random,
  sleep,
  withTimeout,
} from "../../src/testing/index.js";
import type { Scenario } from "./common.js";
import { check, ScenarioRecorder } from "./report.js";
import { startScenarioServer } from "./server-child.js";

const DECODE_TOK_S = 1200;

export const disconnectStorm: Scenario = {
  name: "disconnect-storm",
  summary: "sessions dropping and resuming mid-stream: zero lost or duplicated events",
  defaults: { durationS: 30, sessions: 200 },
  async run(options) {
    const server = await startScenarioServer({
      backend: { tiers: { wafer: { decodeTokensPerSecond: DECODE_TOK_S, burstMode: "off" } } },
    });
    const clients = Array.from(
      { length: options.sessions },
      () => new CheckingClient(server.wsUrl),
    );
    const recorder = new ScenarioRecorder(server, 5_000, options.log);
    let mismatched = 0;
    let notCompleted = 0;
    let drops = 0;
    try {
      await recorder.start(1_000);
      const endAt = performance.now() + options.durationS * 1000;
      await all(clients.length, async (i) => {
        const rand = random(options.seed * 7919 + i);
        const client = clients[i]!;
        await client.connect();
        // Rounds until the duration is up (at least one): a response, dropped and resumed.
        do {
          const outcome = await client.create(createBody(between(rand, 300, 1200)));
          if (outcome.kind === "refused") {
            recorder.refuse(outcome.code);
            await sleep(between(rand, 20, 100));
            continue;
          }
          recorder.started++;
          const r = outcome.response;
          for (let cut = 0; cut < 2; cut++) {
            await withTimeout(r.done, between(rand, 30, 400), undefined);
            if (r.status !== undefined) break;
            client.drop();
            drops++;
            await sleep(between(rand, 0, 300));
            await client.resume();
          }
          await withTimeout(r.done, 60_000, undefined);
          if (r.firstDeltaAt !== undefined) recorder.ttft(r.firstDeltaAt - r.sentAt);
          recorder.finished(r.status ?? "timeout", r.outputTokens);
          if (r.status !== "completed") notCompleted++;
          else if (r.finalText !== r.text) mismatched++;
        } while (performance.now() < endAt);
      });
      recorder.extra.drops = drops;
      recorder.extra.text_mismatches = mismatched;
      recorder.extra.not_completed = notCompleted;
      return await recorder.report({
        scenario: "disconnect-storm",
        command: options.command,
        params: { sessions: options.sessions, duration_s: options.durationS },
        clients,
        decodeTokensPerSecond: DECODE_TOK_S,
        checks: (r) => [
          check("lost_events", r.lost_events, "== 0", r.lost_events === 0),
          check("duplicated_events", r.duplicated_events, "== 0", r.duplicated_events === 0),
          check("not_completed", notCompleted, "== 0", notCompleted === 0),
          check("text_mismatches", mismatched, "== 0", mismatched === 0),
          check("errors", r.errors, "== 0", r.errors === 0),
          check("drops", drops, "> 0", drops > 0),
        ],
      });
    } finally {
      recorder.stop();
      for (const c of clients) c.close();
      await server.stop();
    }
  },
};
