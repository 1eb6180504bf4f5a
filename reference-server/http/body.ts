/**
 * Request bodies and JSON answers of the HTTP binding. Bodies are read up to a byte limit so
 * a client cannot make the server buffer without bound.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { ProtocolError } from "../../src/protocol/index.js";

/** Reads a request body as text, refusing more than `limit` bytes with `message_too_large`. */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new ProtocolError("message_too_large", `The body exceeds ${limit} bytes.`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Sends a JSON body with a status. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(text),
  });
  res.end(text);
}

/** Sends a registry error as `{"error": {code, message, type, param}}` with its status (HTTP-8). */
export function sendError(res: ServerResponse, error: ProtocolError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, error.status, {
    error: {
      code: error.code,
      message: error.message,
      type: error.errorType,
      param: error.context.param ?? null,
    },
  });
}
