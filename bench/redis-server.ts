/**
 * A `redis-server` of the fleet bench's own: a free loopback port, nothing persisted, killed
 * with the fleet. The instances share it as their fleet store (spec/fleet.md).
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { createInterface } from "node:readline";

/** Whether redis-server can be run here. */
export function haveRedisServer(): boolean {
  try {
    execFileSync("redis-server", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/**
 * A free loopback port for a server started by another process (closed again before it is
 * returned). Drawn below Linux's ephemeral range (32768 and up), so that no outgoing
 * connection of a test or bench takes it between this check and the server's bind; a clash
 * with another run's pick fails that server's start, and its caller draws again.
 */
export async function freeLoopbackPort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const server = createServer();
    const free = await new Promise<boolean>((resolve) => {
      server.once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => resolve(true));
    });
    if (!free) continue;
    server.close();
    await once(server, "close");
    return port;
  }
}

/** A running redis-server. */
export interface RedisServer {
  /** `redis://127.0.0.1:port`. */
  readonly url: string;
  /** Its process id (for reading its CPU time from /proc). */
  readonly pid: number;
  stop(): Promise<void>;
}

/**
 * Starts redis-server on a free loopback port; resolves once it accepts connections. A port
 * another process took meanwhile is drawn again (three tries).
 */
export async function startRedisServer(): Promise<RedisServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startRedisOn(await freeLoopbackPort());
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

async function startRedisOn(port: number): Promise<RedisServer> {
  const child: ChildProcess = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const lines = createInterface({ input: child.stdout! });
  const ready = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), 10_000);
    lines.on("line", (line) => {
      output += `${line}\n`;
      if (line.includes("Ready to accept connections")) {
        clearTimeout(timer);
        resolve(true);
      }
    });
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(false);
    });
    child.once("error", () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
  lines.removeAllListeners();
  child.stdout!.resume();
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGKILL");
    await once(child, "exit");
  };
  if (!ready) {
    await stop();
    throw new Error(
      `redis-server did not start: ${output.trim().split("\n").slice(-2).join(" | ")}`,
    );
  }
  return { url: `redis://127.0.0.1:${port}`, pid: child.pid!, stop };
}
