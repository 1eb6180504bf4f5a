/**
 * OpenAI WebSocket mode on the core connection (spec/responses.md "Lanes", spec/interruption.md
 * "Steer"): `stream_id` lanes and `response.steer`. A server that does not offer them (it
 * refuses `stream_id`, or answers `response.steer` with `unknown_event_type`) gets SKIPPED with
 * what it answered: Open Responses knows neither.
 */
import { defineCase } from "../case.js";
import { type CaseContext, errorCode, PROMPT } from "../context.js";
import type { Frame, RecordingSocket } from "../harness/ws-client.js";

const TERMINAL = new Set(["response.completed", "response.incomplete", "response.failed"]);
const LONG = `${PROMPT} Then write ten more functions, each with tests and long comments.`;

/** A response that ran to its end (16 output tokens may end it `incomplete`, max_output_tokens). */
const ran = (f: Frame): boolean =>
  f.type === "response.completed" || f.type === "response.incomplete";
const laneOf = (f: Frame): string | undefined =>
  typeof f.data.stream_id === "string" ? f.data.stream_id : undefined;
const idOf = (f: Frame): string | undefined => (f.data.response as { id?: string } | undefined)?.id;

/** Sends a create on `lane` (undefined: the default lane) and returns its frame index. */
function send(
  ctx: CaseContext,
  sock: RecordingSocket,
  lane: string | undefined,
  overrides: Record<string, unknown> = {},
): number {
  const from = sock.frames.length;
  sock.send({
    type: "response.create",
    ...ctx.body({ max_output_tokens: 16, ...overrides }),
    ...(lane === undefined ? {} : { stream_id: lane }),
  });
  return from;
}

/** The first `response.created` or `error` of `lane` at or after `from`. */
function answer(sock: RecordingSocket, lane: string | undefined, from: number): Promise<Frame> {
  return sock.waitFor(
    (f) => (f.type === "response.created" || f.type === "error") && laneOf(f) === lane,
    `response.created or error on lane ${lane ?? "(default)"}`,
    { from },
  );
}

/** The terminal frame of the response with this id. */
function terminal(sock: RecordingSocket, id: string): Promise<Frame> {
  return sock.waitFor((f) => TERMINAL.has(f.type) && idOf(f) === id, `terminal of ${id}`);
}

/**
 * A core connection whose server offers lanes, or SKIPPED with what it answered: a refusal of
 * `stream_id`, or a response that does not echo it (the member ignored, as Open Responses
 * servers may ignore what they do not know).
 */
async function lanesConnection(ctx: CaseContext): Promise<RecordingSocket> {
  const sock = await ctx.connect({ profile: "core" });
  const from = send(ctx, sock, "conform-probe");
  const first = await sock.waitFor(
    (f) => f.type === "response.created" || f.type === "error",
    "the answer to a create with stream_id",
    { from },
  );
  if (first.type === "error") {
    return ctx.skip(
      `the server does not offer OpenAI's stream_id lanes: a create with stream_id got ${errorCode(first)}`,
    );
  }
  await terminal(sock, idOf(first)!);
  if (laneOf(first) !== "conform-probe") {
    return ctx.skip(
      "the server does not offer OpenAI's stream_id lanes: it accepted a create with stream_id but its response.created does not echo it",
    );
  }
  return sock;
}

/** A tool whose arguments take hundreds of tokens to stream, so a steer lands inside the call. */
const LIST_FILES = {
  type: "function",
  name: "list_files",
  description: "Lists files.",
  parameters: {
    type: "object",
    properties: { paths: { type: "array", items: { type: "string" }, minItems: 200 } },
    required: ["paths"],
  },
};

/** What a steer sent inside a function call got: its replies and the response's end. */
interface SteeredCall {
  sock: RecordingSocket;
  id: string;
  /** The frame index the steers were sent at. */
  at: number;
  replies: Frame[];
  ended: Frame;
}

/**
 * A create on lane `tool` that must call {@link LIST_FILES}, and `steers` steers sent once its
 * function call began; SKIPPED when the server offers no lanes or steer, or the response ended
 * before the steers arrived.
 */
