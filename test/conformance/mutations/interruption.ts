/** Interruption rules broken by the proxy (spec/interruption.md). */
import { defineMutation, type WireEvent, type WsConnection } from "../support/proxy-hooks.js";
import { isTerminal, Renumbering } from "../support/stream-edits.js";

/** Responses in flight on a connection before the emulated backend queues the next ones. */
const CAPACITY = 4;

/** Per-connection state of the emulated queue. */
interface Queue {
  shift: Renumbering;
  /** Held events of each queued response, in order. */
  held: Map<string, WireEvent[]>;
  running: Set<string>;
}
const queueKey = {};

/** Lets a queued response start: its held events go out (and, if it already ended, the next's). */
function release(q: Queue, id: string, send: (...e: WireEvent[]) => void): void {
  const events = q.held.get(id);
  if (!events) return;
  q.held.delete(id);
  send(...events);
  if (!events.some(isTerminal)) q.running.add(id);
  else releaseNext(q, send);
}

/** Starts the oldest queued response when there is room. */
function releaseNext(q: Queue, send: (...e: WireEvent[]) => void): void {
  const next = q.held.keys().next();
  if (!next.done && q.running.size < CAPACITY) release(q, next.value, send);
}

function queueOf(conn: WsConnection): Queue {
  return conn.state(queueKey, () => ({
    shift: new Renumbering(),
    held: new Map<string, WireEvent[]>(),
    running: new Set<string>(),
  }));
}

/** The interruption mutations, one per rule. */
/** Per-connection count of interrupts awaiting an answer (`interrupt-unknown-miscoded`). */
const INTERRUPTS = {};

export const interruptionMutations = [
  defineMutation({
    name: "cancel-queued-starts-it",
    rule: "INT-5",
    description: `queues responses beyond ${CAPACITY} in flight (response.queued, events held until one ends), and a cancel of a queued one starts it (response.in_progress) before it ends cancelled`,
    fromClient(m, conn) {
      const q = queueOf(conn);
      const id = m.event?.type === "response.cancel" ? m.event.response_id : undefined;
      if (typeof id === "string") release(q, id, (...e) => conn.toClient(...e));
      return undefined;
    },
    fromServer(e, conn) {
      const q = queueOf(conn);
      const id = conn.responseOf(e);
      if (id === null || conn.profile !== "hotline.v1") return undefined;
      if (e.type === "response.created" && e.response) {
        if (q.running.size < CAPACITY) {
          q.running.add(id);
          return undefined;
        }
        q.held.set(id, []);
        q.shift.bump(id);
        const queued = {
          response_id: id,
          type: "response.queued",
          response: { ...e.response, status: "queued" as const },
          queue_position: q.held.size,
          sequence_number: Number(e.sequence_number) + 1,
        };
        return [e, queued];
      }
      q.shift.apply(e, id);
      const held = q.held.get(id);
      if (held) {
        held.push(e);
        return null;
      }
      if (!isTerminal(e)) return e;
      q.running.delete(id);
      const out: WireEvent[] = [e];
      releaseNext(q, (...more) => out.push(...more));
      return out;
    },
  }),
  defineMutation({
    name: "interrupted-as-cancelled",
    rule: "INT-23",
    description:
      "ends an interrupted response with incomplete_details.reason cancelled, not interrupted",
    fromServer(e) {
      const details = e.response?.incomplete_details as { reason?: string } | null | undefined;
      if (e.type !== "response.incomplete" || details?.reason !== "interrupted") return undefined;
      details.reason = "cancelled";
      return e;
    },
  }),
  defineMutation({
    name: "interrupt-unknown-miscoded",
    rule: "INT-24",
    description:
      "answers response.interrupt of an unknown or finished response with response_not_found",
    fromClient(message, conn) {
      if (message.event?.type === "response.interrupt")
        conn.state(INTERRUPTS, () => ({ n: 0 })).n++;
      return undefined;
    },
    fromServer(e, conn) {
      const sent = conn.state(INTERRUPTS, () => ({ n: 0 }));
      if (e.error?.code !== "response_not_active" || sent.n === 0) return undefined;
      sent.n--;
      e.error.code = "response_not_found";
      return e;
    },
  }),
];
