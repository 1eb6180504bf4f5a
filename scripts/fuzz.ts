/**
 * `npm run fuzz [-- --duration-s N --seed N]`: hostile input against a reference server in a
 * child process, for a set time (default 60 s): deeply nested JSON, huge strings, unicode edge
 * cases (lone surrogates, invalid UTF-8 in a text frame), binary frames, floods of pings,
 * creates past every limit, wrong tokens, and cancels, steers and resumes of another session's
 * response ids. Six attacker connections send batch after batch with no round trip (thousands
 * of frames per second); a connection the server closes is reopened. Every 2 s, and once at
 * the end, a fresh connection must complete a normal turn and a victim response the attackers
 * went after must complete with every event. Every wait has a timeout, so a run always ends.
 * Reports frames tried and crashes (server exits, or a server that answers neither a turn nor
 * a stats request), which must be zero.
 */
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import WebSocket from "ws";
import { type ScenarioServer, startScenarioServer } from "../bench/index.js";
import { CheckingClient, createBody, random, sleep, withTimeout } from "../src/testing/index.js";

/** The outcome of a fuzz run. */
export interface FuzzReport {
  seed: number;
  duration_s: number;
  /** Attacker connections sending at once. */
  connections: number;
  frames_tried: number;
  frames_per_s: number;
  /** Bytes the attackers handed to their sockets, in MiB. */
  bytes_sent_mib: number;
  by_kind: Record<string, number>;
  /** Close codes of attacker connections (the server closing them is expected). */
  closes_by_code: Record<string, number>;
  /** Upgrades refused before a session (401 for a wrong token, 429 past the connection limit). */
  refused_upgrades: number;
  /** Normal turns on a fresh connection that completed (periodically and once at the end). */
  probes_ok: number;
  probes_failed: number;
  /** Victim responses (attacked by id) that completed with every event. */
  victims_ok: number;
  victim_disturbed: number;
  /** Server process exits, or health checks the server answered neither a turn nor stats. */
  crashes: number;
  crash_reasons: string[];
}

/** Where a generator sends: counts only frames handed to a socket that is still open. */
interface Sink {
  send(data: string | Buffer, options?: { binary: boolean }): void;
}

type Send = (ws: Sink, rand: () => number) => number;

const MAX_MESSAGE_BYTES = 1 << 20;
const ATTACKER_TOKEN = "fuzz-attacker";
const PROBE_TOKEN = "fuzz-probe";
const PROBE_HEADERS = { authorization: `Bearer ${PROBE_TOKEN}` };
/** Every wait is bounded: opening a connection, a turn's steps, the stats reply. */
const OPEN_TIMEOUT_MS = 5_000;
const TURN_TIMEOUT_MS = 10_000;
const STATS_TIMEOUT_MS = 10_000;
const DRAIN_TIMEOUT_MS = 2_000;
const FINAL_CHECK_TIMEOUT_MS = 30_000;
const HARD_GRACE_MS = 45_000;
const CHECK_EVERY_MS = 2_000;
/** An attacker waits (bounded) for its socket to drain past this many unsent bytes. */
const HIGH_WATER = 4 << 20;
const LOW_WATER = 1 << 20;
/** Built once: the client's CPU goes to sending, not to building strings. */
const HUGE_NEAR_LIMIT = JSON.stringify({
  type: "response.create",
  input: "x".repeat(MAX_MESSAGE_BYTES - 200),
  generate: false,
});
const HUGE_OVER_LIMIT = JSON.stringify({
  type: "response.create",
  input: "x".repeat(MAX_MESSAGE_BYTES * 3),
  generate: false,
});

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
    ws.send(rand() < 0.8 ? HUGE_NEAR_LIMIT : HUGE_OVER_LIMIT);
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

