/**
 * The server side of `npm run bench:server`: a reference server in its own process, so its CPU
 * time and memory are measured apart from the load generator. Configured by one JSON argument;
 * answers `{cpu}` and `{memory}` requests over IPC.
 */
import { RealClock, startServer } from "../reference-server/index.js";
import { cpuSplit, timeSocketWrites } from "./cpu-split.js";

interface ChildConfig {
  decodeTokensPerSecond: number;
  slots: number;
  spinBelowMs?: number;
  /** The backend's delta cadence (default: the server's). */
  deltaIntervalMs?: number;
  /** Join a fleet on this Redis (`--redis`): the per-token path then also writes the stream. */
  redis?: string;
  /** Time the sockets' native writes, for the CPU split (`--breakdown`). */
  breakdown?: boolean;
}

const config = JSON.parse(process.argv[2] ?? "{}") as ChildConfig;
const server = await startServer({
  logLevel: "silent",
  ...(config.redis === undefined ? {} : { redis: config.redis }),
  backend: {
    clock: new RealClock({ spinBelowMs: config.spinBelowMs ?? 0 }),
    ...(config.deltaIntervalMs === undefined ? {} : { deltaIntervalMs: config.deltaIntervalMs }),
    tiers: {
      wafer: {
        decodeTokensPerSecond: config.decodeTokensPerSecond,
        burstMode: "off",
        maxConcurrentSequences: config.slots,
        maxQueue: 4096,
      },
    },
  },
});

if (config.breakdown) server.httpServer.once("connection", timeSocketWrites);

process.on("message", (message: { kind: string }) => {
  if (message.kind === "cpu") {
    process.send?.({ kind: "cpu", cpu: process.cpuUsage(), split: cpuSplit() });
  } else if (message.kind === "memory") {
    (globalThis as { gc?: () => void }).gc?.();
    (globalThis as { gc?: () => void }).gc?.();
    const m = process.memoryUsage();
    process.send?.({
      kind: "memory",
      rss: m.rss,
      heapUsed: m.heapUsed,
      external: m.external,
      sessions: server.sessions.size,
    });
  } else if (message.kind === "stop") {
    void server.close().then(() => process.exit(0));
  }
});
process.send?.({ kind: "ready", wsUrl: server.wsUrl, url: server.url });
