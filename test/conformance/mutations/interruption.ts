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
];
