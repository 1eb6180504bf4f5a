/** Error rules broken by the proxy (spec/errors.md). */
import { lookupError } from "../../../src/protocol/index.js";
import { defineMutation } from "../support/proxy-hooks.js";
import { isTerminal, Renumbering } from "../support/stream-edits.js";

const numbering = {};

/** The error mutations, one per rule. */
export const errorMutations = [
  defineMutation({
    name: "core-errors-numbered",
    rule: "ERR-3",
    description:
      "numbers core-profile errors: inside a response as its next event (later events renumbered), 0 outside one",
    fromServer(e, conn) {
      if (conn.profile !== "core") return undefined;
      const state = conn.state(numbering, () => ({ shift: new Renumbering(), last: -1 }));
      const id = conn.responseOf(e);
      if (e.type === "error") {
        const inside = id !== null && conn.inFlight.has(id);
        e.sequence_number = inside ? state.last + 1 : 0;
        if (inside) {
          state.shift.bump(id);
          state.last += 1;
        }
        return e;
      }
      state.shift.apply(e, id);
      if (typeof e.sequence_number === "number") state.last = e.sequence_number;
      if (isTerminal(e)) state.last = -1;
      return e.sequence_number === undefined ? undefined : e;
    },
  }),
  defineMutation({
    name: "event-id-not-echoed",
    rule: "ERR-4",
    description: "leaves event_id out of errors caused by a client event that had one",
    fromServer(e) {
      if (e.type !== "error" || e.event_id === undefined) return undefined;
      delete e.event_id;
      return e;
    },
  }),
  defineMutation({
    name: "retryable-inverted",
    rule: "ERR-7",
    description: "sends error.retryable opposite to the registry's flag on hotline.v1",
    fromServer(e, conn) {
      // Error events only: a response.steer.failed's error carries no `retryable` (INT-16).
      const known = e.type === "error" && e.error ? lookupError(e.error.code) : undefined;
      if (conn.profile !== "hotline.v1" || !e.error || !known) return undefined;
      e.error.retryable = !known.retryable;
      return e;
    },
  }),
  defineMutation({
    name: "param-not-a-pointer",
    rule: "ERR-11",
    description: "names the offending field of invalid_event without the JSON pointer's slash",
    fromServer(e) {
      if (e.error?.code !== "invalid_event" || typeof e.error.param !== "string") return undefined;
      e.error.param = e.error.param.replace(/^\//, "");
      return e;
    },
  }),
  defineMutation({
    name: "binary-close-1008",
    rule: "ERR-14",
    description: "closes after binary_frame_not_supported with 1008 instead of the registry's 1003",
    serverClose(close) {
      if (close.code === 1003) close.code = 1008;
    },
    alsoFails: {
      "transport.binary-frame":
        "TRANSPORT-10 asks the same close code (1003) for the same event, a binary frame",
    },
  }),
  defineMutation({
    name: "rate-limit-advertised-not-enforced",
    rule: "ERR-16",
    description: "advertises a requests limit of 20 that it never enforces",
    fromServer(e) {
      const limits = /^session\.(created|updated|resumed)$/.test(e.type)
        ? (
            e.session as {
              limits?: { rate_limits?: { name: string; limit: number; remaining: number }[] };
            }
          )?.limits
        : undefined;
      const requests = limits?.rate_limits?.find((r) => r.name === "requests");
      if (!requests) return undefined;
      requests.limit = 20;
      requests.remaining = 20;
      return e;
    },
  }),
];
