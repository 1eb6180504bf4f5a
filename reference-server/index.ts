/**
 * The Hotline reference server: public entry point. `startServer(options)` listens on one
 * port for both bindings (WebSocket upgrade and HTTP on `/v1/responses`) plus `/healthz` and
 * `/metrics`, all on one responses service over one simulated backend.
 */
import { createServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import {
  CORE_MAX_MESSAGE_BYTES,
  DEFAULT_CONNECTION_MAX_AGE_MS,
  warmValidators,
} from "../src/protocol/index.js";
import { TokenAuth } from "./policy/auth.js";
import { Backend, type BackendOptions } from "./backend/index.js";
import { ModelCatalog } from "./http/models-routes.js";
import { createRouter } from "./http/router.js";
import { combineObservers, ResponsesService, type ResponsesObserver } from "./responses/service.js";
import { createLogger, type Logger, type LogLevel } from "./telemetry/logger.js";
import { ServerMetrics } from "./telemetry/metrics.js";
import { type FaultName, isFaultName } from "./fault-injection/faults.js";
import { realSessionClock, type SessionClock } from "./session/clock.js";
import { faultyHttp, faultyWebSocket } from "./fault-injection/index.js";
import { PrincipalLimits, type PrincipalLimitsConfig } from "./policy/limits.js";
import { DEFAULT_HOTLINE_CONFIG, type HotlineConfig } from "./session/session.js";
import {
  type AnySession,
  createWebSocketBinding,
  type WebSocketBinding,
} from "./websocket/upgrade.js";
import type { DeflateOptions } from "./websocket/deflate.js";
import { sendCorkedWrites } from "./websocket/turn-cork.js";
import { ResponseStore } from "./responses/store.js";
import { Fleet, GatedBackend, parseRedisUrl } from "./fleet/index.js";

/** Options of {@link startServer}. */
export interface ServerOptions {
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Port (default 0: any free port). */
  port?: number;
  /** Accepted bearer tokens; none (the default) leaves the server open. */
  tokens?: readonly string[];
  /** A backend to use, or options for a new one (clock, tiers, context window...). */
  backend?: Backend | BackendOptions;
  /** Model used when a request names none (default: the first of `models`, or `hotline-sim-1`). */
  defaultModel?: string;
  /** The models served and listed by `GET /v1/models`; others are `model_not_found` (default: the default model alone). */
  models?: readonly string[];
  /**
   * Largest WebSocket message / HTTP body in bytes, for both profiles (default 1 MiB, and
   * 4 MiB for hotline.v1 unless `session.maxMessageBytes` says otherwise; TRANSPORT-11, TRANSPORT-12).
   */
  maxMessageBytes?: number;
  /** Negotiate permessage-deflate with clients that offer it (default false). */
  permessageDeflate?: boolean;
  /** Lifecycle hooks beside the server's own metrics (a benchmark's per-turn figures). */
  observer?: ResponsesObserver;
  /** permessage-deflate's memory bounds when enabled (TRANSPORT-21; see {@link DeflateOptions}). */
  deflate?: DeflateOptions;
  /** Time a peer has to finish a message it started (TRANSPORT-20; default 30 s). */
  incompleteMessageMs?: number;
  /** WebSocket connection age limit in ms (default {@link DEFAULT_CONNECTION_MAX_AGE_MS}, 60 minutes). */
  connectionMaxAgeMs?: number;
  /**
   * Unsent bytes per connection above which generation pauses (STREAM-15; default 32 KiB,
   * `DEFAULT_HOTLINE_CONFIG.highWaterBytes`, for both profiles).
   */
  highWaterBytes?: number;
  /**
   * Unsent bytes per WebSocket connection past which it is closed with 1008 (default 4 MiB;
   * TRANSPORT-18): a bound on what a peer that does not read can make the server queue.
   */
  maxUnsentBytes?: number;
  /**
   * hotline.v1 sessions one principal may hold detached, waiting for a resume (default 64;
   * RESUME-15); past it the oldest is discarded.
   */
  maxDetachedSessions?: number;
  /** Browser origins allowed to open WebSockets and call the HTTP API (default: any). */
  allowedOrigins?: readonly string[];
  /**
   * Time a client has to send a request's headers, in ms (default 10 s; Node's own default,
   * 60 s, lets a slow header sender hold a socket and a parser far longer than any client needs).
   * Answered 408 and closed.
   */
  headersTimeoutMs?: number;
  /** Time a client has to send a whole request, body included, in ms (default 30 s; Node: 300 s). */
  requestTimeoutMs?: number;
  /**
   * TCP connections open at once, server-wide, before any is authenticated (default 16,384;
   * Node's own default is none): one past it is closed as soon as it is accepted.
   */
  maxConnections?: number;
  /** Per-token limits (defaults: {@link DEFAULT_PRINCIPAL_LIMITS}; 0 disables one). */
  limits?: Partial<PrincipalLimitsConfig>;
  /** Select `hotline.v1` when offered (default true; false: core profile only). */
  hotline?: boolean;
  /** hotline.v1 session limits and timings (defaults: {@link DEFAULT_HOTLINE_CONFIG}). */
  session?: Partial<Omit<HotlineConfig, "contextWindowTokens" | "connectionMaxAgeMs">>;
  /** The time of the sessions' timers (default: the real clock); tests pass a virtual one. */
  sessionClock?: SessionClock;
  /** Break exactly one rule on the wire (conformance self-test; see faults.ts). */
  fault?: FaultName;
  /** Log level (default `info`; tests use `silent`). */
  logLevel?: LogLevel;
  /** A logger to use instead of a new one. */
  logger?: Logger;
  /** Serve HTTPS and WSS (TLS 1.3 minimum) with this PEM key and certificate. */
  tls?: { key: string; cert: string };
  /**
   * Run as one instance of a fleet sharing this Redis (`redis://host:port`; spec/fleet.md):
   * stored responses, their event streams, leases and cancels are shared. Default: none, the
   * process is the whole server and keeps everything in memory.
   */
  redis?: string | { url: string; leaseMs?: number; instanceId?: string; prefix?: string };
}

/** A running server. */
export interface RunningServer {
  /** `http(s)://host:port` (the HTTP base; the OpenAI SDK's baseURL is `${url}/v1`). */
  readonly url: string;
  /** `ws(s)://host:port/v1/responses`. */
  readonly wsUrl: string;
  readonly host: string;
  readonly port: number;
  /** The responses service both bindings call. */
  readonly service: ResponsesService;
  /** The simulated backend (counters, clock). */
  readonly backend: Backend;
  readonly metrics: ServerMetrics;
  readonly logger: Logger;
  /** Open WebSocket sessions (core) and held hotline.v1 sessions. */
  readonly sessions: ReadonlySet<AnySession>;
  /** The injected fault, if any. */
  readonly fault: FaultName | undefined;
  readonly httpServer: Server;
  readonly websocket: WebSocketBinding;
  /** Per-principal limits and their current state. */
  readonly limits: PrincipalLimits;
  /** The fleet this instance belongs to (`redis` option), if any. */
  readonly fleet: Fleet | undefined;
  /**
   * Graceful shutdown, idempotent: stops accepting; hotline.v1 sessions get
   * `session.going_away`; responses in flight may finish within the session's
   * `shutdownGraceMs`, then end with a terminal event; then every connection closes.
   */
  close(): Promise<void>;
}

/** Default time to receive a request's headers (HTTP-21). */
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
/** Default time to receive a whole request, body included (HTTP-21). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** Default bound on TCP connections open at once, server-wide (`maxConnections`). */
export const DEFAULT_MAX_CONNECTIONS = 16_384;

/** Starts the reference server and resolves once it listens. */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  warmValidators();
  const logger = options.logger ?? createLogger(options.logLevel ?? "info");
  const backend =
    options.backend instanceof Backend
      ? options.backend
      : new Backend({ beforeEnds: sendCorkedWrites, ...options.backend });
  const fault = options.fault;
  if (fault !== undefined && !isFaultName(fault)) {
    throw new RangeError(`unknown fault '${String(fault)}' (see --list-faults)`);
  }
  const fleet = options.redis === undefined ? undefined : await joinFleet(options.redis, logger);
  const sessions = new Set<AnySession>();
  const metrics: ServerMetrics = new ServerMetrics({
    counters: () => backend.counters(),
    // Called only at scrape time, after `service` below exists.
    inFlight: (): number => service.store.liveCount,
  });
  const gated = fleet && new GatedBackend(backend, () => fleet.refusal());
  if (gated) fleet?.useBackend(gated);
  const service = new ResponsesService({
    backend: gated ?? backend,
    prefixCache: backend.kvCache,
    contextWindowTokens: backend.contextWindowTokens,
    observer: combineObservers(
      metrics.observer(),
      ...(fleet ? [fleet.observer] : []),
      ...(options.observer ? [options.observer] : []),
    ),
    ...(fleet ? { store: new ResponseStore({ shared: fleet }) } : {}),
    ...(options.models ? { models: options.models } : {}),
    ...(options.defaultModel ? { defaultModel: options.defaultModel } : {}),
  });
  const models = new ModelCatalog(service.models, Math.floor(Date.now() / 1000));
  const maxMessageBytes = options.maxMessageBytes ?? CORE_MAX_MESSAGE_BYTES;
  const auth = new TokenAuth(options.tokens ?? []);
  const limits = new PrincipalLimits(options.limits);
  if (fleet) {
    limits.shareWith(fleet.usageElsewhere);
    fleet.useLimits(limits);
  }
  let stopping = false;
  const websocket = createWebSocketBinding({
    service,
    auth,
    clock: options.sessionClock ?? realSessionClock(Date.now()),
    maxMessageBytes,
    maxAgeMs: options.connectionMaxAgeMs ?? DEFAULT_CONNECTION_MAX_AGE_MS,
    highWaterBytes: options.highWaterBytes ?? DEFAULT_HOTLINE_CONFIG.highWaterBytes,
    ...(options.maxUnsentBytes === undefined ? {} : { maxUnsentBytes: options.maxUnsentBytes }),
    ...(options.maxDetachedSessions === undefined
      ? {}
      : { maxDetachedSessions: options.maxDetachedSessions }),
    hotlineEnabled: options.hotline ?? true,
    permessageDeflate: options.permessageDeflate ?? false,
    deflate: options.deflate,
    incompleteMessageMs: options.incompleteMessageMs,
    hotline: {
      ...DEFAULT_HOTLINE_CONFIG,
      // An explicit limit is the limit of both profiles; without one, hotline.v1 keeps its
      // larger default.
      maxMessageBytes: options.maxMessageBytes ?? DEFAULT_HOTLINE_CONFIG.maxMessageBytes,
      highWaterBytes: options.highWaterBytes ?? DEFAULT_HOTLINE_CONFIG.highWaterBytes,
      ...options.session,
      contextWindowTokens: backend.contextWindowTokens,
      connectionMaxAgeMs: options.connectionMaxAgeMs ?? DEFAULT_CONNECTION_MAX_AGE_MS,
    },
    ...(fault === undefined ? {} : { decorators: faultyWebSocket(fault) }),
    limits,
    logger,
    ...(options.allowedOrigins ? { allowedOrigins: options.allowedOrigins } : {}),
    ...(fleet ? { shared: fleet } : {}),
    onOpen: (session) => {
      sessions.add(session);
      metrics.sessions.inc({ profile: session.profile });
      logger.debug({ session: session.id, profile: session.profile }, "session opened");
    },
    onClose: (session) => {
      sessions.delete(session);
      metrics.sessions.dec({ profile: session.profile });
      logger.debug({ session: session.id }, "session closed");
    },
  });
  fleet?.useLocal({
    handOff: (token, principal, keep) => websocket.handOff(token, principal, keep),
    holds: (token, principal) => websocket.registry.lookup(token, principal) !== undefined,
    adopt: (taken, principal) => websocket.adopt(taken, principal),
    response: (id, principal) => service.store.get(id, principal, false),
  });
  const reference = createRouter({
    service,
    auth,
    metrics,
    logger,
    maxBodyBytes: maxMessageBytes,
    models,
    limits,
    stopping: () => stopping,
    ...(options.allowedOrigins ? { allowedOrigins: options.allowedOrigins } : {}),
    ...(fleet ? { shared: fleet } : {}),
    health: () => ({ sessions: sessions.size, in_flight: service.store.liveCount }),
  });
  const router = fault === undefined ? reference : faultyHttp(fault, reference);
  const headersTimeout = options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS;
  const timeouts = {
    headersTimeout,
    requestTimeout: Math.max(
      headersTimeout,
      options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    ),
    // Node checks both timeouts on this period (default 30 s, which would triple a 10-s bound).
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(headersTimeout / 4))),
  };
  // An https.Server is an http.Server for every use here (listen, upgrade, close).
  const httpServer = options.tls
    ? (createHttpsServer(
        {
          keepAlive: true,
          ...timeouts,
          key: options.tls.key,
          cert: options.tls.cert,
          minVersion: "TLSv1.3",
        },
        router,
      ) as unknown as Server)
    : createServer({ keepAlive: true, ...timeouts }, router);
  httpServer.maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  httpServer.on("upgrade", (req, socket, head) => websocket.handleUpgrade(req, socket, head));
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(options.port ?? 0, host, () => {
      httpServer.off("error", reject);
      resolve();
    });
  });
  const port = (httpServer.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  const finalService = service;
  logger.info({ host, port }, "listening");
  return {
    url: `${options.tls ? "https" : "http"}://${urlHost}:${port}`,
    wsUrl: `${options.tls ? "wss" : "ws"}://${urlHost}:${port}/v1/responses`,
    host,
    port,
    service: finalService,
    backend,
    metrics,
    logger,
    sessions,
    fault: options.fault,
    httpServer,
    websocket,
    limits,
    fleet,
    close() {
      closing ??= (async () => {
        stopping = true;
        const grace = options.session?.shutdownGraceMs ?? DEFAULT_HOTLINE_CONFIG.shutdownGraceMs;
        const deadline = performance.now() + grace;
        const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
        httpServer.closeIdleConnections();
        await websocket.close(1001, "server shutting down");
        // HTTP responses in flight (JSON or SSE) may finish within the same grace period.
        while (finalService.store.liveCount > 0 && performance.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        // What still runs ends with its terminal event (`response.incomplete`), written
        // before the connections close.
        finalService.cancelAll();
        backend.close();
        await new Promise((resolve) => setTimeout(resolve, 20));
        await fleet?.close();
        httpServer.closeAllConnections();
        await closed;
        logger.info("stopped");
      })();
      return closing;
    },
  };
}

async function joinFleet(
  redis: NonNullable<ServerOptions["redis"]>,
  logger: Logger,
): Promise<Fleet> {
  const { url, ...rest } = typeof redis === "string" ? { url: redis } : redis;
  return Fleet.connect({ address: parseRedisUrl(url), logger, ...rest });
}

export type { HotlineConfig, Profile, Session } from "./session/session.js";
/** @deprecated The one `Session` class serves both profiles. */
export type { Session as HotlineSession } from "./session/session.js";
export type { AnySession } from "./websocket/upgrade.js";
export { DEFLATE_DEFAULTS, type DeflateOptions } from "./websocket/deflate.js";
export { FAULTS, type FaultName, formatFaultTable } from "./fault-injection/faults.js";
export { sessionClock, type SessionClock } from "./session/clock.js";
export {
  DEFAULT_PRINCIPAL_LIMITS,
  PrincipalLimits,
  type PrincipalLimitsConfig,
} from "./policy/limits.js";
export type { ResponsesService, CreateContext, ResponsesObserver } from "./responses/service.js";
export type { ResponseRun, RunProfile, RunOutcome } from "./responses/run.js";
export type { LoggedEvent, EventLog } from "./responses/event-log.js";
// The backend as the options and the running server expose it (a clock to inject, counters to
// read), so that callers such as the bench need nothing past this entry point.
export {
  Backend,
  type BackendCounters,
  type BackendOptions,
  type Clock,
  RealClock,
  type RealClockOptions,
  type TierCounters,
  VirtualClock,
} from "./backend/index.js";
// A fleet's event write as it goes to Redis, for bench/fleet-write.ts to measure apart.
export { APPEND_BATCHES, encodeBatch, packBatch, packBatches } from "./fleet/index.js";
