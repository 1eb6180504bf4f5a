/**
 * The HTTP request handler: operational endpoints (`/healthz`, `/metrics`) and the responses
 * routes behind bearer authentication. Every refusal is a registry error with its status.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { ProtocolError } from "../../src/protocol/index.js";
import { errorBody, type TokenAuth } from "../policy/auth.js";
import type { PrincipalLimits } from "../policy/limits.js";
import type { Logger } from "../telemetry/logger.js";
import type { ServerMetrics } from "../telemetry/metrics.js";
import type { ResponsesService } from "../responses/service.js";
import { sendError, sendJson } from "./body.js";
import { compactResponse } from "./compact-route.js";
import { type ModelCatalog, serveModels } from "./models-routes.js";
import { servePlayground } from "./playground.js";
import { cancelResponse, createResponse, getResponse } from "./responses-routes.js";

/** What the router needs. */
export interface RouterOptions {
  service: ResponsesService;
  auth: TokenAuth;
  metrics: ServerMetrics;
  logger: Logger;
  maxBodyBytes: number;
  /** Extra fields for `/healthz`. */
  health: () => Record<string, unknown>;
  /** Per-principal limits (429 `rate_limit_exceeded`). */
  limits?: PrincipalLimits;
  /** The served models (`GET /v1/models`). */
  models: ModelCatalog;
  /** Whether the server is draining for shutdown (new creates get 503). */
  stopping?: () => boolean;
  /** Browser origins allowed to call the API (default: any); others get 403 `forbidden_origin`. */
  allowedOrigins?: readonly string[];
  /**
   * A fleet's responses owned by other instances (`--redis`): made answerable here before a
   * `GET` or cancel looks the id up (default: none; this process is the whole server).
   */
  shared?: {
    /** Whether `run` is this instance's copy of a response another instance owns. */
    isCopy(run: unknown): boolean;
    prepare(id: string, principal: string): Promise<void>;
    cancelRemote(id: string, principal: string): Promise<void>;
    /** Resolves once what this instance queued for the others is written. */
    written(): Promise<void>;
    /** Loads a stored response generated elsewhere for a continuation; undefined: nothing to load. */
    loadPrevious(id: string, principal: string): Promise<void> | undefined;
  };
}

const RESPONSE_PATH = /^\/v1\/responses\/([^/]+)(\/cancel)?$/;

/** Creates the `request` listener of the HTTP server. */
export function createRouter(
  options: RouterOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    // No API answer (JSON, SSE, error) may be stored by a cache: each is one principal's data.
    res.setHeader("Cache-Control", "no-store");
    route(req, res, options).catch((error: unknown) => {
      if (error instanceof ProtocolError) {
        sendError(res, error);
        return;
      }
      if (clientGone(req, res)) {
        // The peer went away mid-request: routine, not the server's fault, no stack.
        options.logger.debug(
          { url: req.url, code: (error as NodeJS.ErrnoException).code },
          "request aborted by the client",
        );
        return;
      }
      options.logger.error({ err: error, url: req.url }, "request failed");
      sendError(res, new ProtocolError("server_error", "The server had an error."));
    });
  };
}

