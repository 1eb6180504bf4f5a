/**
 * `slow-reader`: readers that read at a tenth of the decode rate. The server must not buffer
 * without bound: generation pauses (backend `paused` gauge) and the server's RSS growth stays
 * within 32 MiB for 50 readers over 60 s.
 *
 * A reader pauses its socket whenever it is ahead of its byte budget, so the TCP window fills
 * and the server's writes queue above the kernel. On loopback the kernel buffers several MiB
 * per connection before that happens, so each response asks for more tokens than the decode
 * rate can produce in the run: unpaused, it would outgrow the kernel's buffers within seconds.
 */
import { all, CheckingClient, createBody, sleep, withTimeout } from "../../src/testing/index.js";
import type { Scenario } from "./common.js";
import { check, ScenarioRecorder } from "./report.js";
import { startScenarioServer } from "./server-child.js";

const DECODE_TOK_S = 1200;
/** Bytes of one delta frame on the wire, roughly (response_id, item_id, sequence number). */
const BYTES_PER_DELTA = 220;

export const slowReader: Scenario = {
  name: "slow-reader",
  summary: "readers at a tenth of the decode rate: bounded server memory, paused generation",
  defaults: { durationS: 60, sessions: 50 },
  async run(options) {
    const server = await startScenarioServer({
      backend: {
        tiers: {
          wafer: {
            decodeTokensPerSecond: DECODE_TOK_S,
            burstMode: "off",
            maxConcurrentSequences: Math.max(64, options.sessions),
          },
        },
      },
    });
    const readTokS = DECODE_TOK_S / 10;
    const clients = Array.from(
      { length: options.sessions },
      () => new CheckingClient(server.wsUrl, { readBytesPerSecond: readTokS * BYTES_PER_DELTA }),
    );
    const recorder = new ScenarioRecorder(
      server,
      Math.max(5_000, options.durationS * 100),
      options.log,
    );
    try {
      await all(clients.length, (i) => clients[i]!.connect());
      await recorder.start(Math.max(500, Math.min(5_000, options.durationS * 50)));
      const baseline = recorder.last!.rss;
      let maxPaused = 0;
      let maxBuffered = 0;
      const pausedProbe = setInterval(() => {
        maxPaused = Math.max(maxPaused, recorder.last?.counters.paused ?? 0);
        maxBuffered = Math.max(maxBuffered, recorder.last?.bufferedBytes ?? 0);
      }, 200);
      const endAt = performance.now() + options.durationS * 1000;
      let deltas = 0;
      await all(clients.length, async (i) => {
        const client = clients[i]!;
        while (performance.now() < endAt) {
          // Longer than the decode rate can finish in the run: only pausing bounds it.
          // A create answered behind a paused socket may come after the run: stop waiting then.
          const outcome = await withTimeout(
            client.create(createBody(Math.ceil(DECODE_TOK_S * options.durationS * 1.2))),
            endAt - performance.now(),
            undefined,
          );
          if (outcome === undefined) break;
          if (outcome.kind === "refused") {
            recorder.refuse(outcome.code);
            await sleep(100);
            continue;
          }
          recorder.started++;
          const r = outcome.response;
          await withTimeout(r.done, endAt - performance.now(), undefined);
          if (r.firstDeltaAt !== undefined) recorder.ttft(r.firstDeltaAt - r.sentAt);
          deltas += r.deltas;
          if (r.status) recorder.finished(r.status, r.outputTokens);
        }
      });
      clearInterval(pausedProbe);
      const readRate = deltas / options.durationS / clients.length;
      recorder.extra.reader_tokens_per_s = Math.round(readRate * 10) / 10;
      recorder.extra.decode_tokens_per_s = DECODE_TOK_S;
      recorder.extra.max_generations_paused = maxPaused;
      recorder.extra.max_server_buffered_kib = Math.round(maxBuffered / 1024);
      const report = await recorder.report({
        scenario: "slow-reader",
        command: options.command,
        params: { readers: options.sessions, duration_s: options.durationS, read_tok_s: readTokS },
        clients,
        decodeTokensPerSecond: DECODE_TOK_S,
        checks: (r) => {
          const peak = Math.max(...r.rss_mib.map((s) => s.rss_mib));
          const growth = peak - baseline / 2 ** 20;
          recorder.extra.rss_growth_mib = Math.round(growth * 10) / 10;
          return [
            check("rss_growth_mib", growth, "<= 32", growth <= 32),
            check("generations_paused_peak", maxPaused, "> 0", maxPaused > 0),
            check("lost_events", r.lost_events, "== 0", r.lost_events === 0),
            check("duplicated_events", r.duplicated_events, "== 0", r.duplicated_events === 0),
            check("errors", r.errors, "== 0", r.errors === 0),
            check("server_crashed", server.crashed() ? 1 : 0, "== 0", !server.crashed()),
          ];
        },
      });
      return report;
    } finally {
      recorder.stop();
      for (const c of clients) c.close();
      await server.stop();
    }
  },
};
