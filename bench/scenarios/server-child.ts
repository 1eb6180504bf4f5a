/**
 * A reference server for a fault scenario, in a child process (bench/reference-child.ts) so
 * its RSS and backend counters are measured apart from the load generator. Plain WebSocket on
 * loopback: the scenarios measure the server, not TLS.
 */
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { ServerOptions, TierCounters } from "../../reference-server/index.js";

/** One `stats` reply of the child. */
export interface ServerStats {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  sessions: number;
  inFlight: number;
  /** Bytes the server's sockets hold unsent above the kernel, summed over sessions. */
  bufferedBytes: number;
  counters: TierCounters;
}

/** The scenario's handle on its server process. */
export interface ScenarioServer {
  readonly wsUrl: string;
  readonly url: string;
  /**
   * Memory, sessions and backend counters now; after a full collection unless `gc` is false
   * (the collection pauses the server).
   */
  stats(options?: { gc?: boolean }): Promise<ServerStats>;
  /** Whether the process exited on its own (a crash). */
  crashed(): boolean;
  stop(): Promise<void>;
}

/** Starts the reference server in a child process with `options` (JSON-serialisable). */
export async function startScenarioServer(options: ServerOptions): Promise<ScenarioServer> {
  const ts = import.meta.url.endsWith(".ts");
  const path = fileURLToPath(new URL(`../reference-child.${ts ? "ts" : "js"}`, import.meta.url));
  const child: ChildProcess = fork(path, [], {
    execArgv: [...(ts ? ["--import=tsx"] : []), "--expose-gc"],
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  let stopping = false;
  let exited = false;
  child.once("exit", () => (exited = true));
  const reply = <T>(kind: string, timeoutMs: number) =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.off("message", on);
        reject(new Error(`server process: no '${kind}' reply`));
      }, timeoutMs);
      const on = (message: { kind: string; message?: string }) => {
        if (message.kind === "failed") reject(new Error(`server process: ${message.message}`));
        if (message.kind !== kind) return;
        clearTimeout(timer);
        child.off("message", on);
        resolve(message as T);
      };
      child.on("message", on);
    });
  const ready = reply<{ url: string; wsUrl: string }>("ready", 30_000);
  child.send({ kind: "start", options });
  const { url, wsUrl } = await ready;
  return {
    url,
    wsUrl,
    async stats({ gc = true } = {}) {
      const answer = reply<ServerStats>("stats", 10_000);
      child.send({ kind: "stats", gc });
      return answer;
    },
    crashed: () => exited && !stopping,
    stop() {
      stopping = true;
      return new Promise<void>((resolve) => {
        if (exited) return resolve();
        const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
        child.once("exit", () => {
          clearTimeout(timer);
          resolve();
        });
        child.send({ kind: "stop" });
      });
    },
  };
}