async function route(
  req: IncomingMessage,
  res: ServerResponse,
  options: RouterOptions,
): Promise<void> {
  const url = new URL(req.url ?? "/", "http://localhost");
  const path = url.pathname;
  const method = req.method ?? "GET";
  if (path === "/healthz" && method === "GET") {
    sendJson(res, 200, { status: "ok", ...options.health() });
    return;
  }
  if (path === "/metrics" && method === "GET") {
    const { contentType, body } = await options.metrics.render();
    res.writeHead(200, { "Content-Type": contentType });
    res.end(body);
    return;
  }
  // The playground page and the browser client (issue 7); no authentication, static files.
  if (method === "GET" && (await servePlayground(path, res))) return;
  const origin = req.headers.origin;
  if (
    path.startsWith("/v1/") &&
    options.allowedOrigins &&
    origin !== undefined &&
    !options.allowedOrigins.includes(origin)
  ) {
    // HTTP-20: the allowlist guards the HTTP binding as it guards upgrades (TRANSPORT-8).
    options.logger.info({ origin, path }, "request refused: origin");
    throw new ProtocolError("forbidden_origin", `Origin ${origin} is not allowed.`);
  }
  if (path === "/v1/models" || path.startsWith("/v1/models/")) {
    if (method !== "GET") {
      methodNotAllowed(res, method, path, "GET");
      return;
    }
    if (options.auth.authenticate(req) === undefined) {
      throw new ProtocolError("unauthorized", "A valid bearer token is required.");
    }
    if (serveModels(path, res, options.models)) return;
  }
  if (!path.startsWith("/v1/responses")) {
    sendJson(res, 404, errorBody("not_found", `No route for ${method} ${path}.`));
    return;
  }
  if (path === "/v1/responses" && method !== "GET" && method !== "POST") {
    methodNotAllowed(res, method, path, "GET, POST");
    return;
  }
  if (path === "/v1/responses" && method === "GET") {
    // The WebSocket endpoint (TRANSPORT-1) asked for without an upgrade.
    res.writeHead(426, { "Content-Type": "application/json", Upgrade: "websocket" });
    res.end(errorBody("upgrade_required", "GET /v1/responses needs a WebSocket upgrade."));
    return;
  }
  const principal = options.auth.authenticate(req);
  if (principal === undefined) {
    options.logger.info({ remote: req.socket.remoteAddress }, "request refused: token");
    throw new ProtocolError("unauthorized", "A valid bearer token is required.");
  }
  if (path === "/v1/responses" && method === "POST") {
    if (options.stopping?.()) {
      res.setHeader("Connection", "close");
      throw new ProtocolError("server_shutting_down", "The server is shutting down.");
    }
    const shared = options.shared;
    await createResponse(req, res, principal, {
      service: options.service,
      maxBodyBytes: options.maxBodyBytes,
      ...(options.limits ? { limits: options.limits } : {}),
      ...(shared
        ? {
            written: () => shared.written(),
            loadPrevious: (id: string) => shared.loadPrevious(id, principal),
          }
        : {}),
    });
    return;
  }
  if (path === "/v1/responses/compact") {
    if (method !== "POST") {
      methodNotAllowed(res, method, path, "POST");
      return;
    }
    const shared = options.shared;
    await compactResponse(req, res, principal, {
      service: options.service,
      maxBodyBytes: options.maxBodyBytes,
      ...(options.limits ? { limits: options.limits } : {}),
      ...(shared ? { loadPrevious: (id: string) => shared.loadPrevious(id, principal) } : {}),
    });
    return;
  }
  const match = RESPONSE_PATH.exec(path);
  if (!match) {
    sendJson(res, 404, errorBody("not_found", `No route for ${method} ${path}.`));
    return;
  }
  const id = decodePathSegment(match[1]!);
  if (id === undefined) {
    // A malformed percent-escape names no response: the client's error, not a server_error.
    sendJson(res, 404, errorBody("response_not_found", `No response has the id ${match[1]}.`));
    return;
  }
  const cancel = match[2] !== undefined;
  const shared = options.shared;
  const known = shared && options.service.store.get(id, principal, false);
  const answered = method === (cancel ? "POST" : "GET");
  if (shared && answered && (known === undefined || shared.isCopy(known))) {
    await (cancel ? shared.cancelRemote(id, principal) : shared.prepare(id, principal));
  }
  if (cancel && method === "POST") {
    cancelResponse(res, id, principal, options.service);
    return;
  }
  if (!cancel && method === "GET") {
    getResponse(res, id, url.searchParams, principal, options.service, options.limits);
    return;
  }
  methodNotAllowed(res, method, path, cancel ? "POST" : "GET");
}

/** A 405 always names the methods the path has (RFC 9110 §15.5.6). */
function methodNotAllowed(res: ServerResponse, method: string, path: string, allow: string): void {
  res.writeHead(405, { "Content-Type": "application/json", Allow: allow });
  res.end(errorBody("method_not_allowed", `${method} ${path} is not supported.`));
}

/** Whether a failed request failed because its client disconnected (aborted body, reset). */
function clientGone(req: IncomingMessage, res: ServerResponse): boolean {
  const code = (req.errored as NodeJS.ErrnoException | null)?.code;
  return code === "ECONNRESET" || req.destroyed || res.destroyed;
}

function decodePathSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
