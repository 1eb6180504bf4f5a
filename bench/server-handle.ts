/**
 * The parent's handle on a reference server running in a child process
 * (bench/reference-child.ts): its URLs, its CPU time, and stopping it.
 */
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";

/** A reference server in its own process. */
export interface ServerHandle {
  /** `https://127.0.0.1:port` (`http://` without TLS). */
  readonly url: string;
  /** `wss://127.0.0.1:port/v1/responses`. */
  readonly wsUrl: string;
  readonly host: string;
  readonly port: number;
  /** The server process's CPU time so far (user + system), in µs. */
  cpuUs(): Promise<number>;
  /** Each response's `server_overhead_ms` as the server measured it (null: not known). */
  serverOverheadMs(ids: string[]): Promise<(number | null)[]>;
  /** Stops the server and waits for its process to exit. */
  stop(): Promise<void>;
}

/** What the child is started with (a subset of the reference server's options). */
export interface ServerStartOptions {
  /** Serve HTTPS and WSS with this key and certificate (without: plain HTTP, as behind nginx). */
  tls?: { key: string; cert: string };
  /** Join the fleet sharing this Redis (`redis://host:port`). */
  redis?: string;
  /** Let the server select `hotline.v1` when a client offers it. */
  hotline: boolean;
  /** Let the server negotiate permessage-deflate when a client offers it. */
  permessageDeflate: boolean;
}

function childScript(): { path: string; execArgv: string[] } {
  // Under tsx (tests, `tsx bench/...`) the sources are .ts; from dist/ they are .js.
  const ts = import.meta.url.endsWith(".ts");
  const path = fileURLToPath(new URL(`./reference-child.${ts ? "ts" : "js"}`, import.meta.url));
  return { path, execArgv: ts ? ["--import=tsx"] : [] };
}

function waitFor<T>(child: ChildProcess, kind: string, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => done(new Error(`server process: no '${kind}' reply`)),
      timeoutMs,
    );
    const onMessage = (message: { kind: string; message?: string } & T) => {
      if (message.kind === kind) done(undefined, message);
      else if (message.kind === "failed") done(new Error(`server process: ${message.message}`));
    };
    const onExit = (code: number | null) =>
      done(new Error(`server process exited (code ${code}) before '${kind}'`));
    const done = (error?: Error, value?: T) => {
      clearTimeout(timer);
      child.off("message", onMessage);
      child.off("exit", onExit);
      if (error) reject(error);
      else resolve(value as T);
    };
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}

/** Starts the reference server in a child process and resolves once it listens. */
export async function startServerProcess(options: ServerStartOptions): Promise<ServerHandle> {
  const { path, execArgv } = childScript();
  const child = fork(path, [], { execArgv, stdio: ["ignore", "ignore", "inherit", "ipc"] });
  child.send({
    kind: "start",
    options: {
      ...(options.tls ? { tls: options.tls } : {}),
      ...(options.redis ? { redis: options.redis } : {}),
      hotline: options.hotline,
      permessageDeflate: options.permessageDeflate,
    },
  });
  let ready: { url: string; wsUrl: string };
  try {
    ready = await waitFor(child, "ready", 30_000);
  } catch (error) {
    child.kill();
    throw error;
  }
  const address = new URL(ready.url);
  let stopped: Promise<void> | undefined;
  return {
    url: ready.url,
    wsUrl: ready.wsUrl,
    host: address.hostname,
    port: Number(address.port),
    async cpuUs() {
      const reply = waitFor<{ us: number }>(child, "cpu", 10_000);
      child.send({ kind: "cpu" });
      return (await reply).us;
    },
    async serverOverheadMs(ids) {
      const reply = waitFor<{ ms: (number | null)[] }>(child, "overhead", 10_000);
      child.send({ kind: "overhead", ids });
      return (await reply).ms;
    },
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
        child.once("exit", () => {
          clearTimeout(timer);
          resolve();
        });
        child.send({ kind: "stop" });
      });
      return stopped;
    },
  };
}