/** Runs the fuzzer for `durationS` seconds; always resolves within the duration plus ~45 s. */
export async function runFuzz(options: {
  durationS: number;
  seed?: number;
  /** Attacker connections sending at once (default 6). */
  connections?: number;
  log?: (line: string) => void;
}): Promise<FuzzReport> {
  const seed = options.seed ?? 1;
  const rand = random(seed);
  const log = options.log ?? (() => {});
  const report: FuzzReport = {
    seed,
    duration_s: options.durationS,
    connections: options.connections ?? 6,
    frames_tried: 0,
    frames_per_s: 0,
    bytes_sent_mib: 0,
    by_kind: {},
    closes_by_code: {},
    refused_upgrades: 0,
    probes_ok: 0,
    probes_failed: 0,
    victims_ok: 0,
    victim_disturbed: 0,
    crashes: 0,
    crash_reasons: [],
  };
  let server: ScenarioServer = await startFuzzServer();
  const started = performance.now();
  const endAt = started + options.durationS * 1000;
  let stopped = false;
  const kinds = Object.keys(KINDS);
  let victimId = "resp_unknown";
  let bytes = 0;

  const openAttacker = async (): Promise<WebSocket | undefined> => {
    const wrongToken = rand() < 0.02;
    const ws = new WebSocket(server.wsUrl, ["hotline.v1"], {
      perMessageDeflate: false,
      headers: { authorization: `Bearer ${wrongToken ? "not-a-token" : ATTACKER_TOKEN}` },
    });
    ws.on("error", () => {});
    ws.on("close", (code) => {
      report.closes_by_code[code] = (report.closes_by_code[code] ?? 0) + 1;
    });
    const opened = await withTimeout(
      new Promise<boolean>((resolve) => {
        ws.once("open", () => resolve(true));
        ws.once("close", () => resolve(false));
        ws.once("unexpected-response", (req, res) => {
          report.refused_upgrades++;
          res.resume();
          req.destroy();
          resolve(false);
        });
      }),
      OPEN_TIMEOUT_MS,
      false,
    );
    if (!opened) ws.terminate();
    return opened ? ws : undefined;
  };

  // Attackers: each sends batch after batch with no round trip; only the socket's own
  // buffer (bounded wait) slows it down.
  const attacker = async (): Promise<void> => {
    let ws: WebSocket | undefined;
    while (!stopped && performance.now() < endAt) {
      if (ws?.readyState !== WebSocket.OPEN) {
        ws?.terminate();
        ws = await openAttacker();
        if (!ws) {
          await sleep(20);
          continue;
        }
      }
      const kind = kinds[Math.floor(rand() * kinds.length)]!;
      let n = 0;
      const socket = ws;
      const sink: Sink = {
        send(data, sendOptions) {
          // A frame after the server closed the connection is not tried: not counted.
          if (socket.readyState !== WebSocket.OPEN) return;
          socket.send(data, sendOptions ?? {});
          n++;
          bytes += typeof data === "string" ? data.length : data.byteLength;
        },
      };
      KINDS[kind]!(sink, rand);
      // Another session's response id, interleaved with everything else.
      sink.send(`{"type":"response.cancel","response_id":"${victimId}"}`);
      sink.send(
        `{"type":"response.resume","response_id":"${victimId}","after_sequence_number":-1}`,
      );
      sink.send(`{"type":"response.steer","response_id":"${victimId}","input":"hijack"}`);
      report.frames_tried += n;
      report.by_kind[kind] = (report.by_kind[kind] ?? 0) + n;
      if (ws.bufferedAmount > HIGH_WATER) await drained(ws, LOW_WATER, DRAIN_TIMEOUT_MS);
      else await new Promise((resolve) => setImmediate(resolve));
    }
    ws?.terminate();
  };

  // Health: a normal turn on a fresh connection (the probe) and a victim session whose
  // response the attackers go after; every wait bounded. A server that exits, or answers
  // neither a probe nor its stats request, is a crash: it is counted and a fresh one started.
  type Turn = Awaited<ReturnType<typeof turn>>;
  const check = async (victim?: { client: CheckingClient; turn: Turn }): Promise<void> => {
    const probe = new CheckingClient(server.wsUrl, { headers: PROBE_HEADERS });
    const probed = await turn(probe, 20);
    probe.close();
    if (probed.ok) report.probes_ok++;
    else report.probes_failed++;
    if (victim) {
      if (!victim.turn.ok) report.probes_failed++;
      else if (await victim.turn.finished()) report.victims_ok++;
      else report.victim_disturbed++;
      victim.client.close();
    }
    const exited = server.crashed();
    const answers = exited
      ? false
      : await withTimeout(
          server.stats().then(
            () => true,
            () => false,
          ),
          STATS_TIMEOUT_MS,
          false,
        );
    if (exited || (!probed.ok && !answers)) {
      report.crashes++;
      const reason = exited ? "server process exited" : `server stopped answering (${probed.why})`;
      report.crash_reasons.push(`${Math.round((performance.now() - started) / 1000)} s: ${reason}`);
      log(`fuzz: CRASH: ${reason}; starting a fresh server`);
      await server.stop();
      if (victim) server = await startFuzzServer();
    } else if (!probed.ok) {
      log(`fuzz: probe failed (${probed.why}); the server still answers stats`);
    }
    log(
      `fuzz: ${report.frames_tried} frames in ${Math.round((performance.now() - started) / 1000)} s, ` +
        `${report.probes_ok} probes ok, ${report.probes_failed} failed, ${report.crashes} crashes`,
    );
  };

  const checker = async (): Promise<void> => {
    while (!stopped && performance.now() < endAt) {
      // A victim response in flight for the attackers to go after, judged at the period's end.
      const client = new CheckingClient(server.wsUrl, { headers: PROBE_HEADERS });
      const victimTurn = await turn(client, 300, (id) => (victimId = id));
      await sleep(Math.min(CHECK_EVERY_MS, Math.max(0, endAt - performance.now())));
      await check({ client, turn: victimTurn });
    }
  };

  const workers = [checker(), ...Array.from({ length: report.connections }, () => attacker())];
  try {
    // Every loop ends at endAt; this bound only guards against a wait that was missed.
    const settled = await withTimeout(
      Promise.all(workers).then(() => true),
      options.durationS * 1000 + HARD_GRACE_MS,
      false,
    );
    if (!settled) log("fuzz: workers did not finish in time; stopping them");
    stopped = true;
    report.frames_per_s = Math.round(report.frames_tried / options.durationS);
    report.bytes_sent_mib = Math.round((bytes / 2 ** 20) * 10) / 10;
    // The final check: a normal turn on a fresh connection once the attack is over.
    await withTimeout(check(), FINAL_CHECK_TIMEOUT_MS, undefined);
  } finally {
    stopped = true;
    await server.stop();
  }
  return report;
}

