/**
 * Shared set-up of the client tests: a reference server with the hotline.v1 session layer and
 * a slow wafer tier (so responses are still streaming when a test cancels, steers or cuts),
 * and helpers that read a response's text the way the server stored it.
 */
import { startServer, type RunningServer } from "../../../reference-server/index.js";
import type { ResponseResource } from "../../../src/protocol/index.js";

/** Starts a reference server for client tests; `hotline` selects hotline.v1 when offered. */
export async function startTestServer(
  options: { hotline?: boolean; tokensPerSecond?: number } = {},
): Promise<RunningServer> {
  return startServer({
    logLevel: "silent",
    hotline: options.hotline ?? true,
    backend: { tiers: { wafer: { decodeTokensPerSecond: options.tokensPerSecond ?? 400 } } },
  } as Parameters<typeof startServer>[0]);
}

/** The output text of a response object (every `output_text` part, in order). */
export function outputText(response: ResponseResource): string {
  let text = "";
  for (const item of response.output) {
    if (item.type !== "message") continue;
    for (const part of item.content) if (part.type === "output_text") text += part.text;
  }
  return text;
}

/** Metadata asking the simulated backend for exactly `n` output tokens. */
export function tokens(n: number): { metadata: Record<string, string> } {
  return { metadata: { "sim.output_tokens": String(n) } };
}

/** Resolves once `predicate` holds, polling on the event loop (no fixed sleeps). */
export async function until(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error("condition not reached in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
