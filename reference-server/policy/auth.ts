/**
 * Bearer-token authentication shared by both bindings. With no tokens configured the server
 * is open (the loopback default); otherwise every request and upgrade needs one of them.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import type { IncomingMessage } from "node:http";

/**
 * Who a request authenticated as: `token:` and a digest of the token (so a principal may be
 * logged and used as a map key without ever revealing the token), or `anonymous`.
 */
export type Principal = string;

/** The principal of an accepted token: a SHA-256 prefix, never the token itself. */
export function principalOf(token: string): Principal {
  return `token:${createHash("sha256").update(token).digest("hex").slice(0, 16)}`;
}

/**
 * Reads a file of tokens: one per line; blank lines and lines starting with `#` are skipped,
 * surrounding whitespace is trimmed.
 */
export function readTokensFile(path: string): string[] {
  return readFileSync(path, "utf8")
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}

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
      if (known.length === given.length && timingSafeEqual(known, given)) return principalOf(token);
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
