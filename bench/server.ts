/**
 * `npm run bench:server`: the reference server's own speed, measured from a load generator in
 * this process against a server in a child process (bench/server-process.ts):
 *   1. one stream at 1,200 and at 4,000 tok/s: achieved decode rate and inter-event gaps;
 *   2. 256 concurrent streams (256 connections) at 1,200 tok/s: aggregate rate, gaps, server
 *      CPU µs per token, and beside it, in the same run, a bare-`ws` push loop
 *      (bench/ws-baseline-process.ts) carrying the same tokens at the same tokens per message:
 *      the server's CPU per token as a ratio to that floor;
 *   3. server-added time to first token: measured TTFT minus the simulated prefill;
 *   4. memory per idle connection;
 *   5. (`--only=cadence`) the delta cadence's trade-off: the 256-stream load at each delta
 *      interval, CPU per token against inter-event gap p50/p99, the curve the default
 *      (DEFAULT_DELTA_INTERVAL_MS) is chosen from;
 *   6. (`--only=writes`, Linux) the server's write syscalls per frame and CPU per token, 256
 *      streams as 256 core connections and as 32 hotline.v1 connections of 8 responses each:
 *      how many frames share a `writev`, a count the machine's load does not move;
 *   7. (`--only=fleet`) the hotline.v1 load in memory and with `--redis`, alternating; each
 *      `--redis` run on a fresh redis-server of its own (or on `--redis=URL`); judged by the
 *      pairs' CPU per token and gap p99 (issue 17's two goals).
 * `--breakdown` splits the concurrent and fleet loads' CPU (the server's, the floor's) per socket write:
 * the native write (the syscall), the rest of the main thread, the other threads (bench/cpu-split.ts).
 * `--repeat=N` runs the concurrent and fleet loads N times and reports each figure as the median
 * and range over the runs (each ratio taken within its run, side by side); `--quick` shortens
 * every section; `--streams=N` sets the concurrent, cadence and fleet loads' streams.
 * Not a test: it prints a table and the targets, and exits 1 when a target is missed.
 */
import type { Usage } from "../src/protocol/index.js";
import { type ChildProcess, fork } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { cpus as cpus_, loadavg, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import type { CpuSplit } from "./cpu-split.js";
import { Redis } from "ioredis";
import { haveRedisServer, startRedisServer } from "./redis-server.js";
import WebSocket from "ws";

interface Child {
  process: ChildProcess;
  wsUrl: string;
  request<T>(kind: string): Promise<T>;
  stop(): Promise<void>;
}

/** `--cpu-prof` flags for a child when BENCH_PROF names a directory (BENCH_PROF_INTERVAL: µs). */
function profiling(): string[] {
  const dir = process.env.BENCH_PROF;
  if (!dir) return [];
  const interval = process.env.BENCH_PROF_INTERVAL;
  return [
    "--cpu-prof",
    `--cpu-prof-dir=${dir}`,
    ...(interval ? [`--cpu-prof-interval=${interval}`] : []),
  ];
}

/**
 * Node/V8 flags for the server child from BENCH_SERVER_FLAGS (space-separated, e.g.
 * `--max-semi-space-size=64 --trace-gc`); the bare-ws floor runs without them.
 */
function serverFlags(script: string): string[] {
  const flags = process.env.BENCH_SERVER_FLAGS?.trim();
  return flags && script === "./server-process.ts" ? flags.split(/\s+/) : [];
}

async function startChild(
  config: Record<string, unknown>,
  process_ = "./server-process.ts",
): Promise<Child> {
  const script = fileURLToPath(new URL(process_, import.meta.url));
  const child = fork(script, [JSON.stringify(config)], {
    execArgv: ["--expose-gc", "--import=tsx", ...profiling(), ...serverFlags(process_)],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const [ready] = (await once(child, "message")) as [{ wsUrl: string }];
  return {
    process: child,
    wsUrl: ready.wsUrl,
    async request<T>(kind: string): Promise<T> {
      child.send({ kind });
      for (;;) {
        const [message] = (await once(child, "message")) as [{ kind: string } & T];
        if (message.kind === kind) return message;
      }
    },
    async stop() {
      child.send({ kind: "stop" });
      await once(child, "exit");
    },
  };
}

interface StreamResult {
  sentAt: number;
  firstDeltaAt: number;
  lastDeltaAt: number;
  deltas: number;
  gaps: number[];
  outputTokens: number;
  inputTokens: number;
  cachedTokens: number;
}

const DELTA_PREFIX = '{"type":"response.output_text.delta"';
const HOTLINE_DELTA = '"type":"response.output_text.delta"';

function openSocket(url: string, protocols: string[] = []): Promise<WebSocket> {
  const ws = new WebSocket(url, protocols, { perMessageDeflate: false });
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve(ws));
    ws.once("error", reject);
  });
}

