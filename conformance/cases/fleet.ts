/**
 * A deployment of several instances (spec/fleet.md), seen through two of its URLs: what one
 * instance started is resumed, read, cancelled and continued on the other (`--fleet-url`).
 * Without a second URL every case is SKIPPED: a runner given one URL cannot choose the
 * instance a connection reaches.
 */
import { defineCase } from "../case.js";
import { type CaseContext, errorCode, PROMPT } from "../context.js";
import type { JsonAnswer } from "../harness/http-client.js";
import type { Frame, RecordingSocket } from "../harness/ws-client.js";
import { storedId } from "./http.js";

const LONG = `${PROMPT} Then write ten more functions, each with tests and long comments.`;

/** A gap or a duplicate in what the second instance replays breaks FLEET-2, not STREAM-1. */
const REPLAY_REMAP = { "STREAM-1": "FLEET-2", "RESP-4": "FLEET-2" };

/** A create that outlasts a resume: a long prompt, and with --sim (only then: CONF-13) a hint. */
function longBody(ctx: CaseContext, tokens: number): Record<string, unknown> {
  return {
    input: LONG,
    max_output_tokens: 32_000,
    ...(ctx.info.sim === true ? { metadata: { "sim.output_tokens": String(tokens) } } : {}),
  };
}

/**
 * Opens a session on the first instance, starts a long response, reads a few deltas, drops the
 * connection and resumes the session on the second instance with its token. Returns null (after
 * failing FLEET-1) when the second instance did not answer session.resumed.
 */
async function resumeOnSecond(
  ctx: CaseContext,
  tokens: number,
): Promise<{ seen: Frame[]; id: string; b: RecordingSocket } | null> {
  const a = await ctx.connect();
  const token = (a.frames[0]!.data.session as { resume_token: string }).resume_token;
  const sessionId = (a.frames[0]!.data.session as { id: string }).id;
  const { id } = await ctx.create(a, longBody(ctx, tokens));
  await a.waitFor((f) => f.type.endsWith(".delta") && f.data.response_id === id, "a delta");
  const seen = a.frames.filter((f) => f.data.response_id === id);
  a.drop();
  await a.idle(100);
  const b = await ctx.connect({
    instance: "second",
    headers: { "hotline-resume-token": token },
  });
  const first = b.frames[0]!;
  const next = b.frames[1];
  const s = first.data.session as { id?: string } | undefined;
  const listed = ((first.data.responses ?? []) as { response_id?: string }[]).some(
    (r) => r.response_id === id,
  );
  const ok = ctx.check(
    "FLEET-1",
    first.type === "session.resumed" && s?.id === sessionId && listed,
    first.type === "session.resumed"
      ? `the second instance resumed session ${JSON.stringify(s?.id)} (opened as ${sessionId}), ${listed ? "listing" : "not listing"} response ${id}`
      : `expected session.resumed on the second instance for the token the first issued, its first frame was ${first.type}${next?.type === "error" ? ` then error ${JSON.stringify(errorCode(next))}` : ""}`,
    first.entry,
  );
  return ok ? { seen, id, b } : null;
}

