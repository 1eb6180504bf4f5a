/**
 * Runs the benchmark: for every round trip, repetition and transport, a fresh reference server
 * in its own process (cold caches, so no series profits from another's prefix cache), a delay
 * proxy in front of it, a short warm-up conversation with unrelated content, then the measured
 * conversation. Wire bytes are counted at the proxy (TCP payload server→client, TLS records
 * included), server CPU by the server process's own `process.cpuUsage()`, both read at every
 * turn boundary. With `fleet: N` every series also runs against a fresh fleet (N servers, one
 * Redis, nginx in front; bench/deployment.ts), interleaved with the one-server series.
 */
import { type DelayProxy, makeSelfSignedCert, startDelayProxy } from "../src/netsim/index.js";
import {
  type Deployment,
  type DeploymentKind,
  type InfraCpu,
  startDeployment,
} from "./deployment.js";
import {
  createDriver,
  type DriverTarget,
  TRANSPORT_NAMES,
  type TransportName,
  TransportUnavailable,
} from "./transports.js";
import { makeWorkload, type Workload } from "./workload.js";

/** Options of {@link runBench}. */
export interface BenchOptions {
  /** Simulated round trips, ms (default [20]). */
  rttMs?: number[];
  /** Turns of the scripted session (default 20). */
  turns?: number;
  /** Repetitions of every series (default 5). */
  reps?: number;
  /** Transports to compare (default all five). */
  transports?: TransportName[];
  /** Workload seed (default 1). */
  seed?: number;
  /** Warm-up turns before each measured conversation (default 2; 0 disables). */
  warmupTurns?: number;
  /** Per-turn timeout, ms (default 60,000). */
  turnTimeoutMs?: number;
  /** Also run every series against a fleet of this many instances behind nginx (0: no fleet). */
  fleet?: number;
  /** Called after every measured turn and when a series is skipped. */
  onProgress?: (progress: BenchProgress) => void;
}

/** Where a run is. */
export interface BenchProgress {
  rttMs: number;
  deployment: DeploymentKind;
  rep: number;
  transport: TransportName;
  turn: number;
  /** Turns finished (or skipped) out of `total`, over the whole run. */
  done: number;
  total: number;
}

/** One measured turn. */
export interface TurnSample {
  turn: number;
  /** Why the turn failed, or null. */
  error: string | null;
  new_connection: boolean;
  connect_ms: number | null;
  rtt_overhead_ms: number | null;
  /** The server's own part of it (`server_overhead_ms`, measured in the server process). */
  server_overhead_ms: number | null;
  /** The instance (0-based) that ran the response, as the instances' own records say. */
  instance: number | null;
  ttft_ms: number | null;
  decode_ms_per_token: number | null;
  deltas: number;
  output_tokens: number;
  input_tokens: number;
  cached_tokens: number;
  /** Server→client TCP bytes during the turn (TLS records, HTTP or WebSocket framing). */
  wire_bytes: number;
  /** Client→server TCP bytes during the turn. */
  request_wire_bytes: number;
  wire_bytes_per_token: number | null;
  server_cpu_us: number;
  server_cpu_us_per_token: number | null;
}

/** One measured conversation (a repetition of a series). */
export interface SeriesRun {
  rep: number;
  status: "ok" | "failed" | "skipped";
  reason: string | null;
  /** Cost of session start (persistent connection, prewarm) before turn 1. */
  setup: {
    connect_ms: number | null;
    prewarm_cached_tokens: number | null;
    wire_bytes: number;
    server_cpu_us: number;
  };
  /** Connection teardown after the last turn. */
  teardown: { wire_bytes: number; server_cpu_us: number };
  /** A fleet's nginx and redis-server CPU over the measured conversation (null: one server). */
  fleet_cpu_us: { balancer: number; store: number } | null;
  turns: TurnSample[];
  /** Raw inter-event gaps of every turn (kept in memory for the charts; not in the JSON). */
  gaps: number[][];
  totals: {
    output_tokens: number;
    wire_bytes: number;
    request_wire_bytes: number;
    server_cpu_us: number;
    cached_tokens: number;
    input_tokens: number;
    /** Each instance's share of `server_cpu_us` (one entry for one server). */
    instance_cpu_us: number[];
  };
}

