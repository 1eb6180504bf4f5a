/**
 * `lanes`: OpenAI WebSocket mode's `stream_id` lanes against one connection per stream. The
 * same N streams of sequential turns run twice, each for half the duration: first as N lanes
 * of one core connection (RESP-32: lanes run at once; up to 16 in flight, RESP-35), then as N
 * core connections. Reported for each: time to first token (create sent → first output delta
 * of that response) and the gaps between consecutive deltas of one response, p50 and p99. The
 * checks are correctness only (no errors, every response completed): the figures are for the
 * README, never a pass/fail bound.
 */
import WebSocket from "ws";
import type { Scenario } from "./common.js";
import { check, percentile, round, ScenarioRecorder } from "./report.js";
import { startScenarioServer } from "./server-child.js";

const OUTPUT_TOKENS = 200;
const DECODE_TOK_S = 1200;

interface Phase {
  ttft: number[];
  gaps: number[];
  completed: number;
  failed: number;
}

/** One stream: sequential turns until `until`, on `lane` of `ws` (undefined: the default lane). */
async function stream(
  ws: WebSocket,
  lane: string | undefined,
  until: number,
  phase: Phase,
  recorder: ScenarioRecorder,
  route: Map<string | undefined, (event: Record<string, unknown>) => void>,
): Promise<void> {
  while (performance.now() < until) {
    const sentAt = performance.now();
    let last: number | undefined;
    const ended = new Promise<string>((resolve) => {
      route.set(lane, (event) => {
        const type = event.type as string;
        const now = performance.now();
        if (type === "response.output_text.delta") {
          if (last === undefined) {
            phase.ttft.push(now - sentAt);
            recorder.ttft(now - sentAt);
          } else phase.gaps.push(now - last);
          last = now;
        } else if (
          type === "error" ||
          type === "response.completed" ||
          type === "response.failed" ||
          type === "response.incomplete"
        ) {
          resolve(type);
        }
      });
    });
    ws.send(
      JSON.stringify({
        type: "response.create",
        input: "Write a parser.",
        store: false,
        metadata: { "sim.output_tokens": String(OUTPUT_TOKENS) },
        ...(lane === undefined ? {} : { stream_id: lane }),
      }),
    );
    recorder.started++;
    const outcome = await ended;
    if (outcome === "response.completed") {
      phase.completed++;
      recorder.finished("completed", OUTPUT_TOKENS);
    } else {
      phase.failed++;
      recorder.finished(outcome, 0);
    }
  }
}

/** Opens a core connection whose events go to the stream of their lane. */
async function open(url: string): Promise<{
  ws: WebSocket;
  route: Map<string | undefined, (e: Record<string, unknown>) => void>;
}> {
  const ws = new WebSocket(url, { headers: { Authorization: "Bearer bench" } });
  const route = new Map<string | undefined, (e: Record<string, unknown>) => void>();
  ws.on("message", (data) => {
    const event = JSON.parse(String(data)) as Record<string, unknown>;
    route.get(event.stream_id as string | undefined)?.(event);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  return { ws, route };
}

function summary(prefix: string, phase: Phase): Record<string, number> {
  return {
    [`${prefix}_responses`]: phase.completed,
    [`${prefix}_ttft_p50_ms`]: round(percentile(phase.ttft, 0.5), 2),
    [`${prefix}_ttft_p99_ms`]: round(percentile(phase.ttft, 0.99), 2),
    [`${prefix}_gap_p50_ms`]: round(percentile(phase.gaps, 0.5), 3),
    [`${prefix}_gap_p99_ms`]: round(percentile(phase.gaps, 0.99), 3),
  };
}

export const lanes: Scenario = {
  name: "lanes",
  summary: "N stream_id lanes on one connection beside N connections: TTFT and gap p99",
  defaults: { durationS: 20, sessions: 8 },
  async run(options) {
    const n = Math.min(options.sessions, 32);
    const server = await startScenarioServer({
      backend: { tiers: { wafer: { decodeTokensPerSecond: DECODE_TOK_S, burstMode: "off" } } },
    });
    const recorder = new ScenarioRecorder(server, 5_000, options.log, { gc: false });
    const one: Phase = { ttft: [], gaps: [], completed: 0, failed: 0 };
    const many: Phase = { ttft: [], gaps: [], completed: 0, failed: 0 };
    const sockets: WebSocket[] = [];
    try {
      await recorder.start(1_000);
      const half = (options.durationS * 1000) / 2;
      const shared = await open(server.wsUrl);
      sockets.push(shared.ws);
      // Not measured: warms the server's code and caches, so neither phase pays for it.
      const warm: Phase = { ttft: [], gaps: [], completed: 0, failed: 0 };
      let until = performance.now() + Math.min(2_000, half / 4);
      await Promise.all(
        Array.from({ length: n }, (_, i) =>
          stream(shared.ws, `lane-${i}`, until, warm, recorder, shared.route),
        ),
      );
      options.log(`lanes: ${n} lanes on one connection for ${half / 1000} s`);
      until = performance.now() + half;
      await Promise.all(
        Array.from({ length: n }, (_, i) =>
          stream(shared.ws, `lane-${i}`, until, one, recorder, shared.route),
        ),
      );
      options.log(`lanes: ${n} connections for ${half / 1000} s`);
      const conns = await Promise.all(Array.from({ length: n }, () => open(server.wsUrl)));
      sockets.push(...conns.map((c) => c.ws));
      until = performance.now() + half;
      await Promise.all(conns.map((c) => stream(c.ws, undefined, until, many, recorder, c.route)));
      Object.assign(recorder.extra, summary("lanes", one), summary("connections", many));
      return await recorder.report({
        scenario: "lanes",
        command: options.command,
        params: { lanes: n, output_tokens: OUTPUT_TOKENS, decode_tok_s: DECODE_TOK_S },
        clients: [],
        decodeTokensPerSecond: DECODE_TOK_S,
        checks: (r) => [
          check(
            "errors",
            r.errors + one.failed + many.failed + warm.failed,
            "0",
            one.failed + many.failed + warm.failed === 0,
          ),
          check("responses on lanes", one.completed, "> 0", one.completed > 0),
          check("responses on connections", many.completed, "> 0", many.completed > 0),
          check("server alive", server.crashed() ? 0 : 1, "1", !server.crashed()),
        ],
      });
    } finally {
      for (const ws of sockets) ws.close();
      await server.stop();
    }
  },
};
