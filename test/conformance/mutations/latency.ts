/**
 * Latency targets broken by the proxy (spec/metrics-and-targets.md). The reference server
 * misses L1-L3 on loopback, so these run with the latency-network setting, under which the
 * control passes them; each mutation then adds the delay (or bytes) of a plausible slow server.
 */
import { defineMutation } from "../support/proxy-hooks.js";
import { OBFUSCATION } from "./settings.js";

const firstDelta = {};

/** The latency-target mutations, one per rule. */
export const latencyMutations = [
  defineMutation({
    name: "created-held",
    rule: "METRIC-8",
    description: "holds every response.created for 10 ms before writing it",
    setting: "latency-network",
    fromServer(e, conn) {
      if (e.type === "response.created") conn.pauseClient(10);
      return undefined;
    },
  }),
  defineMutation({
    name: "ws-deltas-obfuscated",
    rule: "METRIC-9",
    description: "pads WebSocket output deltas with obfuscation as SSE does",
    setting: "latency-network",
    fromServer(e) {
      if (e.type !== "response.output_text.delta") return undefined;
      e.obfuscation = OBFUSCATION;
      return e;
    },
  }),
  defineMutation({
    name: "continuation-prefill-again",
    rule: "METRIC-10",
    description:
      "delays the first delta of every continuation by 40 ms (its history prefilled again)",
    setting: "latency-network",
    fromServer(e, conn) {
      const waiting = conn.state(firstDelta, () => new Set<string>());
      const id = conn.responseOf(e);
      if (e.type === "response.created" && e.response?.previous_response_id)
        waiting.add(String(id));
      if (e.type.endsWith(".delta") && id !== null && waiting.delete(id)) conn.pauseClient(40);
      return undefined;
    },
  }),
  defineMutation({
    name: "cancel-ack-late",
    rule: "METRIC-11",
    description: "holds response.cancelled for 20 ms before writing it",
    setting: "latency-network",
    fromServer(e, conn) {
      if (e.type === "response.cancelled") conn.pauseClient(20);
      return undefined;
    },
  }),
];
