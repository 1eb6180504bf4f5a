/**
 * The WebSocket binding's front door: `GET /v1/responses` with an upgrade. Authentication and
 * origin checks answer with HTTP 401/403 and a JSON body before any 101 (TRANSPORT-8/9); the
 * profile is chosen from the offered subprotocols (none → core, TRANSPORT-2).
 */
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import { errorBody, type TokenAuth } from "../auth.js";
import type { ResponsesService } from "../responses/service.js";
import type { Profile, Session } from "../session/session.js";
import { attachConnection } from "./connection.js";

/** Options of the WebSocket binding. */
export interface WebSocketBindingOptions {
  service: ResponsesService;
  auth: TokenAuth;
  /** Largest accepted message (default 1 MiB). */
  maxMessageBytes: number;
  /** Connection age limit. */
  maxAgeMs: number;
  /** Unsent bytes above which generation pauses. */
  highWaterBytes: number;
  /** Browser origins allowed to connect; undefined allows all. */
  allowedOrigins?: readonly string[];
  /**
   * Whether `hotline.v1` may be selected. Off until the session layer exists: a server that
   * selected it without speaking it would break every Hotline client.
   */
  hotlineEnabled: boolean;
  onOpen?: (session: Session) => void;
  onClose?: (session: Session) => void;
}

/** The upgrade handler and the ws server behind it. */
export interface WebSocketBinding {
  /** Handles an HTTP `upgrade` event. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Closes every connection with `code` and stops accepting. */
  close(code: number, reason: string): void;
  /** Open connections. */
  readonly server: WebSocketServer;
}

function refuse(socket: Duplex, status: number, text: string, body: string): void {
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Creates the WebSocket binding. */
export function createWebSocketBinding(options: WebSocketBindingOptions): WebSocketBinding {
  const profiles = new WeakMap<IncomingMessage, Profile>();
  const server = new WebSocketServer({
    noServer: true,
    // Twice the limit: frames between the limit and this get the error event before the
    // 1009 close (TRANSPORT-14); larger ones are cut off by ws itself, still with 1009.
    maxPayload: options.maxMessageBytes * 2,
    perMessageDeflate: false,
    clientTracking: true,
    handleProtocols: (offered, request) => {
      if (options.hotlineEnabled && offered.has("hotline.v1")) {
        profiles.set(request, "hotline.v1");
        return "hotline.v1";
      }
      return false;
    },
  });
  return {
    server,
    handleUpgrade(request, socket, head) {
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
        refuse(
          socket,
          403,
          "Forbidden",
          errorBody("forbidden_origin", `Origin ${origin} is not allowed.`),
        );
        return;
      }
      server.handleUpgrade(request, socket, head, (ws) => {
        attachConnection(ws, {
          profile: profiles.get(request) ?? "core",
          principal,
          service: options.service,
          maxMessageBytes: options.maxMessageBytes,
          maxAgeMs: options.maxAgeMs,
          highWaterBytes: options.highWaterBytes,
          ...(options.onOpen ? { onOpen: options.onOpen } : {}),
          ...(options.onClose ? { onClose: options.onClose } : {}),
        });
      });
    },
    close(code, reason) {
      for (const ws of server.clients) ws.close(code, reason);
      server.close();
    },
  };
}
