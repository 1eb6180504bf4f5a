/**
 * Structured logs (pino, JSON lines). They go to stderr so that stdout carries only what a
 * script may parse, such as the URL `hotline serve` prints.
 */
import { type Logger, pino } from "pino";

/** Log levels accepted by the server. */
export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

/** Creates the server logger writing JSON lines to stderr. */
export function createLogger(level: LogLevel = "info"): Logger {
  return pino({ level, base: { service: "hotline-reference-server" } }, pino.destination(2));
}

export type { Logger };
