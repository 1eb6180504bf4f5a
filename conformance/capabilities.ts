/**
 * Probes, once per run, which bindings the server offers, so that a server without an optional
 * one gets SKIPPED lines saying what was probed and what came back, not an ERROR per case
 * (spec/conformance.md, CONF-15). Open Responses makes the WebSocket transport a MAY.
 */
import type { Target } from "./context.js";
import type { Capabilities } from "./harness/session-info.js";
import { RecordingSocket, UpgradeRefused } from "./harness/ws-client.js";
import { WireLog } from "./harness/wire-log.js";

/** Statuses that say "no such endpoint or method" rather than "a request this endpoint refused". */
export const NO_ENDPOINT = new Set([404, 405, 501]);

/** Tries a WebSocket upgrade (no subprotocol) and an HTTP POST of `{}`; neither starts a response. */
export async function probeCapabilities(target: Target, timeoutMs: number): Promise<Capabilities> {
  const [noWebSocket, noHttp] = await Promise.all([
    probeWebSocket(target, timeoutMs),
    probeHttp(target, timeoutMs),
  ]);
  return { noWebSocket, noHttp };
}

async function probeWebSocket(target: Target, timeoutMs: number): Promise<string | null> {
  const headers: Record<string, string> = { ...target.headers };
  if (target.token !== null) headers.authorization = `Bearer ${target.token}`;
  try {
    const sock = await RecordingSocket.open(
      { url: target.wsUrl, headers, timeoutMs: Math.min(timeoutMs, 10_000) },
      new WireLog(),
      () => undefined,
    );
    sock.close();
    return null;
  } catch (error) {
    if (error instanceof UpgradeRefused) {
      // 401/403 are auth answers of a server that does upgrade: the transport cases judge them.
      if (error.status === 401 || error.status === 403) return null;
      return `GET ${target.wsUrl} with an upgrade was answered HTTP ${error.status} ${error.body.slice(0, 120)}`.trim();
    }
    return `WebSocket upgrade to ${target.wsUrl} failed: ${(error as Error).message}`;
  }
}

async function probeHttp(target: Target, timeoutMs: number): Promise<string | null> {
  const url = `${target.httpUrl}/v1/responses`;
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: {
        ...target.headers,
        "content-type": "application/json",
        ...(target.token !== null ? { authorization: `Bearer ${target.token}` } : {}),
      },
      // An empty body: any server refuses it without generating anything.
      body: "{}",
      signal: AbortSignal.timeout(Math.min(timeoutMs, 10_000)),
    });
    await res.arrayBuffer().catch(() => undefined);
    return NO_ENDPOINT.has(res.status) ? `POST ${url} answered HTTP ${res.status}` : null;
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return `POST ${url} failed: ${cause ?? (error as Error).message}`;
  }
}
