/**
 * Protocol facts the schemas do not hold, kept once: the defaults spec/ states in prose, and
 * the helpers over the generated terminal-event and profile lists. The reference server, the
 * conformance runner, the benchmark and the client read them from here;
 * test/src/protocol/constants.test.ts checks them against the spec pages.
 */
import {
  PROFILES,
  type Profile,
  TERMINAL_EVENT_TYPES,
  type TerminalEventType,
} from "./events.gen.js";
import type {
  ResponseCancelledEvent,
  ResponseCompletedEvent,
  ResponseFailedEvent,
  ResponseIncompleteEvent,
} from "./types.gen.js";

/** The default maximum age of a WebSocket connection: 60 minutes (TRANSPORT-15, Open Responses). */
export const DEFAULT_CONNECTION_MAX_AGE_MS = 3_600_000;

/** The default context window, input plus output: 128,000 tokens (spec/backend-simulation.md). */
export const DEFAULT_CONTEXT_WINDOW_TOKENS = 128_000;

/** The largest text message every server accepts, 1 MiB (TRANSPORT-12). */
export const CORE_MAX_MESSAGE_BYTES = 1_048_576;

/** The `data` of the message that ends every SSE stream (HTTP-3). */
export const SSE_DONE = "[DONE]";

/** An event that ends its response. */
export type TerminalEvent =
  ResponseCompletedEvent | ResponseIncompleteEvent | ResponseFailedEvent | ResponseCancelledEvent;

const terminal: ReadonlySet<string> = new Set(TERMINAL_EVENT_TYPES);

/** Whether an event `type` ends its response (exactly one per response, STREAM-4). */
export function isTerminalEventType(type: unknown): type is TerminalEventType {
  return typeof type === "string" && terminal.has(type);
}

/** Whether a profile name is one of the two WebSocket profiles. */
export function isProfile(name: unknown): name is Profile {
  return (PROFILES as readonly unknown[]).includes(name);
}

// A schema that adds or drops a terminal event must change TerminalEvent with it.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const terminalUnionMatches: Same<TerminalEvent["type"], TerminalEventType> = true;
void terminalUnionMatches;
