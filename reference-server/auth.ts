/**
 * Bearer-token authentication shared by both bindings. With no tokens configured the server
 * is open (the loopback default); otherwise every request and upgrade needs one of them.
 */
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

/** Who a request authenticated as: the token itself, or `anonymous` on an open server. */
export type Principal = string;

/** Checks bearer tokens against a fixed set. */
export class TokenAuth {
  readonly #tokens: Buffer[];

  /** Creates an authenticator; an empty list accepts everyone as `anonymous`. */
  constructor(tokens: readonly string[]) {
    this.#tokens = tokens.filter((t) => t !== "").map((t) => Buffer.from(t));
  }

  /** Whether tokens are required. */
  get enabled(): boolean {
    return this.#tokens.length > 0;
  }

  /** The principal for a presented token, or undefined when it is refused. */
  check(token: string | undefined): Principal | undefined {
    if (!this.enabled) return "anonymous";
    if (token === undefined) return undefined;
    const given = Buffer.from(token);
    for (const known of this.#tokens) {
      if (known.length === given.length && timingSafeEqual(known, given)) return `token:${token}`;
    }
    return undefined;
  }

  /**
   * The principal of a request: `Authorization: Bearer <token>`, or (browsers, hotline.v1) a
   * `hotline.bearer.<token>` subprotocol entry.
   */
  authenticate(request: IncomingMessage): Principal | undefined {
    return this.check(bearerToken(request));
  }
}

/** The bearer token a request presents, if any. */
export function bearerToken(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    if (match) return match[1];
  }
  const protocols = request.headers["sec-websocket-protocol"];
  if (typeof protocols === "string") {
    for (const entry of protocols.split(",")) {
      const name = entry.trim();
      if (name.startsWith("hotline.bearer.")) return name.slice("hotline.bearer.".length);
    }
  }
  return undefined;
}

/** The JSON error body of a refused HTTP request or upgrade. */
export function errorBody(code: string, message: string, type = "invalid_request_error"): string {
  return JSON.stringify({ error: { code, message, type, param: null } });
}
