/**
 * The WebSocket binding's front door: `GET /v1/responses` with an upgrade. Authentication and
 * origin checks answer with HTTP 401/403 and a JSON body before any 101 (TRANSPORT-8/9); the
 * profile is chosen from the offered subprotocols (none → core, TRANSPORT-2).
 */
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import { errorBody, type TokenAuth } from "../policy/auth.js";
import { type ClientEvent, ProtocolError } from "../../src/protocol/index.js";
import type { PrincipalLimits } from "../policy/limits.js";
import type { Logger } from "../telemetry/logger.js";
import type { ResponsesService } from "../responses/service.js";
import { type Clock, RealClock } from "../../src/util/clock.js";
import type { SessionClock } from "../session/clock.js";
import { DEFAULT_MAX_DETACHED_SESSIONS, DetachedSessions } from "../session/detached-sessions.js";
import type { ConnectionBudgets } from "../session/hotline-config.js";
import { LANES_MAX_IN_FLIGHT } from "../session/lane.js";
import { SessionRegistry } from "../session/registry.js";
import type { ResponseRun } from "../responses/run.js";
import type { HandedResponse, LanePoint } from "../session/session.js";
import {
  type HotlineConfig,
  type Profile,
  Session,
  type SessionOptions,
  type SessionPort,
} from "../session/session.js";
import { attachConnection, type ConnectionTarget, DEFAULT_MAX_UNSENT_BYTES } from "./connection.js";
import { type DeflateOptions, DeflateSlots, wsDeflateOptions } from "./deflate.js";
import { boundIncompleteMessages, DEFAULT_INCOMPLETE_MESSAGE_MS } from "./incomplete-message.js";

/** A session of either profile (one class, configured by profile). */
export type AnySession = Session;

/**
 * Decorators wrapped around the binding's parts from outside the request path (the fault
 * injection of the conformance self-test): each returns what it was given when it has nothing
 * to change.
 */
export interface WebSocketDecorators {
  /** The options of each new session. */
  session?(options: SessionOptions): SessionOptions;
  /** One connection: the port its session sends on, then what the connection feeds. */
  connection?(profile: Profile, port: SessionPort): ConnectionDecorator;
}

/** What {@link WebSocketDecorators.connection} wraps of one connection. */
export interface ConnectionDecorator {
  /** The port the session sends on. */
  readonly port: SessionPort;
  /** Wraps what the connection feeds its session. */
  target(target: ConnectionTarget, session: AnySession): ConnectionTarget;
}

/** Options of the WebSocket binding. */
export interface WebSocketBindingOptions {
  service: ResponsesService;
  auth: TokenAuth;
  /** The time of the sessions' protocol timers (age, heartbeat, going-away, resume window). */
  clock: SessionClock;
  /** Largest accepted message (default 1 MiB). */
  maxMessageBytes: number;
  /** Connection age limit. */
  maxAgeMs: number;
  /** Unsent bytes above which generation pauses. */
  highWaterBytes: number;
  /** hotline.v1 sessions one principal may hold detached for a resume (RESUME-15; default 64). */
  maxDetachedSessions?: number;
  /** Unsent bytes past which a connection is closed, 1008 (TRANSPORT-18; default 4 MiB). */
  maxUnsentBytes?: number;
  /** Browser origins allowed to connect; undefined allows all. */
  allowedOrigins?: readonly string[];
  /** Whether `hotline.v1` is selected when offered (TRANSPORT-3). */
  hotlineEnabled: boolean;
  /**
   * Negotiate permessage-deflate when a client offers it (TRANSPORT-14). Every message is
   * compressed (deltas are far below ws's default 1 KiB threshold) with context takeover, so
   * repeated field names cost almost nothing: the "shared dictionary" of the published claims.
   */
  permessageDeflate?: boolean;
  /** Its memory bounds (TRANSPORT-21). */
  deflate?: DeflateOptions;
  /** Time a peer has to finish a message it started (TRANSPORT-20; default 30 s). */
  incompleteMessageMs?: number;
  /** hotline.v1 limits and timings. */
  hotline: HotlineConfig;
  /** Decorators applied from outside (fault injection); none in the reference server. */
  decorators?: WebSocketDecorators;
  /** Per-principal limits (connections here; creates in the sessions). */
  limits?: PrincipalLimits;
  /** Where refusals are logged (principals only: tokens are never logged). */
  logger?: Logger;
  onOpen?: (session: AnySession) => void;
  onClose?: (session: AnySession) => void;
  /** A fleet's sessions beyond this process (`--redis`; default: none). */
  shared?: SharedSessions;
}

