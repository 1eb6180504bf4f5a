/**
 * Where a bench child's CPU goes, for `bench/server.ts --breakdown`: the time its sockets spend
 * in their native write calls (the `writev` syscall and the UTF-8 copy of string chunks into
 * it), the rest of its main thread (JavaScript, Node's stream bookkeeping, timers, the garbage
 * collector's pauses), and its other threads (V8's parallel garbage collection and background
 * compiling, libuv's pool). The reference server and the bare-`ws` floor pay the same syscall a
 * message; this tells what else each pays.
 *
 * The native calls are timed by wrapping the write methods of the TCP handle's prototype (a
 * Node internal, `socket._handle`), which costs two clock reads a write on both sides alike.
 * Per-thread CPU is read from `/proc` (Linux); elsewhere the main thread's share is unknown.
 */
import { readFileSync } from "node:fs";
import type { Socket } from "node:net";

/** A child's CPU so far, split (µs, except the count). */
export interface CpuSplit {
  /** The whole process: every thread. */
  processUs: number;
  /** The main thread alone (undefined where /proc is not there). */
  mainThreadUs: number | undefined;
  /** Native socket write calls made, and the time spent in them. */
  writeCalls: number;
  writeUs: number;
}

/** The native methods a TCP handle writes through (`writev` for corked or several chunks). */
const WRITE_METHODS = ["writev", "writeBuffer", "writeUtf8String", "writeLatin1String"];

let writeCalls = 0;
let writeMs = 0;
let timed: object | undefined;

/**
 * Times every native write of sockets like `socket` from now on (once a process: they share the
 * handle's prototype). A socket without a handle (already closed) changes nothing.
 */
export function timeSocketWrites(socket: Socket): void {
  const handle = (socket as unknown as { _handle?: object | null })._handle;
  if (timed !== undefined || handle == null) return;
  const prototype = Object.getPrototypeOf(handle) as Record<string, unknown>;
  timed = prototype;
  for (const name of WRITE_METHODS) {
    const native = prototype[name];
    if (typeof native !== "function") continue;
    prototype[name] = function (this: unknown, ...args: unknown[]): unknown {
      const start = performance.now();
      try {
        return (native as (...a: unknown[]) => unknown).apply(this, args);
      } finally {
        writeMs += performance.now() - start;
        writeCalls++;
      }
    };
  }
}

/** The main thread's CPU (µs) from /proc, or undefined off Linux. */
function mainThreadUs(): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
    // Fields after the command (which may hold spaces): utime and stime are the 12th and 13th,
    // in clock ticks (USER_HZ, 100 on Linux).
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return undefined;
  }
}

/** The CPU split so far. */
export function cpuSplit(): CpuSplit {
  const cpu = process.cpuUsage();
  return {
    processUs: cpu.user + cpu.system,
    mainThreadUs: mainThreadUs(),
    writeCalls,
    writeUs: writeMs * 1000,
  };
}
