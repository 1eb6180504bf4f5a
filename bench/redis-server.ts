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

/** A free loopback port (closed again before it is returned). */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, "close");
  return port;
}

/** A running redis-server. */
export interface RedisServer {
  /** `redis://127.0.0.1:port`. */
  readonly url: string;
  /** Its process id (for reading its CPU time from /proc). */
  readonly pid: number;
  stop(): Promise<void>;
}

/** Starts redis-server on a free loopback port; resolves once it accepts connections. */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freeLoopbackPort();
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
