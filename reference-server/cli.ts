/**
 * `hotline serve`: runs the reference server until SIGINT or SIGTERM. It prints the URL it
 * listens on to stdout (logs go to stderr as JSON lines), so scripts can read the first line.
 */
import { parseArgs } from "node:util";
import {
  choiceOption,
  type IntegerRule,
  integerOption,
  joinNegativeValues,
  MAX_TIMER_MS,
  positiveNumberOption,
} from "../src/util/option-values.js";
import { UsageError } from "../src/util/usage-error.js";
import {
  CORE_MAX_MESSAGE_BYTES,
  DEFAULT_CONNECTION_MAX_AGE_MS,
  DEFAULT_CONTEXT_WINDOW_TOKENS,
} from "../src/protocol/index.js";
import { readTokensFile } from "./policy/auth.js";
import { DEFAULT_DELTA_INTERVAL_MS, type TiersOverrides } from "./backend/index.js";
import { formatFaultTable, isFaultName } from "./fault-injection/faults.js";
import { startServer } from "./index.js";
import { parseRedisUrl, RedisUnreachableError } from "./fleet/index.js";
import type { LogLevel } from "./telemetry/logger.js";

const HELP = `Usage: hotline serve [options]

Runs the Hotline reference server: WebSocket (core and hotline.v1 profiles) and HTTP on /v1/responses,
/healthz and Prometheus /metrics, over the simulated wafer-scale backend.

Options:
  --host HOST               interface to listen on (default 127.0.0.1)
  --port PORT               port 0-65535, 0 for any free port (default 8080)
  --token TOKEN             accepted bearer token (repeatable; also HOTLINE_TOKENS=a,b);
                            none means no authentication (only sensible on loopback)
  --tokens-file PATH        accepted bearer tokens, one per line (# comments allowed)
  --allowed-origin ORIGIN   browser Origin allowed to open WebSockets (repeatable;
                            default any)
  --model NAME              a model to serve (repeatable; the first is the default;
                            default hotline-sim-1); others get model_not_found
  --token-connections N     WebSocket connections per token (default 1024; 0 = no limit)
  --token-in-flight N       responses in flight per token (default 1024; 0 = no limit)
  --token-rpm N             requests per minute per token (default 60000; 0 = no limit)
  --token-tpm N             tokens per minute per token (default 100000000; 0 = no limit)
  --shutdown-grace-ms N     on SIGTERM, how long responses in flight may finish (default 5000)
  --wafer-tok-s N           wafer tier decode rate per stream (default 1200)
  --wafer-burst-tok-s N     wafer tier burst rate (default 4000)
  --wafer-burst MODE        off | always | speculative (default off)
  --wafer-slots N           wafer tier concurrent sequences (default 64)
  --gpu-tok-s N             gpu tier decode rate per stream (default 90)
  --gpu-slots N             gpu tier concurrent sequences (default 256)
  --queue N                 requests allowed to wait per tier (default 256 wafer, 1024 gpu)
  --context-window N        context window in tokens (default ${DEFAULT_CONTEXT_WINDOW_TOKENS})
  --delta-interval-ms N     least time between two deltas of one stream, each with every token
                            due by then (default ${DEFAULT_DELTA_INTERVAL_MS}; 0: as soon as one is due)
  --max-message-bytes N     largest WebSocket message / HTTP body, both profiles (default
                            ${CORE_MAX_MESSAGE_BYTES}; hotline.v1 4194304)
  --max-age-ms N            WebSocket connection age limit (default ${DEFAULT_CONNECTION_MAX_AGE_MS})
  --max-in-flight N         hotline.v1 responses in flight per session (default 8)
  --resume-window-ms N      how long a lost session stays resumable (default 300000)
  --heartbeat-ms N          hotline.v1 heartbeat_interval_ms (default 5000)
  --requests-per-minute N   hotline.v1 request rate limit per session (default 6000)
  --no-hotline              never select hotline.v1 (core profile only)
  --permessage-deflate      negotiate permessage-deflate with clients that offer it (2 KiB
                            server window, 256 connections per token; TRANSPORT-21)
  --fault NAME              break exactly one rule on the wire (conformance self-test)
  --list-faults             print the faults, one per line: NAME  RULE-ID  what it breaks
  --redis URL               join a fleet sharing this Redis (redis://host:port): stored
                            responses, their event streams, leases and cancels are shared
                            by every instance started with the same URL (spec/fleet.md)
  --lease-ms N              with --redis: lease on each generation; an instance that stops
                            renewing it loses its responses after N ms (default 3000)
  --log-level LEVEL         fatal|error|warn|info|debug|trace|silent (default info)
  -h, --help                show this help`;

