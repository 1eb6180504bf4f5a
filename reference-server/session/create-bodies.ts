/**
 * The bodies a hotline.v1 session creates responses from: a client's create with the session
 * defaults filled in, the continuation a steer starts (INT-15), and the prefill of a prewarm
 * (SESSION-8); and how `session.update` changes those defaults.
 */
import type {
  FunctionTool,
  ResponseSteerEvent,
  SessionDefaults,
  SessionUpdateEvent,
  ToolChoice,
} from "../../src/protocol/index.js";
import type { CreateBody, ResponseParams } from "../responses/params.js";

/** The defaults after a `session.update`: fields it carries replace, `null` clears. */
export function updatedDefaults(
  defaults: SessionDefaults,
  update: SessionUpdateEvent["session"],
): SessionDefaults {
  const d = { ...defaults };
  if (update.model !== undefined) d.model = update.model ?? null;
  if (update.instructions !== undefined) d.instructions = update.instructions ?? null;
  if (update.tools !== undefined) d.tools = (update.tools ?? []) as FunctionTool[];
  if (update.tool_choice !== undefined) {
    if (update.tool_choice === null) delete d.tool_choice;
    else d.tool_choice = update.tool_choice as ToolChoice;
  }
  if (update.service_tier !== undefined) d.service_tier = update.service_tier;
  return d;
}

/** A create body with the session defaults in place of the fields it leaves out. */
export function withDefaults(body: CreateBody, d: SessionDefaults): CreateBody {
  const out: CreateBody = { ...body };
  if (out.model === undefined && d.model !== null) out.model = d.model;
  if (out.instructions === undefined && d.instructions !== null) {
    out.instructions = d.instructions;
  }
  if (out.tools === undefined && d.tools.length > 0) out.tools = d.tools;
  if (out.tool_choice === undefined && d.tool_choice !== undefined) {
    out.tool_choice = d.tool_choice;
  }
  if (out.service_tier === undefined && d.service_tier !== "auto") {
    out.service_tier = d.service_tier;
  }
  return out;
}

/** INT-15: the create that continues a steered response, with its settings and the new input. */
export function steerBody(
  steered: { readonly id: string; readonly params: ResponseParams },
  event: ResponseSteerEvent,
): CreateBody {
  const p = steered.params;
  return {
    model: p.model,
    input: event.input,
    previous_response_id: steered.id,
    instructions: p.instructions,
    tools: p.tools,
    tool_choice: p.toolChoice,
    store: p.store,
    service_tier: p.serviceTier as CreateBody["service_tier"],
    ...(event.client_request_id === undefined
      ? {}
      : { client_request_id: event.client_request_id }),
    ...(event.max_output_tokens === undefined
      ? {}
      : { max_output_tokens: event.max_output_tokens }),
    ...(event.metadata === undefined ? {} : { metadata: event.metadata }),
  };
}

/** SESSION-8: the prefill of the defaults (nothing generated, nothing stored). */
export function prewarmBody(d: SessionDefaults): CreateBody {
  return {
    ...(d.model === null ? {} : { model: d.model }),
    instructions: d.instructions,
    tools: d.tools,
    ...(d.service_tier === "auto" ? {} : { service_tier: d.service_tier }),
    input: [],
    generate: false,
    store: false,
  };
}