/** Everything measured, before aggregation. */
export interface RawResults {
  workload: Workload;
  options: Required<Omit<BenchOptions, "onProgress">>;
  /** By round trip and deployment, then transport: the repetitions. */
  byRtt: {
    rttMs: number;
    deployment: { kind: DeploymentKind; instances: number };
    series: Map<TransportName, SeriesRun[]>;
  }[];
}

/** Runs the benchmark and returns the raw samples (see report.ts for the report). */
export async function runBench(options: BenchOptions = {}): Promise<RawResults> {
  const fleet = options.fleet ?? 0;
  if (fleet === 1 || fleet < 0 || !Number.isInteger(fleet)) {
    throw new RangeError(`a fleet has 2 or more instances, got ${fleet}`);
  }
  const opts: Required<Omit<BenchOptions, "onProgress">> = {
    rttMs: options.rttMs ?? [20],
    turns: options.turns ?? 20,
    reps: options.reps ?? 5,
    transports: options.transports ?? [...TRANSPORT_NAMES],
    seed: options.seed ?? 1,
    warmupTurns: options.warmupTurns ?? 2,
    turnTimeoutMs: options.turnTimeoutMs ?? 60_000,
    fleet,
  };
  const deployments: { kind: DeploymentKind; instances: number }[] = [
    { kind: "single", instances: 1 },
    ...(fleet > 0 ? [{ kind: "fleet" as const, instances: fleet }] : []),
  ];
  const workload = makeWorkload({ turns: opts.turns, seed: opts.seed });
  // Different seed, so nothing of the warm-up is a prefix of the measured session.
  const warmup = makeWorkload({ turns: Math.max(1, opts.warmupTurns), seed: opts.seed + 7919 });
  const cert = await makeSelfSignedCert();
  const total =
    opts.rttMs.length * deployments.length * opts.reps * opts.transports.length * opts.turns;
  let done = 0;
  const results: RawResults = { workload, options: opts, byRtt: [] };
  for (const rttMs of opts.rttMs) {
    const slots = deployments.map((deployment) => {
      const entry = {
        rttMs,
        deployment,
        series: new Map<TransportName, SeriesRun[]>(opts.transports.map((t) => [t, []])),
      };
      results.byRtt.push(entry);
      return { ...entry, unavailable: new Map<TransportName, string>() };
    });
    for (let rep = 1; rep <= opts.reps; rep++) {
      // Rotate the order each repetition, so slow drift of the machine hits every transport;
      // the one-server and fleet series of a repetition run back to back, for the same reason.
      const order = opts.transports.map(
        (_, i) => opts.transports[(i + rep - 1) % opts.transports.length]!,
      );
      for (const transport of order) {
        for (const { deployment, series, unavailable } of slots) {
          const report = (turn: number) =>
            options.onProgress?.({
              rttMs,
              deployment: deployment.kind,
              rep,
              transport,
              turn,
              done,
              total,
            });
          const known = unavailable.get(transport);
          const run = known
            ? skipped(rep, known)
            : await runSeries({
                transport,
                deployment,
                rttMs,
                rep,
                workload,
                warmup: opts.warmupTurns > 0 ? warmup : undefined,
                cert,
                turnTimeoutMs: opts.turnTimeoutMs,
                onTurn: (turn) => {
                  done++;
                  report(turn);
                },
              });
          if (run.status === "skipped" && !known) unavailable.set(transport, run.reason ?? "");
          done += opts.turns - run.turns.length;
          if (run.status !== "ok") report(opts.turns);
          series.get(transport)!.push(run);
        }
      }
    }
  }
  return results;
}

