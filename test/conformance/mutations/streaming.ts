/** Event ordering and streaming-content rules broken by the proxy (spec/streaming.md). */
import { defineMutation, type WireEvent } from "../support/proxy-hooks.js";
import { isTerminal } from "../support/stream-edits.js";

/** Keys of per-connection state, one per mutation that keeps some. */
const heldTextDone = {};
const stalled = {};
const liveness = {};

/** How long a stalled reader may leave a ping unanswered before it is cut off. */
const SLOW_READER_MS = 100;

type Item = { id?: string; status?: string };

/** The streaming mutations, one per rule. */
export const streamingMutations = [
  defineMutation({
    name: "numbered-pong",
    rule: "STREAM-3",
    description:
      "numbers session.pong like a response event (sequence_number 0); session.pong's schema forbids the member too",
    fromServer(e) {
      if (e.type !== "session.pong") return undefined;
      e.sequence_number = 0;
      return e;
    },
  }),
  defineMutation({
    name: "final-output-new-ids",
    rule: "STREAM-7",
    description: "builds the terminal output with item ids other than those of output_item.done",
    fromServer(e) {
      if (!isTerminal(e) || !e.response?.output.length) return undefined;
      for (const item of e.response.output as Item[]) item.id = `${String(item.id)}_final`;
      return e;
    },
  }),
  defineMutation({
    name: "item-added-completed",
    rule: "STREAM-8",
    description: "opens output items with status completed instead of in_progress",
    fromServer(e) {
      if (e.type !== "response.output_item.added") return undefined;
      (e.item as Item).status = "completed";
      return e;
    },
  }),
  defineMutation({
    name: "part-done-before-text-done",
    rule: "STREAM-10",
    description: "sends content_part.done before output_text.done (numbering kept in order)",
    fromServer(e, conn) {
      const held = conn.state(heldTextDone, () => new Map<string, WireEvent>());
      const key = `${conn.responseOf(e)}:${String(e.output_index)}:${String(e.content_index)}`;
      if (e.type === "response.output_text.done") {
        held.set(key, e);
        return null;
      }
      const textDone = held.get(key);
      if (e.type !== "response.content_part.done" || !textDone) return undefined;
      held.delete(key);
      [e.sequence_number, textDone.sequence_number] = [textDone.sequence_number, e.sequence_number];
      return [e, textDone];
    },
  }),
  defineMutation({
    name: "done-text-differs",
    rule: "STREAM-11",
    description: "appends a newline to output_text.done's text that no delta carried",
    fromServer(e) {
      if (e.type !== "response.output_text.done") return undefined;
      e.text = `${String(e.text)}\n`;
      return e;
    },
  }),
  defineMutation({
    name: "cut-item-marked-completed",
    rule: "STREAM-12",
    description: "marks an item cut off by max_output_tokens completed (done event and output)",
    fromServer(e) {
      const items =
        e.type === "response.output_item.done"
          ? [e.item as Item]
          : isTerminal(e)
            ? ((e.response?.output ?? []) as Item[])
            : [];
      const cut = items.filter((i) => i.status === "incomplete");
      for (const i of cut) i.status = "completed";
      return cut.length > 0 ? e : undefined;
    },
  }),
  defineMutation({
    name: "unprefixed-debug-event",
    rule: "STREAM-13",
    description: "follows response.created with a debug.trace event (no implementor prefix)",
    fromServer(e) {
      if (e.type !== "response.created") return undefined;
      return [e, { type: "debug.trace", note: "response started" }];
    },
  }),
  defineMutation({
    name: "delta-held-back",
    rule: "STREAM-14",
    description: "holds every response's sixth output delta back for 100 ms",
    fromServer(e, conn) {
      if (e.type !== "response.output_text.delta") return undefined;
      const counts = conn.state(stalled, () => new Map<string, number>());
      const id = String(conn.responseOf(e));
      const n = (counts.get(id) ?? 0) + 1;
      counts.set(id, n);
      if (n === 6) conn.pauseClient(100);
      return undefined;
    },
  }),
  defineMutation({
    name: "slow-reader-cut-off",
    rule: "STREAM-15",
    description: `closes (1008) a connection whose reader leaves a ping unanswered for ${SLOW_READER_MS} ms while a response streams, instead of pausing or coalescing`,
    fromServer(e, conn) {
      const state = conn.state(liveness, () => ({ waiting: false }));
      if (!e.type.endsWith(".delta") || state.waiting) return undefined;
      state.waiting = true;
      const timer = setTimeout(() => conn.closeClient(1008, "slow consumer"), SLOW_READER_MS);
      void conn.pingClient().then(() => {
        clearTimeout(timer);
        setTimeout(() => (state.waiting = false), 20);
      });
      return undefined;
    },
  }),
];
