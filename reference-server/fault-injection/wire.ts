/**
 * Wire faults: rewrites of the frames a WebSocket connection sends, applied by wrapping the
 * connection's {@link SessionPort} from outside the session. The reference path never sees
 * them: with no fault injected, no port is wrapped and no frame is parsed twice.
 */
import { TERMINAL_EVENT_TYPES } from "../../src/protocol/index.js";
import type { FaultName } from "./faults.js";
import type { Profile, SessionPort } from "../session/session.js";

/** A frame as the rewrites read it. */
interface Frame {
  type?: string;
  sequence_number?: number;
  response_id?: string;
  client_request_id?: string;
  steered_from?: string;
  status?: number;
  error?: { code?: string };
  response?: { id?: string; output?: { id?: string }[] };
  [member: string]: unknown;
}

const TERMINAL: ReadonlySet<string> = new Set(TERMINAL_EVENT_TYPES);

/** What a rewrite does with one frame: send it (maybe changed), drop it, or send more after. */
type Rewrite = (frame: Frame, out: Output) => void;

interface Output {
  /** Sends this frame (the rewritten one, or another). */
  send(frame: Frame | string): void;
}

/** Responses that already got their extra delta (`delta-after-terminal`), across connections. */
const extraDeltaSent = new Set<string>();

/** The frame rewrite of each wire fault, for a connection of `profile`. */
function rewriteOf(fault: FaultName, profile: Profile): Rewrite | undefined {
  const hotline = profile === "hotline.v1";
  // Errors a session answers a client event with: no sequence number (mid-stream errors of a
  // response carry theirs and are left as they are).
  const sessionError = (f: Frame) => f.type === "error" && f.sequence_number === undefined;
  const drop =
    (match: (f: Frame) => boolean): Rewrite =>
    (f, out) => {
      if (!match(f)) out.send(f);
    };
  switch (fault) {
    case "sequence-gap":
      return (f, out) => {
        if (typeof f.sequence_number === "number" && f.sequence_number >= 3) f.sequence_number++;
        out.send(f);
      };
    case "missing-response-id":
      return hotline
        ? (f, out) => {
            if (f.type === "response.output_text.delta") delete f.response_id;
            out.send(f);
          }
        : undefined;
    case "no-client-request-id":
    case "no-steered-from":
      return (f, out) => {
        if (f.type === "response.created") {
          if (fault === "no-client-request-id") delete f.client_request_id;
          else delete f.steered_from;
        } else if (fault === "no-steered-from" && f.type?.startsWith("response.steer.")) {
          delete f.client_request_id;
        }
        out.send(f);
      };
    case "wrong-error-envelope":
      return (f, out) => {
        if (sessionError(f)) delete f.status;
        out.send(f);
      };
    case "no-error-request-id":
      return hotline
        ? (f, out) => {
            if (sessionError(f)) delete f.client_request_id;
            out.send(f);
          }
        : undefined;
    case "no-session-created":
      return drop((f) => f.type === "session.created");
    case "no-pong":
      return drop((f) => f.type === "session.pong");
    case "no-rate-limits":
      return drop((f) => f.type === "rate_limits.updated");
    case "no-heartbeat":
      return drop((f) => f.type === "session.heartbeat");
    case "no-going-away":
      return drop((f) => f.type === "session.going_away");
    case "no-resume-expired":
      return drop((f) => f.type === "error" && f.error?.code === "resume_expired");
    case "ignore-unknown-type":
      return drop((f) => f.type === "error" && f.error?.code === "unknown_event_type");
    case "hotline-event-to-core-client":
      return hotline
        ? undefined
        : (f, out) => {
            out.send(f);
            if (f.type !== "response.created") return;
            out.send({
              type: "rate_limits.updated",
              rate_limits: [{ name: "requests", limit: 6000, remaining: 5999, reset_ms: 60000 }],
            });
          };
    case "delta-after-terminal":
      return (f, out) => {
        out.send(f);
        const id = f.response?.id;
        if (!TERMINAL.has(f.type ?? "") || id === undefined || extraDeltaSent.has(id)) return;
        // Default-lane responses only: a stray delta on a named lane of a core connection,
        // where the lane's next response may already stream, is a harder puzzle than STREAM-5.
        if (f.stream_id !== undefined) return;
        extraDeltaSent.add(id);
        out.send(deltaAfterTerminal(f));
      };
    default:
      return undefined;
  }
}

/**
 * Fault `delta-after-terminal`: one more output delta after a response's terminal event, on the
 * item its output ended with (stamped with the terminal's `response_id`, if any), for responses
 * of the default lane.
 */
function deltaAfterTerminal(terminal: Frame): string {
  const output = terminal.response?.output;
  return JSON.stringify({
    type: "response.output_text.delta",
    item_id: output?.at(-1)?.id ?? "msg_after_terminal",
    output_index: Math.max(0, (output?.length ?? 1) - 1),
    content_index: 0,
    delta: " (after the end)",
    sequence_number: (terminal.sequence_number ?? 0) + 1,
    ...(terminal.response_id === undefined ? {} : { response_id: terminal.response_id }),
  });
}

/** A frame the connection sends, seen by {@link WirePort.observe} before any rewrite. */
export type FrameObserver = (frame: Frame) => "send" | "drop";

/** A port whose frames pass the fault's rewrite; observers see (and may drop) them first. */
export interface WirePort extends SessionPort {
  /** Adds an observer of every frame sent (behavioural faults watching the stream). */
  observe(observer: FrameObserver): void;
}

/**
 * Wraps `port` so that its frames break `fault`'s rule on the wire. The close faults act on the
 * connection's closes: `close-on-bad-json` closes (1007) where the `invalid_json` error would be
 * sent, `binary-frame-kept-open` keeps open what a binary frame would close.
 */
export function wirePort(port: SessionPort, fault: FaultName, profile: Profile): WirePort {
  const rewrite = rewriteOf(fault, profile);
  const observers: FrameObserver[] = [];
  const out: Output = {
    send: (frame) => port.send(typeof frame === "string" ? frame : JSON.stringify(frame)),
  };
  return {
    send(json) {
      if (!rewrite && observers.length === 0 && fault !== "close-on-bad-json") {
        port.send(json);
        return;
      }
      const frame = JSON.parse(json) as Frame;
      if (fault === "close-on-bad-json" && frame.type === "error") {
        if (frame.error?.code === "invalid_json") {
          port.close(1007, "invalid JSON");
          return;
        }
      }
      for (const observer of observers) if (observer(frame) === "drop") return;
      if (rewrite) rewrite(frame, out);
      else port.send(json);
    },
    close(code, reason) {
      if (fault === "binary-frame-kept-open" && reason === "binary_frame_not_supported") return;
      port.close(code, reason);
    },
    bufferedAmount: () => port.bufferedAmount(),
    onDrain: (fn) => port.onDrain(fn),
    observe(observer) {
      observers.push(observer);
    },
  };
}
