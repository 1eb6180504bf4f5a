/**
 * `npm run fuzz [-- --duration-s N --seed N]`: hostile input against a reference server in a
 * child process, for a set time (default 60 s): deeply nested JSON, huge strings, unicode edge
 * cases (lone surrogates, invalid UTF-8 in a text frame), binary frames, floods of pings,
 * creates past every limit, and cancels, steers and resumes of another session's response ids.
 * Between rounds a probe session must still complete a normal turn, and another session's
 * response must not be touched by the attack. Reports frames tried and crashes (must be zero).
 */
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import WebSocket from "ws";
import { ScenarioClient } from "../bench/scenarios/client.js";
import { createBody, random, sleep } from "../bench/scenarios/common.js";
import { type ScenarioServer, startScenarioServer } from "../bench/scenarios/server-child.js";

/** The outcome of a fuzz run. */
export interface FuzzReport {
  seed: number;
  duration_s: number;
  frames_tried: number;
  by_kind: Record<string, number>;
  closes_by_code: Record<string, number>;
  probes_ok: number;
  probes_failed: number;
  victim_disturbed: number;
  crashes: number;
}

type Send = (ws: WebSocket, rand: () => number) => number;

const MAX_MESSAGE_BYTES = 1 << 20;

function nested(depth: number, open: string, close: string, inner: string): string {
  return open.repeat(depth) + inner + close.repeat(depth);
}

const UNICODE = [
  "\ud800",
  "\udfff",
  "\ud83d",
  "\ufeff",
  "\u0000",
  "\u202e",
  "\u200b\u200c\u200d",
  "e\u0301\u0301\u0301",
  "\uffff\ufffe",
  "💥".repeat(1000),
  "\u{10ffff}",
];

/** Frame generators: each sends some frames and returns how many. */
const KINDS: Record<string, Send> = {
  "nested-json": (ws, rand) => {
    const depth = [100, 1_000, 10_000, 100_000][Math.floor(rand() * 4)]!;
    ws.send(nested(depth, "[", "]", "1"));
    ws.send(`{"type":"response.create","model":"m","input":${nested(depth, "[", "]", "")}}`);
    ws.send(`{"type":"session.update","session":${nested(depth, '{"a":', "}", "1")}}`);
    return 3;
  },
  "huge-string": (ws, rand) => {
    const size = rand() < 0.8 ? MAX_MESSAGE_BYTES - 200 : MAX_MESSAGE_BYTES * 3;
    ws.send(JSON.stringify({ type: "response.create", input: "x".repeat(size), generate: false }));
    return 1;
  },
  "unicode-edges": (ws, rand) => {
    const s = UNICODE[Math.floor(rand() * UNICODE.length)]!;
    ws.send(JSON.stringify({ type: "session.ping", nonce: s }));
    ws.send(JSON.stringify({ type: s, event_id: s }));
    ws.send(JSON.stringify({ ...createBody(5), type: "response.create", input: s, event_id: s }));
    ws.send(`{"type":"response.cancel","response_id":"${s}"}`);
    return 4;
  },
  "invalid-utf8": (ws) => {
    ws.send(Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0xff, 0x22, 0x7d]), { binary: false });
    return 1;
  },
  binary: (ws) => {
    ws.send(Buffer.from([1, 2, 3]), { binary: true });
    return 1;
  },
  "ping-flood": (ws, rand) => {
    const n = 200 + Math.floor(rand() * 800);
    for (let i = 0; i < n; i++) ws.send(`{"type":"session.ping","nonce":"${i}"}`);
    return n;
  },
  "create-flood": (ws, rand) => {
    const n = 20 + Math.floor(rand() * 40);
    for (let i = 0; i < n; i++) {
      ws.send(JSON.stringify({ type: "response.create", ...createBody(50 + i) }));
    }
    return n;
  },
  "garbage-json": (ws, rand) => {
    const bad = ["{", "}", "null", "[]", '{"type":1}', '{"type":null}', "\u0000", "{{}}", "1e999"];
    ws.send(bad[Math.floor(rand() * bad.length)]!);
    return 1;
  },
  "mutated-events": (ws, rand) => {
    const values = [null, -1, 1e308, "", "x".repeat(300), [], {}, true, 0.5, -0];
    const pick = () => values[Math.floor(rand() * values.length)];
    const types = ["response.create", "response.cancel", "response.steer", "response.resume"];
    ws.send(
      JSON.stringify({
        type: types[Math.floor(rand() * types.length)],
        response_id: pick(),
        after_sequence_number: pick(),
        input: pick(),
        max_output_tokens: pick(),
        truncate: { text_chars: pick() },
        metadata: { "sim.output_tokens": pick() },
      }),
    );
    return 1;
  },
};

