/** OpenAI WebSocket mode's lanes and steer broken by the proxy (spec/responses.md, interruption.md). */
import { defineMutation } from "../support/proxy-hooks.js";

/** The lanes and steer mutations, one per rule. */
export const lanesMutations = [
  defineMutation({
    name: "stream-id-dropped",
    rule: "RESP-36",
    description:
      "drops stream_id from a named lane's response events after its response.created (errors keep theirs)",
    alsoFails: {
      "lanes.limits":
        "without stream_id the runner cannot tell 31 lanes' events apart: they read as overlapping responses of the default lane",
    },
    fromServer(e) {
      if (e.type === "response.created" || !e.type.startsWith("response.")) return undefined;
      if (!("stream_id" in e)) return undefined;
      delete e.stream_id;
      return e;
    },
  }),
  defineMutation({
    name: "invalid-stream-id-miscoded",
    rule: "RESP-33",
    description: "refuses a malformed stream_id with invalid_event instead of invalid_stream_id",
    fromServer(e) {
      if (e.error?.code !== "invalid_stream_id") return undefined;
      e.error.code = "invalid_event";
      return e;
    },
  }),
  defineMutation({
    name: "steered-as-cancelled",
    rule: "INT-14",
    description: "ends a steered response with incomplete_details.reason cancelled, not steered",
    fromServer(e) {
      const details = e.response?.incomplete_details as { reason?: string } | null | undefined;
      if (e.type !== "response.incomplete" || details?.reason !== "steered") return undefined;
      details.reason = "cancelled";
      return e;
    },
  }),
  defineMutation({
    name: "steer-pending-stubs-dropped",
    rule: "INT-20",
    description: "sends response.steer.pending with an empty required_input",
    fromServer(e) {
      if (e.type !== "response.steer.pending") return undefined;
      (e as { required_input?: unknown[] }).required_input = [];
      return e;
    },
  }),
  defineMutation({
    name: "pending-steers-miscoded",
    rule: "INT-22",
    description:
      "refuses a steer beyond the held ones with invalid_input, not too_many_pending_steers",
    fromServer(e) {
      if (e.error?.code !== "too_many_pending_steers") return undefined;
      e.error.code = "invalid_input";
      return e;
    },
  }),
];