function skipped(rep: number, reason: string | null): SeriesRun {
  return {
    rep,
    status: "skipped",
    reason,
    setup: { connect_ms: null, prewarm_cached_tokens: null, wire_bytes: 0, server_cpu_us: 0 },
    teardown: { wire_bytes: 0, server_cpu_us: 0 },
    fleet_cpu_us: null,
    turns: [],
    gaps: [],
    totals: {
      output_tokens: 0,
      wire_bytes: 0,
      request_wire_bytes: 0,
      server_cpu_us: 0,
      cached_tokens: 0,
      input_tokens: 0,
      instance_cpu_us: [],
    },
  };
}

interface SeriesContext {
  transport: TransportName;
  deployment: { kind: DeploymentKind; instances: number };
  rttMs: number;
  rep: number;
  workload: Workload;
  warmup: Workload | undefined;
  cert: { key: string; cert: string };
  turnTimeoutMs: number;
  onTurn: (turn: number) => void;
}

interface Snapshot {
  toClient: number;
  toServer: number;
  /** Summed over the instances. */
  cpuUs: number;
  cpuUsEach: number[];
}

async function snapshot(proxy: DelayProxy, server: Deployment): Promise<Snapshot> {
  const cpuUsEach = await server.cpuUs();
  const stats = proxy.stats;
  return {
    toClient: stats.bytesToClient,
    toServer: stats.bytesToTarget,
    cpuUs: cpuUsEach.reduce((a, b) => a + b, 0),
    cpuUsEach,
  };
}

function infraDelta(before: InfraCpu | null, after: InfraCpu | null): SeriesRun["fleet_cpu_us"] {
  if (!before || !after) return null;
  return {
    balancer: after.balancer_us - before.balancer_us,
    store: after.store_us - before.store_us,
  };
}