/** Log levels of `--log-level`, in the order `--help` lists them. */
const LOG_LEVELS: readonly LogLevel[] = [
  "fatal",
  "error",
  "warn",
  "info",
  "debug",
  "trace",
  "silent",
];

/** Timer delays: 1 ms up to the longest delay a Node timer honours. */
const MS: IntegerRule = { min: 1, max: MAX_TIMER_MS };
const NO_LIMIT: IntegerRule = { min: 0, note: "0: no limit" };

/** Runs `hotline serve`; resolves to the exit code after a signal stopped the server. */
export async function run(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError((error as Error).message);
  }
  const { values } = parsed;
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (values["list-faults"]) {
    console.log(formatFaultTable());
    return 0;
  }
  const fault = values.fault;
  if (fault !== undefined && !isFaultName(fault)) {
    throw new UsageError(`unknown fault '${fault}' (see --list-faults)`);
  }
  // Every value is checked here, before anything starts (a bad one is a usage error).
  const int = (flag: keyof typeof values, rule: IntegerRule) =>
    integerOption(flag, values[flag] as string | undefined, rule);
  const port = int("port", { min: 0, max: 65535 });
  const logLevel = choiceOption("log-level", values["log-level"], LOG_LEVELS);
  const session: Record<string, number> = {};
  for (const [flag, key, rule] of [
    ["max-in-flight", "maxInFlight", { min: 1 }],
    ["resume-window-ms", "resumeWindowMs", { min: 0, max: MAX_TIMER_MS }],
    ["heartbeat-ms", "heartbeatIntervalMs", MS],
    ["requests-per-minute", "requestsPerMinute", { min: 1 }],
    ["shutdown-grace-ms", "shutdownGraceMs", { min: 0, max: MAX_TIMER_MS }],
  ] as const) {
    const n = int(flag, rule);
    if (n !== undefined) session[key] = n;
  }
  const limits: Record<string, number> = {};
  for (const [flag, key] of [
    ["token-connections", "connections"],
    ["token-in-flight", "inFlight"],
    ["token-rpm", "requestsPerMinute"],
    ["token-tpm", "tokensPerMinute"],
  ] as const) {
    const n = int(flag, NO_LIMIT);
    if (n !== undefined) limits[key] = n;
  }
  let fileTokens: string[] = [];
  if (values["tokens-file"] !== undefined) {
    try {
      fileTokens = readTokensFile(values["tokens-file"]);
    } catch (error) {
      throw new UsageError(`--tokens-file: ${(error as Error).message}`);
    }
  }
  const tokens = [
    ...(values.token ?? []),
    ...(process.env.HOTLINE_TOKENS ?? "").split(",").map((t) => t.trim()),
    ...fileTokens,
  ].filter((t) => t !== "");
  const burst = choiceOption("wafer-burst", values["wafer-burst"], [
    "off",
    "always",
    "speculative",
  ] as const);
  const tiers: TiersOverrides = { wafer: {}, gpu: {} };
  const set = (tier: "wafer" | "gpu", key: string, value: number | undefined) => {
    if (value !== undefined) (tiers[tier] as Record<string, number>)[key] = value;
  };
  const rate = (flag: "wafer-tok-s" | "wafer-burst-tok-s" | "gpu-tok-s") =>
    positiveNumberOption(flag, values[flag]);
  set("wafer", "decodeTokensPerSecond", rate("wafer-tok-s"));
  set("wafer", "burstTokensPerSecond", rate("wafer-burst-tok-s"));
  set("wafer", "maxConcurrentSequences", int("wafer-slots", { min: 1 }));
  set("gpu", "decodeTokensPerSecond", rate("gpu-tok-s"));
  set("gpu", "maxConcurrentSequences", int("gpu-slots", { min: 1 }));
  const queue = int("queue", { min: 0 });
  set("wafer", "maxQueue", queue);
  set("gpu", "maxQueue", queue);
  if (burst !== undefined) tiers.wafer!.burstMode = burst;
  const host = values.host ?? "127.0.0.1";
  const contextWindow = int("context-window", { min: 1 });
  const deltaInterval = int("delta-interval-ms", { min: 0, max: 1000 });
  const maxMessageBytes = int("max-message-bytes", { min: 1 });
  const maxAge = int("max-age-ms", MS);
  const leaseMs = int("lease-ms", { min: 100, max: MAX_TIMER_MS });
  let redis: { url: string; leaseMs?: number } | undefined;
  if (values.redis !== undefined) {
    try {
      redis = {
        url: parseRedisUrl(values.redis).url,
        ...(leaseMs === undefined ? {} : { leaseMs }),
      };
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  } else if (leaseMs !== undefined) {
    throw new UsageError("--lease-ms needs --redis");
  }
  const server = await startServer({
    host,
    port: port ?? 8080,
    tokens,
    backend: {
      tiers,
      ...(contextWindow === undefined ? {} : { contextWindowTokens: contextWindow }),
      ...(deltaInterval === undefined ? {} : { deltaIntervalMs: deltaInterval }),
    },
    logLevel: logLevel ?? "info",
    ...(maxMessageBytes === undefined ? {} : { maxMessageBytes }),
    ...(maxAge === undefined ? {} : { connectionMaxAgeMs: maxAge }),
    ...(fault === undefined ? {} : { fault }),
    ...(values["no-hotline"] ? { hotline: false } : {}),
    ...(values["permessage-deflate"] ? { permessageDeflate: true } : {}),
    session,
    limits,
    ...(values["allowed-origin"] ? { allowedOrigins: values["allowed-origin"] } : {}),
    ...(values.model ? { models: modelNames(values.model) } : {}),
    ...(redis === undefined ? {} : { redis }),
  }).catch((error: unknown) => {
    if (!(error instanceof RedisUnreachableError)) throw error;
    console.error(`hotline serve: ${error.message}`);
    return undefined;
  });
  if (server === undefined) return 1;
  console.log(`listening on ${server.url}`);
  console.log(`websocket ${server.wsUrl}`);
  if (fault !== undefined)
    console.error(`warning: fault '${fault}' injected: this server breaks a rule`);
  if (tokens.length === 0 && !["127.0.0.1", "::1", "localhost"].includes(host)) {
    console.error("warning: no --token given and the host is not loopback: anyone can connect");
  }
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      server.logger.info({ signal }, "stopping");
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      server.close().then(resolve, resolve);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  return 0;
}

