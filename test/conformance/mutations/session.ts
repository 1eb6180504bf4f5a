/** Session-layer rules broken by the proxy (spec/session.md). */
import { defineMutation, type WireEvent } from "../support/proxy-hooks.js";
import { isTerminal } from "../support/stream-edits.js";

/** Client events the core profile answers with unknown_event_type (SESSION-23). */
const HOTLINE_CLIENT_EVENT = /^(session\..*|response\.(cancel|resume))$/;

/** Keys of per-connection state, one per mutation that keeps some. */
const lastClientType = {};
const defaults = {};
const prewarmed = {};
const heldPongs = {};

/** The session object of a frame that carries one. */
function sessionOf(e: WireEvent): Record<string, unknown> | undefined {
  return /^session\.(created|updated|resumed)$/.test(e.type)
    ? (e.session as Record<string, unknown> | undefined)
    : undefined;
}

/** The session-layer mutations, one per rule. */
export const sessionMutations = [
  defineMutation({
    name: "core-hotline-events-invalid",
    rule: "SESSION-23",
    description:
      "on a core connection answers session.*, cancel and resume with invalid_event instead of unknown_event_type",
    fromClient(m, conn) {
      conn.state(lastClientType, () => ({ type: "" })).type = m.event?.type ?? "";
      return undefined;
    },
    fromServer(e, conn) {
      const last = conn.state(lastClientType, () => ({ type: "" })).type;
      if (conn.profile !== "core" || e.error?.code !== "unknown_event_type") return undefined;
      if (!HOTLINE_CLIENT_EVENT.test(last)) return undefined;
      e.error.code = "invalid_event";
      return e;
    },
  }),
  defineMutation({
    name: "steer-unadvertised-but-served",
    rule: "SESSION-5",
    description:
      "leaves steer out of session.features but still serves response.steer (no unknown_event_type)",
    fromServer(e) {
      const s = sessionOf(e);
      if (!Array.isArray(s?.features)) return undefined;
      s.features = s.features.filter((f) => f !== "steer");
      return e;
    },
  }),
  defineMutation({
    name: "session-defaults-not-applied",
    rule: "SESSION-7",
    description: "records session.update defaults but starts later responses without them",
    fromClient(m, conn) {
      const s =
        m.event?.type === "session.update"
          ? (m.event.session as { instructions?: unknown })
          : undefined;
      if (typeof s?.instructions === "string")
        conn.state(defaults, () => new Set<string>()).add(s.instructions);
      return undefined;
    },
    fromServer(e, conn) {
      const applied = conn.state(defaults, () => new Set<string>());
      if (!e.response || !applied.has(String(e.response.instructions))) return undefined;
      e.response.instructions = null;
      return e;
    },
  }),
  defineMutation({
    name: "prewarm-reports-nothing-cached",
    rule: "SESSION-8",
    description: "answers a prewarming session.update with prewarm.cached_tokens 0",
    fromServer(e) {
      const prewarm =
        e.type === "session.updated" ? (e.prewarm as { cached_tokens?: number }) : undefined;
      if (prewarm?.cached_tokens === undefined) return undefined;
      prewarm.cached_tokens = 0;
      return e;
    },
  }),
  defineMutation({
    name: "prewarm-cache-missed",
    rule: "SESSION-9",
    description: "reports no cached tokens for the first response after a prewarm",
    fromServer(e, conn) {
      const state = conn.state(prewarmed, () => ({ pending: false }));
      if (e.type === "session.updated" && e.prewarm !== undefined) state.pending = true;
      if (!state.pending || !isTerminal(e) || !e.response?.usage) return undefined;
      state.pending = false;
      e.response.usage.input_tokens_details.cached_tokens = 0;
      return e;
    },
  }),
  defineMutation({
    name: "pong-queued-behind-deltas",
    rule: "SESSION-11",
    description: "queues session.pong behind the next 5 output deltas of a response in flight",
    fromServer(e, conn) {
      const state = conn.state(heldPongs, () => ({ pongs: [] as WireEvent[], deltas: 0 }));
      if (e.type === "session.pong" && conn.inFlight.size > 0) {
        state.pongs.push(e);
        state.deltas = 0;
        return null;
      }
      if (state.pongs.length === 0) return undefined;
      if (e.type.endsWith(".delta")) state.deltas += 1;
      if (state.deltas < 5 && !isTerminal(e)) return undefined;
      return [e, ...state.pongs.splice(0)];
    },
  }),
];
