/** Multiplexing, queueing and background responses on one hotline.v1 connection (spec/responses.md). */
import { defineCase } from "../case.js";
import { errorCode } from "../context.js";

export const multiplexingCases = [
  defineCase({
    id: "multiplex.concurrent",
    title: "Responses run at the same time on one connection and echo client_request_id",
    requirements: ["RESP-14", "RESP-17"],
    level: "MUST",
    profile: "hotline.v1",
    area: "multiplexing",
    features: ["multiplex"],
    async run(ctx) {
      const sock = await ctx.connect();
      const n = Math.min(3, ctx.limits.max_in_flight);
      for (let i = 0; i < n; i++)
        sock.send({ type: "response.create", ...ctx.body({ client_request_id: `crid-${i}` }) });
      sock.send({ type: "response.create", ...ctx.body({ max_output_tokens: 16 }) });
      await sock.waitResponses(
        () =>
          sock.tracker.responses.filter((r) => r.terminal).length >= n + 1 ||
          sock.tracker.responses.length > n + 1,
        "all terminal events",
      );
      const rs = sock.tracker.responses;
      const overlapped =
        rs.length >= 2 && rs[1]!.events[0]!.entry < (rs[0]!.terminal?.entry ?? Infinity);
      ctx.check(
        "RESP-14",
        overlapped,
        overlapped
          ? "second response started before the first ended"
          : "responses ran one after another",
      );
      rs.forEach((r, i) => {
        const echoed = (r.events[0]?.data as { client_request_id?: unknown }).client_request_id;
        const want = i < n ? `crid-${i}` : null;
        ctx.check(
          "RESP-17",
          echoed === want,
          `response.created client_request_id ${JSON.stringify(echoed)} (sent ${JSON.stringify(want)})`,
          r.events[0]?.entry,
        );
      });
    },
  }),
  defineCase({
    id: "multiplex.too-many-in-flight",
    title: "A create beyond max_in_flight gets too_many_in_flight and changes nothing else",
    requirements: ["RESP-15"],
    level: "MUST",
    profile: "hotline.v1",
    area: "multiplexing",
    async run(ctx) {
      const max = ctx.limits.max_in_flight;
      if (max > 64) ctx.skip(`max_in_flight ${max} is too large to fill`);
      const sock = await ctx.connect();
      for (let i = 0; i <= max; i++)
        sock.send({ type: "response.create", ...ctx.body({ client_request_id: `fill-${i}` }) });
      const err = await sock.waitFor((f) => f.type === "error", "too_many_in_flight");
      ctx.check(
        "RESP-15",
        errorCode(err) === "too_many_in_flight",
        `create #${max + 1}: ${errorCode(err)}`,
        err.entry,
      );
      await sock.waitResponses(
        () => sock.tracker.responses.filter((r) => r.terminal).length >= max,
        `${max} terminal events`,
      );
      const ok = sock.tracker.responses.filter(
        (r) =>
          r.terminal?.type === "response.completed" || r.terminal?.type === "response.incomplete",
      ).length;
      ctx.check(
        "RESP-15",
        sock.tracker.responses.length === max && ok === max,
        `${ok} of ${max} admitted responses finished normally`,
      );
    },
  }),
  defineCase({
    id: "multiplex.parallel-chains",
    title:
      "The cache holds max_in_flight finished responses, so parallel store=false chains continue",
    requirements: ["RESP-16"],
    level: "MUST",
    profile: "hotline.v1",
    area: "multiplexing",
    features: ["multiplex"],
    async run(ctx) {
      const sock = await ctx.connect();
      const n = Math.min(2, ctx.limits.max_in_flight);
      const firsts = await Promise.all(
        Array.from({ length: n }, (_, i) =>
          ctx.complete(sock, {
            store: false,
            max_output_tokens: 16,
            client_request_id: `chain-${i}`,
          }),
        ),
      );
      for (const f of firsts) {
        const next = await ctx.complete(sock, {
          store: false,
          previous_response_id: f.id,
          max_output_tokens: 16,
        });
        ctx.check("RESP-16", next.response.terminal !== null, `chain from ${f.id} continued`);
      }
    },
  }),
  defineCase({
    id: "multiplex.queue-position",
    title: "Every response.queued carries queue_position",
    requirements: ["RESP-18"],
    level: "MUST",
    profile: "hotline.v1",
    area: "rate-limits",
    features: ["queue"],
    async run(ctx) {
      const sock = await ctx.connect();
      const n = Math.min(ctx.limits.max_in_flight, 16);
      for (let i = 0; i < n; i++)
        sock.send({ type: "response.create", ...ctx.body({ max_output_tokens: 16 }) });
      // Decided as soon as every create is answered and its response has said whether it
      // waits (response.queued follows response.created, RESP-5) or runs; never waiting for
      // the responses to end, which behind other work a correct server may take long to do.
      // The wait times out only when the server falls silent (CONF-16).
      const announced = (r: { terminal: unknown; events: { type: string }[] }) =>
        r.terminal !== null ||
        r.events.some((e) => e.type === "response.queued" || e.type === "response.in_progress");
      await sock.waitResponses(
        () =>
          sock.tracker.responses.filter(announced).length +
            sock.frames.filter((f) => f.type === "error" && !f.data.response_id).length >=
          n,
        `${n} answers (queued, in progress, terminal, or an error)`,
      );
      // Not judged: the batch is let finish (until the server falls silent), so that the next
      // case finds the backend as free as this one did.
      await sock
        .waitResponses(
          () =>
            sock.tracker.responses.filter((r) => r.terminal).length +
              sock.frames.filter((f) => f.type === "error" && !f.data.response_id).length >=
            n,
          "the batch to end",
        )
        .catch(() => undefined);
      const queued = sock.frames.filter((f) => f.type === "response.queued");
      if (queued.length === 0) ctx.skip("the server never queued a response: not exercised");
      for (const q of queued)
        ctx.check(
          "RESP-18",
          typeof q.data.queue_position === "number" && q.data.queue_position >= 1,
          `queue_position ${JSON.stringify(q.data.queue_position)}`,
          q.entry,
        );
    },
  }),
  defineCase({
    id: "multiplex.background",
    title: "Background responses do not count toward max_in_flight and outlive their connection",
    requirements: ["RESP-20", "RESP-21"],
    level: "MUST",
    profile: "hotline.v1",
    area: "multiplexing",
    features: ["background"],
    async run(ctx) {
      const sock = await ctx.connect();
      const max = ctx.limits.max_in_flight;
      for (let i = 0; i < max; i++) {
        sock.send({ type: "response.create", ...ctx.body({ client_request_id: `fill-${i}` }) });
      }
      // Waits for the response.created (or refusal) echoing its own client_request_id.
      const bg = await ctx.create(sock, { background: true, store: true });
      ctx.check(
        "RESP-20",
        bg.created.type === "response.created",
        `background create accepted with ${max} responses in flight`,
        bg.created.entry,
      );
      sock.drop();
      await sock.idle(100);
      let status = "in_progress";
      let reason: string | undefined;
      for (let i = 0; i < 50 && (status === "in_progress" || status === "queued"); i++) {
        const got = await ctx.httpClient.json("GET", `v1/responses/${bg.id}`);
        const body = got.body as { status?: string; incomplete_details?: { reason?: string } };
        status = String(body.status);
        reason = body.incomplete_details?.reason;
        if (status === "in_progress" || status === "queued") await sock.idle(100);
      }
      // Cancelled reads as incomplete with reason cancelled over HTTP (HTTP-6): not outlived.
      ctx.check(
        "RESP-21",
        status === "completed" || (status === "incomplete" && reason !== "cancelled"),
        `after its connection closed the background response is ${status}${reason ? ` (${reason})` : ""}`,
      );
    },
  }),
];