/** Runs the fuzzer for `durationS` seconds. */
export async function runFuzz(options: {
  durationS: number;
  seed?: number;
  log?: (line: string) => void;
}): Promise<FuzzReport> {
  const seed = options.seed ?? 1;
  const rand = random(seed);
  const log = options.log ?? (() => {});
  const server: ScenarioServer = await startScenarioServer({
    maxMessageBytes: MAX_MESSAGE_BYTES,
    session: { maxInFlight: 4, requestsPerMinute: 600, maxMessageBytes: MAX_MESSAGE_BYTES },
    limits: { connections: 64, inFlight: 32, requestsPerMinute: 3_000 },
  });
  const report: FuzzReport = {
    seed,
    duration_s: options.durationS,
    frames_tried: 0,
    by_kind: {},
    closes_by_code: {},
    probes_ok: 0,
    probes_failed: 0,
    victim_disturbed: 0,
    crashes: 0,
  };
  const kinds = Object.keys(KINDS);
  const endAt = performance.now() + options.durationS * 1000;
  const attackers: WebSocket[] = [];
  const open = () =>
    new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(server.wsUrl, ["hotline.v1"], { perMessageDeflate: false });
      ws.on("error", () => {});
      ws.once("open", () => resolve(ws));
      ws.once("unexpected-response", () => reject(new Error("refused")));
      ws.once("close", (code) => {
        report.closes_by_code[code] = (report.closes_by_code[code] ?? 0) + 1;
        reject(new Error(`closed ${code}`));
      });
    });
  try {
    while (performance.now() < endAt && !server.crashed()) {
      // A victim session with a response in flight; attackers go after its id.
      const victim = new ScenarioClient(server.wsUrl);
      await victim.connect();
      const started = await victim.create(createBody(300));
      const victimId = started.kind === "started" ? started.response.id : "resp_unknown";
      while (attackers.length < 4) {
        try {
          attackers.push(await open());
        } catch {
          break;
        }
      }
      const roundEnd = Math.min(endAt, performance.now() + 1_000);
      while (performance.now() < roundEnd) {
        for (let i = 0; i < attackers.length; i++) {
          let ws = attackers[i]!;
          if (ws.readyState !== WebSocket.OPEN) {
            try {
              ws = attackers[i] = await open();
            } catch {
              await sleep(50);
              continue;
            }
          }
          const kind = kinds[Math.floor(rand() * kinds.length)]!;
          let n = KINDS[kind]!(ws, rand);
          // Other sessions' ids, interleaved with everything else.
          ws.send(JSON.stringify({ type: "response.cancel", response_id: victimId }));
          ws.send(
            JSON.stringify({
              type: "response.resume",
              response_id: victimId,
              after_sequence_number: -1,
            }),
          );
          ws.send(
            JSON.stringify({ type: "response.steer", response_id: victimId, input: "hijack" }),
          );
          n += 3;
          report.frames_tried += n;
          report.by_kind[kind] = (report.by_kind[kind] ?? 0) + n;
          // Let the server read what was sent (and the socket drain) before more.
          await waitDrained(ws);
        }
        await sleep(5);
      }
      if (started.kind === "started") {
        await Promise.race([started.response.done, sleep(15_000)]);
        if (started.response.status !== "completed" || started.response.lost > 0) {
          report.victim_disturbed++;
        }
      }
      victim.close();
      // Probe: a fresh session still gets a normal turn done.
      const probe = new ScenarioClient(server.wsUrl);
      try {
        await probe.connect();
        const turn = await probe.create(createBody(20));
        if (turn.kind === "started") await Promise.race([turn.response.done, sleep(15_000)]);
        if (turn.kind === "started" && turn.response.status === "completed") report.probes_ok++;
        else report.probes_failed++;
      } catch {
        report.probes_failed++;
      } finally {
        probe.close();
      }
      log(`fuzz: ${report.frames_tried} frames, ${report.probes_ok} probes ok`);
    }
  } finally {
    if (server.crashed()) report.crashes++;
    for (const ws of attackers) ws.terminate();
    await server.stop();
  }
  return report;
}

async function waitDrained(ws: WebSocket): Promise<void> {
  for (let i = 0; i < 200 && ws.readyState === WebSocket.OPEN && ws.bufferedAmount > 0; i++) {
    await sleep(5);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { "duration-s": { type: "string" }, seed: { type: "string" } },
    strict: true,
  });
  const durationS = Number(values["duration-s"] ?? 60);
  const seed = Number(values.seed ?? Date.now() % 2_147_483_647);
  if (!(durationS > 0) || !Number.isInteger(seed)) {
    console.error("usage: npm run fuzz -- [--duration-s N] [--seed N]");
    process.exitCode = 2;
    return;
  }
  const report = await runFuzz({ durationS, seed, log: (line) => console.error(line) });
  console.log(JSON.stringify(report, null, 2));
  const failed = report.crashes > 0 || report.probes_failed > 0 || report.victim_disturbed > 0;
  console.log(
    `fuzz: ${report.frames_tried} frames tried in ${durationS} s, ${report.crashes} crashes, ` +
      `${report.probes_failed} failed probes, ${report.victim_disturbed} disturbed victims (seed ${seed})`,
  );
  process.exitCode = failed ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main();
}