export const fleetCases = [
  defineCase({
    id: "fleet.resume",
    title:
      "A session opened on one instance resumes on another: response.resume replays gaplessly, without duplicate, to the terminal",
    requirements: ["FLEET-1", "FLEET-2"],
    level: "MUST",
    profile: "hotline.v1",
    area: "fleet",
    features: ["resume"],
    fleet: true,
    async run(ctx) {
      const resumed = await resumeOnSecond(ctx, 2_000);
      if (!resumed) return;
      const { seen, id, b } = resumed;
      // Two events the client already saw are asked again: they must come back unchanged.
      const after = Number(seen.at(-1)!.data.sequence_number) - 2;
      b.tracker.joinMidway(after, { id, remap: REPLAY_REMAP });
      const from = b.frames.length;
      b.send({ type: "response.resume", response_id: id, after_sequence_number: after });
      const r = await b.waitTerminal(id).catch(() => b.tracker.get(id));
      const placed = new Set(r?.events.map((e) => e.entry));
      const replayed = b.since(from).filter((f) => placed.has(f.entry));
      const seqs = replayed.map((f) => f.data.sequence_number as number);
      ctx.check(
        "FLEET-2",
        seqs.length > 0 && seqs.every((n, i) => n === after + 1 + i),
        `expected the second instance to go on at ${after + 1} by one, it sent ${seqs.length} events, sequence ${String(seqs[0])}..${String(seqs.at(-1))}`,
      );
      const overlap = seen.filter((f) => (f.data.sequence_number as number) > after);
      const changed = overlap.filter(
        (f) =>
          JSON.stringify(
            replayed.find((x) => x.data.sequence_number === f.data.sequence_number)?.data,
          ) !== JSON.stringify(f.data),
      );
      ctx.check(
        "FLEET-2",
        changed.length === 0,
        `${overlap.length - changed.length} of ${overlap.length} events seen on the first instance came back unchanged from the second${changed[0] ? ` (sequence ${String(changed[0].data.sequence_number)} differs)` : ""}`,
      );
      ctx.check(
        "FLEET-1",
        r?.terminal !== null && r?.terminal !== undefined,
        r?.terminal
          ? `the response ended ${r.terminal.type} on the second instance`
          : "no terminal event reached the second instance",
        r?.terminal?.entry,
      );
    },
  }),
  defineCase({
    id: "fleet.replaces-connection",
    title:
      "Resuming on another instance while the first connection is open closes it with session_replaced and 4002",
    requirements: ["FLEET-1"],
    level: "MUST",
    profile: "hotline.v1",
    area: "fleet",
    features: ["resume"],
    fleet: true,
    async run(ctx) {
      const a = await ctx.connect();
      const token = (a.frames[0]!.data.session as { resume_token: string }).resume_token;
      const b = await ctx.connect({
        instance: "second",
        headers: { "hotline-resume-token": token },
      });
      const first = b.frames[0]!;
      if (
        !ctx.check(
          "FLEET-1",
          first.type === "session.resumed",
          `the second instance answered the first's token with ${first.type}`,
          first.entry,
        )
      )
        return;
      const closed = await a.waitClose();
      const err = a.frames.find((f) => f.type === "error" && errorCode(f) === "session_replaced");
      ctx.check(
        "FLEET-1",
        err !== undefined && closed.code === 4002,
        `expected the first instance's connection to get session_replaced and close 4002, it got ${err ? "session_replaced" : "no such error"} and close ${closed.code}`,
        err?.entry,
      );
    },
  }),
  defineCase({
    id: "fleet.cancel",
    title:
      "A response.cancel on the instance that resumed the session stops the response the first instance generates",
    // The cancel reaches the response through a session resumed on the second instance.
    requirements: ["FLEET-1", "FLEET-2"],
    level: "MUST",
    profile: "hotline.v1",
    area: "fleet",
    features: ["resume", "cancel"],
    fleet: true,
    async run(ctx) {
      const tokens = 4_000;
      const resumed = await resumeOnSecond(ctx, tokens);
      if (!resumed) return;
      const { seen, id, b } = resumed;
      const after = Number(seen.at(-1)!.data.sequence_number);
      b.tracker.joinMidway(after, { id, remap: REPLAY_REMAP });
      const from = b.frames.length;
      b.send({ type: "response.resume", response_id: id, after_sequence_number: after });
      await b.waitFor(
        (f) => f.data.response_id === id && typeof f.data.sequence_number === "number",
        "a resumed event",
        { from },
      );
      const before = b.tracker.get(id);
      if (before?.terminal) {
        ctx.skip(
          `the response ended (${before.terminal.type}) before the cancel could be sent: nothing was left to stop${ctx.info.sim === true ? "" : "; with --sim a sim.output_tokens hint makes it last"}`,
        );
      }
      b.send({ type: "response.cancel", response_id: id });
      const r = await b.waitTerminal(id);
      const t = r.terminal;
      const usage = t?.response.usage as { output_tokens?: unknown } | undefined;
      ctx.check(
        "FLEET-2",
        t?.type === "response.cancelled" && t.response.status === "cancelled",
        `expected response.cancelled on the second instance after its cancel, saw ${t?.type} with status ${JSON.stringify(t?.response.status)}`,
        t?.entry,
      );
      if (ctx.info.sim === true && typeof usage?.output_tokens === "number") {
        ctx.check(
          "FLEET-2",
          usage.output_tokens < tokens,
          `the generation stopped at ${usage.output_tokens} of ${tokens} output tokens`,
          t?.entry,
        );
      }
    },
  }),
  defineCase({
    id: "fleet.http-stored",
    title:
      "A stored response one instance generates is retrieved, streamed from starting_after and cancelled on another",
    requirements: ["FLEET-3"],
    level: "MUST",
    profile: "http",
    area: "fleet",
    fleet: true,
    async run(ctx) {
      const one = ctx.httpClient;
      const two = ctx.fleetHttpClient;
      // A background response: still generating on the first instance while the second is asked.
      const made = await one.json(
        "POST",
        "v1/responses",
        ctx.body({ background: true, store: true, ...longBody(ctx, 4_000) }),
      );
      if (made.status !== 200) {
        // As in http.background-stream: not in Open Responses 2026-04-24 (CONF-15).
        if (ctx.info.profile !== "hotline.v1" && made.status >= 400 && made.status < 600) {
          ctx.skip(
            `the server does not offer background responses (not in Open Responses 2026-04-24): a create with background: true answered HTTP ${made.status} ${JSON.stringify(made.body).slice(0, 120)}`,
          );
        }
        return void ctx.fail(
          "FLEET-3",
          `expected HTTP 200 for a background create on the first instance, saw HTTP ${made.status} ${JSON.stringify(made.body).slice(0, 120)}`,
        );
      }
      const id = storedId(ctx, made);
      const got = await two.json("GET", `v1/responses/${id}`);
      ctx.skipWithoutEndpoint(got, `GET /v1/responses/${id}`);
      ctx.check(
        "FLEET-3",
        got.status === 200 && (got.body as { id?: unknown }).id === id,
        `expected the second instance to answer GET with response ${id}, it answered HTTP ${got.status} ${JSON.stringify(got.body).slice(0, 120)}`,
      );
      let cancel: Promise<JsonAnswer> | null = null;
      const stream = await two.sse(
        "GET",
        `v1/responses/${id}?stream=true&starting_after=2`,
        undefined,
        {
          startingAfter: 2,
          // What another instance replays is FLEET-3's, as the WebSocket replay is FLEET-2's.
          replayRule: "FLEET-3",
          onMessage(m) {
            if (!cancel && typeof m.json?.type === "string" && m.json.type.endsWith(".delta")) {
              cancel = two.json("POST", `v1/responses/${id}/cancel`);
            }
            return undefined;
          },
        },
      );
      const seqs = stream.messages
        .filter((m) => m.json)
        .map((m) => m.json!.sequence_number as number);
      ctx.check(
        "FLEET-3",
        stream.status === 200 && seqs[0] === 3 && seqs.every((n, i) => n === 3 + i),
        `expected the second instance to stream the response from sequence 3 by one, it answered HTTP ${stream.status} with ${seqs.length} events, sequence ${String(seqs[0])}..${String(seqs.at(-1))}`,
      );
      if (!cancel) return;
      const c = await (cancel as Promise<JsonAnswer>);
      ctx.skipWithoutEndpoint(c, `POST /v1/responses/${id}/cancel`);
      const body = c.body as { status?: string; incomplete_details?: { reason?: string } | null };
      if (c.status === 200 && body.status === "completed") {
        // Retrieval and the stream were judged; the cancel found nothing left to stop.
        return void ctx.note(
          `the response completed before the cancel reached it: the cancel was not judged${ctx.info.sim === true ? "" : " (with --sim a sim.output_tokens hint makes it last)"}`,
        );
      }
      ctx.check(
        "FLEET-3",
        c.status === 200 &&
          body.status === "incomplete" &&
          body.incomplete_details?.reason === "cancelled",
        `expected the second instance to cancel it (HTTP 200, incomplete, reason cancelled), it answered HTTP ${c.status} ${JSON.stringify(c.body).slice(0, 120)}`,
      );
      const t = stream.response?.terminal;
      ctx.check(
        "FLEET-3",
        t?.type === "response.incomplete" &&
          (t.response.incomplete_details as { reason?: string } | null)?.reason === "cancelled",
        `expected the stream to end response.incomplete (cancelled), it ended ${t?.type ?? "without a terminal event"}`,
        t?.entry,
      );
      // The generation stopped where it runs: the first instance reads the response cancelled.
      const owner = await one.json("GET", `v1/responses/${id}`);
      const stored = owner.body as { status?: string; incomplete_details?: { reason?: string } };
      ctx.check(
        "FLEET-3",
        stored.status === "incomplete" && stored.incomplete_details?.reason === "cancelled",
        `expected the first instance to read the response incomplete (cancelled), GET answered HTTP ${owner.status} with status ${JSON.stringify(stored.status)}`,
      );
    },
  }),
  defineCase({
    id: "fleet.continuation",
    title:
      "A finished stored response made on one instance is continued on another from the same conversation",
    requirements: ["FLEET-7"],
    level: "MUST",
    profile: "core",
    area: "fleet",
    fleet: true,
    async run(ctx) {
      const a = await ctx.connect();
      const first = await ctx.complete(a, { store: true, max_output_tokens: 32 });
      // store: true: a store:false continuation reads the connection's cache only (RESP-13).
      const body = {
        store: true,
        previous_response_id: first.id,
        input: "Now add a test.",
        max_output_tokens: 16,
      };
      // The same continuation on each instance, each on a fresh connection: no cache helps.
      const inputTokens: Record<string, unknown> = {};
      for (const instance of ["first", "second"] as const) {
        const sock = await ctx.connect({ instance });
        const answer = await ctx.createAnswer(sock, ctx.body(body));
        if (answer.type === "error") {
          ctx.check(
            "FLEET-7",
            false,
            `expected the ${instance} instance to continue stored response ${first.id}, it answered error ${JSON.stringify(errorCode(answer))}`,
            answer.entry,
          );
          return;
        }
        const id = String((answer.data.response as { id?: unknown }).id);
        const r = await sock.waitTerminal(id);
        inputTokens[instance] = (r.terminal?.response.usage as { input_tokens?: unknown } | null)
          ?.input_tokens;
      }
      if (typeof inputTokens.first !== "number") {
        ctx.skip(
          `usage does not count input tokens (${JSON.stringify(inputTokens.first)}): the conversations cannot be compared`,
        );
      }
      ctx.check(
        "FLEET-7",
        inputTokens.second === inputTokens.first,
        `expected the continuation on the second instance to count the first's ${String(inputTokens.first)} input tokens, it counted ${String(inputTokens.second)}`,
      );
    },
  }),
];