async function steerInsideCall(ctx: CaseContext, steers: number): Promise<SteeredCall> {
  const sock = await lanesConnection(ctx);
  const from = send(ctx, sock, "tool", {
    input: "List every file of the project.",
    tools: [LIST_FILES],
    tool_choice: "required",
    max_output_tokens: 4000,
    store: true,
  });
  const created = await answer(sock, "tool", from);
  if (created.type === "error") {
    return ctx.skip(`a create with a required function tool got ${errorCode(created)}`);
  }
  const id = idOf(created)!;
  await sock.waitFor(
    (f) =>
      f.type === "response.output_item.added" &&
      (f.data.item as { type?: string } | undefined)?.type === "function_call",
    "the function call's output_item.added",
    { from },
  );
  const at = sock.frames.length;
  for (let i = 0; i < steers; i++) {
    sock.send({ type: "response.steer", previous_response_id: id, input: `Steer ${i + 1}.` });
  }
  const ended = await terminal(sock, id);
  const replies = await Promise.all(
    Array.from({ length: steers }, (_, i) => {
      let seen = -1;
      return sock.waitFor(
        (f) =>
          (f.type === "response.steer.accepted" ||
            f.type === "response.steer.failed" ||
            f.type === "error") &&
          ++seen === i,
        `the answer to steer ${i + 1}`,
        { from: at },
      );
    }),
  );
  if (replies[0]!.type === "error") {
    return ctx.skip(`the server does not offer OpenAI's response.steer: ${errorCode(replies[0]!)}`);
  }
  if (!replies.some((r) => r.type === "response.steer.accepted")) {
    const code = (replies[0]!.data.error as { code?: string } | undefined)?.code;
    return ctx.skip(`no steer was accepted inside the function call (${code}): it ended first`);
  }
  return { sock, id, at, replies, ended };
}

/** The function calls of a finished response. */
function callsOf(ended: Frame): { call_id: string; name: string; status?: string }[] {
  const output = (ended.data.response as { output?: { type: string }[] }).output ?? [];
  return output.filter((i) => i.type === "function_call") as unknown as {
    call_id: string;
    name: string;
    status?: string;
  }[];
}

