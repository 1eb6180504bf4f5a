/**
 * `soak`: many sessions of mixed traffic for a long time: interactive turns, background jobs,
 * cancels and steers, with think time between them. After a warm-up (the first quarter), the
 * server's RSS must grow by at most 10%, with zero errors and no event lost or duplicated.
 */
import {
  all,
  between,
  CheckingClient,
  createBody,
  random,
  sleep,
  type TrackedResponse,
  withTimeout,
} from "../../src/testing/index.js";
import type { Scenario } from "./common.js";
import { check, ScenarioRecorder } from "./report.js";
import { startScenarioServer } from "./server-child.js";

const DECODE_TOK_S = 1200;

export const soak: Scenario = {
  name: "soak",
  summary: "mixed traffic (interactive, background, cancels, steers) for a long time",
  defaults: { durationS: 600, sessions: 500 },
  async run(options) {
    const server = await startScenarioServer({
      backend: { tiers: { wafer: { decodeTokensPerSecond: DECODE_TOK_S, burstMode: "off" } } },
    });
    const clients = Array.from(
      { length: options.sessions },
      () => new CheckingClient(server.wsUrl),
    );
    const recorder = new ScenarioRecorder(
      server,
      Math.max(5_000, options.durationS * 50),
      options.log,
    );
    const counts = { interactive: 0, background: 0, cancel: 0, steer: 0 };
    let failed = 0;
    try {
      await recorder.start(Math.max(1_000, Math.min(10_000, options.durationS * 25)));
      const endAt = performance.now() + options.durationS * 1000;
      const settle = async (r: TrackedResponse) => {
        await withTimeout(r.done, 120_000, undefined);
        if (r.firstDeltaAt !== undefined) recorder.ttft(r.firstDeltaAt - r.sentAt);
        recorder.finished(r.status ?? "timeout", r.outputTokens);
        if (r.status === "failed" || r.status === undefined) failed++;
      };
      await all(clients.length, async (i) => {
        const rand = random(options.seed * 15485863 + i);
        const client = clients[i]!;
        await sleep(between(rand, 0, 2_000));
        await client.connect();
        while (performance.now() < endAt) {
          await sleep(between(rand, 300, 2_500));
          const pick = rand();
          const kind =
            pick < 0.6
              ? "interactive"
              : pick < 0.7
                ? "background"
                : pick < 0.85
                  ? "cancel"
                  : "steer";
          counts[kind]++;
          const body =
            kind === "interactive"
              ? createBody(between(rand, 30, 300))
              : kind === "background"
                ? createBody(between(rand, 50, 150), { background: true, service_tier: "flex" })
                : createBody(2_000);
          const outcome = await client.create(body);
          if (outcome.kind === "refused") {
            recorder.refuse(outcome.code);
            continue;
          }
          recorder.started++;
          const r = outcome.response;
          if (kind === "cancel" || kind === "steer") {
            await withTimeout(r.done, between(rand, 50, 300), undefined);
            if (r.status === undefined && kind === "cancel") {
              client.send({ type: "response.cancel", response_id: r.id });
            } else if (r.status === undefined) {
              const next = await client.steer(r.id, "No: use the iterator instead.");
              await settle(r);
              if (next.kind === "refused") recorder.refuse(next.code);
              else {
                recorder.started++;
                await settle(next.response);
              }
              continue;
            }
          }
          await settle(r);
        }
      });
      Object.assign(recorder.extra, counts, { failed_or_unfinished: failed });
      return await recorder.report({
        scenario: "soak",
        command: options.command,
        params: { sessions: options.sessions, duration_s: options.durationS },
        clients,
        decodeTokensPerSecond: DECODE_TOK_S,
        checks: (r) => {
          const warmS = r.duration_s / 4;
          const after = r.rss_mib.filter((s) => s.t_s >= warmS);
          const base = after[0]?.rss_mib ?? Number.NaN;
          const peak = Math.max(...after.map((s) => s.rss_mib));
          const growth = (peak - base) / base;
          recorder.extra.rss_after_warmup_mib = base;
          recorder.extra.rss_peak_after_warmup_mib = peak;
          return [
            check("rss_growth_after_warmup", growth, "<= 0.10", growth <= 0.1),
            check("errors", r.errors + failed, "== 0", r.errors + failed === 0),
            check("lost_events", r.lost_events, "== 0", r.lost_events === 0),
            check("duplicated_events", r.duplicated_events, "== 0", r.duplicated_events === 0),
            check("server_crashed", server.crashed() ? 1 : 0, "== 0", !server.crashed()),
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
