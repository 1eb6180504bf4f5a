/**
 * The one thing the client needs from a WebSocket implementation, so the same client runs on
 * Node (`ws`, which can set headers) and in browsers (the global `WebSocket`, which cannot:
 * credentials and the resume token then travel as subprotocol entries, TRANSPORT-6, RESUME-1).
 *
 * @module
 */
import { HOTLINE_PROFILE } from "../protocol/events.gen.js";

/** An open connection. */
export interface ClientSocket {
  /** The subprotocol the server selected; `""` means the core profile. */
  readonly protocol: string;
  /** Sends one text frame. */
  send(data: string): void;
  /** Closes politely. */
  close(code?: number, reason?: string): void;
  /** Drops the connection at once (the watchdog uses it on a dead peer). */
  abort(): void;
}

/** What a socket reports after it opened. */
export interface SocketHandlers {
  onMessage(data: string): void;
  onClose(code: number, reason: string): void;
}

/** How to open a socket. */
export interface OpenSocketOptions {
  url: string;
  /** Subprotocols to offer, e.g. `["hotline.v1"]`; empty asks for the core profile. */
  protocols: string[];
  /** Bearer token, sent as a header or as `hotline.bearer.<token>`. */
  bearerToken?: string;
  /** Resume token, sent as a header or as `hotline.resume.<token>`. */
  resumeToken?: string;
  handlers: SocketHandlers;
}

/**
 * Opens a socket; resolves once it is open, rejects with a `HotlineClientError`
 * (`connect_failed`) otherwise.
 */
export type SocketFactory = (options: OpenSocketOptions) => Promise<ClientSocket>;

/** The offered subprotocol list for clients that cannot set headers (browsers). */
export function subprotocolsWithTokens(options: OpenSocketOptions): string[] {
  const list = [...options.protocols];
  // The credential entries only make sense next to hotline.v1 (TRANSPORT-6); a core-only
  // browser client cannot authenticate at all.
  if (list.includes(HOTLINE_PROFILE)) {
    if (options.bearerToken) list.push(`hotline.bearer.${options.bearerToken}`);
    if (options.resumeToken) list.push(`hotline.resume.${options.resumeToken}`);
  }
  return list;
}
