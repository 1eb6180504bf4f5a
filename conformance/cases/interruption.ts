/** Cancel, truncate, steer and Codex's interrupt (spec/interruption.md). */
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { defineCase } from "../case.js";
import { errorCode, PROMPT } from "../context.js";
import type { Frame, RecordingSocket } from "../harness/ws-client.js";
import type { CaseContext } from "../context.js";

const LONG = `${PROMPT} Then write ten more functions, each with tests and long comments.`;

/** Starts a long response and waits for its first output delta. */
async function startStreaming(
  ctx: CaseContext,
  sock: RecordingSocket,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const { id } = await ctx.create(sock, { input: LONG, ...extra });
  // The tracker places deltas (even one lacking its response_id, a STREAM-2 finding elsewhere).
  await sock.waitFor(() => (sock.tracker.get(id)?.deltaCount ?? 0) > 0, "a first output delta");
  return id;
}

export const interruptionCases = [
  defineCase({
    id: "interrupt.cancel",
    title:
      "Cancel stops generation at once, closes parts and items, and ends with response.cancelled",
    requirements: ["INT-1", "INT-2", "INT-3", "INT-4"],
    level: "MUST",
    profile: "hotline.v1",
    area: "interruption",
    features: ["cancel"],
    async run(ctx) {
      const sock = await ctx.connect();
      // A finished response calibrates INT-4: tokens per delta and tokens per millisecond.
      const probe = await ctx.complete(sock, { input: LONG, max_output_tokens: 48 });
      const probeTokens = Number(
        (probe.response.terminal?.response.usage as { output_tokens?: number })?.output_tokens ?? 0,
      );
      const perDelta = Math.max(1, probeTokens / Math.max(1, probe.response.deltaCount));
      const span = (probe.response.lastDeltaAt ?? 0) - (probe.response.firstDeltaAt ?? 0);
      const perMs = span > 0 ? probeTokens / span : 0;
      const id = await startStreaming(ctx, sock);
      const sentAt = sock.send({ type: "response.cancel", response_id: id });
      const cancelIndex = sock.frames.length;
      const r = await sock.waitTerminal(id);
      // Deltas of this response between the cancel and its terminal (after it: STREAM-5's).
      const end = r.terminal?.entry ?? Infinity;
      const after = r.events.filter(
        (e) =>
          e.type.endsWith(".delta") &&
          e.entry < end &&
          e.entry > (sock.frames[cancelIndex - 1]?.entry ?? -1),
      ).length;
      ctx.metric("cancel_ack_ms", (r.terminal?.t ?? sentAt) - sentAt);
      ctx.metric("deltas_after_cancel", after);
      ctx.check(
        "INT-1",
        r.terminal?.type === "response.cancelled" && r.terminal.response.status === "cancelled",
        `terminal ${r.terminal?.type}, status ${String(r.terminal?.response.status)}`,
        r.terminal?.entry,
      );
      ctx.check("INT-2", after <= 1, `${after} output deltas after the cancel was sent`);
      const open = r.items.filter((i) => !i.done || i.parts.some((p) => p.open));
      ctx.check(
        "INT-3",
        open.length === 0 && r.items.every((i) => i.item?.status !== "in_progress"),
        `${open.length} items or parts left open`,
      );
      const last = r.items.at(-1)?.item;
      ctx.check(
        "INT-3",
        last === undefined || last?.status === "incomplete",
        `last item status ${JSON.stringify(last?.status)}`,
      );
      // Tokens the server may have decoded while the cancel was on its way are counted too.
      const usage = r.terminal?.response.usage as { output_tokens?: number } | undefined;
      // The server may decode ahead of what reached the client (and drop it at the cancel), so
      // the bound is twice what its decode rate allows from the first delta to the terminal.
      const ackMs = (r.terminal?.t ?? sentAt) - (r.firstDeltaAt ?? sentAt);
      // A delta may carry many tokens when a loaded server catches up, so the text received
      // (in o200k tokens, with 20% for another tokenizer) bounds it too.
      const received = r.events
        .filter((e) => e.type === "response.output_text.delta" && e.entry < end)
        .map((e) => String(e.data.delta ?? ""))
        .join("");
      const bound =
        Math.ceil(
          Math.max(perDelta * (r.deltaCount + 1), 1.2 * countTokens(received)) + 2 * perMs * ackMs,
        ) + 2;
      ctx.check(
        "INT-4",
        (usage?.output_tokens ?? Infinity) <= bound,
        `usage.output_tokens ${usage?.output_tokens} for ${r.deltaCount} deltas received (bound ${bound}: ${perDelta.toFixed(1)} tokens per delta or 1.2 × the text's tokens, ${perMs.toFixed(2)} per ms ×2 over the ${ackMs.toFixed(1)} ms from the first delta to the terminal)`,
      );
    },
  }),
  defineCase({
    id: "interrupt.cancel-queued",
    title: "Cancelling a queued response ends it with response.cancelled and no in_progress",
    requirements: ["INT-5"],
    level: "MUST",
    profile: "hotline.v1",
    area: "interruption",
    features: ["cancel", "queue"],
    async run(ctx) {
      const sock = await ctx.connect();
      const n = Math.min(ctx.limits.max_in_flight, 16);
      for (let i = 0; i < n; i++)
        sock.send({ type: "response.create", ...ctx.body({ input: LONG }) });
      // Decided by the server's answers, not a fixed window (CONF-16): a response.queued, or
      // every create answered (started, ended or refused), after which none is queued any more.
      const answered = (): number =>
        sock.tracker.responses.filter(
          (r) => r.terminal || r.events.some((e) => e.type === "response.in_progress"),
        ).length + sock.frames.filter((f) => f.type === "error" && !f.data.response_id).length;
      const decided = await sock.waitFor(
        (f) => f.type === "response.queued" || answered() >= n,
        `response.queued or ${n} answers (started, ended or refused)`,
        { progress: (f) => f.type.startsWith("response.") || f.type === "error" },
      );
      // The tracker may be ahead of the frame that decided the wait: any queued frame counts.
      const queued = sock.frames.find((f) => f.type === "response.queued");
      if (!queued) {
        for (const s of sock.tracker.responses)
          if (!s.terminal) sock.send({ type: "response.cancel", response_id: s.id });
        return ctx.skip(
          `no response was queued: all ${n} creates (max_in_flight ${ctx.limits.max_in_flight}) were started, ended or refused by frame #${decided.entry}: INT-5 not exercised`,
        );
      }
      const id = String(queued.data.response_id);
      sock.send({ type: "response.cancel", response_id: id });
      const r = await sock.waitTerminal(id);
      ctx.check(
        "INT-5",
        r.terminal?.type === "response.cancelled" &&
          !r.events.some((e) => e.type === "response.in_progress"),
        `ended ${r.terminal?.type}`,
      );
    },
  }),
  defineCase({
    id: "interrupt.not-active",
    title:
      "Cancel of an unknown or finished response gets response_not_active, the session goes on",
    requirements: ["INT-12"],
    level: "MUST",
    profile: "hotline.v1",
    area: "interruption",
    features: ["cancel"],
    async run(ctx) {
      const sock = await ctx.connect();
      const done = await ctx.complete(sock, { max_output_tokens: 16 });
      for (const rid of [done.id, "resp_conformance_unknown"]) {
        const err = await ctx.expectError(sock, { type: "response.cancel", response_id: rid });
        ctx.check(
          "INT-12",
          errorCode(err) === "response_not_active" && err.data.response_id === rid,
          `cancel ${rid}: ${errorCode(err)}, response_id ${JSON.stringify(err.data.response_id)}`,
          err.entry,
        );
      }
      const again = await ctx.complete(sock, { max_output_tokens: 16 });
      ctx.check("INT-12", again.response.terminal !== null, "session went on");
    },
  }),
  defineCase({
    id: "interrupt.truncate",
    title:
      "Cancel with truncate cuts the output to what the user saw, and the cancelled response is chainable",
    requirements: ["INT-1", "INT-7", "INT-8"],
    level: "MUST",
    profile: "hotline.v1",
    area: "interruption",
    features: ["cancel"],
    async run(ctx) {
      const sock = await ctx.connect();
      const id = await startStreaming(ctx, sock, { store: true });
      // Cut below what already arrived, so an ignored truncate cannot look like a cut.
      await sock.waitFor(
        () => [...(sock.tracker.get(id)?.text ?? "")].length > 4,
        "more than four characters of output",
      );
      sock.send({ type: "response.cancel", response_id: id, truncate: { text_chars: 3 } });
      const r = await sock.waitTerminal(id);
      // A truncating cancel is a cancel first: without one, there is nothing cut to check.
      if (
        !ctx.check(
          "INT-1",
          r.terminal?.type === "response.cancelled",
          `the truncating cancel ended the response with ${r.terminal?.type}`,
          r.terminal?.entry,
        )
      )
        return;
      const output = (r.terminal?.response.output ?? []) as { content?: { text?: string }[] }[];
      const text = output
        .flatMap((i) => i.content ?? [])
        .map((c) => c.text ?? "")
        .join("");
      const want = [...r.text].slice(0, 3).join("");
      ctx.check(
        "INT-7",
        text === want,
        `cancelled output text ${JSON.stringify(text)} (expected ${JSON.stringify(want)})`,
        r.terminal?.entry,
      );
      const stored = await ctx.httpClient.json("GET", `v1/responses/${id}`);
      const storedText = (
        (stored.body as { output?: { content?: { text?: string }[] }[] }).output ?? []
      )
        .flatMap((i) => i.content ?? [])
        .map((c) => c.text ?? "")
        .join("");
      ctx.check("INT-7", storedText === want, `stored output text ${JSON.stringify(storedText)}`);
      const next = await ctx.complete(sock, {
        previous_response_id: id,
        input: "Go on.",
        max_output_tokens: 16,
      });
      ctx.check(
        "INT-8",
        next.response.terminal !== null,
        "the cancelled response was accepted as previous_response_id",
      );
    },
  }),
  defineCase({
    id: "interrupt.steer",
    title:
      "Steer at max_in_flight: accepted, the response ends incomplete (steered), the successor follows it with steered_from",
    requirements: ["INT-11", "INT-14", "INT-15", "INT-17", "INT-18"],
    level: "MUST",
    profile: "hotline.v1",
    area: "interruption",
    features: ["steer"],
    async run(ctx) {
      const sock = await ctx.connect();
      const max = Math.min(ctx.limits.max_in_flight, 16);
      const id = await startStreaming(ctx, sock);
      for (let i = 1; i < max; i++)
        sock.send({ type: "response.create", ...ctx.body({ input: LONG }) });
      const from = sock.frames.length;
      sock.send({
        type: "response.steer",
        previous_response_id: id,
        input: "Actually, use Python.",
        client_request_id: "steer-1",
      });
      const created = await sock.waitFor(
        (f) =>
          (f.type === "response.created" &&
            (f.data.steered_from === id || f.data.client_request_id === "steer-1")) ||
          f.type === "response.steer.failed" ||
          (f.type === "error" && !f.data.sequence_number),
        "the steered response.created",
        { from },
      );
      ctx.check(
        "INT-11",
        created.type === "response.created",
        created.type === "response.created"
          ? "steer admitted at max_in_flight"
          : `steer at max_in_flight answered ${created.type} ${errorCode(created)}`,
        created.entry,
      );
      if (created.type !== "response.created") return;
      const steered = sock.tracker.get(id);
      const terminal = steered?.terminal;
      const reason = (terminal?.response as { incomplete_details?: { reason?: string } })
        ?.incomplete_details?.reason;
      ctx.check(
        "INT-14",
        terminal?.type === "response.incomplete" && reason === "steered",
        `steered response ended ${terminal?.type}, reason ${JSON.stringify(reason)}`,
        terminal?.entry,
      );
      // Truthful usage: what was generated before the stop, with slack for tokens decoded
      // while the steer was on its way (1.2 × the text's o200k tokens for another tokenizer).
      const received = (steered?.events ?? [])
        .filter((e) => e.type === "response.output_text.delta")
        .map((e) => String(e.data.delta ?? ""))
        .join("");
      const usage = terminal?.response.usage as { output_tokens?: number } | undefined;
      const bound = Math.ceil(1.2 * countTokens(received)) + 64;
      ctx.check(
        "INT-18",
        (usage?.output_tokens ?? Infinity) <= bound,
        `steered usage.output_tokens ${usage?.output_tokens} for ${countTokens(received)} tokens of text received (bound ${bound})`,
      );
      const resp = created.data.response as Record<string, unknown>;
      ctx.check(
        "INT-15",
        (terminal?.entry ?? Infinity) < created.entry && resp.previous_response_id === id,
        `created ${(terminal?.entry ?? Infinity) < created.entry ? "after" : "before"} the steered terminal; previous_response_id ${JSON.stringify(resp.previous_response_id)}`,
        created.entry,
      );
      ctx.check(
        "INT-17",
        created.data.steered_from === id && created.data.client_request_id === "steer-1",
        `steered_from ${JSON.stringify(created.data.steered_from)}; client_request_id ${JSON.stringify(created.data.client_request_id)}`,
        created.entry,
      );
      for (const s of sock.tracker.responses)
        if (!s.terminal) sock.send({ type: "response.cancel", response_id: s.id });
    },
  }),
  defineCase({
    id: "interrupt.codex",
    title:
      "Codex's response.interrupt: accepted, the open item interrupted, incomplete (interrupted) without it, continuable; an unknown target gets response_not_active",
    requirements: ["INT-23", "INT-24"],
    level: "MUST",
    profile: "core",
    area: "interruption",
    connection: "core-only",
    async run(ctx) {
      const sock = await ctx.connect({ profile: "core" });
      const probe = sock.frames.length;
      sock.send({
        type: "response.interrupt",
        response_id: "resp_conform_none",
        mode: "discard_partial_items",
      });
      const first = await sock.waitFor((f) => f.type === "error", "the answer to an interrupt", {
        from: probe,
      });
      // Interrupted as soon as it exists; a response that ends before the interrupt reaches
      // the server (a short answer, a busy runner) is tried again, up to three times.
      let id = "";
      let at = 0;
      let ended: Frame | undefined;
      for (let attempt = 0; attempt < 3 && ended === undefined; attempt++) {
        const input = `${LONG} Number them from ${attempt * 10 + 1}.`;
        id = (await ctx.create(sock, { input, max_output_tokens: 2000 })).id;
        at = sock.frames.length;
        sock.send({ type: "response.interrupt", response_id: id, mode: "discard_partial_items" });
        const terminal = await sock.waitFor(
          (f) =>
            ["response.completed", "response.incomplete", "response.failed"].includes(f.type) &&
            (f.data.response as { id?: string } | undefined)?.id === id,
          "the interrupted response's terminal event",
          { from: probe },
        );
        // Late: the server answers response_not_active (INT-24) for a response it finished.
        const late =
          terminal.type === "response.completed" &&
          (await sock
            .waitFor((f) => f.type === "error", "the answer to a late interrupt", {
              from: at,
              timeoutMs: 2000,
            })
            .then(
              (f) => errorCode(f) === "response_not_active",
              () => false,
            ));
        if (!late) ended = terminal;
      }
      if (ended === undefined) {
        return ctx.skip("three responses ended before their interrupt reached the server");
      }
      const code = errorCode(first);
      const reason = (ended.data.response as { incomplete_details?: { reason?: string } | null })
        .incomplete_details?.reason;
      const offered =
        reason === "interrupted" ||
        sock.frames.some((f) => f.type === "response.interrupt.accepted");
      if (!offered) {
        return ctx.skip(
          `the server does not offer Codex's response.interrupt: it answered ${code} for an unknown response and ended a live one ${ended.type}`,
        );
      }
      ctx.check(
        "INT-24",
        code === "response_not_active",
        `interrupt of an unknown response: error ${code}`,
        first.entry,
      );
      const after = sock.frames.slice(
        sock.frames.findIndex((f) => f.entry >= at),
        sock.frames.indexOf(ended),
      );
      const accepted = after.find((f) => f.type === "response.interrupt.accepted");
      const interrupted = after.filter((f) => f.type === "response.output_item.interrupted");
      // The items open when the server took the interrupt: each must be interrupted.
      const upTo = accepted ? sock.frames.indexOf(accepted) : sock.frames.indexOf(ended);
      const open = new Set<string>();
      for (const f of sock.frames.slice(0, upTo)) {
        const item = f.data.item as { id?: string } | undefined;
        if (f.type === "response.output_item.added" && item?.id) open.add(item.id);
        if (f.type === "response.output_item.done" && item?.id) open.delete(item.id);
      }
      const response = ended.data.response as {
        incomplete_details?: { reason?: string } | null;
        output?: { id?: string }[];
      };
      const discarded = new Set(interrupted.map((f) => f.data.item_id as string));
      const kept = (response.output ?? []).filter((i) => i.id !== undefined && discarded.has(i.id));
      const doneAfter = after.some(
        (f) =>
          f.type === "response.output_item.done" &&
          discarded.has((f.data.item as { id: string }).id),
      );
      ctx.check(
        "INT-23",
        accepted?.data.response_id === id &&
          [...open].every((item) => interrupted.some((f) => f.data.item_id === item)) &&
          interrupted.every((f) => f.data.response_id === id) &&
          !doneAfter &&
          ended.type === "response.incomplete" &&
          response.incomplete_details?.reason === "interrupted" &&
          kept.length === 0,
        `after the interrupt: ${accepted ? "accepted" : "no response.interrupt.accepted"}, ${interrupted.length} output_item.interrupted for ${open.size} open item(s), ${doneAfter ? "a done event for an interrupted item, " : ""}terminal ${ended.type} (reason ${JSON.stringify(response.incomplete_details?.reason)}), ${kept.length} interrupted item(s) still in output`,
        ended.entry,
      );
      const next = await ctx.create(sock, { previous_response_id: id, input: "Go on." });
      ctx.check(
        "INT-23",
        next.created.type === "response.created",
        `a continuation of the interrupted response: ${next.created.type} ${errorCode(next.created)}`,
        next.created.entry,
      );
      await sock.waitTerminal(next.id);
    },
  }),
];
