/**
 * The create body, normalised: every member the `ResponseResource` echoes gets its default
 * here, once, so the resource builder and the bindings never disagree about a default.
 */
import type {
  FunctionTool,
  InputItem,
  Metadata,
  ReasoningConfig,
  ResponseCreateEvent,
  TextConfig,
  Tool,
  ToolChoice,
} from "../../src/protocol/index.js";

/**
 * The create body shared by both bindings (the WebSocket event without its Hotline envelope).
 * `stream` selects SSE over HTTP and is ignored over WebSocket (RESP-22); the members the
 * hosted API's clients send and Hotline does not implement (`client_metadata`, `user`,
 * `prompt_cache_retention`, hosted tools) are accepted here and dropped by `normaliseParams`.
 */
export type CreateBody = Omit<ResponseCreateEvent, "type" | "event_id">;

/** A create body with defaults applied. */
export interface ResponseParams {
  model: string;
  input: InputItem[];
  instructions: string | null;
  previousResponseId: string | null;
  /** Every tool of the request, echoed in the resource (functions with their nulls filled). */
  tools: Tool[];
  /** The top-level functions: the only tools the simulated model calls (SIM-12). */
  functions: FunctionTool[];
  toolChoice: ToolChoice;
  metadata: Metadata;
  text: TextConfig;
  temperature: number;
  topP: number;
  presencePenalty: number;
  frequencyPenalty: number;
  parallelToolCalls: boolean;
  maxOutputTokens: number | null;
  maxToolCalls: number | null;
  reasoning: ReasoningConfig | null;
  safetyIdentifier: string | null;
  promptCacheKey: string | null;
  truncation: "auto" | "disabled";
  store: boolean;
  background: boolean;
  serviceTier: string;
  topLogprobs: number;
  generate: boolean;
  clientRequestId: string | null;
}

/** Applies the Open Responses defaults to a create body; `defaultModel` fills a missing model. */
export function normaliseParams(body: CreateBody, defaultModel: string): ResponseParams {
  return {
    model: body.model ?? defaultModel,
    input: normaliseInput(body.input),
    instructions: body.instructions ?? null,
    previousResponseId: body.previous_response_id ?? null,
    tools: (body.tools ?? []).map((tool) => (tool.type === "function" ? echoFunction(tool) : tool)),
    functions: (body.tools ?? []).flatMap((tool) =>
      tool.type === "function" ? [echoFunction(tool)] : [],
    ),
    toolChoice: body.tool_choice ?? "auto",
    metadata: body.metadata ?? {},
    text: { format: body.text?.format ?? { type: "text" }, ...verbosity(body.text) },
    temperature: body.temperature ?? 1,
    topP: body.top_p ?? 1,
    presencePenalty: body.presence_penalty ?? 0,
    frequencyPenalty: body.frequency_penalty ?? 0,
    parallelToolCalls: body.parallel_tool_calls ?? true,
    maxOutputTokens: body.max_output_tokens ?? null,
    maxToolCalls: body.max_tool_calls ?? null,
    reasoning: body.reasoning ?? null,
    safetyIdentifier: body.safety_identifier ?? null,
    promptCacheKey: body.prompt_cache_key ?? null,
    truncation: body.truncation ?? "disabled",
    store: body.store ?? true,
    background: body.background ?? false,
    serviceTier: body.service_tier ?? "auto",
    topLogprobs: body.top_logprobs ?? 0,
    generate: body.generate ?? true,
    clientRequestId: body.client_request_id ?? null,
  };
}

/** A function tool as the resource echoes it: every Open Responses member, null when not given. */
function echoFunction(tool: FunctionTool): FunctionTool {
  return {
    type: "function",
    name: tool.name,
    description: tool.description ?? null,
    parameters: tool.parameters ?? null,
    strict: tool.strict ?? null,
  };
}

function verbosity(text: TextConfig | null | undefined): Pick<TextConfig, "verbosity"> {
  return text?.verbosity === undefined ? {} : { verbosity: text.verbosity };
}

/** A string input is one user message; null or absent is no new input. */
export function normaliseInput(input: string | InputItem[] | null | undefined): InputItem[] {
  if (input === null || input === undefined) return [];
  if (typeof input === "string") return [{ type: "message", role: "user", content: input }];
  return input;
}
