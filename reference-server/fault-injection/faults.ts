/**
 * Fault injection for the conformance runner's self-proof: each fault makes the reference
 * server break exactly one normative rule, observably on the wire. `startServer({fault})` and
 * `hotline serve --fault NAME` pick one; `hotline serve --list-faults` prints this table. The
 * faults are decorators applied from outside the request path (fault-injection/).
 * The table is data: name, the requirement id it breaks (an anchor in `spec/`), and what the
 * server then does wrong.
 */

/** One injectable fault. */
export interface FaultSpec {
  /** The `--fault` name. */
  readonly name: string;
  /** The requirement id it breaks (`spec/<page>.md#<ID>`). */
  readonly rule: string;
  /** What the server does instead. */
  readonly description: string;
}

/** Every fault the reference server can inject, one or more per rule area of both profiles. */
export const FAULTS = [
  {
    name: "delta-after-terminal",
    rule: "STREAM-5",
    description:
      "sends one more output_text.delta after a response's terminal event (default lane)",
  },
  {
    name: "sequence-gap",
    rule: "STREAM-1",
    description: "skips sequence number 3 in every response's stream (WebSocket, both profiles)",
  },
  {
    name: "missing-response-id",
    rule: "STREAM-2",
    description: "omits response_id from output_text.delta events in hotline.v1",
  },
  {
    name: "ignore-cancel",
    rule: "INT-1",
    description: "accepts response.cancel but lets the response run to completion",
  },
  {
    name: "late-cancel",
    rule: "INT-2",
    description: "keeps streaming 5 more deltas after reading response.cancel before stopping",
  },
  {
    name: "cancel-unknown-silent",
    rule: "INT-12",
    description: "answers response.cancel of an unknown or finished response with nothing",
  },
  {
    name: "truncate-ignored",
    rule: "INT-7",
    description: "ignores response.cancel truncate: the stored output keeps the full text",
  },
  {
    name: "no-steered-from",
    rule: "INT-17",
    description:
      "omits steered_from from the successor's response.created and client_request_id from the steer replies",
  },
  {
    name: "no-heartbeat",
    rule: "SESSION-12",
    description: "never sends session.heartbeat, however long a response stays silent",
  },
  {
    name: "no-session-created",
    rule: "SESSION-1",
    description: "starts a hotline.v1 session without the session.created frame",
  },
  {
    name: "no-pong",
    rule: "SESSION-10",
    description: "never answers session.ping",
  },
  {
    name: "no-going-away",
    rule: "SESSION-13",
    description: "closes hotline.v1 connections at shutdown or max age without session.going_away",
  },
  {
    name: "no-rate-limits",
    rule: "SESSION-17",
    description: "never sends rate_limits.updated at a response's start",
  },
  {
    name: "hotline-event-to-core-client",
    rule: "SESSION-3",
    description: "sends rate_limits.updated to core-profile clients after response.created",
  },
  {
    name: "no-in-flight-limit",
    rule: "RESP-15",
    description: "starts creates beyond max_in_flight instead of answering too_many_in_flight",
  },
  {
    name: "no-client-request-id",
    rule: "RESP-17",
    description: "omits client_request_id from hotline.v1 response.created",
  },
  {
    name: "no-error-request-id",
    rule: "ERR-8",
    description: "omits client_request_id from hotline.v1 errors refusing a create",
  },
  {
    name: "multiplex-in-core-profile",
    rule: "RESP-31",
    description: "runs core-profile creates concurrently instead of one at a time",
  },
  {
    name: "steer-cuts-tool-call",
    rule: "INT-19",
    description: "ends a steered response at once even inside a function call (reason steered)",
  },
  {
    name: "steer-not-prepended",
    rule: "INT-21",
    description:
      "drops the input of steers held by a tool call instead of prepending it to the continuation",
  },
  {
    name: "lanes-serial",
    rule: "RESP-32",
    description: "runs a core connection's stream_id lanes one at a time instead of at once",
  },
  {
    name: "lane-cache-shared",
    rule: "RESP-37",
    description: "keeps one cached response per core connection, shared by all its lanes",
  },
  {
    name: "no-eviction-after-failure",
    rule: "RESP-12",
    description: "keeps the previous response in the connection cache after a failed continuation",
  },
  {
    name: "duplicate-on-retry",
    rule: "RESUME-11",
    description: "a repeated client_request_id with the same body starts a second response",
  },
  {
    name: "resume-loses-events",
    rule: "RESUME-6",
    description: "response.resume skips the first event it should replay",
  },
  {
    name: "no-resume-expired",
    rule: "RESUME-4",
    description: "an unknown resume token gets session.created without the resume_expired error",
  },
  {
    name: "wrong-error-envelope",
    rule: "ERR-1",
    description: "sends WebSocket error events without their numeric status",
  },
  {
    name: "close-on-bad-json",
    rule: "ERR-9",
    description: "closes the connection (1007) on a frame that is not JSON instead of invalid_json",
  },
  {
    name: "ignore-unknown-type",
    rule: "ERR-10",
    description: "silently ignores client events of an unknown type",
  },
  {
    name: "binary-frame-kept-open",
    rule: "TRANSPORT-10",
    description: "answers a binary frame with an error but keeps the connection open",
  },
  {
    name: "sse-missing-done",
    rule: "HTTP-3",
    description: "ends SSE streams after the terminal event without data: [DONE]",
  },
] as const satisfies readonly FaultSpec[];

/** A fault's name. */
export type FaultName = (typeof FAULTS)[number]["name"];

/** Whether `name` is a known fault. */
export function isFaultName(name: string): name is FaultName {
  return FAULTS.some((f) => f.name === name);
}

/** The table as `hotline serve --list-faults` prints it: `NAME  RULE-ID  what it breaks`. */
export function formatFaultTable(): string {
  const width = Math.max(...FAULTS.map((f) => f.name.length));
  const ruleWidth = Math.max(...FAULTS.map((f) => f.rule.length));
  return FAULTS.map(
    (f) => `${f.name.padEnd(width)}  ${f.rule.padEnd(ruleWidth)}  ${f.description}`,
  ).join("\n");
}
