/**
 * What a bench series runs against: one reference server (TLS in the server itself), or a
 * fleet (`--fleet N`): N reference-server processes joined to one fresh redis-server, behind
 * nginx on loopback that terminates TLS and balances round robin. Either way the delay proxy
 * points at one TLS endpoint, so the client side of every series is the same.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { type Nginx, startNginx } from "./nginx.js";
import { type RedisServer, startRedisServer } from "./redis-server.js";
import { startServerProcess, type ServerHandle } from "./server-handle.js";

/** One instance or a fleet. */
export type DeploymentKind = "single" | "fleet";

/** Where one measured response ran and what the server spent before it started. */
export interface Located {
  /** `server_overhead_ms` as the instance that ran it measured it (null: not known). */
  ms: number | null;
  /** The instance (0-based) whose records hold the response, or null. */
  instance: number | null;
}

/** CPU time of the fleet's balancer and store processes so far (µs; /proc, 10 ms ticks). */
export interface InfraCpu {
  balancer_us: number;
  store_us: number;
}

/** A running deployment. */
export interface Deployment {
  readonly kind: DeploymentKind;
  readonly instances: number;
  /** The TLS endpoint the delay proxy forwards to. */
  readonly host: string;
  readonly port: number;
  /** CPU time of each reference-server process so far (µs), in instance order. */
  cpuUs(): Promise<number[]>;
  /** nginx and redis-server CPU so far; null for one instance. */
  infraCpuUs(): InfraCpu | null;
  /** Asks every instance about these responses (after the measurement: it costs server time). */
  locate(ids: string[]): Promise<Located[]>;
  stop(): Promise<void>;
}

/** How to start a deployment. */
export interface DeploymentOptions {
  kind: DeploymentKind;
  /** Instances of a fleet (ignored for one instance). */
  instances: number;
  tls: { key: string; cert: string };
}

/** Starts one reference server, or a fleet behind nginx; resolves once it accepts. */
export async function startDeployment(options: DeploymentOptions): Promise<Deployment> {
  const common = { hotline: true, permessageDeflate: true };
  if (options.kind === "single") {
    const server = await startServerProcess({ ...common, tls: options.tls });
    return {
      kind: "single",
      instances: 1,
      host: server.host,
      port: server.port,
      cpuUs: async () => [await server.cpuUs()],
      infraCpuUs: () => null,
      locate: async (ids) =>
        (await server.serverOverheadMs(ids)).map((ms) => ({
          ms,
          instance: ms === null ? null : 0,
        })),
      stop: () => server.stop(),
    };
  }
  let redis: RedisServer | undefined;
  let nginx: Nginx | undefined;
  const servers: ServerHandle[] = [];
  const stop = async () => {
    await nginx?.stop();
    await Promise.all(servers.map((s) => s.stop()));
    await redis?.stop();
  };
  try {
    redis = await startRedisServer();
    const url = redis.url;
    // One at a time: N processes compiling at once on a small machine only start slower.
    for (let i = 0; i < options.instances; i++) {
      servers.push(await startServerProcess({ ...common, redis: url }));
    }
    nginx = await startNginx({
      upstreams: servers.map((s) => `${s.host}:${s.port}`),
      tls: options.tls,
    });
  } catch (error) {
    await stop();
    throw error;
  }
  const redisPid = redis.pid;
  const nginxPid = nginx.pid;
  return {
    kind: "fleet",
    instances: servers.length,
    host: nginx.host,
    port: nginx.port,
    cpuUs: () => Promise.all(servers.map((s) => s.cpuUs())),
    infraCpuUs: () => ({
      balancer_us: treeCpuUs(nginxPid),
      store_us: treeCpuUs(redisPid),
    }),
    async locate(ids) {
      const answers = await Promise.all(servers.map((s) => s.serverOverheadMs(ids)));
      return ids.map((_, i) => {
        const instance = answers.findIndex((a) => a[i] !== null && a[i] !== undefined);
        return instance < 0
          ? { ms: null, instance: null }
          : { ms: answers[instance]![i]!, instance };
      });
    },
    stop,
  };
}

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
    } catch {
      ticksPerSecond = 100;
    }
    if (!Number.isFinite(ticksPerSecond) || ticksPerSecond <= 0) ticksPerSecond = 100;
  }
  return ticksPerSecond;
}

/** utime + stime of a process and its direct children (nginx's workers), from /proc. */
function treeCpuUs(pid: number): number {
  let ticks = 0;
  const read = (p: string): { ppid: number; ticks: number } | undefined => {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, "utf8");
      // Fields after the parenthesised command name: state ppid ... utime(14) stime(15).
      const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return { ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]) };
    } catch {
      return undefined;
    }
  };
  ticks += read(String(pid))?.ticks ?? 0;
  let entries: string[];
  try {
    entries = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return (ticks * 1e6) / clockTicks();
  }
  for (const name of entries) {
    const s = read(name);
    if (s && s.ppid === pid) ticks += s.ticks;
  }
  return (ticks * 1e6) / clockTicks();
}