function parse(argv: string[]) {
  return parseArgs({
    args: joinNegativeValues(argv),
    strict: true,
    options: {
      host: { type: "string" },
      port: { type: "string" },
      token: { type: "string", multiple: true },
      "tokens-file": { type: "string" },
      "allowed-origin": { type: "string", multiple: true },
      model: { type: "string", multiple: true },
      "token-connections": { type: "string" },
      "token-in-flight": { type: "string" },
      "token-rpm": { type: "string" },
      "token-tpm": { type: "string" },
      "shutdown-grace-ms": { type: "string" },
      "wafer-tok-s": { type: "string" },
      "wafer-burst-tok-s": { type: "string" },
      "wafer-burst": { type: "string" },
      "wafer-slots": { type: "string" },
      "gpu-tok-s": { type: "string" },
      "gpu-slots": { type: "string" },
      queue: { type: "string" },
      "context-window": { type: "string" },
      "delta-interval-ms": { type: "string" },
      "max-message-bytes": { type: "string" },
      "max-age-ms": { type: "string" },
      "max-in-flight": { type: "string" },
      "resume-window-ms": { type: "string" },
      "heartbeat-ms": { type: "string" },
      "requests-per-minute": { type: "string" },
      "no-hotline": { type: "boolean" },
      "permessage-deflate": { type: "boolean" },
      fault: { type: "string" },
      "list-faults": { type: "boolean" },
      redis: { type: "string" },
      "lease-ms": { type: "string" },
      "log-level": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}

/** `--model` values: non-empty names without whitespace, each once. */
function modelNames(values: readonly string[]): string[] {
  for (const name of values) {
    if (!/^\S{1,128}$/.test(name)) {
      throw new UsageError(
        `--model must be a name of 1 to 128 characters without spaces, got '${name}'`,
      );
    }
  }
  return [...new Set(values)];
}
