/** Multiplexing, queueing and background rules broken by the proxy (spec/responses.md). */
import { defineMutation, type WireEvent } from "../support/proxy-hooks.js";
import { correlationOf, errorEvent, isTerminal, Renumbering } from "../support/stream-edits.js";

/** Keys of per-connection state, one per mutation that keeps some. */
const finished = {};
const renumbering = {};
const admission = {};

/** What background-counted-in-flight tracks: the limit, responses admitted, answers owed in order. */
function newAdmission(): { max: number; inFlight: number; answers: ("server" | WireEvent)[] } {
  return { max: Infinity, inFlight: 0, answers: [] };
}

/** The multiplexing, queueing and background mutations, one per rule. */
export const multiplexingMutations = [
  defineMutation({
    name: "one-entry-cache",
    rule: "RESP-16",
    description:
      "keeps only the most recently finished response in the connection cache of a hotline.v1 session",
    fromServer(e, conn) {
      if (isTerminal(e))
        conn.state(finished, () => ({ last: "" })).last = String(conn.responseOf(e));
      return undefined;
    },
    fromClient(m, conn) {
      const e = m.event;
      if (e?.type !== "response.create" || e.store !== false) return undefined;
      const prev = e.previous_response_id;
      if (typeof prev !== "string" || prev === conn.state(finished, () => ({ last: "" })).last) {
        return undefined;
      }
      conn.toClient(
        errorEvent(conn, "previous_response_not_found", `Previous response '${prev}' not found.`, {
          param: "previous_response_id",
          ...correlationOf(e),
        }),
      );
      return null;
    },
  }),
  defineMutation({
    name: "queued-without-position",
    rule: "RESP-18",
    description: "announces every response with response.queued but without queue_position",
    fromServer(e, conn) {
      const shift = conn.state(renumbering, () => new Renumbering());
      const id = conn.responseOf(e);
      if (e.type !== "response.created" || !e.response || id === null) {
        shift.apply(e, id);
        return e.sequence_number === undefined ? undefined : e;
      }
      const queued = {
        ...(conn.profile === "hotline.v1" ? { response_id: id } : {}),
        type: "response.queued",
        response: { ...e.response, status: "queued" as const },
        sequence_number: Number(e.sequence_number) + 1,
      };
      shift.bump(id);
      return [e, queued];
    },
  }),
  defineMutation({
    name: "background-counted-in-flight",
    rule: "RESP-20",
    description:
      "counts background responses toward max_in_flight: a background create at the limit gets too_many_in_flight (answered in order, after the creates before it)",
    fromServer(e, conn) {
      const s = conn.state(admission, newAdmission);
      const limits =
        e.type === "session.created"
          ? (e.session as { limits?: { max_in_flight?: number } }).limits
          : undefined;
      if (limits?.max_in_flight !== undefined) s.max = limits.max_in_flight;
      if (isTerminal(e)) s.inFlight -= 1;
      // A create's answer: its response.created, or an error refusing it (no response yet).
      const answer = e.type === "response.created" || (e.type === "error" && !e.response_id);
      if (!answer || s.answers[0] !== "server") return undefined;
      s.answers.shift();
      const refusals: WireEvent[] = [];
      while (s.answers.length > 0 && s.answers[0] !== "server") {
        refusals.push(s.answers.shift() as WireEvent);
      }
      return refusals.length > 0 ? [e, ...refusals] : undefined;
    },
    fromClient(m, conn) {
      const s = conn.state(admission, newAdmission);
      const e = m.event;
      if (e?.type !== "response.create") return undefined;
      if (e.background !== true || s.inFlight < s.max) {
        s.inFlight += 1;
        s.answers.push("server");
        return undefined;
      }
      const refusal = errorEvent(
        conn,
        "too_many_in_flight",
        `At most ${s.max} responses may be in flight.`,
        correlationOf(e),
      );
      if (s.answers.length === 0) conn.toClient(refusal);
      else s.answers.push(refusal);
      return null;
    },
  }),
  defineMutation({
    name: "background-cancelled-with-connection",
    rule: "RESP-21",
    description: "cancels a connection's responses, background ones included, when it closes",
    clientClose(_close, conn) {
      for (const id of conn.inFlight) conn.toServer({ type: "response.cancel", response_id: id });
    },
  }),
];
