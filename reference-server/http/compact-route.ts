/**
 * `POST /v1/responses/compact` (HTTP-18, Open Responses 2026-04-24): the conversation given by
 * `input` (after a stored `previous_response_id`, if named) compacted into a shorter input
 * window, answered at once as a `response.compaction` object. Nothing is stored.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { CompactRequestBody } from "../../src/protocol/index.js";
import type { PrincipalLimits } from "../policy/limits.js";
import type { ResponsesService } from "../responses/service.js";
import { readValidBody, sendJson } from "./body.js";

/** What the route needs. */
export interface CompactRouteOptions {
  service: ResponsesService;
  maxBodyBytes: number;
  limits?: PrincipalLimits;
  /** A fleet: loads a `previous_response_id` another instance generated (FLEET-7). */
  loadPrevious?: (id: string) => Promise<void> | undefined;
}

/** Handles `POST /v1/responses/compact`. */
export async function compactResponse(
  req: IncomingMessage,
  res: ServerResponse,
  principal: string,
  options: CompactRouteOptions,
): Promise<void> {
  const body = await readValidBody<CompactRequestBody>(
    req,
    options.maxBodyBytes,
    "CompactRequestBody",
  );
  // A compaction is one request against the principal's request budget.
  const refused = options.limits?.admit(principal);
  if (refused) throw refused;
  if (body.previous_response_id != null) await options.loadPrevious?.(body.previous_response_id);
  sendJson(res, 200, options.service.compact(body, principal));
}
