/**
 * Fault injection for the conformance runner's self-proof, kept outside the reference request
 * path: `startServer({fault})` and `hotline serve --fault NAME` wrap the bindings' parts with
 * the decorators built here, and the sessions, the bindings and the responses service contain
 * no fault branches. Wire faults rewrite the frames a connection sends (wire.ts); behavioural
 * faults configure a session differently or stand between the connection and the session
 * (behaviour.ts); `sse-missing-done` wraps the HTTP handler.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { FaultName } from "./faults.js";
import type { WebSocketDecorators } from "../websocket/upgrade.js";
import { hotlineTarget, sessionOptions } from "./behaviour.js";
import { wirePort } from "./wire.js";

/** An HTTP `request` listener. */
type HttpHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** The decorators that make a server break `fault`'s rule, for the WebSocket binding. */
export function faultyWebSocket(fault: FaultName): WebSocketDecorators {
  return {
    session: (options) => sessionOptions(fault, options),
    connection(profile, raw) {
      const port = wirePort(raw, fault, profile);
      return {
        port,
        target: (target, session) =>
          session.profile === "hotline.v1" ? hotlineTarget(fault, target, session, port) : target,
      };
    },
  };
}

/** Fault `sse-missing-done`: SSE streams end after the terminal event without `data: [DONE]`. */
export function faultyHttp(fault: FaultName, handler: HttpHandler): HttpHandler {
  if (fault !== "sse-missing-done") return handler;
  return (req, res) => {
    const end = res.end.bind(res) as (chunk?: unknown) => ServerResponse;
    res.end = ((chunk?: unknown, ...rest: unknown[]) =>
      chunk === "data: [DONE]\n\n"
        ? end()
        : (end as (...a: unknown[]) => ServerResponse)(chunk, ...rest)) as ServerResponse["end"];
    handler(req, res);
  };
}