/** Runs one response on an open socket and times its deltas. */
function stream(ws: WebSocket, input: string, outputTokens: number): Promise<StreamResult> {
  return new Promise((resolve, reject) => {
    const result: StreamResult = {
      sentAt: 0,
      firstDeltaAt: 0,
      lastDeltaAt: 0,
      deltas: 0,
      gaps: [],
      outputTokens: 0,
      inputTokens: 0,
      cachedTokens: 0,
    };
    const onMessage = (data: Buffer) => {
      const now = performance.now();
      // The hot path of the load generator: recognise a delta without parsing it.
      if (
        data.length > DELTA_PREFIX.length &&
        (data.toString("latin1", 0, DELTA_PREFIX.length) === DELTA_PREFIX ||
          // hotline.v1 puts `response_id` first (`{"response_id":"resp_…",` is 47 bytes).
          data.toString("latin1", 47, 47 + HOTLINE_DELTA.length) === HOTLINE_DELTA)
      ) {
        if (result.deltas === 0) result.firstDeltaAt = now;
        else result.gaps.push(now - result.lastDeltaAt);
        result.lastDeltaAt = now;
        result.deltas++;
        return;
      }
      const event = JSON.parse(data.toString()) as {
        type: string;
        response?: { usage: Usage };
        error?: unknown;
      };
      if (event.type === "error") {
        ws.off("message", onMessage);
        reject(new Error(JSON.stringify(event.error)));
      } else if (event.type === "response.completed" || event.type === "response.incomplete") {
        ws.off("message", onMessage);
        const usage = event.response!.usage;
        result.outputTokens = usage.output_tokens;
        result.inputTokens = usage.input_tokens;
        result.cachedTokens = usage.input_tokens_details.cached_tokens;
        resolve(result);
      }
    };
    ws.on("message", onMessage);
    result.sentAt = performance.now();
    ws.send(
      JSON.stringify({
        type: "response.create",
        input,
        service_tier: "wafer",
        metadata: { "sim.output_tokens": String(outputTokens) },
      }),
    );
  });
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Decode rate of one stream: tokens after the first over the time from first to last delta. */
function decodeRate(r: StreamResult): number {
  return ((r.outputTokens - 1) * 1000) / (r.lastDeltaAt - r.firstDeltaAt);
}

const rows: { name: string; value: string; target: string; ok: boolean | undefined }[] = [];
function report(name: string, value: string, target = "", ok?: boolean): void {
  rows.push({ name, value, target, ok });
}
const f = (n: number, digits = 2) => n.toFixed(digits);
let unique = 0;
const freshInput = (words = 12) =>
  `request ${++unique} ${process.pid}: ${"please write code ".repeat(words)}`;

async function singleStream(rate: number, tokens: number): Promise<void> {
  const child = await startChild({ decodeTokensPerSecond: rate, slots: 64 });
  try {
    const ws = await openSocket(child.wsUrl);
    await stream(ws, freshInput(), 200); // warm-up: JIT, caches
    const r = await stream(ws, freshInput(), tokens);
    const achieved = decodeRate(r);
    report(
      `1 stream @${rate} tok/s: achieved rate`,
      `${f(achieved, 0)} tok/s (${f((100 * achieved) / rate, 1)}%)`,
      ">= 99%",
      achieved >= 0.99 * rate,
    );
    report(
      `1 stream @${rate} tok/s: inter-event gap p50/p99/max`,
      `${f(percentile(r.gaps, 50), 3)} / ${f(percentile(r.gaps, 99), 3)} / ${f(
        r.gaps.reduce((a, b) => Math.max(a, b), 0),
        3,
      )} ms`,
      "(reported)",
    );
    report(`1 stream @${rate} tok/s: tokens per delta`, f(r.outputTokens / r.deltas, 2));
    ws.close();
  } finally {
    await child.stop();
  }
}

/** What one load of `connections` streams measured on one server process. */
interface LoadResult {
  results: StreamResult[];
  /** Server CPU, µs, over the measured streams. */
  cpuUs: number;
  /** Redis's CPU over them, µs (0 without one). */
  redisUs: number;
  clientCpuUs: number;
  wallMs: number;
  totalTokens: number;
  tokensPerMessage: number;
  /** With `--breakdown` (on Linux): the child's CPU over the measured streams, a write. */
  split?: PerWrite;
}

/** A measured load's CPU a socket write, µs (`--breakdown`). */
interface PerWrite {
  /** In the native write call: the syscall and the UTF-8 copy of string chunks. */
  write: number;
  /** The rest of the main thread. */
  restOfMain: number;
  /** Every other thread (parallel garbage collection, background compiling, libuv's pool). */
  otherThreads: number;
  /** Tokens a write carried. */
  tokens: number;
}

/** `after` − `before`, per write, for `tokens` tokens. */
function perWrite(before: CpuSplit, after: CpuSplit, tokens: number): PerWrite | undefined {
  const writes = after.writeCalls - before.writeCalls;
  if (writes === 0 || before.mainThreadUs === undefined || after.mainThreadUs === undefined) {
    return undefined;
  }
  const main = after.mainThreadUs - before.mainThreadUs;
  const write = after.writeUs - before.writeUs;
  return {
    write: write / writes,
    restOfMain: (main - write) / writes,
    otherThreads: (after.processUs - before.processUs - main) / writes,
    tokens: tokens / writes,
  };
}

/**
 * Tokens each connection streams before a load is measured: a second at 1,200 tok/s, the same
 * load as the measured one. A path that runs once a write and not once a token (a fleet's
 * Redis flush, 60 times a second) is still being compiled after a shorter warm-up: with 50
 * tokens, 64 hotline.v1 streams measured a quarter more CPU a token, in memory and with Redis.
 */
const WARM_UP_TOKENS = 1200;

/**
 * Opens `connections` sockets to `child` (offering `protocols`), warms up, then measures one
 * stream on each; with `redis`, that Redis's CPU over the same window too.
 */
async function load(
  child: Child,
  connections: number,
  tokens: number,
  protocols: string[] = [],
  redis?: string,
): Promise<LoadResult> {
  const sockets = await Promise.all(
    Array.from({ length: connections }, () => openSocket(child.wsUrl, protocols)),
  );
  try {
    await Promise.all(sockets.map((ws) => stream(ws, freshInput(), WARM_UP_TOKENS)));
    const redisBefore = await redisCpuUs(redis);
    const cpuBefore = await child.request<{ cpu: NodeJS.CpuUsage; split: CpuSplit }>("cpu");
    const clientBefore = process.cpuUsage();
    const wallBefore = performance.now();
    const results = await Promise.all(sockets.map((ws) => stream(ws, freshInput(), tokens)));
    const cpuAfter = await child.request<{ cpu: NodeJS.CpuUsage; split: CpuSplit }>("cpu");
    const redisUs = (await redisCpuUs(redis)) - redisBefore;
    const clientCpu = process.cpuUsage(clientBefore);
    const totalTokens = results.reduce((n, r) => n + r.outputTokens, 0);
    return {
      results,
      cpuUs: cpuAfter.cpu.user + cpuAfter.cpu.system - (cpuBefore.cpu.user + cpuBefore.cpu.system),
      redisUs,
      clientCpuUs: clientCpu.user + clientCpu.system,
      wallMs: performance.now() - wallBefore,
      totalTokens,
      tokensPerMessage: totalTokens / results.reduce((n, r) => n + r.deltas, 0),
      split: breakdown ? perWrite(cpuBefore.split, cpuAfter.split, totalTokens) : undefined,
    };
  } finally {
    for (const ws of sockets) ws.close();
  }
}

/** One measured run of the concurrent load (and, beside it, the floor's). */
interface ConcurrentRun {
  /** Aggregate decode rate as a share of the configured rate, %. */
  ratePct: number;
  gapP50: number;
  gapP99: number;
  gapMax: number;
  /** Server CPU per token, µs. */
  cpuUs: number;
  /** Server + Redis CPU per token, µs (with Redis). */
  withRedisUs: number;
  /** Server and load generator, % of a core. */
  serverLoad: number;
  clientLoad: number;
  tokensPerMessage: number;
  /** With `--breakdown`: the server's CPU a socket write, split. */
  split?: PerWrite;
  /** The bare-ws floor at the same tokens per message (the plain load only). */
  floor?: {
    cpuUs: number;
    tokensPerMessage: number;
    load: number;
    gapP50: number;
    gapP99: number;
    split?: PerWrite;
  };
}

/** `connections` streams at `rate` tok/s of `tokens` each on a fresh server; with the floor unless `fleet`. */
async function measureConcurrent(
  connections: number,
  rate: number,
  tokens: number,
  fleet?: { redis: string | undefined },
): Promise<ConcurrentRun> {
  const child = await startChild({
    decodeTokensPerSecond: rate,
    slots: connections,
    breakdown,
    ...(fleet?.redis === undefined ? {} : { redis: fleet.redis }),
  });
  // The fleet comparison runs hotline.v1 (every response's events kept for resume, so with
  // --redis each one also goes to its stream); the plain run, the core profile.
  const protocols = fleet ? ["hotline.v1"] : [];
  let server: LoadResult;
  try {
    server = await load(child, connections, tokens, protocols, fleet?.redis);
  } finally {
    await child.stop();
  }
  const { results, cpuUs, totalTokens, wallMs } = server;
  const gaps = results.flatMap((r) => r.gaps);
  const measured: ConcurrentRun = {
    ratePct: (100 * results.reduce((n, r) => n + decodeRate(r), 0)) / (connections * rate),
    gapP50: percentile(gaps, 50),
    gapP99: percentile(gaps, 99),
    gapMax: gaps.reduce((a, b) => Math.max(a, b), 0),
    cpuUs: cpuUs / totalTokens,
    withRedisUs: (cpuUs + server.redisUs) / totalTokens,
    serverLoad: cpuUs / 10 / wallMs,
    clientLoad: server.clientCpuUs / 10 / wallMs,
    tokensPerMessage: server.tokensPerMessage,
    split: server.split,
  };
  if (fleet) return measured;
  // The floor: a bare ws loop carrying the same tokens at the same tokens per message.
  const baselineChild = await startChild(
    { decodeTokensPerSecond: rate, tokensPerMessage: server.tokensPerMessage, breakdown },
    "./ws-baseline-process.ts",
  );
  let baseline: LoadResult;
  try {
    baseline = await load(baselineChild, connections, tokens);
  } finally {
    await baselineChild.stop();
  }
  const floorGaps = baseline.results.flatMap((r) => r.gaps);
  measured.floor = {
    cpuUs: baseline.cpuUs / baseline.totalTokens,
    tokensPerMessage: baseline.tokensPerMessage,
    load: baseline.cpuUs / 10 / baseline.wallMs,
    gapP50: percentile(floorGaps, 50),
    gapP99: percentile(floorGaps, 99),
    split: baseline.split,
  };
  return measured;
}

/** The middle value (the mean of the two middle ones for an even count). */
function median(values: number[]): number {
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * A figure over the runs: the value of one run, or with several the median and the range
 * (`--repeat`: on a shared machine one run measures the load as much as the server).
 */
function over(runs: number[], digits: number, unit = "", signed = false): string {
  const show = (n: number): string => `${signed && n >= 0 ? "+" : ""}${f(n, digits)}`;
  if (runs.length === 1) return `${show(runs[0]!)}${unit}`;
  const low = show(Math.min(...runs));
  const high = show(Math.max(...runs));
  return `${show(median(runs))}${unit} median (${low}..${high}${unit}, ${runs.length} runs)`;
}

/**
 * The rows every concurrent load reports, named `name`: rate, gaps, the server's CPU a token
 * (and with Redis, Redis's too), its load and tokens per delta, over `runs`.
 */
function reportRuns(name: string, rate: number, runs: ConcurrentRun[], withRedis = false): void {
  const rates = runs.map((r) => r.ratePct);
  report(
    `${name} @${rate} tok/s: aggregate rate`,
    over(rates, 1, "%"),
    ">= 99%",
    median(rates) >= 99,
  );
  const p99s = runs.map((r) => r.gapP99);
  report(
    `${name}: inter-event gap p50/p99/max`,
    runs.length === 1
      ? `${f(runs[0]!.gapP50, 3)} / ${f(runs[0]!.gapP99, 3)} / ${f(runs[0]!.gapMax, 3)} ms`
      : `p99 ${over(p99s, 3, " ms")}, p50 ${f(median(runs.map((r) => r.gapP50)), 3)} ms`,
    "p99 <= 5 ms",
    median(p99s) <= 5,
  );
  report(
    `${name}: server CPU per token`,
    over(
      runs.map((r) => r.cpuUs),
      2,
      " µs",
    ),
    "(reported)",
  );
  if (withRedis) {
    report(
      `${name}: server + Redis CPU per token`,
      over(
        runs.map((r) => r.withRedisUs),
        2,
        " µs",
      ),
    );
  }
  report(
    `${name}: CPU load server / load generator`,
    `${f(median(runs.map((r) => r.serverLoad)), 0)}% / ${f(median(runs.map((r) => r.clientLoad)), 0)}% of a core`,
  );
  report(
    `${name}: tokens per delta`,
    over(
      runs.map((r) => r.tokensPerMessage),
      2,
    ),
  );
}

/** The concurrent load `repeat` times, each run with its floor; reports medians over them. */
async function concurrent(connections: number, rate: number, tokens: number): Promise<void> {
  const runs: ConcurrentRun[] = [];
  for (let i = 0; i < repeat; i++) {
    if (repeat > 1) process.stderr.write(`  run ${i + 1} of ${repeat}\n`);
    runs.push(await measureConcurrent(connections, rate, tokens));
  }
  const name = `${connections} streams`;
  reportRuns(name, rate, runs);
  const floors = runs.map((r) => r.floor!);
  report(
    `${name}: bare-ws CPU per token (same tokens/message)`,
    `${over(
      floors.map((r) => r.cpuUs),
      2,
      " µs",
    )} at ${f(median(floors.map((r) => r.tokensPerMessage)), 2)} tokens/message, ${f(median(floors.map((r) => r.load)), 0)}% of a core`,
    "(reported)",
  );
  // What the same message rate gets from the bare loop, read by the same client: the part of
  // the gap target no server can move (the load generator's own pauses, the loopback).
  report(
    `${name}: bare-ws inter-event gap p50/p99 (same tokens/message)`,
    `p99 ${over(
      floors.map((r) => r.gapP99),
      3,
      " ms",
    )}, p50 ${f(median(floors.map((r) => r.gapP50)), 3)} ms`,
    "(reported)",
  );
  if (breakdown) {
    reportSplit(
      name,
      "server",
      runs.map((r) => r.split),
    );
    reportSplit(
      name,
      "bare-ws",
      runs.map((r) => r.floor!.split),
    );
  }
  // The ratio of each run to its own floor, side by side: the load moves both.
  const ratios = runs.map((r) => r.cpuUs / r.floor!.cpuUs);
  report(
    `${name}: server / bare-ws CPU per token`,
    over(ratios, 2, "x"),
    "<= 1.15x",
    median(ratios) <= 1.15,
  );
}

/**
 * `--breakdown`: a load's CPU a socket write, split, as the median over `splits` (one per run),
 * reported as `name`'s `who`: what one side pays beyond the syscall both pay.
 */
function reportSplit(name: string, who: string, splits: (PerWrite | undefined)[]): void {
  const known = splits.filter((s): s is PerWrite => s !== undefined);
  if (known.length === 0) {
    report(
      `${name}: ${who} CPU a write`,
      "unknown (per-thread CPU needs Linux's /proc)",
      "(reported)",
    );
    return;
  }
  const part = (pick: (s: PerWrite) => number) => f(median(known.map(pick)), 2);
  report(
    `${name}: ${who} CPU a write: syscall / rest of main thread / other threads`,
    `${part((s) => s.write)} / ${part((s) => s.restOfMain)} / ${part((s) => s.otherThreads)} µs at ${part((s) => s.tokens)} tokens a write`,
    "(reported)",
  );
}

/**
 * The same load in memory and with `--redis`, alternating `repeat` times (issue 17's figures):
 * what Redis costs a token, as the median of each pair's difference.
 */
async function fleetOverhead(
  connections: number,
  rate: number,
  tokens: number,
  redis: string | undefined,
) {
  const pairs: { memory: ConcurrentRun; redis: ConcurrentRun }[] = [];
  for (let i = 0; i < repeat; i++) {
    if (repeat > 1) process.stderr.write(`  pair ${i + 1} of ${repeat}\n`);
    const memory = await measureConcurrent(connections, rate, tokens, { redis: undefined });
    pairs.push({
      memory,
      redis: await withRedis(redis, (url) =>
        measureConcurrent(connections, rate, tokens, { redis: url }),
      ),
    });
  }
  const streams = `${connections} streams`;
  reportRuns(
    `[in-memory] ${streams}`,
    rate,
    pairs.map((p) => p.memory),
  );
  reportRuns(
    `[--redis] ${streams}`,
    rate,
    pairs.map((p) => p.redis),
    true,
  );
  if (breakdown) {
    // The writes of the --redis server include its writes to Redis.
    reportSplit(
      streams,
      "in-memory server",
      pairs.map((p) => p.memory.split),
    );
    reportSplit(
      streams,
      "--redis server",
      pairs.map((p) => p.redis.split),
    );
  }
  const overheads = pairs.map((p) => 100 * (p.redis.cpuUs / p.memory.cpuUs - 1));
  report(
    `${connections} streams: --redis server CPU per token over in-memory`,
    over(overheads, 0, "%", true),
    "<= +25%",
    median(overheads) <= 25,
  );
  // Issue 17's second goal, gap p99 unchanged within noise: the pairs' median difference is
  // within the in-memory runs' own interquartile spread (one run: no spread, no verdict).
  const gapDiffs = pairs.map((p) => p.redis.gapP99 - p.memory.gapP99);
  const memoryGaps = pairs.map((p) => p.memory.gapP99);
  const noise = percentile(memoryGaps, 75) - percentile(memoryGaps, 25);
  report(
    `${connections} streams: --redis gap p99 over in-memory`,
    `${over(gapDiffs, 2, " ms", true)}; in-memory spread (p25..p75) ${f(noise, 2)} ms`,
    "within the spread",
    repeat > 1 ? Math.abs(median(gapDiffs)) <= noise : undefined,
  );
}

/** The 256-stream load at each delta interval, side by side in one run: the cadence curve. */
async function cadence(connections: number, rate: number, tokens: number, intervals: number[]) {
  const curve: string[] = [];
  for (const deltaIntervalMs of intervals) {
    const child = await startChild({
      decodeTokensPerSecond: rate,
      slots: connections,
      deltaIntervalMs,
    });
    let r: LoadResult;
    try {
      r = await load(child, connections, tokens);
    } finally {
      await child.stop();
    }
    const gaps = r.results.flatMap((x) => x.gaps);
    const aggregate = r.results.reduce((n, x) => n + decodeRate(x), 0);
    curve.push(
      `${String(deltaIntervalMs).padStart(3)} ms  ${f((100 * aggregate) / (connections * rate), 1).padStart(5)}%  ${f(
        r.cpuUs / r.totalTokens,
        2,
      ).padStart(
        5,
      )} µs  ${f(r.cpuUs / 10 / r.wallMs, 0).padStart(4)}%  ${f(r.tokensPerMessage, 2).padStart(6)}  ${f(
        percentile(gaps, 50),
        2,
      ).padStart(6)} / ${f(percentile(gaps, 99), 2).padStart(6)} ms`,
    );
    process.stderr.write(`cadence ${deltaIntervalMs} ms done\n`);
  }
  report(
    `${connections} streams @${rate} tok/s, by delta interval`,
    `\n  interval   rate   CPU/token  core  tok/msg  gap p50 / p99\n  ${curve.join("\n  ")}`,
  );
}

/** Write syscalls process `pid` made so far (`syscw` in /proc/PID/io); undefined off Linux. */
function writeSyscalls(pid: number | undefined): number | undefined {
  try {
    const match = /syscw: (\d+)/.exec(readFileSync(`/proc/${pid}/io`, "utf8"));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Runs `responses` responses at once on one socket; resolves with the frames received. */
function responsesOn(ws: WebSocket, responses: number, tokens: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let frames = 0;
    let left = responses;
    const onMessage = (data: Buffer) => {
      frames++;
      const text = data.toString();
      if (text.includes('"type":"error"')) {
        ws.off("message", onMessage);
        reject(new Error(text));
      } else if (text.includes('"type":"response.completed"') && --left === 0) {
        ws.off("message", onMessage);
        resolve(frames);
      }
    };
    ws.on("message", onMessage);
    for (let i = 0; i < responses; i++) {
      ws.send(
        JSON.stringify({
          type: "response.create",
          input: freshInput(),
          service_tier: "wafer",
          metadata: { "sim.output_tokens": String(tokens) },
        }),
      );
    }
  });
}

/** Write syscalls per frame and CPU per token: `connections` × `perConnection` responses. */
async function writes(connections: number, perConnection: number, rate: number, tokens: number) {
  const child = await startChild({
    decodeTokensPerSecond: rate,
    slots: connections * perConnection,
  });
  const hotline = perConnection > 1;
  const name = `${connections} ${hotline ? "hotline.v1" : "core"} connections × ${perConnection}`;
  try {
    const sockets = await Promise.all(
      Array.from({ length: connections }, () =>
        openSocket(child.wsUrl, hotline ? ["hotline.v1"] : []),
      ),
    );
    await Promise.all(sockets.map((ws) => responsesOn(ws, perConnection, 50)));
    const writesBefore = writeSyscalls(child.process.pid);
    const cpuBefore = await child.request<{ cpu: NodeJS.CpuUsage }>("cpu");
    const counts = await Promise.all(sockets.map((ws) => responsesOn(ws, perConnection, tokens)));
    const cpuAfter = await child.request<{ cpu: NodeJS.CpuUsage }>("cpu");
    const writesAfter = writeSyscalls(child.process.pid);
    const frames = counts.reduce((a, b) => a + b, 0);
    const cpuUs =
      cpuAfter.cpu.user + cpuAfter.cpu.system - cpuBefore.cpu.user - cpuBefore.cpu.system;
    const syscalls =
      writesBefore === undefined || writesAfter === undefined
        ? "n/a (no /proc)"
        : `${f((writesAfter - writesBefore) / frames, 3)} (${writesAfter - writesBefore} for ${frames} frames)`;
    report(`${name}: server write syscalls per frame`, syscalls, "(reported)");
    report(
      `${name}: server CPU per token`,
      `${f(cpuUs / (connections * perConnection * tokens), 2)} µs`,
      "(reported)",
    );
    for (const ws of sockets) ws.close();
  } finally {
    await child.stop();
  }
}

/**
 * Runs `measure` on the Redis at `url`, or without one on a fresh redis-server of its own (a
 * loopback port, nothing persisted), stopped after: every run starts from an empty Redis, as
 * the streams of earlier runs would otherwise grow it run after run.
 */
async function withRedis<T>(url: string | undefined, measure: (url: string) => Promise<T>) {
  if (url !== undefined) return measure(url);
  const server = await startRedisServer();
  try {
    return await measure(server.url);
  } finally {
    await server.stop();
  }
}

/** Redis's own CPU time so far (`INFO cpu`), in µs; 0 without a Redis. */
async function redisCpuUs(url: string | undefined): Promise<number> {
  if (url === undefined) return 0;
  const redis = new Redis(url);
  try {
    const info = await redis.info("cpu");
    const field = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
    return (field("used_cpu_sys") + field("used_cpu_user")) * 1e6;
  } finally {
    redis.disconnect();
  }
}

/**
 * Time to first token above the simulated prefill, on the reference server and on its floor: a
 * bare ws server that answers the same requests with one token after the same 15 ms, waited for
 * as precisely. What the floor adds is the machine's (two processes waking, the loopback, ws
 * framing), not the protocol's. Requests alternate between the two, so both meet the same load.
 */
async function ttft(samples: number): Promise<void> {
  // Default wafer figures: 15 ms floor, 50k tok/s prefill.
  const child = await startChild({ decodeTokensPerSecond: 1200, slots: 64 });
  const floorChild = await startChild(
    { decodeTokensPerSecond: 1200, tokensPerMessage: 1, firstTokenAfterMs: 15 },
    "./ws-baseline-process.ts",
  ).catch(async (error: unknown) => {
    await child.stop();
    throw error;
  });
  try {
    const [ws, floorWs] = [await openSocket(child.wsUrl), await openSocket(floorChild.wsUrl)];
    const added: number[] = [];
    const floor: number[] = [];
    for (let i = -20; i < samples; i++) {
      const r = await stream(ws, freshInput(), 2);
      const prefillMs = 15 + ((r.inputTokens - r.cachedTokens) * 1000) / 50_000;
      const b = await stream(floorWs, freshInput(), 2);
      // The first 20 of each warm up (JIT, caches).
      if (i < 0) continue;
      added.push(r.firstDeltaAt - r.sentAt - prefillMs);
      floor.push(b.firstDeltaAt - b.sentAt - 15);
    }
    const p50 = percentile(added, 50);
    report(
      "server-added TTFT p50/p99",
      `${f(p50, 3)} / ${f(percentile(added, 99), 3)} ms`,
      "p50 <= 1 ms",
      p50 <= 1,
    );
    const floorP50 = percentile(floor, 50);
    report(
      "bare-ws TTFT floor p50/p99 (the same 15 ms wait)",
      `${f(floorP50, 3)} / ${f(percentile(floor, 99), 3)} ms`,
      "(reported)",
    );
    report(
      "server-added TTFT above the floor, p50",
      `${f(p50 - floorP50, 3)} ms`,
      "<= 0.5 ms",
      p50 - floorP50 <= 0.5,
    );
    ws.close();
    floorWs.close();
  } finally {
    await Promise.all([child.stop(), floorChild.stop()]);
  }
}

async function idleMemory(connections: number): Promise<void> {
  const child = await startChild({ decodeTokensPerSecond: 1200, slots: 64 });
  try {
    // One connection first, so lazily built structures are not billed to the idle ones.
    const warm = await openSocket(child.wsUrl);
    const before = await child.request<{ rss: number; heapUsed: number; external: number }>(
      "memory",
    );
    const sockets: WebSocket[] = [];
    for (let i = 0; i < connections; i += 100) {
      sockets.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(100, connections - i) }, () => openSocket(child.wsUrl)),
        )),
      );
    }
    const after = await child.request<{
      rss: number;
      heapUsed: number;
      external: number;
      sessions: number;
    }>("memory");
    const heap =
      (after.heapUsed + after.external - before.heapUsed - before.external) / connections;
    const rss = (after.rss - before.rss) / connections;
    report(
      `memory per idle connection (${after.sessions - 1} sessions)`,
      `heap+external ${f(heap / 1024, 1)} KiB, RSS ${f(rss / 1024, 1)} KiB`,
      "<= 64 KiB",
      Math.max(heap, rss) <= 64 * 1024,
    );
    for (const ws of [warm, ...sockets]) ws.close();
  } finally {
    await child.stop();
  }
}

