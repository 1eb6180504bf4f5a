/** Transport and handshake: upgrade, profile negotiation, auth, frames, close codes (spec/transport.md). */
import { defineCase } from "../case.js";
import { errorCode } from "../context.js";

/** How long a server that answered without closing gets to close after all. */
const ANSWERED_MS = 1_000;

export const transportCases = [
  defineCase({
    id: "transport.upgrade-core",
    title: "An upgrade offering no subprotocol opens a core-profile session",
    requirements: ["TRANSPORT-1", "TRANSPORT-2"],
    level: "MUST",
    profile: "core",
    area: "transport",
    connection: "core-only",
    async run(ctx) {
      const sock = await ctx.connect({ profile: "core" });
      ctx.check("TRANSPORT-1", sock.isOpen, "GET /v1/responses upgraded to a WebSocket");
      ctx.check(
        "TRANSPORT-2",
        sock.protocol === "",
        `Sec-WebSocket-Protocol in the 101: ${JSON.stringify(sock.protocol)} (expected none)`,
      );
      await sock.idle(50);
      const early = sock.frames[0];
      ctx.check(
        "TRANSPORT-2",
        early === undefined,
        early ? `server sent ${early.type} unprompted on a core connection` : "no unprompted frame",
        early?.entry,
      );
    },
  }),
  defineCase({
    id: "transport.subprotocol-selected",
    title: "Offering hotline.v1 selects exactly hotline.v1, never echoing credential entries",
    requirements: ["TRANSPORT-3", "TRANSPORT-4"],
    level: "MUST",
    profile: "hotline.v1",
    area: "transport",
    async run(ctx) {
      const sock = await ctx.connect({
        profile: "hotline.v1",
        bearerInSubprotocol: ctx.target.token !== null,
        extraProtocols: [],
      });
      ctx.check(
        "TRANSPORT-3",
        sock.protocol === "hotline.v1",
        `selected subprotocol ${JSON.stringify(sock.protocol)}`,
      );
      // Only an offered credential entry can be echoed (CONF-18): without a token none is.
      if (ctx.target.token === null) {
        ctx.note("TRANSPORT-4 not exercised: no --token to offer as a hotline.bearer.* entry");
      } else {
        ctx.check(
          "TRANSPORT-4",
          !/^hotline\.(bearer|resume)\./.test(sock.protocol),
          `expected no hotline.bearer.* entry echoed, the 101 selected ${JSON.stringify(sock.protocol)}`,
        );
      }
    },
  }),
  defineCase({
    id: "transport.bearer-header",
    title: "Credentials in Authorization: Bearer are accepted on the upgrade",
    requirements: ["TRANSPORT-5"],
    level: "MUST",
    profile: "core",
    area: "transport",
    async run(ctx) {
      if (ctx.target.token === null)
        ctx.skip("no --token given: the server's auth cannot be exercised");
      const sock = await ctx.connect();
      ctx.check("TRANSPORT-5", sock.isOpen, "upgrade with Authorization: Bearer succeeded");
    },
  }),
  defineCase({
    id: "transport.bearer-subprotocol",
    title: "A hotline.bearer.<token> entry authenticates like the header",
    requirements: ["TRANSPORT-6"],
    level: "MUST",
    profile: "hotline.v1",
    area: "transport",
    async run(ctx) {
      if (ctx.target.token === null)
        ctx.skip("no --token given: the server's auth cannot be exercised");
      const sock = await ctx.connect({ profile: "hotline.v1", bearerInSubprotocol: true });
      ctx.check(
        "TRANSPORT-6",
        sock.isOpen && sock.protocol === "hotline.v1",
        "upgrade authenticated by subprotocol entry",
      );
    },
  }),
  defineCase({
    id: "transport.unauthorized",
    title: "A missing or wrong token is refused with 401 unauthorized before the upgrade",
    requirements: ["TRANSPORT-7"],
    level: "MUST",
    profile: "core",
    area: "transport",
    async run(ctx) {
      if (ctx.target.token === null)
        ctx.skip("no --token given: the server's auth cannot be exercised");
      for (const [label, token] of [
        ["missing", null],
        ["wrong", `${ctx.target.token}-wrong`],
      ] as const) {
        const refused = await ctx.connectRefused({ token });
        if (
          !ctx.check(
            "TRANSPORT-7",
            refused !== null,
            `${label} token: upgrade ${refused ? "refused" : "accepted"}`,
          )
        )
          continue;
        const body = safeJson(refused!.body) as { error?: { code?: string } } | null;
        ctx.check(
          "TRANSPORT-7",
          refused!.status === 401,
          `${label} token: HTTP ${refused!.status}`,
        );
        ctx.check(
          "TRANSPORT-7",
          body?.error?.code === "unauthorized",
          `${label} token: error code ${JSON.stringify(body?.error?.code)}`,
        );
      }
    },
  }),
  defineCase({
    id: "transport.forbidden-origin",
    title: "An Origin outside the allowlist is refused with 403 forbidden_origin",
    requirements: ["TRANSPORT-8"],
    level: "MUST",
    profile: "core",
    area: "transport",
    async run(ctx) {
      const origin = ctx.target.deniedOrigin;
      if (!origin) ctx.skip("no --denied-origin given: the server's origin allowlist is unknown");
      const refused = await ctx.connectRefused({ headers: { origin: origin as string } });
      if (
        !ctx.check(
          "TRANSPORT-8",
          refused !== null,
          `Origin ${origin}: upgrade ${refused ? "refused" : "accepted"}`,
        )
      )
        return;
      const body = safeJson(refused!.body) as { error?: { code?: string } } | null;
      ctx.check(
        "TRANSPORT-8",
        refused!.status === 403 && body?.error?.code === "forbidden_origin",
        `HTTP ${refused!.status}, code ${JSON.stringify(body?.error?.code)}`,
      );
    },
  }),
  defineCase({
    id: "transport.text-json-frames",
    title: "Every server event is one text frame holding one JSON object with a string type",
    requirements: ["TRANSPORT-9"],
    level: "MUST",
    profile: "core",
    area: "transport",
    aggregates: ["TRANSPORT-9"],
    async run(ctx) {
      const sock = await ctx.connect();
      const { response } = await ctx.complete(sock, { max_output_tokens: 32 });
      ctx.check(
        "TRANSPORT-9",
        response.events.length > 0,
        `${sock.frames.length} frames parsed as JSON objects with a type`,
      );
    },
  }),
  defineCase({
    id: "transport.binary-frame",
    title: "A binary frame closes the connection with 1003",
    requirements: ["TRANSPORT-10"],
    level: "MUST",
    profile: "core",
    area: "transport",
    async run(ctx) {
      const sock = await ctx.connect();
      sock.sendRaw(Buffer.from('{"type":"response.create"}'), true);
      const closed = await sock.waitClose(undefined, { answeredMs: ANSWERED_MS });
      ctx.check(
        "TRANSPORT-10",
        closed.code === 1003,
        `expected close code 1003, saw ${closed.code}`,
      );
    },
  }),
  defineCase({
    id: "transport.oversized-frame",
    title: "A message larger than max_message_bytes closes the connection with 1009",
    requirements: ["TRANSPORT-11"],
    level: "MUST",
    profile: "core",
    area: "transport",
    async run(ctx) {
      const max = ctx.knownLimit("max_message_bytes");
      if (max === null) {
        return ctx.skip(
          "the server's max_message_bytes is unknown (a core-profile server cannot advertise it): give --max-message-bytes",
        );
      }
      const sock = await ctx.connect();
      sock.sendRaw(paddedCreate(max + 1, ctx.target.model));
      const closed = await sock.waitClose(undefined, { answeredMs: ANSWERED_MS });
      ctx.check(
        "TRANSPORT-11",
        closed.code === 1009,
        `expected close code 1009 after ${max + 1} bytes, saw ${closed.code}`,
      );
    },
  }),
  defineCase({
    id: "transport.error-before-close",
    title:
      "Before closing with 1003 or 1009 the server sends the registry error and uses its code as the reason",
    requirements: ["TRANSPORT-13"],
    level: "SHOULD",
    profile: "core",
    area: "transport",
    async run(ctx) {
      for (const [expected, send] of [
        [
          "binary_frame_not_supported",
          (s: import("../harness/ws-client.js").RecordingSocket) =>
            s.sendRaw(Buffer.from([1, 2, 3]), true),
        ],
        [
          "message_too_large",
          (s: import("../harness/ws-client.js").RecordingSocket) =>
            s.sendRaw(
              paddedCreate((ctx.knownLimit("max_message_bytes") ?? 0) + 1, ctx.target.model),
            ),
        ],
      ] as const) {
        if (expected === "message_too_large" && ctx.knownLimit("max_message_bytes") === null) {
          ctx.note("message_too_large not tried: max_message_bytes unknown (--max-message-bytes)");
          continue;
        }
        const sock = await ctx.connect();
        const from = sock.frames.length;
        send(sock);
        const closed = await sock.waitClose(undefined, { answeredMs: ANSWERED_MS });
        const err = sock.since(from).find((f) => f.type === "error");
        ctx.check(
          "TRANSPORT-13",
          err !== undefined && errorCode(err) === expected,
          `error before close: ${err ? errorCode(err) : "none"} (expected ${expected})`,
          err?.entry,
        );
        ctx.check(
          "TRANSPORT-13",
          closed.reason === expected,
          `close reason ${JSON.stringify(closed.reason)}`,
        );
      }
    },
  }),
  defineCase({
    id: "transport.accepts-1mib",
    title: "Text messages up to 1,048,576 bytes are accepted",
    requirements: ["TRANSPORT-12"],
    level: "MUST",
    profile: "core",
    area: "transport",
    async run(ctx) {
      const sock = await ctx.connect();
      const from = sock.frames.length;
      sock.sendRaw(paddedCreate(1_048_576, ctx.target.model, 24));
      const answer = await sock.waitFor(
        (f) => f.type === "response.created" || f.type === "error",
        "an answer to a 1 MiB message",
        { from },
      );
      ctx.check(
        "TRANSPORT-12",
        answer.type === "response.created" && sock.isOpen,
        `answered ${answer.type}${answer.type === "error" ? ` ${errorCode(answer)}` : ""}`,
        answer.entry,
      );
      // Only a started response has a terminal event to wait for (CONF-16).
      if (answer.type === "response.created") await sock.waitTerminal().catch(() => undefined);
    },
  }),
  defineCase({
    id: "transport.max-age",
    title:
      "Past its maximum age an idle connection gets websocket_connection_limit_reached and close 4000",
    requirements: ["TRANSPORT-15"],
    level: "MUST",
    profile: "core",
    area: "transport",
    async run(ctx) {
      const age = ctx.limits.connection_max_age_ms;
      if (age > 5_000) ctx.skip(`connection_max_age_ms is ${age} ms: too long to observe in a run`);
      const sock = await ctx.connect();
      const closed = await sock.waitClose(age + ctx.timeoutMs);
      const err = sock.frames.find(
        (f) => f.type === "error" && errorCode(f) === "websocket_connection_limit_reached",
      );
      ctx.check(
        "TRANSPORT-15",
        err !== undefined,
        "websocket_connection_limit_reached sent",
        err?.entry,
      );
      ctx.check("TRANSPORT-15", closed.code === 4000, `close code ${closed.code}`);
    },
  }),
  defineCase({
    id: "transport.permessage-deflate",
    title: "permessage-deflate may be negotiated (observed, not required)",
    requirements: ["TRANSPORT-14"],
    level: "MAY",
    profile: "core",
    area: "transport",
    async run(ctx) {
      // Offering the extension must not break the upgrade; once negotiated, a whole turn must
      // arrive as valid (inflated) JSON frames.
      const { default: WebSocket } = await import("ws");
      const ws = new WebSocket(ctx.target.wsUrl, {
        perMessageDeflate: true,
        headers: ctx.target.token
          ? { authorization: `Bearer ${ctx.target.token}`, ...ctx.target.headers }
          : ctx.target.headers,
      });
      const frames: string[] = [];
      ws.on("message", (raw) => frames.push(String(raw)));
      const ext = await new Promise<string | Error>((resolve) => {
        ws.once("open", () => resolve(ws.extensions));
        ws.once("error", (error) => resolve(error));
      });
      if (ext instanceof Error) {
        ctx.fail("TRANSPORT-14", `upgrade offering permessage-deflate failed: ${ext.message}`);
        return;
      }
      if (!ext.includes("permessage-deflate")) {
        ws.close();
        ctx.check("TRANSPORT-14", true, "permessage-deflate offered, not negotiated: upgrade ok");
        return;
      }
      ws.send(JSON.stringify({ type: "response.create", ...ctx.body({ max_output_tokens: 16 }) }));
      const ended = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), ctx.timeoutMs);
        const onMessage = (): void => {
          const last = safeJson(frames.at(-1) ?? "") as { type?: string } | null;
          if (last?.type?.match(/^response\.(completed|incomplete|failed)$/)) {
            clearTimeout(timer);
            resolve(true);
          }
        };
        ws.on("message", onMessage);
        ws.once("close", () => resolve(false));
      });
      ws.close();
      const bad = frames.filter((f) => safeJson(f) === null).length;
      ctx.check(
        "TRANSPORT-14",
        ended && bad === 0,
        `permessage-deflate negotiated: ${frames.length} frames, ${bad} not JSON, turn ${ended ? "completed" : "did not complete"}`,
      );
    },
  }),
];

/** A valid `response.create` padded with JSON whitespace to exactly `bytes` bytes. */
export function paddedCreate(bytes: number, model: string | null, maxOutputTokens = 16): string {
  const core = JSON.stringify({
    type: "response.create",
    ...(model ? { model } : {}),
    input: "Say hi.",
    max_output_tokens: maxOutputTokens,
  });
  const pad = Math.max(0, bytes - Buffer.byteLength(core));
  return `${core.slice(0, -1)}${" ".repeat(pad)}}`;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
