/**
 * A real `redis-server` and reference-server instances as child processes, for the fleet
 * tests. No Redis mock: what is tested is what a deployment runs. Without redis-server the
 * tests are skipped with a one-line notice, except under CI, where they fail.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { connect, createServer } from "node:net";
import { createInterface } from "node:readline";
import type { Test } from "tap";
import { isSseDone, splitSseBlocks, sseFields } from "../../../src/protocol/index.js";
import { ROOT } from "../../helpers/repo.js";
import { freeLoopbackPort } from "../../../bench/redis-server.js";

/** The notice printed when redis-server is missing. */
export const INSTALL_NOTICE =
  "redis-server not found: install it (Debian/Ubuntu: apt-get install redis-server) to run the fleet tests";

/** Whether redis-server can be run here; under CI its absence fails the test instead. */
export function haveRedis(t: Test): boolean {
  try {
    execFileSync("redis-server", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    if (process.env.CI) t.fail(`${INSTALL_NOTICE} (CI never skips them)`);
    else t.plan(0, INSTALL_NOTICE);
    return false;
  }
}

/** A free loopback port below the ephemeral range (bench/redis-server.ts says why). */
export const freePort = freeLoopbackPort;

/** A redis-server of the test's own, on a free loopback port, nothing persisted. */
export class RedisProcess {
  readonly port: number;
  #child: ChildProcess | undefined;

  private constructor(port: number) {
    this.port = port;
  }

  /** Starts one; it is killed at the test's teardown. */
  static async start(t: Test): Promise<RedisProcess> {
    // A port another process took meanwhile fails the start: draw another (three tries).
    for (let attempt = 1; ; attempt++) {
      const redis = new RedisProcess(await freePort());
      try {
        await redis.restart();
      } catch (error) {
        if (attempt >= 3) throw error;
        continue;
      }
      t.teardown(() => redis.stop());
      return redis;
    }
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server (again, empty) on the same port. */
  async restart(): Promise<void> {
    const child = spawn(
      "redis-server",
      ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    this.#child = child;
    const lines = createInterface({ input: child.stdout! });
    let ready = false;
    let last = "";
    for await (const line of lines) {
      last = line;
      if (line.includes("Ready to accept connections")) {
        ready = true;
        break;
      }
    }
    lines.removeAllListeners();
    child.stdout!.resume();
    // Its output ended without "Ready" (the port was taken): another test's redis-server must
    // not be mistaken for this one's.
    if (!ready) {
      await this.stop();
      throw new Error(`redis-server did not start on ${this.port}: ${last}`);
    }
  }

  /** Kills it (SIGKILL: nothing saved, connections reset). */
  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGKILL");
    await once(child, "exit");
  }
}

/** One `hotline serve --redis` child. */
export interface Instance {
  readonly child: ChildProcess;
  /** `http://127.0.0.1:port`. */
  readonly url: string;
  readonly wsUrl: string;
  /** What it wrote on stderr so far. */
  readonly stderr: () => string;
}

/** Starts `hotline serve --port 0 --redis URL ...flags`; it is killed at the test's teardown. */
export async function startInstance(
  t: Test,
  redisUrl: string,
  flags: string[] = [],
): Promise<Instance> {
  const argv = JSON.stringify([
    "serve",
    "--port",
    "0",
    "--log-level",
    "silent",
    "--redis",
    redisUrl,
    ...flags,
  ]);
  const child = spawn(
    process.execPath,
    [
      "--import=tsx",
      "-e",
      `import('./src/cli/main.ts').then(m => m.main(${argv})).then(c => process.exit(c))`,
    ],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  const lines = createInterface({ input: child.stdout! });
  const first = await Promise.race([
    once(lines, "line").then(([line]) => line as string),
    once(child, "exit").then(() => ""),
  ]);
  const url = /listening on (http:\/\/\S+)/.exec(first)?.[1];
  if (!url) throw new Error(`instance did not start: ${first}${stderr}`);
  return { child, url, wsUrl: `${url.replace("http", "ws")}/v1/responses`, stderr: () => stderr };
}

/** Runs `hotline serve` with these arguments to its exit; resolves with the code and stderr. */
export async function serveExit(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const argv = JSON.stringify(["serve", "--port", "0", "--log-level", "silent", ...args]);
  const child = spawn(
    process.execPath,
    [
      "--import=tsx",
      "-e",
      `import('./src/cli/main.ts').then(m => m.main(${argv})).then(c => process.exit(c))`,
    ],
    { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, "exit")) as [number | null];
  return { code, stderr };
}

/** `POST /v1/responses` with a JSON body; resolves with the status and parsed body. */
export async function post(
  base: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** `GET` a JSON path. */
export async function getJson(
  base: string,
  path: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${base}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** A streamed event: its JSON, parsed. */
export type StreamEvent = { type: string; sequence_number: number } & Record<string, unknown>;

/**
 * Reads an SSE stream to its end (`[DONE]` or the connection closing), calling `onEvent` for
 * each event; resolves with every event and whether `[DONE]` came. `timeoutMs` bounds the wait.
 */
export async function readSse(
  url: string,
  onEvent: (event: StreamEvent) => void = () => {},
  timeoutMs = 30_000,
): Promise<{ events: StreamEvent[]; done: boolean }> {
  const events: StreamEvent[] = [];
  let done = false;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const res = await fetch(url, { signal: abort.signal });
    let rest = "";
    const decoder = new TextDecoder();
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      const split = splitSseBlocks(rest + decoder.decode(chunk, { stream: true }));
      rest = split.rest;
      for (const block of split.blocks) {
        const fields = sseFields(block);
        if (!fields) continue;
        if (isSseDone(fields)) {
          done = true;
          continue;
        }
        const event = JSON.parse(fields.data) as StreamEvent;
        events.push(event);
        onEvent(event);
      }
    }
  } catch (error) {
    if ((error as Error).name !== "AbortError") throw error;
  } finally {
    clearTimeout(timer);
  }
  return { events, done };
}

/** Checks that sequence numbers run from `from` by exactly one, with no duplicate. */
export function gapless(events: readonly StreamEvent[], from: number): boolean {
  return events.every((e, i) => e.sequence_number === from + i);
}

/**
 * A TCP relay to `port` that delays what its clients send by `delayMs` (what comes back is not
 * delayed): an instance whose Redis is slow to take its writes. Closed at the test's teardown.
 */
export async function slowWrites(t: Test, port: number, delayMs: number): Promise<string> {
  const server = createServer((client) => {
    const upstream = connect(port, "127.0.0.1");
    client.on("data", (chunk) => setTimeout(() => upstream.write(chunk), delayMs));
    upstream.pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", close).on("close", close);
    upstream.on("error", close).on("close", close);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `redis://127.0.0.1:${(server.address() as { port: number }).port}`;
}

/** Flags of instances that generate slowly (200 tok/s: 4,000 tokens last 20 s) with a 1-s lease. */
export const SLOW = ["--wafer-tok-s", "200", "--wafer-burst-tok-s", "200", "--lease-ms", "1000"];

/** A fleet of two instances on a redis-server of the test's own. */
export interface FleetOfTwo {
  readonly redis: RedisProcess;
  readonly a: Instance;
  readonly b: Instance;
}

/**
 * Starts a redis-server and two instances on it, both with `flags`; `aWritesDelayMs` puts A
 * behind {@link slowWrites}, `bWritesDelayMs` B. Undefined without redis-server (the test is
 * then skipped, or failed under CI: {@link haveRedis}).
 */
export async function fleetOfTwo(
  t: Test,
  flags: string[] = [],
  options: { aWritesDelayMs?: number; bWritesDelayMs?: number } = {},
): Promise<FleetOfTwo | undefined> {
  if (!haveRedis(t)) return undefined;
  const redis = await RedisProcess.start(t);
  const via = (delay: number | undefined) =>
    delay === undefined ? redis.url : slowWrites(t, redis.port, delay);
  const [forA, forB] = await Promise.all([
    via(options.aWritesDelayMs),
    via(options.bWritesDelayMs),
  ]);
  const [a, b] = await Promise.all([startInstance(t, forA, flags), startInstance(t, forB, flags)]);
  return { redis, a, b };
}