export const lanesCases = [
  defineCase({
    id: "lanes.concurrent",
    title:
      "Lanes run at once, each one at a time in arrival order, and every event of a named lane echoes its stream_id",
    requirements: ["RESP-31", "RESP-32", "RESP-36"],
    level: "MUST",
    profile: "core",
    area: "multiplexing",
    connection: "core-only",
    async run(ctx) {
      const sock = await lanesConnection(ctx);
      const from = sock.frames.length;
      send(ctx, sock, "a", { input: LONG, max_output_tokens: 400 });
      send(ctx, sock, "a");
      send(ctx, sock, "b");
      send(ctx, sock, undefined);
      send(ctx, sock, undefined);
      const created = (lane: string | undefined, n: number) => {
        let seen = -1;
        return sock.waitFor(
          (f) => f.type === "response.created" && laneOf(f) === lane && ++seen === n,
          `response.created #${n + 1} of lane ${lane ?? "(default)"}`,
          { from },
        );
      };
      const [a1, a2, b1, d1, d2] = await Promise.all([
        created("a", 0),
        created("a", 1),
        created("b", 0),
        created(undefined, 0),
        created(undefined, 1),
      ]);
      const ends = await Promise.all([a1, a2, b1, d1, d2].map((c) => terminal(sock, idOf(c)!)));
      const [endA1, , , endD1] = ends;
      ctx.check(
        "RESP-31",
        endA1!.entry < a2.entry && endD1!.entry < d2.entry,
        `lane a: second created at #${a2.entry}, first ended at #${endA1!.entry}; default lane: second created at #${d2.entry}, first ended at #${endD1!.entry}`,
        a2.entry,
      );
      ctx.check(
        "RESP-32",
        b1.entry < endA1!.entry,
        `lane b's response.created at #${b1.entry}, lane a's first response ended at #${endA1!.entry}`,
        b1.entry,
      );
      const ids = new Map<string, string | undefined>([
        [idOf(a1)!, "a"],
        [idOf(a2)!, "a"],
        [idOf(b1)!, "b"],
        [idOf(d1)!, undefined],
        [idOf(d2)!, undefined],
      ]);
      // Core events carry no response_id: a frame belongs to the response its lane runs.
      const wrong = sock.frames.slice(from).filter((f) => {
        if (!f.type.startsWith("response.") || f.type.startsWith("response.steer.")) return false;
        const id = idOf(f);
        const lane = laneOf(f);
        if (id !== undefined && ids.has(id)) return ids.get(id) !== lane;
        return lane !== undefined && lane !== "a" && lane !== "b";
      });
      const labelled = sock.frames
        .slice(from)
        .filter((f) => f.type === "response.output_text.delta" && laneOf(f) !== undefined).length;
      ctx.check(
        "RESP-36",
        wrong.length === 0 && labelled > 0,
        wrong.length === 0
          ? `${labelled} named-lane deltas, each with its stream_id`
          : `${wrong.length} frames with the wrong stream_id, first ${wrong[0]!.type} at #${wrong[0]!.entry} carries ${JSON.stringify(laneOf(wrong[0]!))}`,
        wrong[0]?.entry,
      );
    },
  }),
  defineCase({
    id: "lanes.limits",
    title:
      "32 named lanes, 16 in flight with the rest queued, invalid_stream_id and websocket_stream_limit_reached",
    requirements: ["RESP-33", "RESP-34", "RESP-35", "RESP-39"],
    level: "MUST",
    profile: "core",
    area: "multiplexing",
    connection: "core-only",
    async run(ctx) {
      const sock = await lanesConnection(ctx);
      // The probe opened one named lane: 31 more reach the limit, the next is one too many.
      const from = sock.frames.length;
      for (let i = 1; i <= 32; i++) send(ctx, sock, `lane-${i}`);
      const refused = await sock.waitFor(
        (f) => f.type === "error" || (f.type === "response.created" && laneOf(f) === "lane-32"),
        "the 33rd lane's answer",
        { from },
      );
      ctx.check(
        "RESP-34",
        refused.type === "error" &&
          errorCode(refused) === "websocket_stream_limit_reached" &&
          refused.data.status === 400 &&
          laneOf(refused) === "lane-32",
        `33rd named lane: ${refused.type} ${errorCode(refused) ?? ""}, status ${JSON.stringify(refused.data.status)}, stream_id ${JSON.stringify(laneOf(refused))}`,
        refused.entry,
      );
      const ends: Frame[] = [];
      for (let i = 1; i <= 31; i++) {
        const created = await answer(sock, `lane-${i}`, from);
        ends.push(created.type === "error" ? created : await terminal(sock, idOf(created)!));
      }
      const refusedToo = ends.filter((f) => f.type === "error");
      ctx.check(
        "RESP-35",
        refusedToo.length === 0,
        refusedToo.length === 0
          ? "31 lanes at once: all ran (queued past 16, not refused)"
          : `${refusedToo.length} of 31 lanes refused, first with ${errorCode(refusedToo[0]!)}`,
        refusedToo[0]?.entry,
      );
      let running = 0;
      let most = 0;
      for (const f of sock.frames.slice(from)) {
        if (f.type === "response.created") most = Math.max(most, ++running);
        else if (TERMINAL.has(f.type)) running--;
      }
      ctx.check("RESP-35", most <= 16, `at most ${most} responses in flight at once`);
      ctx.check(
        "RESP-39",
        ends.every(ran),
        `after the refused lane, ${ends.filter(ran).length} of 31 lanes ran to their end`,
      );
      for (const bad of ["", "has space", "x".repeat(257)]) {
        const at = send(ctx, sock, bad);
        const err = await sock.waitFor(
          (f) => f.type === "error" || f.type === "response.created",
          "the answer to a bad stream_id",
          { from: at },
        );
        if (err.type === "response.created") await terminal(sock, idOf(err)!);
        ctx.check(
          "RESP-33",
          err.type === "error" &&
            errorCode(err) === "invalid_stream_id" &&
            (err.data.error as { param?: unknown }).param === "stream_id" &&
            !("stream_id" in err.data),
          `stream_id ${JSON.stringify(bad.slice(0, 12))}: ${err.type} ${errorCode(err) ?? ""}, stream_id echoed: ${"stream_id" in err.data}`,
          err.entry,
        );
      }
    },
  }),
  defineCase({
    id: "lanes.cache",
    title:
      "Each lane continues its own store:false chain; a failed cross-lane fork keeps the other lane's response",
    requirements: ["RESP-37", "RESP-38"],
    level: "MUST",
    profile: "core",
    area: "continuation",
    connection: "core-only",
    async run(ctx) {
      const sock = await lanesConnection(ctx);
      const turn = async (lane: string, overrides: Record<string, unknown>): Promise<Frame> => {
        const first = await answer(
          sock,
          lane,
          send(ctx, sock, lane, { store: false, ...overrides }),
        );
        return first.type === "error" ? first : terminal(sock, idOf(first)!);
      };
      const a1 = await turn("a", {});
      const b1 = await turn("b", {});
      const a2 = await turn("a", { previous_response_id: idOf(a1) });
      const b2 = await turn("b", { previous_response_id: idOf(b1) });
      ctx.check(
        "RESP-37",
        ran(a2) && ran(b2),
        `lane a continues: ${a2.type} ${errorCode(a2) ?? ""}; lane b continues: ${b2.type} ${errorCode(b2) ?? ""}`,
        a2.entry,
      );
      if (!ran(a2) || !ran(b2)) return;
      const fork = await turn("c", { previous_response_id: idOf(a2) });
      ctx.check(
        "RESP-37",
        ran(fork),
        `lane c forks from lane a: ${fork.type} ${errorCode(fork) ?? ""}`,
        fork.entry,
      );
      // A tool output answering no call fails the fork (RESP-26).
      const bad = [{ type: "function_call_output", call_id: "call_conform_none", output: "{}" }];
      const failed = await turn("d", { previous_response_id: idOf(b2), input: bad });
      if (failed.type !== "error" && failed.type !== "response.failed") {
        ctx.note(`the fork with an unanswered tool output was not refused (${failed.type})`);
        return;
      }
      const b3 = await turn("b", { previous_response_id: idOf(b2) });
      ctx.check(
        "RESP-38",
        ran(b3),
        `after a failed fork from lane b's response on lane d, lane b continues: ${b3.type} ${errorCode(b3) ?? ""}`,
        b3.entry,
      );
    },
  }),
  defineCase({
    id: "interrupt.steer-core",
    title:
      "response.steer on a core connection: accepted, incomplete (steered), successor created; a finished or unknown target gets response.steer.failed",
    requirements: ["INT-13", "INT-14", "INT-15", "INT-16"],
    level: "MUST",
    profile: "core",
    area: "interruption",
    connection: "core-only",
    async run(ctx) {
      const sock = await ctx.connect({ profile: "core" });
      const probe = sock.frames.length;
      sock.send({ type: "response.steer", previous_response_id: "resp_conform_none", input: "x" });
      const first = await sock.waitFor(
        (f) => f.type === "error" || f.type.startsWith("response.steer."),
        "the answer to a steer",
        { from: probe },
      );
      if (first.type === "error") {
        return ctx.skip(
          `the server does not offer OpenAI's response.steer on a core connection: it answered ${errorCode(first)}`,
        );
      }
      ctx.check(
        "INT-16",
        first.type === "response.steer.failed" &&
          (first.data.error as { code?: string }).code === "response_not_found",
        `unknown target: ${first.type} ${(first.data.error as { code?: string } | undefined)?.code ?? ""}`,
        first.entry,
      );
      const from = send(ctx, sock, undefined, { input: LONG, max_output_tokens: 2000 });
      const created = await answer(sock, undefined, from);
      const id = idOf(created)!;
      await sock.waitFor((f) => f.type === "response.output_text.delta", "a first output delta", {
        from,
      });
      const at = sock.frames.length;
      sock.send({ type: "response.steer", previous_response_id: id, input: "Use Python instead." });
      const reply = await sock.waitFor(
        (f) => f.type.startsWith("response.steer."),
        "response.steer.accepted or .failed",
        { from: at },
      );
      const steer = reply.data.steer as { id?: string; previous_response_id?: string } | undefined;
      ctx.check(
        "INT-13",
        reply.type === "response.steer.accepted" &&
          typeof steer?.id === "string" &&
          steer.previous_response_id === id,
        `${reply.type}, steer ${JSON.stringify(steer)}`,
        reply.entry,
      );
      if (reply.type !== "response.steer.accepted") return;
      const ended = await terminal(sock, id);
      const reason = (ended.data.response as { incomplete_details?: { reason?: string } })
        .incomplete_details?.reason;
      ctx.check(
        "INT-14",
        ended.type === "response.incomplete" && reason === "steered",
        `the steered response ended ${ended.type}, reason ${JSON.stringify(reason)}`,
        ended.entry,
      );
      const successor = await sock.waitFor(
        (f) => f.type === "response.created" && f.entry > ended.entry,
        "the successor's response.created",
        { from: at },
      );
      const resp = successor.data.response as { id: string; previous_response_id?: string };
      const between = sock.frames
        .slice(ended.entry + 1, successor.entry)
        .filter((f) => f.type.startsWith("response.") && !f.type.startsWith("response.steer."));
      ctx.check(
        "INT-15",
        resp.previous_response_id === id && between.length === 0,
        `successor previous_response_id ${JSON.stringify(resp.previous_response_id)}, ${between.length} response events between the steered terminal and it`,
        successor.entry,
      );
      await terminal(sock, resp.id);
      const late = sock.frames.length;
      sock.send({ type: "response.steer", previous_response_id: resp.id, input: "too late" });
      const failed = await sock.waitFor(
        (f) => f.type.startsWith("response.steer."),
        "the answer to a late steer",
        { from: late },
      );
      const err = failed.data.error as { code?: string } | undefined;
      const back = failed.data.steer as { input?: unknown } | undefined;
      ctx.check(
        "INT-16",
        failed.type === "response.steer.failed" &&
          err?.code === "response_already_completed" &&
          back?.input === "too late",
        `steer of a completed response: ${failed.type} ${err?.code ?? ""}, input returned ${JSON.stringify(back?.input)}`,
        failed.entry,
      );
    },
  }),
  defineCase({
    id: "lanes.hotline",
    title: "hotline.v1 lanes: a named lane is FIFO and its events carry response_id and stream_id",
    requirements: ["RESP-40", "RESP-36"],
    level: "MUST",
    profile: "hotline.v1",
    area: "multiplexing",
    features: ["lanes"],
    async run(ctx) {
      const sock = await ctx.connect();
      const from = sock.frames.length;
      for (const n of [1, 2]) {
        sock.send({
          type: "response.create",
          ...ctx.body({ max_output_tokens: n === 1 ? 200 : 16, client_request_id: `lane-${n}` }),
          stream_id: "h",
        });
      }
      // By lane and order, not by client_request_id (RESP-17 is another rule's to judge).
      const created = (after: number, n: number) =>
        sock.waitFor(
          (f) => f.type === "response.created" && laneOf(f) === "h",
          `response.created ${n} of lane h`,
          { from: after },
        );
      const first = await created(from, 1);
      const second = await created(sock.frames.indexOf(first) + 1, 2);
      const end1 = await sock.waitTerminal(idOf(first));
      await sock.waitTerminal(idOf(second));
      ctx.check(
        "RESP-40",
        (end1.terminal?.entry ?? Infinity) < second.entry,
        `the second create of the lane started at #${second.entry}, the first ended at #${end1.terminal?.entry}`,
        second.entry,
      );
      const ours = new Set([idOf(first), idOf(second)]);
      const missing = sock.frames
        .slice(from)
        .filter(
          (f) =>
            f.type.startsWith("response.") &&
            ours.has(f.data.response_id as string) &&
            laneOf(f) !== "h",
        );
      ctx.check(
        "RESP-36",
        missing.length === 0,
        missing.length === 0
          ? "every event of lane h carries stream_id h"
          : `${missing.length} events of lane h without it, first ${missing[0]!.type} at #${missing[0]!.entry}`,
        missing[0]?.entry,
      );
    },
  }),
  defineCase({
    id: "lanes.steer-tool-call",
    title: "A steer inside a function call: the call is not cut; the response ends after it",
    requirements: ["INT-19"],
    level: "SHOULD",
    profile: "core",
    area: "interruption",
    connection: "core-only",
    async run(ctx) {
      const { ended } = await steerInsideCall(ctx, 1);
      const reason = (ended.data.response as { incomplete_details?: { reason?: string } | null })
        .incomplete_details?.reason;
      const calls = callsOf(ended);
      ctx.check(
        "INT-19",
        ended.type === "response.completed" &&
          calls.length > 0 &&
          calls.every((c) => c.status === undefined || c.status === "completed"),
        `steered inside its function call, the response ended ${ended.type}${reason ? ` (${reason})` : ""} with ${calls.length} function call(s), status ${calls.map((c) => c.status).join(", ")}`,
        ended.entry,
      );
    },
  }),
  defineCase({
    id: "lanes.steer-pending",
    title:
      "Steers held by a tool call: response.steer.pending after response.completed, prepended once to the continuation, the bound answered too_many_pending_steers",
    requirements: ["INT-20", "INT-21", "INT-22"],
    level: "MUST",
    profile: "core",
    area: "interruption",
    connection: "core-only",
    async run(ctx) {
      const { sock, id, at, replies, ended } = await steerInsideCall(ctx, 12);
      const calls = callsOf(ended);
      if (ended.type !== "response.completed" || calls.length === 0) {
        return ctx.skip(
          `the steered response ended ${ended.type}, not completed with a function call: nothing waits for tool output (INT-19 is a SHOULD)`,
        );
      }
      const accepted = replies.filter((r) => r.type === "response.steer.accepted");
      const refused = replies.filter((r) => r.type !== "response.steer.accepted");
      const wrong = refused.find(
        (r) => (r.data.error as { code?: string } | undefined)?.code !== "too_many_pending_steers",
      );
      ctx.check(
        "INT-22",
        wrong === undefined &&
          refused.every(
            (r) => (r.data.steer as { input?: unknown } | undefined)?.input !== undefined,
          ),
        wrong === undefined
          ? `${accepted.length} of 12 steers accepted, ${refused.length} refused too_many_pending_steers with their input`
          : `a steer beyond the held ones got ${wrong.type} ${(wrong.data.error as { code?: string } | undefined)?.code ?? ""}`,
        wrong?.entry,
      );
      const ids = accepted.map((r) => (r.data.steer as { id: string }).id);
      const pending = await Promise.all(
        ids.map((sid) =>
          sock.waitFor(
            (f) =>
              f.type === "response.steer.pending" && (f.data.steer as { id?: string }).id === sid,
            `response.steer.pending for ${sid}`,
            { from: at },
          ),
        ),
      );
      const stubs = calls.map((c) => ({
        type: "function_call_output",
        call_id: c.call_id,
        name: c.name,
      }));
      const bad = pending.find((p) => {
        const steer = p.data.steer as { previous_response_id?: string };
        return (
          p.entry < ended.entry ||
          steer.previous_response_id !== id ||
          p.data.reason !== "waiting_for_required_input" ||
          laneOf(p) !== "tool" ||
          JSON.stringify(p.data.required_input) !== JSON.stringify(stubs)
        );
      });
      ctx.check(
        "INT-20",
        bad === undefined,
        bad === undefined
          ? `${pending.length} response.steer.pending after response.completed, each naming ${stubs.length} function_call_output stub(s)`
          : `response.steer.pending ${JSON.stringify(bad.data)}; expected it after response.completed, previous_response_id ${id}, reason waiting_for_required_input, stream_id tool, required_input ${JSON.stringify(stubs)}`,
        bad?.entry,
      );
      // The continuation that commits the steers, then the same continuation again: the first
      // carries the steers' input, the second must not (committed once).
      const continueOnce = async (): Promise<{ input: number; entry: number }> => {
        const from = send(ctx, sock, "tool", {
          previous_response_id: id,
          tools: [LIST_FILES],
          store: true,
          input: calls.map((c) => ({
            type: "function_call_output",
            call_id: c.call_id,
            output: "src/index.ts",
          })),
        });
        const created = await answer(sock, "tool", from);
        if (created.type === "error") {
          return ctx.skip(`the continuation with the tool output got ${errorCode(created)}`);
        }
        const done = await terminal(sock, idOf(created)!);
        const usage = (done.data.response as { usage?: { input_tokens?: number } }).usage;
        return { input: usage?.input_tokens ?? NaN, entry: done.entry };
      };
      const first = await continueOnce();
      const again = await continueOnce();
      ctx.check(
        "INT-21",
        first.input > again.input,
        `the committing continuation read ${first.input} input tokens, the same continuation sent again ${again.input} (the steers' input must be in the first only)`,
        again.entry,
      );
    },
  }),
];
