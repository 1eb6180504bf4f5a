/**
 * The benchmark's server process: the reference server, started through its public entry
 * point in a process of its own, so `process.cpuUsage()` here is the server's CPU alone (the
 * load generator and the delay proxy run in the parent). Configured by the first IPC message;
 * answers `cpu`, `stats` (memory, backend counters, sessions) and `overhead` (each named
 * response's server-side overhead) requests; stops on `stop`.
 */
import { startServer, type ServerOptions } from "../reference-server/index.js";

interface ChildMessage {
  kind: "start" | "cpu" | "stats" | "overhead" | "stop";
  options?: ServerOptions;
  /** For `overhead`: the responses asked about. */
  ids?: string[];
  /** For `stats`: collect garbage first (false: a sample that does not pause the server). */
  gc?: boolean;
}

let server: Awaited<ReturnType<typeof startServer>> | undefined;
/** Each response's server-side overhead (`server_overhead_ms`), the most recent 10,000. */
const overheads = new Map<string, number>();

process.on("message", (message: ChildMessage) => {
  if (message.kind === "start") {
    const observer = {
      onStarted: (run: { id: string }, ms: number) => {
        overheads.set(run.id, ms);
        if (overheads.size > 10_000) overheads.delete(overheads.keys().next().value!);
      },
    };
    void startServer({ ...message.options, logLevel: "silent", observer }).then(
      (started) => {
        server = started;
        process.send?.({ kind: "ready", url: started.url, wsUrl: started.wsUrl });
      },
      (error: unknown) => process.send?.({ kind: "failed", message: String(error) }),
    );
  } else if (message.kind === "cpu") {
    const cpu = process.cpuUsage();
    process.send?.({ kind: "cpu", us: cpu.user + cpu.system });
  } else if (message.kind === "stats") {
    // With --expose-gc (the scenarios start the child so), RSS is measured after a full
    // collection: retained memory, not garbage the collector has not reached yet. The
    // collection pauses the server (tens of ms on a 50 MiB heap), so latency scenarios skip it.
    if (message.gc !== false) (globalThis as { gc?: () => void }).gc?.();
    const memory = process.memoryUsage();
    // Bytes written but not yet taken by the kernel, over every connection (backpressure).
    let bufferedBytes = 0;
    for (const session of server?.sessions ?? []) {
      const port = (session as { port?: { bufferedAmount(): number } }).port;
      bufferedBytes += port?.bufferedAmount() ?? 0;
    }
    process.send?.({
      kind: "stats",
      rss: memory.rss,
      heapUsed: memory.heapUsed,
      external: memory.external,
      arrayBuffers: memory.arrayBuffers,
      sessions: server?.sessions.size ?? 0,
      inFlight: server?.service.store.liveCount ?? 0,
      bufferedBytes,
      counters: server?.backend.counters().total,
    });
  } else if (message.kind === "overhead") {
    const ms = (message.ids ?? []).map((id) => overheads.get(id) ?? null);
    process.send?.({ kind: "overhead", ms });
  } else if (message.kind === "stop") {
    void (server?.close() ?? Promise.resolve()).then(() => process.exit(0));
  }
});
// Leave when the parent goes away, whatever happened to it.
process.on("disconnect", () => process.exit(0));