/** One normal turn on `client`, every step bounded by {@link TURN_TIMEOUT_MS}. */
async function turn(client: CheckingClient, tokens: number, onStarted?: (id: string) => void) {
  const fail = (why: string) => ({ ok: false, why, finished: async () => false });
  const connected = await withTimeout(
    client.connect().then(
      () => "ok",
      (error: unknown) => `connect: ${String(error)}`,
    ),
    TURN_TIMEOUT_MS,
    "connect: timed out",
  );
  if (connected !== "ok") return fail(connected);
  const outcome = await withTimeout(client.create(createBody(tokens)), TURN_TIMEOUT_MS, undefined);
  if (outcome === undefined) return fail("create: no answer");
  if (outcome.kind === "refused") return fail(`create refused: ${outcome.code}`);
  const response = outcome.response;
  onStarted?.(response.id);
  const finished = async () => {
    await withTimeout(response.done, TURN_TIMEOUT_MS, undefined);
    return response.status === "completed" && response.lost === 0 && response.duplicated === 0;
  };
  if (onStarted) return { ok: true, why: "", finished };
  const ok = await finished();
  return {
    ok,
    why: ok ? "" : `turn ended ${response.status ?? "without a terminal event"}`,
    finished,
  };
}

function startFuzzServer(): Promise<ScenarioServer> {
  return startScenarioServer({
    tokens: [ATTACKER_TOKEN, PROBE_TOKEN],
    maxMessageBytes: MAX_MESSAGE_BYTES,
    session: { maxInFlight: 4, requestsPerMinute: 600, maxMessageBytes: MAX_MESSAGE_BYTES },
    limits: { connections: 64, inFlight: 32, requestsPerMinute: 3_000 },
  });
}

/** Waits until the socket's unsent bytes fall to `low`, it closes, or `ms` pass. */
async function drained(ws: WebSocket, low: number, ms: number): Promise<void> {
  const until = performance.now() + ms;
  while (ws.readyState === WebSocket.OPEN && ws.bufferedAmount > low && performance.now() < until) {
    await sleep(2);
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
  // Nothing may keep the process alive past the report (a hung socket, a timer).
  setTimeout(() => process.exit(process.exitCode ?? 0), 5_000).unref();
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
