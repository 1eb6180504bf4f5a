/**
 * Builds `ResponseResource` snapshots: all 31 Open Responses members, from the normalised
 * parameters and the run's state.
 */
import type {
  IncompleteDetails,
  OutputItem,
  ResponseError,
  ResponseResource,
  ResponseStatus,
  Usage,
} from "../../src/protocol/index.js";
import type { GenerationUsage } from "../backend/types.js";
import type { ResponseParams } from "./params.js";

/** The mutable part of a response that a snapshot reads. */
export interface ResourceState {
  id: string;
  createdAt: number;
  completedAt: number | null;
  status: ResponseStatus;
  incompleteDetails: IncompleteDetails | null;
  output: OutputItem[];
  error: ResponseError | null;
  usage: Usage | null;
  /** The tier that serves the response, once known; else the requested `service_tier`. */
  serviceTier: string;
}

/** A snapshot of the response as the wire shows it (the output array is copied). */
export function buildResource(params: ResponseParams, state: ResourceState): ResponseResource {
  return {
    id: state.id,
    object: "response",
    created_at: state.createdAt,
    completed_at: state.completedAt,
    status: state.status,
    incomplete_details: state.incompleteDetails,
    model: params.model,
    previous_response_id: params.previousResponseId,
    instructions: params.instructions,
    output: state.output.slice(),
    error: state.error,
    tools: params.tools,
    tool_choice: params.toolChoice,
    truncation: params.truncation,
    parallel_tool_calls: params.parallelToolCalls,
    text: params.text,
    top_p: params.topP,
    presence_penalty: params.presencePenalty,
    frequency_penalty: params.frequencyPenalty,
    top_logprobs: params.topLogprobs,
    temperature: params.temperature,
    reasoning: params.reasoning,
    usage: state.usage,
    max_output_tokens: params.maxOutputTokens,
    max_tool_calls: params.maxToolCalls,
    store: params.store,
    background: params.background,
    service_tier: state.serviceTier,
    metadata: params.metadata,
    safety_identifier: params.safetyIdentifier,
    prompt_cache_key: params.promptCacheKey,
  };
}

/** Maps the backend's token accounting to the wire `usage` object. */
export function toUsage(usage: GenerationUsage): Usage {
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: { cached_tokens: usage.cachedTokens },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
}

/** Unix seconds now (the resource's timestamps are whole seconds). */
export function unixSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
