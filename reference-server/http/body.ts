/**
 * Request bodies and JSON answers of the HTTP binding. Bodies are read up to a byte limit so
 * a client cannot make the server buffer without bound.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { ProtocolError, validateObject } from "../../src/protocol/index.js";
import { LimitExceeded } from "../policy/limits.js";

/**
 * Past the limit, how much more of a refused body is read and dropped so that the 413 reaches
 * the client (closing a socket with unread bytes resets it, and the client sees a reset, not
 * the answer); a client still sending after that is cut off.
 */
export const DISCARD_BYTES = 16 << 20;

/** Reads a request body as text, refusing more than `limit` bytes with `message_too_large`. */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const tooLarge = (): void => {
      req.removeAllListeners("data");
      discardRest(req);
      reject(new ProtocolError("message_too_large", `The body exceeds ${limit} bytes.`));
    };
    // A declared length past the limit is refused before a byte of it is buffered.
    if (Number(req.headers["content-length"] ?? 0) > limit) {
      tooLarge();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        tooLarge();
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Drops the rest of a refused body, keeping nothing, up to {@link DISCARD_BYTES}. */
function discardRest(req: IncomingMessage): void {
  let dropped = 0;
  req.on("data", (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > DISCARD_BYTES) req.socket.destroy();
  });
  req.resume();
}

/**
 * Reads a JSON body and validates it against the object schema titled `title`: `invalid_json`
 * or `invalid_event` (with the offending value's pointer) otherwise.
 */
export async function readValidBody<T>(
  req: IncomingMessage,
  limit: number,
  title: string,
): Promise<T> {
  return parseValidBody<T>(await readBody(req, limit), title);
}

/** Parses a JSON body read whole and validates it as {@link readValidBody} does. */
export function parseValidBody<T>(text: string, title: string): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ProtocolError(
      "invalid_json",
      `The body is not valid JSON: ${(error as Error).message}`,
    );
  }
  const result = validateObject<T>(title, value);
  if (!result.ok) {
    const issue = result.issues[0]!;
    throw new ProtocolError("invalid_event", issue.message, { param: issue.pointer });
  }
  return result.value;
}

/** Sends a JSON body with a status (and extra headers). */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string | number> = {},
): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * Sends a registry error as `{"error": {code, message, type, param}}` with its status (HTTP-7);
 * a refusal by a limit carries `Retry-After` (whole seconds until the limit's reset).
 */
export function sendError(res: ServerResponse, error: ProtocolError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = {
    error: {
      code: error.code,
      message: error.message,
      type: error.errorType,
      param: error.context.param ?? null,
    },
  };
  const headers: Record<string, number> =
    error instanceof LimitExceeded ? { "Retry-After": error.retryAfterSeconds } : {};
  sendJson(res, error.status, body, headers);
}