/** A session another fleet instance handed over: its id, the responses it held, its cache. */
export interface TakenSession {
  readonly id: string;
  /** Every resume token of the session (the client may present any it was given). */
  readonly tokens: readonly string[];
  readonly responses: readonly { run: ResponseRun; bodyKey: string | undefined }[];
  readonly cached: readonly LanePoint[];
}

/**
 * hotline.v1 sessions shared by the instances of a fleet (reference-server/fleet/): tokens
 * issued here are published, and a resume token issued elsewhere takes that session over.
 */
export interface SharedSessions {
  /** A resume token was issued for a session here. */
  issued(token: string, session: Session): void;
  /** Takes over the session another instance holds for `token`; undefined when there is none. */
  takeOver(token: string, principal: string): Promise<TakenSession | undefined>;
  /** Loads a stored response generated elsewhere for a continuation; undefined: nothing to load. */
  loadPrevious(id: string, principal: string): Promise<void> | undefined;
  /** Resolves once every write queued so far (a token just issued) is shared. */
  written(): Promise<void>;
}

/**
 * A port whose frames wait, in order, until the promise given to `release` resolves (a fleet's
 * write of the token the first of them carries), then go straight through.
 */
function heldPort(port: SessionPort): {
  port: SessionPort;
  release(ready: Promise<void>): void;
} {
  let held: string[] | undefined = [];
  let heldBytes = 0;
  let closing: [number, string] | undefined;
  const release = (ready: Promise<void>): void => {
    void ready.then(() => {
      const frames = held ?? [];
      held = undefined;
      for (const json of frames) port.send(json);
      if (closing) port.close(...closing);
    });
  };
  return {
    release,
    port: {
      send(json) {
        if (!held) return port.send(json);
        held.push(json);
        heldBytes += json.length;
      },
      close(code, reason) {
        if (held) closing ??= [code, reason];
        else port.close(code, reason);
      },
      bufferedAmount: () => port.bufferedAmount() + (held ? heldBytes : 0),
      onDrain: (fn) => port.onDrain(fn),
    },
  };
}

/**
 * A fleet: what a `response.create` continuing a stored response another instance generated
 * waits for (FLEET-7). `store: false` never reaches the store (RESP-13): nothing to load.
 */
function loadPrevious(
  shared: SharedSessions,
  event: ClientEvent,
  principal: string,
): Promise<void> | undefined {
  if (event.type !== "response.create" || event.store === false) return undefined;
  const previous = event.previous_response_id;
  return typeof previous === "string" ? shared.loadPrevious(previous, principal) : undefined;
}

/** The upgrade handler and the ws server behind it. */
export interface WebSocketBinding {
  /** Handles an HTTP `upgrade` event. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /**
   * Stops accepting; hotline.v1 connections get `session.going_away` (SESSION-13) and close
   * once idle or at the deadline, then every other connection closes with `code`; every
   * hotline.v1 session is discarded.
   */
  close(code: number, reason: string): Promise<void>;
  /** The ws server of each profile (each assembles messages up to its own limit). */
  readonly servers: Readonly<Record<Profile, WebSocketServer>>;
  /** Open connections of both profiles. */
  clients(): WebSocket[];
  /** hotline.v1 sessions, connected or waiting for a resume. */
  readonly registry: SessionRegistry<Session>;
  /**
   * Hands the session `token` resumes over to another fleet instance (its connection closes as
   * `session_replaced`); the responses `keep` accepts go on. Undefined when none is held here.
   */
  handOff(token: string, principal: string, keep: (run: ResponseRun) => boolean): TakenHandOff;
  /** Holds a session another fleet instance handed over, until it is resumed here. */
  adopt(taken: TakenSession, principal: string): void;
}

/** What {@link WebSocketBinding.handOff} returns: the session handed over, or nothing. */
export type TakenHandOff =
  { id: string; tokens: string[]; responses: HandedResponse[]; cached: LanePoint[] } | undefined;

