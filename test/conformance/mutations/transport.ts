/** Transport and handshake rules broken by the proxy (spec/transport.md). */
import { defineMutation } from "../support/proxy-hooks.js";
import { errorEvent } from "../support/stream-edits.js";

/** TRANSPORT-12's floor: every text message up to this size must be accepted. */
const ONE_MIB = 1_048_576;

/** The transport mutations, one per rule. */
export const transportMutations = [
  defineMutation({
    name: "vendor-hello-on-core",
    rule: "TRANSPORT-2",
    description: "greets every core-profile connection with an unprompted acme:hello event",
    open(conn) {
      if (conn.profile === "core") conn.toClient({ type: "acme:hello", server: "acme" });
    },
  }),
  defineMutation({
    name: "echo-bearer-entry",
    rule: "TRANSPORT-4",
    description: "selects the offered hotline.bearer.<token> entry as the subprotocol",
    selectProtocol(offered, upstream) {
      return offered.find((p) => p.startsWith("hotline.bearer.")) ?? upstream;
    },
    alsoFails: {
      "transport.bearer-subprotocol":
        "opens the same connection (hotline.v1 plus a hotline.bearer entry) and needs hotline.v1 selected (TRANSPORT-6)",
    },
  }),
  defineMutation({
    name: "bearer-entry-ignored",
    rule: "TRANSPORT-6",
    description: "ignores hotline.bearer.<token> entries, so such upgrades get 401",
    upgrade(up) {
      up.protocols = up.protocols.filter((p) => !p.startsWith("hotline.bearer."));
    },
    alsoFails: {
      "transport.subprotocol-selected":
        "authenticates with the same hotline.bearer entry, so its upgrade is refused too (TRANSPORT-3)",
    },
  }),
  defineMutation({
    name: "token-added-when-missing",
    rule: "TRANSPORT-7",
    description: "lets upgrades without credentials in, as if they carried a valid token",
    upgrade(up, env) {
      const bearerEntry = up.protocols.some((p) => p.startsWith("hotline.bearer."));
      if (up.headers.authorization === undefined && !bearerEntry) {
        up.headers.authorization = `Bearer ${env.token}`;
      }
    },
  }),
  defineMutation({
    name: "origin-ignored",
    rule: "TRANSPORT-8",
    description: "ignores the Origin header, so a denied origin upgrades",
    upgrade(up) {
      delete up.headers.origin;
    },
  }),
  defineMutation({
    name: "binary-copy-of-created",
    rule: "TRANSPORT-9",
    description: "sends each response.created a second time as a binary frame",
    fromServer(e) {
      if (e.type !== "response.created") return undefined;
      return [e, Buffer.from(JSON.stringify(e))];
    },
  }),
  defineMutation({
    name: "oversized-close-1008",
    rule: "TRANSPORT-11",
    description: "closes with 1008 instead of 1009 after a message above max_message_bytes",
    serverClose(close) {
      if (close.code === 1009) close.code = 1008;
    },
  }),
  defineMutation({
    name: "size-limit-off-by-one",
    rule: "TRANSPORT-12",
    description: "refuses text messages of 1,048,576 bytes and more (>= instead of >)",
    fromClient(m, conn) {
      if (m.binary || m.raw.length < ONE_MIB) return undefined;
      conn.toClient(
        errorEvent(conn, "message_too_large", `The message has ${m.raw.length} bytes.`),
      );
      conn.closeClient(1009, "message_too_large");
      return null;
    },
  }),
  defineMutation({
    name: "close-without-error",
    rule: "TRANSPORT-13",
    description: "closes with 1003 or 1009 without sending the registry error first",
    fromServer(e) {
      const code = e.type === "error" ? e.error?.code : undefined;
      return code === "binary_frame_not_supported" || code === "message_too_large"
        ? null
        : undefined;
    },
  }),
  defineMutation({
    name: "deflate-offer-refused",
    rule: "TRANSPORT-14",
    description: "answers 400 to upgrades that offer permessage-deflate",
    upgrade(up) {
      if (!up.extensions.includes("permessage-deflate")) return undefined;
      return { status: 400, headers: {}, body: { error: { code: "bad_request" } } };
    },
  }),
  defineMutation({
    name: "aged-close-without-error",
    rule: "TRANSPORT-15",
    description:
      "closes an aged connection with 4000 but without websocket_connection_limit_reached",
    setting: "max-age",
    // The core profile assumes the 60-minute default age, where transport.max-age skips.
    profiles: ["auto"],
    fromServer(e) {
      return e.type === "error" && e.error?.code === "websocket_connection_limit_reached"
        ? null
        : undefined;
    },
  }),
];
