/**
 * `disconnect-storm`: sessions drop their connection mid-stream (no close handshake), come back
 * with their resume token and resume every unfinished response from the last sequence number
 * they read. Every response must complete with no event lost or duplicated and the streamed
 * text equal to the completed response's text. With `--fleet N` the server is N instances on
 * one redis-server and every resume lands on a random instance (FLEET-1, FLEET-2).
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
import { haveRedisServer, type RedisServer, startRedisServer } from "../redis-server.js";
import type { Scenario } from "./common.js";
import { check, ScenarioRecorder } from "./report.js";
import { type ScenarioServer, startScenarioServer } from "./server-child.js";

const DECODE_TOK_S = 1200;

export const disconnectStorm: Scenario = {
  name: "disconnect-storm",
  summary: "sessions dropping and resuming mid-stream: zero lost or duplicated events",
  defaults: { durationS: 30, sessions: 200 },
  async run(options) {
    const backend = {
      tiers: { wafer: { decodeTokensPerSecond: DECODE_TOK_S, burstMode: "off" as const } },
    };
    // Every session is a user of its own (a bearer token each), as a fleet's clients are: one
    // principal for all would meet the per-principal bound on sessions waiting for a resume
    // (`max_detached_sessions`, 64 by default: RESUME-15) and see resume_expired by design.
    const tokens = Array.from({ length: options.sessions }, (_, i) => `storm-${i}`);
    let redis: RedisServer | undefined;
    const servers: ScenarioServer[] = [];
    if (options.fleet >= 2) {
      if (!haveRedisServer()) {
        throw new Error("--fleet needs redis-server (Debian/Ubuntu: apt-get install redis-server)");
      }
      redis = await startRedisServer();
      for (let i = 0; i < options.fleet; i++) {
        servers.push(await startScenarioServer({ backend, tokens, redis: redis.url }));
      }
      options.log(`disconnect-storm: ${options.fleet} instances on ${redis.url}`);
    } else servers.push(await startScenarioServer({ backend, tokens }));
    const server = servers[0]!;
    // Each session starts on a random instance; each resume lands on a random one.
    let crossResumes = 0;
    const clients = Array.from({ length: options.sessions }, (_, i) => {
      const rand = random(options.seed * 104_729 + i);
      let at = Math.floor(rand() * servers.length);
      const resumeUrl = () => {
        const next = Math.floor(rand() * servers.length);
        if (next !== at) crossResumes++;
        at = next;
        return servers[next]!.wsUrl;
      };
      const headers = { authorization: `Bearer ${tokens[i]!}` };
      return new CheckingClient(servers[at]!.wsUrl, { resumeUrl, headers });
    });
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
          // store: false, as on one process: a fleet shares a session's responses for its resume.
          const body = createBody(between(rand, 300, 1200));
          const outcome = await client.create(body);
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
      if (redis) recorder.extra.cross_instance_resumes = crossResumes;
      return await recorder.report({
        scenario: "disconnect-storm",
        command: options.command,
        params: {
          sessions: options.sessions,
          duration_s: options.durationS,
          ...(redis ? { fleet: options.fleet } : {}),
        },
        clients,
        decodeTokensPerSecond: DECODE_TOK_S,
        checks: (r) => [
          check("lost_events", r.lost_events, "== 0", r.lost_events === 0),
          check("duplicated_events", r.duplicated_events, "== 0", r.duplicated_events === 0),
          check("not_completed", notCompleted, "== 0", notCompleted === 0),
          check("text_mismatches", mismatched, "== 0", mismatched === 0),
          check("errors", r.errors, "== 0", r.errors === 0),
          check("drops", drops, "> 0", drops > 0),
          ...(redis
            ? [check("cross_instance_resumes", crossResumes, "> 0", crossResumes > 0)]
            : []),
        ],
      });
    } finally {
      recorder.stop();
      for (const c of clients) c.close();
      await Promise.all(servers.map((s) => s.stop()));
      await redis?.stop();
    }
  },
};
