/** The session layer: session.created, profiles, defaults, prewarm, ping, going-away, rate limits (spec/session.md). */
import { HOTLINE_PROFILE, SPEC_VERSION } from "../../src/protocol/index.js";
import { defineCase } from "../case.js";
import { errorCode } from "../context.js";

const LIMIT_FIELDS = [
  "max_in_flight",
  "max_message_bytes",
  "context_window_tokens",
  "connection_max_age_ms",
  "resume_window_ms",
  "heartbeat_interval_ms",
];

export const sessionCases = [
  defineCase({
    id: "session.created-first",
    title:
      "The first frame of a hotline.v1 connection is session.created with the whole session object",
    requirements: ["SESSION-1", "SESSION-2"],
    level: "MUST",
    profile: "hotline.v1",
    area: "session",
    async run(ctx) {
      const sock = await ctx.connect({ awaitSession: false });
      // session.created comes first whatever the client sends; a ping makes a server that never
      // sends it answer something else, so the case ends at that answer, not at the timeout.
      sock.send({ type: "session.ping", nonce: "created-first" });
      const first = await sock.waitFor(() => true, "session.created");
      ctx.check(
        "SESSION-1",
        first.type === "session.created",
        `first frame: ${first.type}`,
        first.entry,
      );
      const s = (first.data.session ?? {}) as Record<string, unknown>;
      ctx.check(
        "SESSION-2",
        typeof s.id === "string" && typeof s.resume_token === "string",
        "session.id and resume_token present",
        first.entry,
      );
      ctx.check(
        "SESSION-2",
        s.protocol === HOTLINE_PROFILE && s.version === SPEC_VERSION,
        `protocol ${JSON.stringify(s.protocol)}, version ${JSON.stringify(s.version)}`,
        first.entry,
      );
      const limits = (s.limits ?? {}) as Record<string, unknown>;
      const missing = LIMIT_FIELDS.filter((f) => typeof limits[f] !== "number");
      ctx.check(
        "SESSION-2",
        Array.isArray(s.features) && missing.length === 0,
        missing.length
          ? `limits lack ${missing.join(", ")}`
          : "features and all six limits present",
        first.entry,
      );
    },
  }),
  defineCase({
    id: "session.core-no-hotline",
    title: "A core-profile connection never carries Hotline-only events or fields",
    requirements: ["SESSION-3"],
    level: "MUST",
    profile: "core",
    area: "session",
    connection: "core-only",
    aggregates: ["SESSION-3"],
    async run(ctx) {
      const sock = await ctx.connect({ profile: "core" });
      await ctx.complete(sock, { max_output_tokens: 32 });
      await ctx.expectError(sock, { type: "nope.unknown" });
      const seen = ctx.violations.filter((v) => v.anchor === "SESSION-3").length;
      ctx.check(
        "SESSION-3",
        sock.frames.length > 0 && seen === 0,
        `${sock.frames.length} frames checked for Hotline-only events and fields, ${seen} found`,
      );
    },
  }),
  defineCase({
    id: "session.core-rejects-hotline-events",
    title:
      "On a core connection, session events, cancel and resume get unknown_event_type and are ignored",
    requirements: ["SESSION-23"],
    level: "MUST",
    profile: "core",
    area: "session",
    connection: "core-only",
    async run(ctx) {
      const sock = await ctx.connect({ profile: "core" });
      for (const event of [
        { type: "session.ping", nonce: "n1" },
        { type: "session.update", session: { instructions: "x" } },
        { type: "response.cancel", response_id: "resp_x" },
        { type: "response.resume", response_id: "resp_x", after_sequence_number: -1 },
      ]) {
        const err = await ctx.expectError(sock, event);
        ctx.check(
          "SESSION-23",
          errorCode(err) === "unknown_event_type",
          `${event.type}: ${errorCode(err)}`,
          err.entry,
        );
      }
      const { response } = await ctx.complete(sock, { max_output_tokens: 16 });
      ctx.check(
        "SESSION-23",
        response.terminal !== null && sock.isOpen,
        "session went on after the rejected events",
      );
      ctx.check(
        "SESSION-23",
        response.events[0]?.data.response !== undefined &&
          (response.events[0]!.data.response as { instructions?: unknown }).instructions !== "x",
        "the ignored session.update changed nothing",
      );
    },
  }),
  defineCase({
    id: "session.unadvertised-feature",
    title: "A client event of a feature the server does not advertise gets unknown_event_type",
    requirements: ["SESSION-5"],
    level: "MUST",
    profile: "hotline.v1",
    area: "session",
    async run(ctx) {
      const byFeature: [string, Record<string, unknown>][] = [
        ["cancel", { type: "response.cancel", response_id: "resp_unknown" }],
        ["steer", { type: "response.steer", response_id: "resp_unknown", input: "x" }],
        [
          "resume",
          { type: "response.resume", response_id: "resp_unknown", after_sequence_number: -1 },
        ],
      ];
      const absent = byFeature.filter(([f]) => !ctx.info.features.includes(f as never));
      if (absent.length === 0) ctx.skip("every feature with its own client event is advertised");
      const sock = await ctx.connect();
      for (const [feature, event] of absent) {
        const err = await ctx.expectError(sock, event);
        ctx.check(
          "SESSION-5",
          errorCode(err) === "unknown_event_type",
          `${feature} not advertised; ${event.type} answered ${errorCode(err)}`,
          err.entry,
        );
      }
    },
  }),
  defineCase({
    id: "session.update-defaults",
    title: "session.update answers session.updated and its defaults apply to later creates",
    requirements: ["SESSION-6", "SESSION-7"],
    level: "MUST",
    profile: "hotline.v1",
    area: "session",
    async run(ctx) {
      const sock = await ctx.connect();
      const instructions = "Answer in one short sentence.";
      const from = sock.frames.length;
      sock.send({ type: "session.update", session: { instructions } });
      const updated = await sock.waitForType("session.updated", { from });
      const s = (updated.data.session ?? {}) as Record<string, unknown>;
      const defaults = (s.defaults ?? {}) as Record<string, unknown>;
      ctx.check(
        "SESSION-6",
        typeof s.id === "string" && typeof s.limits === "object",
        "session.updated holds the whole Session",
        updated.entry,
      );
      ctx.check(
        "SESSION-6",
        defaults.instructions === instructions,
        `defaults.instructions = ${JSON.stringify(defaults.instructions)}`,
        updated.entry,
      );
      const { created } = await ctx.create(sock, { max_output_tokens: 16 });
      const resp = created.data.response as Record<string, unknown>;
      ctx.check(
        "SESSION-7",
        resp.instructions === instructions,
        `response.instructions = ${JSON.stringify(resp.instructions)}`,
        created.entry,
      );
      await sock.waitTerminal();
    },
  }),
  defineCase({
    id: "session.prewarm",
    title: "prewarm: session.updated comes after the prefill, with prewarm.cached_tokens",
    requirements: ["SESSION-8"],
    level: "MUST",
    profile: "hotline.v1",
    area: "session",
    features: ["prewarm"],
    async run(ctx) {
      const sock = await ctx.connect();
      const from = sock.frames.length;
      sock.send({
        type: "session.update",
        session: { instructions: "You are a careful TypeScript reviewer. ".repeat(40) },
        prewarm: true,
      });
      const updated = await sock.waitForType("session.updated", { from });
      const cached = (updated.data.prewarm as { cached_tokens?: unknown } | undefined)
        ?.cached_tokens;
      ctx.check(
        "SESSION-8",
        typeof cached === "number" && cached > 0,
        `prewarm.cached_tokens = ${JSON.stringify(cached)}`,
        updated.entry,
      );
    },
  }),
  defineCase({
    id: "session.prewarm-cache-hit",
    title: "The first create after a prewarm reports at least the prewarmed tokens as cached",
    requirements: ["SESSION-9"],
    level: "SHOULD",
    profile: "hotline.v1",
    area: "session",
    features: ["prewarm"],
    async run(ctx) {
      const sock = await ctx.connect();
      const from = sock.frames.length;
      sock.send({
        type: "session.update",
        session: { instructions: "You review TypeScript diffs line by line. ".repeat(40) },
        prewarm: true,
      });
      const updated = await sock.waitForType("session.updated", { from });
      const cached = Number(
        (updated.data.prewarm as { cached_tokens?: unknown } | undefined)?.cached_tokens ?? 0,
      );
      // Nothing prewarmed, nothing to find cached: SESSION-8 is session.prewarm's (CONF-18).
      if (!(cached > 0))
        ctx.skip(
          `session.updated reported prewarm.cached_tokens ${JSON.stringify((updated.data.prewarm as { cached_tokens?: unknown } | undefined)?.cached_tokens)} (frame #${updated.entry}): no prewarmed tokens to find cached`,
        );
      const { response } = await ctx.complete(sock, { max_output_tokens: 16 });
      const got = Number(
        (
          (response.terminal?.response.usage as Record<string, unknown>)
            ?.input_tokens_details as Record<string, unknown>
        )?.cached_tokens ?? 0,
      );
      ctx.check(
        "SESSION-9",
        got >= cached,
        `cached_tokens ${got} after prewarming ${cached}`,
        response.terminal?.entry,
      );
    },
  }),
  defineCase({
    id: "session.ping-pong",
    title: "session.ping is answered with session.pong echoing the nonce",
    requirements: ["SESSION-10"],
    level: "MUST",
    profile: "hotline.v1",
    area: "session",
    async run(ctx) {
      const sock = await ctx.connect();
      const from = sock.frames.length;
      const sent = sock.send({ type: "session.ping", nonce: "conformance-42" });
      const pong = await sock.waitForType("session.pong", { from });
      ctx.check(
        "SESSION-10",
        pong.data.nonce === "conformance-42",
        `nonce ${JSON.stringify(pong.data.nonce)}`,
        pong.entry,
      );
      ctx.check(
        "SESSION-10",
        typeof pong.data.server_time_ms === "number",
        "server_time_ms present",
        pong.entry,
      );
      ctx.metric("ping_rtt_ms", pong.t - sent);
    },
  }),
  defineCase({
    id: "session.pong-priority",
    title: "A pong overtakes response events not yet written when the ping was read",
    requirements: ["SESSION-11"],
    level: "SHOULD",
    profile: "hotline.v1",
    area: "session",
    async run(ctx) {
      const sock = await ctx.connect();
      const { id } = await ctx.create(sock, {
        input: "Write a long TypeScript module with ten functions, each with tests and comments.",
      });
      const from = sock.frames.length;
      sock.send({ type: "session.ping", nonce: "during-stream" });
      const pong = await sock.waitForType("session.pong", { from });
      const between = sock.frames
        .slice(from)
        .filter((f) => f.entry < pong.entry && f.type.endsWith(".delta")).length;
      // A response that ended before the pong, a few deltas after the ping, left nothing for the
      // pong to overtake (CONF-18).
      const ended = sock.tracker.get(id)?.terminal;
      if (ended && ended.entry < pong.entry && between <= 2) {
        ctx.skip(
          `the response ended (frame #${ended.entry}) ${between} deltas after the ping, before the pong (frame #${pong.entry}): nothing was left to overtake`,
        );
      }
      ctx.check(
        "SESSION-11",
        between <= 2,
        `${between} output deltas arrived between the ping and its pong`,
        pong.entry,
      );
      await sock.waitTerminal(id);
    },
  }),
  defineCase({
    id: "session.going-away",
    title:
      "Before closing for shutdown or age the server sends session.going_away, waits, and closes with the right code",
    requirements: ["SESSION-13", "SESSION-14", "SESSION-15", "SESSION-16"],
    level: "MUST",
    profile: "hotline.v1",
    area: "heartbeat",
    features: ["going_away"],
    async run(ctx) {
      const age = ctx.limits.connection_max_age_ms;
      if (age > 5_000)
        ctx.skip(
          `connection_max_age_ms is ${age} ms and the runner cannot trigger a shutdown: going-away not observable`,
        );
      const sock = await ctx.connect();
      const opened = sock.openedAt;
      const ga = await sock.waitForType("session.going_away", { timeoutMs: age + ctx.timeoutMs });
      ctx.check(
        "SESSION-13",
        typeof ga.data.resume_token === "string" && typeof ga.data.deadline_ms === "number",
        "going_away carries reason, deadline_ms and resume_token",
        ga.entry,
      );
      ctx.check(
        "SESSION-16",
        age - (ga.t - opened) >= Math.min(60_000, age / 10) - 5,
        `going_away ${Math.round(age - (ga.t - opened))} ms before max age`,
        ga.entry,
      );
      const closed = await sock.waitClose(Number(ga.data.deadline_ms) + ctx.timeoutMs);
      ctx.check(
        "SESSION-14",
        closed.t - ga.t >= Number(ga.data.deadline_ms) - 5,
        `closed ${Math.round(closed.t - ga.t)} ms after going_away (deadline ${String(ga.data.deadline_ms)})`,
      );
      ctx.check(
        "SESSION-15",
        closed.code === (ga.data.reason === "max_age" ? 4000 : 4001),
        `close code ${closed.code} for reason ${String(ga.data.reason)}`,
      );
    },
  }),
  defineCase({
    id: "rate-limits.updated",
    title: "rate_limits.updated arrives after response.created and before the first delta",
    requirements: ["SESSION-17"],
    level: "MUST",
    profile: "hotline.v1",
    area: "rate-limits",
    features: ["rate_limits"],
    async run(ctx) {
      const sock = await ctx.connect();
      const { id, created } = await ctx.create(sock, { max_output_tokens: 32 });
      const r = await sock.waitTerminal(id);
      const rl = sock.frames.find(
        (f) =>
          f.type === "rate_limits.updated" &&
          f.entry > created.entry &&
          (f.data.response_id === undefined || f.data.response_id === id),
      );
      const firstDelta = r.events.find((e) => e.type.endsWith(".delta"));
      ctx.check(
        "SESSION-17",
        rl !== undefined && (firstDelta === undefined || rl.entry < firstDelta.entry),
        rl
          ? `rate_limits.updated at frame #${rl.entry}, first delta at #${firstDelta?.entry}`
          : "no rate_limits.updated for the response",
        rl?.entry,
      );
    },
  }),
];
