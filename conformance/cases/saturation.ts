/**
 * Filling a tier, for the cases that need it full (SIM-10 queueing, RESP-19 overload): long
 * responses on the wafer tier, one connection each, until one is queued or refused. A server
 * with more room than the case opens makes those cases SKIPPED; the conformance tests run them
 * against a reference server configured with a small tier.
 */
import type { CaseContext } from "../context.js";
import type { Frame, RecordingSocket } from "../harness/ws-client.js";

/** At most this many long responses are opened before the case gives up (SKIPPED). */
export const SATURATION_LIMIT = 40;

/** How one long response started: running, queued, refused before starting, or ended. */
export interface Start {
  sock: RecordingSocket;
  /** Wire index of the frames that followed its create. */
  from: number;
  /** `response.in_progress`, `response.queued`, an `error`, or a terminal event. */
  first: Frame;
}

/**
 * Opens long responses, one per connection, until `until` accepts one's start (or
 * {@link SATURATION_LIMIT} were opened: then undefined). Every connection stays open for the
 * case to inspect; {@link releaseAll} stops their responses.
 */
export async function fillTier(
  ctx: CaseContext,
  opened: RecordingSocket[],
  until: (start: Start) => boolean,
): Promise<Start | undefined> {
  for (let i = 0; i < SATURATION_LIMIT; i++) {
    const sock = await ctx.connect();
    opened.push(sock);
    const from = sock.frames.length;
    sock.send({
      type: "response.create",
      ...ctx.body({
        input: "Write the whole module, every function in full.",
        service_tier: "priority",
        max_output_tokens: 30_000,
        metadata: { "sim.output_tokens": "30000" },
      }),
    });
    const first = await sock.waitFor(
      (f) =>
        f.type === "error" ||
        f.type === "response.in_progress" ||
        f.type === "response.queued" ||
        f.type === "response.failed" ||
        f.type === "response.incomplete" ||
        f.type === "response.completed",
      "the response's start, queueing or refusal",
      { from },
    );
    const start = { sock, from, first };
    if (until(start)) return start;
  }
  return undefined;
}

/**
 * Stops what the connections run: a cancel of every response where the profile has one (a
 * hotline.v1 session outlives its connection for the resume window; a response that looked
 * ended to the runner may still hold a slot), then the close.
 */
export function releaseAll(opened: readonly RecordingSocket[]): void {
  for (const sock of opened) {
    if (sock.profile === "hotline.v1") {
      for (const r of sock.tracker.responses) {
        sock.send({ type: "response.cancel", response_id: r.id });
      }
    }
    sock.close();
  }
}