/** The resume token an upgrade presents (header, or browser subprotocol entry). */
export function resumeToken(request: IncomingMessage): string | undefined {
  const header = request.headers["hotline-resume-token"];
  if (typeof header === "string" && header.trim() !== "") return header.trim();
  const protocols = request.headers["sec-websocket-protocol"];
  if (typeof protocols === "string") {
    for (const entry of protocols.split(",")) {
      const name = entry.trim();
      if (name.startsWith("hotline.resume.")) return name.slice("hotline.resume.".length);
    }
  }
  return undefined;
}

function refuse(
  socket: Duplex,
  status: number,
  text: string,
  body: string,
  headers: Record<string, string | number> = {},
): void {
  const extra = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("");
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\n${extra}Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** The subprotocols an upgrade request offers (`Sec-WebSocket-Protocol`). */
function offeredProtocols(request: IncomingMessage): Set<string> {
  const header = request.headers["sec-websocket-protocol"];
  return new Set(
    (header ?? "")
      .split(",")
      .map((entry) => entry.trim())
      .filter(Boolean),
  );
}

/** Creates the WebSocket binding. */
export function createWebSocketBinding(options: WebSocketBindingOptions): WebSocketBinding {
  const decorators = options.decorators ?? {};
  // Waits for bytes to go out (close frames, a peer that stopped reading) take real time, even
  // when the protocol's timers run on a virtual clock.
  const io: Clock = new RealClock();
  const deflateSlots = new DeflateSlots(options.deflate);
  const budgets: ConnectionBudgets = {
    max_unsent_bytes: options.maxUnsentBytes ?? DEFAULT_MAX_UNSENT_BYTES,
    max_detached_sessions: options.maxDetachedSessions ?? DEFAULT_MAX_DETACHED_SESSIONS,
    incomplete_message_ms: options.incompleteMessageMs ?? DEFAULT_INCOMPLETE_MESSAGE_MS,
  };
  const shared = options.shared;
  const registry = new SessionRegistry<Session>(
    shared && ((token, session) => shared.issued(token, session)),
  );
  const coreSessions = new Set<Session>();
  const detached = new DetachedSessions<Session>(options.maxDetachedSessions);
  let stopping = false;
  // A core session is the same session configured for core: one response in flight per lane
  // and OpenAI's 16 across lanes (RESP-31, RESP-35), the connection's own age limit and
  // high-water mark, no finished responses kept.
  const coreConfig: HotlineConfig = {
    ...options.hotline,
    maxInFlight: LANES_MAX_IN_FLIGHT,
    connectionMaxAgeMs: options.maxAgeMs,
    highWaterBytes: options.highWaterBytes,
    keepFinished: 0,
  };
  const newSession = (profile: Profile, principal: string, id?: string): Session => {
    const hotline = profile === "hotline.v1";
    const sessionOptions: SessionOptions = {
      profile,
      service: options.service,
      principal,
      config: hotline ? options.hotline : coreConfig,
      clock: options.clock,
      ...(hotline ? { registry } : {}),
      ...(options.limits ? { limits: options.limits } : {}),
      ...(options.onClose ? { onClose: options.onClose } : {}),
      ...(hotline ? { budgets } : {}),
      ...(id === undefined ? {} : { id }),
      ...(shared ? { loadPrevious: (id: string) => shared.loadPrevious(id, principal) } : {}),
    };
    const session = new Session(decorators.session?.(sessionOptions) ?? sessionOptions);
    options.onOpen?.(session);
    if (!hotline) coreSessions.add(session);
    return session;
  };
  /**
   * A resume token issued by another fleet instance: its session, taken over, held here. Two
   * resumes with one token at once (a client that gave up on the first) share one take-over.
   */
  const takingOver = new Map<string, Promise<void>>();
  const takeOver = (token: string, principal: string): Promise<void> => {
    const running = takingOver.get(token);
    if (running) return running;
    const taking = takeOverOnce(token, principal).finally(() => takingOver.delete(token));
    takingOver.set(token, taking);
    return taking;
  };
  const takeOverOnce = async (token: string, principal: string): Promise<void> => {
    if (!shared || registry.lookup(token, principal)) return;
    const taken = await shared.takeOver(token, principal);
    if (taken) adoptTaken(taken, principal);
  };
  /** A session another instance handed over: held here, waiting for its resume. */
  const adoptTaken = (taken: TakenSession, principal: string): void => {
    if (stopping || taken.tokens.some((t) => registry.lookup(t, principal))) return;
    const session = newSession("hotline.v1", principal, taken.id);
    session.restoreCache(taken.cached);
    for (const { run, bodyKey } of taken.responses) session.adopt(run, bodyKey);
    for (const t of taken.tokens) registry.adopt(t, session);
    detached.detached(session);
  };
  const open = (
    profile: Profile,
    raw: SessionPort,
    principal: string,
    token: string | undefined,
  ): [ConnectionTarget, Session] => {
    const hotline = profile === "hotline.v1";
    // A fleet: the resume token in the first frame is shown once every instance can find it
    // (a client may drop and resume elsewhere as soon as it reads it, FLEET-1).
    const held = hotline && shared ? heldPort(raw) : undefined;
    const port = held?.port ?? raw;
    let session = token === undefined ? undefined : registry.lookup(token, principal);
    const resumed = session !== undefined;
    if (!session) {
      session = newSession(profile, principal);
    }
    if (hotline) detached.attached(session);
    session.attach(port, resumed);
    if (held && shared) held.release(shared.written());
    if (token !== undefined && !resumed) {
      // RESUME-4: a fresh session, then the error.
      session.sendError(
        new ProtocolError("resume_expired", "The resume token is unknown or expired.", {
          param: "Hotline-Resume-Token",
        }),
      );
    }
    const own = session;
    const current = () => own.port === port;
    const target: ConnectionTarget = {
      handle: (event) => {
        if (current()) own.handle(event);
      },
      sendError: (error) => {
        if (current()) own.sendError(error);
      },
      fail: (error) => {
        if (current()) own.fail(error);
        else port.close(error.closeCode ?? 1011, error.code);
      },
      closed: () => {
        own.detach(port);
        if (!hotline) coreSessions.delete(own);
        else if (!own.port) detached.detached(own);
      },
    };
    return [target, own];
  };
  // A connection's port and target, each through the connection decorator if there is one.
  const bind = (
    profile: Profile,
    raw: SessionPort,
    attach: (port: SessionPort) => [ConnectionTarget, AnySession],
  ): ConnectionTarget => {
    const decorator = decorators.connection?.(profile, raw);
    const [target, session] = attach(decorator?.port ?? raw);
    return decorator ? decorator.target(target, session) : target;
  };
  // One ws server per profile, so a message is assembled only up to twice the limit of its
  // own connection's profile (TRANSPORT-19): frames between the limit and that get the error
  // event before the 1009 close (TRANSPORT-13); larger ones are cut off by ws itself, still
  // with 1009. One server for both assembled every core message up to twice the hotline.v1
  // limit.
  const serverFor = (maxMessageBytes: number): WebSocketServer =>
    new WebSocketServer({
      noServer: true,
      maxPayload: maxMessageBytes * 2,
      perMessageDeflate: options.permessageDeflate ? wsDeflateOptions(options.deflate) : false,
      clientTracking: true,
      handleProtocols: (offered) => (offersHotline(offered) ? "hotline.v1" : false),
    });
  const offersHotline = (offered: ReadonlySet<string>): boolean =>
    options.hotlineEnabled && !stopping && offered.has("hotline.v1");
  const servers: Record<Profile, WebSocketServer> = {
    core: serverFor(options.maxMessageBytes),
    "hotline.v1": serverFor(options.hotline.maxMessageBytes),
  };
  const clients = (): WebSocket[] => [...servers.core.clients, ...servers["hotline.v1"].clients];
  return {
    servers,
    clients,
    registry,
    handleUpgrade(request, socket, head) {
      if (stopping) {
        refuse(
          socket,
          503,
          "Service Unavailable",
          errorBody("server_shutting_down", "The server is shutting down.", "server_error"),
        );
        return;
      }
      const path = (request.url ?? "/").split("?", 1)[0];
      if (path !== "/v1/responses") {
        refuse(
          socket,
          404,
          "Not Found",
          errorBody("not_found", `No WebSocket endpoint at ${path}.`),
        );
        return;
      }
      const principal = options.auth.authenticate(request);
      if (principal === undefined) {
        options.logger?.info({ remote: request.socket.remoteAddress }, "upgrade refused: token");
        refuse(
          socket,
          401,
          "Unauthorized",
          errorBody("unauthorized", "A valid bearer token is required.", "authentication_error"),
        );
        return;
      }
      const origin = request.headers.origin;
      if (
        options.allowedOrigins &&
        origin !== undefined &&
        !options.allowedOrigins.includes(origin)
      ) {
        options.logger?.info({ principal, origin }, "upgrade refused: origin");
        refuse(
          socket,
          403,
          "Forbidden",
          errorBody("forbidden_origin", `Origin ${origin} is not allowed.`),
        );
        return;
      }
      const release = options.limits?.openConnection(principal);
      if (release instanceof Error) {
        options.logger?.info({ principal }, "upgrade refused: connection limit");
        refuse(
          socket,
          429,
          "Too Many Requests",
          errorBody(release.code, release.message, release.errorType),
          { "Retry-After": release.retryAfterSeconds },
        );
        return;
      }
      // A socket that never completes the handshake (or closes during it) frees its slot.
      socket.once("close", () => release?.());
      // Past the principal's deflate connections, the offer is declined (TRANSPORT-21).
      const releaseDeflate = options.permessageDeflate
        ? deflateSlots.admit(request, principal)
        : undefined;
      socket.once("close", () => releaseDeflate?.());
      const upgrade = (hotlineOffered: boolean): void => {
        const server = servers[hotlineOffered ? "hotline.v1" : "core"];
        server.handleUpgrade(request, socket, head, (ws) => {
          ws.once("close", () => release?.());
          if (!ws.extensions.includes("permessage-deflate")) releaseDeflate?.();
          boundIncompleteMessages(ws, socket, io, options.incompleteMessageMs);
          const profile: Profile = ws.protocol === "hotline.v1" ? "hotline.v1" : "core";
          const token = profile === "hotline.v1" ? resumeToken(request) : undefined;
          attachConnection(ws, {
            io,
            socket,
            profile,
            maxMessageBytes:
              profile === "hotline.v1" ? options.hotline.maxMessageBytes : options.maxMessageBytes,
            ...(options.maxUnsentBytes === undefined
              ? {}
              : { maxUnsentBytes: options.maxUnsentBytes }),
            bind: (port) => bind(profile, port, (p) => open(profile, p, principal, token)),
            ...(shared ? { before: (event) => loadPrevious(shared, event, principal) } : {}),
          });
        });
      };
      const hotlineOffered = offersHotline(offeredProtocols(request));
      const presented = shared && hotlineOffered ? resumeToken(request) : undefined;
      if (presented !== undefined && !registry.lookup(presented, principal)) {
        // A token issued by another instance: take its session over first (a fleet).
        takeOver(presented, principal).then(
          () => upgrade(hotlineOffered),
          (error: unknown) => {
            options.logger?.warn({ err: (error as Error).message }, "session take-over failed");
            upgrade(hotlineOffered);
          },
        );
        return;
      }
      upgrade(hotlineOffered);
    },
    adopt: adoptTaken,
    handOff(token, principal, keep) {
      const session = registry.lookup(token, principal);
      if (!session) return undefined;
      detached.attached(session);
      const tokens = registry.tokensOf(session);
      return { id: session.id, tokens, ...session.handOff(keep) };
    },
    async close(code, reason) {
      stopping = true;
      for (const server of Object.values(servers)) server.close();
      const grace = options.hotline.shutdownGraceMs;
      const going: Promise<void>[] = [];
      for (const session of [...registry.sessions()]) {
        if (session.port) going.push(session.goAway("shutdown", grace));
      }
      // Core connections drain too: the response in flight may finish within the grace period.
      for (const session of [...coreSessions]) going.push(session.goAway("shutdown", grace));
      // A peer that never completes the close handshake cannot hold the shutdown past the
      // grace period (plus a margin for the terminal events and close frames to go out).
      let cancel: (() => void) | undefined;
      await Promise.race([
        Promise.all(going),
        new Promise<void>((resolve) => (cancel = io.setTimer(io.now() + grace + 2_000, resolve))),
      ]);
      cancel?.();
      for (const session of [...registry.sessions()]) session.discard();
      for (const ws of clients()) ws.close(code, reason);
      await new Promise<void>((resolve) => io.setTimer(io.now() + 50, resolve));
      for (const ws of clients()) ws.terminate();
    },
  };
}