if (process.argv.includes("--help")) {
  console.log(`usage: npx tsx bench/server.ts [--only=SECTION] [--quick] [--repeat=N] [--streams=N]
                                [--tokens=N] [--redis=redis://host:port]
  SECTION: single, concurrent, ttft, memory (the default runs these four), cadence, writes,
           fleet (each --redis run on a fresh redis-server of its own, or on --redis=URL).
  --repeat=N: concurrent and fleet N times, medians and ranges.
  --breakdown: the concurrent and fleet loads' CPU a socket write (the server's and the bare
           loop's; in memory and with --redis),
           split into the native write (the syscall), the rest of the main thread and the
           other threads (Linux; times every write, which costs both sides the same).
  --tokens=N: each stream's tokens in the concurrent, cadence and fleet loads (default 2400,
           1200 with --quick); longer runs are steadier on a shared machine.
  BENCH_PROF=DIR writes a .cpuprofile per process (BENCH_PROF_INTERVAL=µs, its sampling
  interval). Exits 1 when a target is missed.`);
  process.exit(0);
}
const quick = process.argv.includes("--quick");
const breakdown = process.argv.includes("--breakdown");
// `--repeat=N`: the concurrent and fleet loads N times, alternating, reported as medians.
const repeatArg = process.argv.find((a) => a.startsWith("--repeat="))?.slice("--repeat=".length);
const repeat = repeatArg === undefined ? 1 : Number(repeatArg);
if (!Number.isInteger(repeat) || repeat < 1) {
  console.error(`bench:server: --repeat=${repeatArg} is not a whole number of runs (1 or more)`);
  process.exit(2);
}
const tokensArg = process.argv.find((a) => a.startsWith("--tokens="))?.slice("--tokens=".length);
const tokens = tokensArg === undefined ? (quick ? 1200 : 2400) : Number(tokensArg);
if (!Number.isInteger(tokens) || tokens < 100) {
  console.error(
    `bench:server: --tokens=${tokensArg} is not a whole number of tokens (100 or more)`,
  );
  process.exit(2);
}
const only = process.argv.find((a) => a.startsWith("--only="))?.slice("--only=".length);
const SECTIONS = ["single", "concurrent", "ttft", "memory", "cadence", "writes", "fleet"];
if (only !== undefined && !SECTIONS.includes(only)) {
  console.error(`bench:server: --only=${only} is not a section; one of ${SECTIONS.join(", ")}`);
  process.exit(2);
}
const run = (name: string) => {
  const selected = only === undefined || only === name;
  // Progress on stderr: the table comes at the end, a section can take a minute.
  if (selected) process.stderr.write(`bench:server: ${name}...\n`);
  return selected;
};
if (run("single")) {
  await singleStream(1200, quick ? 1200 : 3600);
  await singleStream(4000, quick ? 4000 : 12_000);
}
// `--streams=N` (default 256) for a load that leaves the server a core to spare.
const streamsArg = process.argv.find((a) => a.startsWith("--streams="))?.slice(10);
if (run("concurrent")) {
  await concurrent(Number(streamsArg ?? 256), 1200, tokens);
}
if (run("ttft")) await ttft(quick ? 50 : 200);
if (run("memory")) await idleMemory(quick ? 200 : 1000);
if (only === "cadence") {
  await cadence(Number(streamsArg ?? 256), 1200, tokens, [0, 1, 2, 4, 8, 16]);
}
if (only === "writes") {
  await writes(256, 1, 1200, quick ? 1200 : 2400);
  await writes(32, 8, 1200, quick ? 1200 : 2400);
}
// `--only=fleet` (`--redis=redis://127.0.0.1:6379` for a Redis of yours): the same load with and
// without a fleet's Redis, side by side, at 64 and 256 streams, or `--streams=N` only (issue 17).
const redis = process.argv.find((a) => a.startsWith("--redis="))?.slice("--redis=".length);
if (only === "fleet") {
  if (redis === undefined && !haveRedisServer()) {
    console.error(
      "bench:server: --only=fleet needs redis-server (apt-get install redis-server) or --redis=redis://host:port",
    );
    process.exit(2);
  }
  for (const streams of streamsArg === undefined ? [64, 256] : [Number(streamsArg)]) {
    await fleetOverhead(streams, 1200, tokens, redis);
  }
}

const width = Math.max(...rows.map((r) => r.name.length));
const cpus = cpus_();
console.log(
  `reference server bench, ${new Date().toISOString()}: node ${process.version}, ` +
    `${process.platform}/${process.arch}, ${cpus.length} × ${cpus[0]?.model.trim() ?? "?"}, ` +
    `${(totalmem() / 2 ** 30).toFixed(1)} GiB, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
);
console.log(`command: npx tsx bench/server.ts ${process.argv.slice(2).join(" ")}`.trimEnd());
for (const row of rows) {
  const verdict = row.ok === undefined ? "" : row.ok ? "  ok" : "  MISSED";
  console.log(
    `${row.name.padEnd(width)}  ${row.value}${row.target ? `  [${row.target}]` : ""}${verdict}`,
  );
}
process.exitCode = rows.some((r) => r.ok === false) ? 1 : 0;
