/**
 * The HTTP binding of the responses service: `POST /v1/responses` (JSON or SSE),
 * `GET /v1/responses/{id}` (with background stream resume) and
 * `POST /v1/responses/{id}/cancel`. Same service, same events as the WebSocket binding.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { ProtocolError } from "../../src/protocol/index.js";
import { type PrincipalLimits, startAdmitted } from "../policy/limits.js";
import type { CreateBody } from "../responses/params.js";
import type { LoggedEvent } from "../responses/event-log.js";
import type { ResponseRun } from "../responses/run.js";
import type { CreateContext, ResponsesService } from "../responses/service.js";
import { parseValidBody, readBody, sendJson } from "./body.js";
import { endSse, startSse, writeSseEvent } from "./sse.js";

/** What the routes need. */
export interface ResponsesRoutesOptions {
  service: ResponsesService;
  /** Largest accepted request body. */
  maxBodyBytes: number;
  /** Per-principal limits: a refused create is a 429 with the registry error body. */
  limits?: PrincipalLimits;
  /**
   * A fleet (`--redis`): resolves once the new response is where the other instances read it,
   * so an id answered here is found on every instance (FLEET-3).
   */
  written?: () => Promise<void>;
  /**
   * A fleet: loads a `previous_response_id` another instance generated, so the create finds it
   * (FLEET-7); undefined when there is nothing to load.
   */
  loadPrevious?: (id: string) => Promise<void> | undefined;
}

/** Handles `POST /v1/responses`. */
export async function createResponse(
  req: IncomingMessage,
  res: ServerResponse,
  principal: string,
  options: ResponsesRoutesOptions,
): Promise<void> {
  const text = await readBody(req, options.maxBodyBytes);
  // The server-side overhead starts once the request is in (its transfer is the network's).
  const receivedAt = performance.now();
  const body = parseValidBody<CreateBody>(text, "CreateResponseBody");
  const stream = body.stream === true;
  // store: false never reaches the store (RESP-13), so there is nothing to load for it.
  const previous = body.store === false ? undefined : body.previous_response_id;
  if (typeof previous === "string") await options.loadPrevious?.(previous);
  const ctx = { profile: "http", principal, inputParam: "/input", receivedAt } as const;
  const run = startAdmitted(options.limits, principal, () =>
    stream ? streamCreate(res, body, ctx, options.service) : options.service.create(body, ctx),
  );
  if (stream) return;
  if (!run.params.background) {
    // A client that gave up stops costing compute (HTTP-9 applies in spirit to JSON too).
    res.on("close", () => {
      if (!res.writableEnded) run.cancel("incomplete");
    });
    await run.finished;
  }
  await options.written?.();
  if (!res.destroyed) sendJson(res, 200, run.resource());
}

function streamCreate(
  res: ServerResponse,
  body: CreateBody,
  ctx: CreateContext,
  service: ResponsesService,
): ResponseRun {
  const run = service.create(body, ctx);
  startSse(res);
  let paused = false;
  // STREAM-15 over SSE: a reader slower than the generation pauses it at the socket's
  // high-water mark instead of growing the response's buffer (an unread stream once ran to
  // completion in memory).
  const deliver = (entry: LoggedEvent): void => {
    if (writeSseEvent(res, entry) || paused || entry.terminal) return;
    paused = true;
    run.handle?.pause();
    const resume = (): void => {
      res.off("drain", resume);
      res.off("close", resume);
      paused = false;
      if (!run.done) run.handle?.resume();
    };
    res.once("drain", resume);
    // A background response outlives its stream: a reader that left does not hold it paused.
    res.once("close", resume);
  };
  // The log holds what start() appended (response.created and its follower) for a subscriber
  // that comes once create() returned, as the WebSocket session does.
  const unsubscribe = run.log.subscribe(deliver);
  if (!run.params.background) {
    // HTTP-9: a disconnected stream stops generating within one decode step.
    res.on("close", () => {
      if (!res.writableEnded) run.cancel("incomplete");
    });
  } else {
    res.on("close", unsubscribe);
  }
  return run;
}

/**
 * Handles `GET /v1/responses/{id}` (JSON, or `?stream=true&starting_after=N` SSE). A replay
 * stream is held open for as long as its reader wants: it counts as one of the principal's
 * connections (`principal.connections`) until it closes.
 */
export function getResponse(
  res: ServerResponse,
  id: string,
  query: URLSearchParams,
  principal: string,
  service: ResponsesService,
  limits?: PrincipalLimits,
): void {
  const run = service.get(id, principal);
  if (!run) throw notFound(id);
  if (query.get("stream") !== "true") {
    sendJson(res, 200, httpResource(run));
    return;
  }
  if (!run.log.retained) {
    throw new ProtocolError("invalid_event", "Only background responses can be streamed again.", {
      param: "stream",
    });
  }
  const raw = query.get("starting_after");
  const after = raw === null ? -1 : Number(raw);
  if (!Number.isInteger(after) || after < -1) {
    throw new ProtocolError("invalid_event", "starting_after must be an integer >= -1.", {
      param: "starting_after",
    });
  }
  const release = limits?.openConnection(principal);
  if (release instanceof Error) throw release;
  res.once("close", () => release?.());
  replay(res, run, after);
}

/**
 * Streams a background response again from `after`: kept events, then live ones. Paced by the
 * reader: once the socket's buffer is full it stops and goes on from the log at `drain`, so a
 * reader that does not read holds one buffer, not a copy of the log per request.
 */
function replay(res: ServerResponse, run: ResponseRun, after: number): void {
  startSse(res);
  let cursor = after;
  let unsubscribe = (): void => {};
  const write = (entry: LoggedEvent): boolean => {
    cursor = entry.sequenceNumber;
    return writeSseEvent(res, entry) || entry.terminal;
  };
  const pump = (): void => {
    if (res.destroyed) return;
    let kept: LoggedEvent[];
    try {
      kept = run.log.since(cursor);
    } catch {
      // The events after the cursor are gone: the stream cannot go on without a gap.
      res.destroy();
      return;
    }
    for (const entry of kept) {
      if (!write(entry)) {
        res.once("drain", pump);
        return;
      }
    }
    if (run.log.closed) {
      endSse(res);
      return;
    }
    unsubscribe = run.log.subscribe((entry) => {
      if (write(entry)) return;
      unsubscribe();
      res.once("drain", pump);
    }, cursor);
  };
  // Reading a background response never cancels it; it only stops listening.
  res.on("close", () => unsubscribe());
  pump();
}

/** Handles `POST /v1/responses/{id}/cancel`. */
export function cancelResponse(
  res: ServerResponse,
  id: string,
  principal: string,
  service: ResponsesService,
): void {
  const run = service.cancel(id, principal);
  if (!run) throw notFound(id);
  sendJson(res, 200, httpResource(run));
}

/**
 * A response as the HTTP binding shows it: one cancelled over hotline.v1 reads as `incomplete`
 * with reason `cancelled`, since `cancelled` never crosses the HTTP binding (HTTP-6, HTTP-13).
 */
function httpResource(run: ResponseRun): ReturnType<ResponseRun["resource"]> {
  const resource = run.resource();
  if (resource.status !== "cancelled") return resource;
  return { ...resource, status: "incomplete", incomplete_details: { reason: "cancelled" } };
}

function notFound(id: string): ProtocolError {
  return new ProtocolError("response_not_found", `Response with id '${id}' not found.`, {
    param: "response_id",
  });
}