async function settleConnections(proxy: DelayProxy): Promise<void> {
  const deadline = performance.now() + 3000;
  while (proxy.stats.connectionsOpen > 0 && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** One conversation over one transport against a fresh server (or fleet). */
async function runSeries(ctx: SeriesContext): Promise<SeriesRun> {
  const run = skipped(ctx.rep, null);
  run.status = "ok";
  let server: Deployment;
  try {
    // hotline.v1 and permessage-deflate are offered by the transports that use them only.
    server = await startDeployment({ ...ctx.deployment, tls: ctx.cert });
  } catch (error) {
    run.status = "failed";
    run.reason = (error as Error).message;
    return run;
  }
  let proxy: DelayProxy | undefined;
  try {
    proxy = await startDelayProxy({
      target: { host: server.host, port: server.port },
      rttMs: ctx.rttMs,
    });
    const target: DriverTarget = {
      httpsUrl: proxy.url("https"),
      wssUrl: proxy.url("wss", "/v1/responses"),
      ca: ctx.cert.cert,
      turnTimeoutMs: ctx.turnTimeoutMs,
    };
    // A fleet gets the warm-up once per instance: round robin sends each conversation (each
    // WebSocket) to the next instance, so every instance has run the code paths once.
    for (let w = 0; ctx.warmup && w < server.instances; w++) {
      const warm = createDriver(ctx.transport, ctx.warmup, target);
      try {
        await warm.setup();
        for (let i = 0; i < ctx.warmup.turns.length; i++) {
          const r = await warm.turn(i);
          if (r.timing.error) throw new Error(`warm-up turn failed: ${r.timing.error}`);
        }
      } finally {
        await warm.close();
      }
      await settleConnections(proxy);
    }
    const driver = createDriver(ctx.transport, ctx.workload, target);
    /** Each measured turn's response, asked of the server once the series is over. */
    const responseIds: (string | undefined)[] = [];
    const start = await snapshot(proxy, server);
    const infraStart = server.infraCpuUs();
    let before = start;
    try {
      const setup = await driver.setup();
      const after = await snapshot(proxy, server);
      run.setup = {
        connect_ms: setup.connectMs,
        prewarm_cached_tokens: setup.prewarmCachedTokens,
        wire_bytes: after.toClient - before.toClient,
        server_cpu_us: after.cpuUs - before.cpuUs,
      };
      before = after;
      for (let i = 0; i < ctx.workload.turns.length; i++) {
        const r = await driver.turn(i);
        const after = await snapshot(proxy, server);
        const t = r.timing;
        const ok = t.error === undefined;
        const tokens = t.outputTokens;
        const wire = after.toClient - before.toClient;
        const requestWire = after.toServer - before.toServer;
        const cpu = after.cpuUs - before.cpuUs;
        before = after;
        run.turns.push({
          turn: i + 1,
          error: t.error ?? null,
          new_connection: r.newConnection,
          connect_ms: r.connectMs,
          rtt_overhead_ms: ok && Number.isFinite(t.createdAt) ? t.createdAt - r.sentAt : null,
          server_overhead_ms: null,
          instance: null,
          ttft_ms: ok && Number.isFinite(t.firstDeltaAt) ? t.firstDeltaAt - r.sentAt : null,
          decode_ms_per_token:
            ok && tokens >= 2 && t.deltas >= 2
              ? (t.lastDeltaAt - t.firstDeltaAt) / (tokens - 1)
              : null,
          deltas: t.deltas,
          output_tokens: tokens,
          input_tokens: t.inputTokens,
          cached_tokens: t.cachedTokens,
          wire_bytes: wire,
          request_wire_bytes: requestWire,
          wire_bytes_per_token: ok && tokens > 0 ? wire / tokens : null,
          server_cpu_us: cpu,
          server_cpu_us_per_token: ok && tokens > 0 ? cpu / tokens : null,
        });
        run.gaps.push(ok ? t.gaps : []);
        responseIds.push(ok ? t.responseId : undefined);
        ctx.onTurn(i + 1);
        if (!ok) {
          run.status = "failed";
          run.reason = `turn ${i + 1}: ${t.error}`;
          break;
        }
      }
    } catch (error) {
      if (error instanceof TransportUnavailable) {
        run.status = "skipped";
        run.reason = error.message;
      } else {
        run.status = "failed";
        run.reason = (error as Error).message;
      }
    } finally {
      await driver.close();
    }
    await settleConnections(proxy);
    const end = await snapshot(proxy, server);
    run.fleet_cpu_us = infraDelta(infraStart, server.infraCpuUs());
    // After the last CPU reading, so the question costs no measured server time.
    const located = await server.locate(responseIds.map((id) => id ?? ""));
    run.turns.forEach((turn, i) => {
      if (responseIds[i] === undefined) return;
      turn.server_overhead_ms = located[i]?.ms ?? null;
      turn.instance = located[i]?.instance ?? null;
    });
    run.teardown = {
      wire_bytes: end.toClient - before.toClient,
      server_cpu_us: end.cpuUs - before.cpuUs,
    };
    run.totals = {
      output_tokens: run.turns.reduce((n, t) => n + t.output_tokens, 0),
      wire_bytes: end.toClient - start.toClient,
      request_wire_bytes: end.toServer - start.toServer,
      server_cpu_us: end.cpuUs - start.cpuUs,
      instance_cpu_us: end.cpuUsEach.map((us, i) => us - (start.cpuUsEach[i] ?? 0)),
      cached_tokens: run.turns.reduce((n, t) => n + t.cached_tokens, 0),
      input_tokens: run.turns.reduce((n, t) => n + t.input_tokens, 0),
    };
    if (run.status === "skipped") run.turns = [];
    return run;
  } catch (error) {
    run.status = error instanceof TransportUnavailable ? "skipped" : "failed";
    run.reason = (error as Error).message;
    run.turns = [];
    return run;
  } finally {
    await proxy?.close();
    await server.stop();
  }
}
