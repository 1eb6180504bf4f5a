/* Generated from schemas/ by `npm run generate`. Do not edit by hand. */

/**
 * Any Hotline message, in either direction.
 */
export type ProtocolMessage = ClientEvent | ServerEvent;
/**
 * Any event a client sends, by `type`.
 */
export type ClientEvent =
  | ResponseCancelEvent
  | ResponseCreateEvent
  | ResponseInterruptEvent
  | ResponseResumeEvent
  | ResponseSteerEvent
  | SessionPingEvent
  | SessionUpdateEvent;
/**
 * An item of a request's `input`. Messages MAY omit `type`; every other item is discriminated by `type`.
 */
export type InputItem =
  | InputMessageItem
  | FunctionCallInputItem
  | FunctionCallOutputInputItem
  | ReasoningInputItem
  | ItemReference
  | CompactionInputItem;
/**
 * An annotation on a span of output text, discriminated by `type`.
 */
export type Annotation = UrlCitation;
/**
 * A tool of a request: a function the model MAY call, a namespace of tools, or a hosted tool type, discriminated by `type`.
 */
export type Tool = Tool1 & Tool2;
export type Tool1 = FunctionTool | NamespaceTool | HostedTool;
/**
 * Which tool the model uses: `none`, `auto` or `required`, a specific function, or a restricted set.
 */
export type ToolChoice = ("none" | "auto" | "required") | FunctionToolChoice | AllowedToolsChoice;
/**
 * The format of text output, discriminated by `type`.
 */
export type TextFormat = TextFormatText | TextFormatJsonObject | TextFormatJsonSchema;
/**
 * Any event a server sends, by `type`.
 */
export type ServerEvent =
  | ErrorEvent
  | RateLimitsUpdatedEvent
  | ResponseCancelledEvent
  | ResponseCompletedEvent
  | ResponseContentPartAddedEvent
  | ResponseContentPartDoneEvent
  | ResponseCreatedEvent
  | ResponseFailedEvent
  | ResponseFunctionCallArgumentsDeltaEvent
  | ResponseFunctionCallArgumentsDoneEvent
  | ResponseInProgressEvent
  | ResponseIncompleteEvent
  | ResponseInterruptAcceptedEvent
  | ResponseOutputItemAddedEvent
  | ResponseOutputItemDoneEvent
  | ResponseOutputItemInterruptedEvent
  | ResponseOutputTextAnnotationAddedEvent
  | ResponseOutputTextDeltaEvent
  | ResponseOutputTextDoneEvent
  | ResponseQueuedEvent
  | ResponseReasoningDeltaEvent
  | ResponseReasoningDoneEvent
  | ResponseReasoningSummaryPartAddedEvent
  | ResponseReasoningSummaryPartDoneEvent
  | ResponseReasoningSummaryTextDeltaEvent
  | ResponseReasoningSummaryTextDoneEvent
  | ResponseRefusalDeltaEvent
  | ResponseRefusalDoneEvent
  | ResponseSteerAcceptedEvent
  | ResponseSteerFailedEvent
  | ResponseSteerPendingEvent
  | SessionCreatedEvent
  | SessionGoingAwayEvent
  | SessionHeartbeatEvent
  | SessionPongEvent
  | SessionResumedEvent
  | SessionUpdatedEvent;
/**
 * The lifecycle state of a response. `cancelled` is reached only through a Hotline `response.cancel` or `response.steer`; core servers never report it.
 */
export type ResponseStatus =
  "queued" | "in_progress" | "completed" | "incomplete" | "failed" | "cancelled";
/**
 * An item of `ResponseResource.output` or of an item event, discriminated by `type`.
 */
export type OutputItem = MessageItem | FunctionCallItem | FunctionCallOutputItem | ReasoningItem;
/**
 * The state of an item: `in_progress` while the model samples it, then `completed`, or `incomplete` when sampling stopped part way (an incomplete item is the last item of its response).
 */
export type ItemStatus = "in_progress" | "completed" | "incomplete";
/**
 * A content part of an input or output item, discriminated by `type`.
 */
export type ContentPart =
  | InputTextContent
  | InputImageContent
  | InputFileContent
  | OutputTextContent
  | RefusalContent
  | ReasoningTextContent
  | SummaryTextContent;

/**
 * Hotline: stops a running response within one decode step; it ends with `response.cancelled`.
 */
export interface ResponseCancelEvent {
  /**
   * Always `response.cancel`.
   */
  type: "response.cancel";
  /**
   * Hotline: a client-chosen id for this event; errors caused by the event echo it as `event_id`.
   */
  event_id?: string;
  /**
   * The id of the targeted response.
   */
  response_id: string;
  truncate?: Truncation;
}
/**
 * Hotline: how much output the user actually saw, so the stored response matches it.
 */
export interface Truncation {
  /**
   * Number of Unicode code points of the response's output text (all `output_text` deltas in order) that were shown; the stored output is cut to it.
   */
  text_chars: number;
}
/**
 * Starts a response: the create body of the HTTP binding plus `type`. `stream` and `stream_options` are accepted and ignored (RESP-22); `background` is accepted only in the hotline.v1 profile. A member not defined here is refused with `invalid_event` naming it (RESP-24).
 */
export interface ResponseCreateEvent {
  /**
   * Always `response.create`.
   */
  type: "response.create";
  /**
   * Hotline: a client-chosen id for this event; errors caused by the event echo it as `event_id`.
   */
  event_id?: string;
  /**
   * OpenAI WebSocket mode: the lane of this response (RESP-32). Creates of one lane run one at a time in arrival order; different lanes run at once. 1 to 256 characters of `[A-Za-z0-9_.-]`; any other string is refused with `invalid_stream_id` (RESP-33). WebSocket only.
   */
  stream_id?: string;
  /**
   * The model to use. Hotline: over WebSocket, the session's default model applies when it is omitted.
   */
  model?: string | null;
  /**
   * The new input: a string (one user message) or input items.
   */
  input?: string | InputItem[] | null;
  /**
   * The response to continue; only new items are sent in `input`.
   */
  previous_response_id?: string | null;
  /**
   * Extra output to include; every value of the hosted API is accepted, and a server includes only what it produces.
   */
  include?: (
    | "code_interpreter_call.outputs"
    | "computer_call_output.output.image_url"
    | "file_search_call.results"
    | "message.input_image.image_url"
    | "message.output_text.logprobs"
    | "reasoning.encrypted_content"
    | "web_search_call.action.sources"
    | "web_search_call.results"
  )[];
  /**
   * The tools of this request: functions the model MAY call, namespaces of functions, and hosted tool types (accepted, never called by a server that does not offer them).
   */
  tools?: Tool[] | null;
  /**
   * Which tool the model uses.
   */
  tool_choice?: ToolChoice | null;
  /**
   * Developer-defined metadata.
   */
  metadata?: Metadata | null;
  /**
   * Accepted from the hosted API's clients (the Codex CLI sends its thread, turn and window ids here); ignored and never echoed.
   */
  client_metadata?: {
    [k: string]: string | undefined;
  } | null;
  /**
   * Text output options.
   */
  text?: TextConfig | null;
  /**
   * Sampling temperature.
   */
  temperature?: number | null;
  /**
   * Nucleus sampling parameter.
   */
  top_p?: number | null;
  /**
   * Presence penalty.
   */
  presence_penalty?: number | null;
  /**
   * Frequency penalty.
   */
  frequency_penalty?: number | null;
  /**
   * Whether the model MAY call several tools at once.
   */
  parallel_tool_calls?: boolean | null;
  /**
   * Upper bound on generated tokens.
   */
  max_output_tokens?: number | null;
  /**
   * Upper bound on tool calls.
   */
  max_tool_calls?: number | null;
  /**
   * Reasoning options.
   */
  reasoning?: ReasoningConfig | null;
  /**
   * A stable end-user identifier for abuse detection.
   */
  safety_identifier?: string | null;
  /**
   * Accepted from the hosted API (deprecated there in favour of `safety_identifier` and `prompt_cache_key`); ignored.
   */
  user?: string;
  /**
   * A key grouping requests that share a prompt prefix.
   */
  prompt_cache_key?: string | null;
  /**
   * Accepted from the hosted API (how long a prompt cache entry lives); ignored.
   */
  prompt_cache_retention?: ("in_memory" | "24h") | null;
  /**
   * How input exceeding the context window is handled; defaults to `disabled`.
   */
  truncation?: "auto" | "disabled";
  /**
   * A system message for this response only.
   */
  instructions?: string | null;
  /**
   * Whether to store the response for later retrieval.
   */
  store?: boolean;
  /**
   * The service tier. Hotline: `wafer` and `gpu` name the simulated tiers; `default` and `priority` map to `wafer`, `flex` to `gpu`, `auto` lets the server route.
   */
  service_tier?: "auto" | "default" | "flex" | "priority" | "wafer" | "gpu";
  /**
   * How many most likely tokens to return per position.
   */
  top_logprobs?: number | null;
  /**
   * Accepted and ignored over WebSocket, where every response streams (OpenAI's WebSocket mode accepts it and the Codex CLI sends `stream: true`; RESP-22).
   */
  stream?: boolean | null;
  /**
   * Accepted and ignored over WebSocket (RESP-22).
   */
  stream_options?: StreamOptions | null;
  /**
   * When false, the server prefills the input (warming its cache) and completes the response with empty output; the id is chainable. Defaults to true.
   */
  generate?: boolean;
  /**
   * Hotline: run as a long background task beside interactive responses.
   */
  background?: boolean;
  /**
   * Hotline: a client-chosen idempotency key, echoed in `response.created`. Repeating it attaches to the existing response instead of starting another.
   */
  client_request_id?: string;
}
/**
 * A message sent by the client as input. `type` MAY be omitted; `content` is a string or content parts (`output_text` and `refusal` belong to assistant messages).
 */
export interface InputMessageItem {
  /**
   * Always `message` when present.
   */
  type?: "message";
  /**
   * The item id, when echoing an earlier item.
   */
  id?: string | null;
  /**
   * Who authored the message.
   */
  role: "user" | "assistant" | "system" | "developer";
  /**
   * The content: a string (one text part) or content parts.
   */
  content:
    | string
    | (
        InputTextContent | InputImageContent | InputFileContent | OutputTextContent | RefusalContent
      )[];
  /**
   * The item status, when echoing an earlier item.
   */
  status?: ("in_progress" | "completed" | "incomplete") | null;
  /**
   * Marks an assistant message as intermediate commentary or the final answer; clients SHOULD send it back unchanged.
   */
  phase?: "commentary" | "final_answer";
}
/**
 * A text input to the model.
 */
export interface InputTextContent {
  /**
   * Always `input_text`.
   */
  type: "input_text";
  /**
   * The text.
   */
  text: string;
}
/**
 * An image input to the model. Servers that cannot process images MAY reject it with `invalid_event`.
 */
export interface InputImageContent {
  /**
   * Always `input_image`.
   */
  type: "input_image";
  /**
   * A fully qualified URL or a base64 data URL of the image.
   */
  image_url?: string | null;
  /**
   * The detail level; defaults to `auto`.
   */
  detail?: "low" | "high" | "auto";
}
/**
 * A file input to the model. Servers that cannot process files MAY reject it with `invalid_event`.
 */
export interface InputFileContent {
  /**
   * Always `input_file`.
   */
  type: "input_file";
  /**
   * The name of the file.
   */
  filename?: string | null;
  /**
   * The base64-encoded content of the file.
   */
  file_data?: string | null;
  /**
   * The URL of the file.
   */
  file_url?: string | null;
}
/**
 * Text generated by the model. Servers MUST send `annotations` (possibly empty); clients echoing an output item back as input MAY omit it.
 */
export interface OutputTextContent {
  /**
   * Always `output_text`.
   */
  type: "output_text";
  /**
   * The generated text.
   */
  text: string;
  /**
   * Annotations on spans of the text.
   */
  annotations?: Annotation[];
  /**
   * Token log probabilities, when requested with `include`.
   */
  logprobs?: LogProb[];
}
/**
 * A citation of a web resource used for a span of output text.
 */
export interface UrlCitation {
  /**
   * Always `url_citation`.
   */
  type: "url_citation";
  /**
   * The URL of the cited resource.
   */
  url: string;
  /**
   * Index of the first character of the cited span.
   */
  start_index: number;
  /**
   * Index of the last character of the cited span.
   */
  end_index: number;
  /**
   * The title of the cited resource.
   */
  title: string;
}
/**
 * The log probability of a sampled token and its most likely alternatives.
 */
export interface LogProb {
  /**
   * The token text.
   */
  token: string;
  /**
   * The log probability of the token.
   */
  logprob: number;
  /**
   * The UTF-8 bytes of the token.
   */
  bytes: number[];
  /**
   * The most likely alternatives at this position.
   */
  top_logprobs: TopLogProb[];
}
/**
 * One of the most likely tokens at a position, with its log probability.
 */
export interface TopLogProb {
  /**
   * The token text.
   */
  token: string;
  /**
   * The log probability of the token.
   */
  logprob: number;
  /**
   * The UTF-8 bytes of the token.
   */
  bytes: number[];
}
/**
 * A refusal by the model.
 */
export interface RefusalContent {
  /**
   * Always `refusal`.
   */
  type: "refusal";
  /**
   * The refusal explanation.
   */
  refusal: string;
}
/**
 * A function call sent back as input (usually an earlier output item).
 */
export interface FunctionCallInputItem {
  /**
   * Always `function_call`.
   */
  type: "function_call";
  /**
   * The item id, when echoing an earlier item.
   */
  id?: string | null;
  /**
   * The call id.
   */
  call_id: string;
  /**
   * The function called.
   */
  name: string;
  /**
   * The arguments, a JSON text.
   */
  arguments: string;
  /**
   * The item status, when echoing an earlier item.
   */
  status?: ("in_progress" | "completed" | "incomplete") | null;
}
/**
 * The client's answer to a function call.
 */
export interface FunctionCallOutputInputItem {
  /**
   * Always `function_call_output`.
   */
  type: "function_call_output";
  /**
   * The item id, when echoing an earlier item.
   */
  id?: string | null;
  /**
   * The `call_id` of the answered call.
   */
  call_id: string;
  /**
   * The result: a string (usually JSON) or content parts.
   */
  output: string | (InputTextContent | InputImageContent | InputFileContent)[];
  /**
   * The item status; clients SHOULD send `completed` or omit it.
   */
  status?: ("in_progress" | "completed" | "incomplete") | null;
}
/**
 * A reasoning item sent back as input so the model can reuse it.
 */
export interface ReasoningInputItem {
  /**
   * Always `reasoning`.
   */
  type: "reasoning";
  /**
   * The item id.
   */
  id?: string | null;
  /**
   * Reasoning summary parts.
   */
  summary: SummaryTextContent[];
  /**
   * Raw reasoning parts; servers MAY ignore them.
   */
  content?: ReasoningTextContent[] | null;
  /**
   * Opaque reasoning state from an earlier response.
   */
  encrypted_content?: string | null;
  /**
   * The item status, when echoing an earlier item.
   */
  status?: ("in_progress" | "completed" | "incomplete") | null;
}
/**
 * A summary of the model's reasoning.
 */
export interface SummaryTextContent {
  /**
   * Always `summary_text`.
   */
  type: "summary_text";
  /**
   * The summary text.
   */
  text: string;
}
/**
 * Raw reasoning text produced by the model.
 */
export interface ReasoningTextContent {
  /**
   * Always `reasoning_text`.
   */
  type: "reasoning_text";
  /**
   * The reasoning text.
   */
  text: string;
}
/**
 * A reference to an item the server already holds (e.g. an output item of the previous response).
 */
export interface ItemReference {
  /**
   * `item_reference`; MAY be omitted.
   */
  type?: "item_reference" | null;
  /**
   * The id of the referenced item.
   */
  id: string;
}
/**
 * A `compaction` item sent back as input, exactly as `POST /v1/responses/compact` returned it; a server that cannot read it refuses it with `invalid_event`.
 */
export interface CompactionInputItem {
  /**
   * Always `compaction`.
   */
  type: "compaction";
  /**
   * The item id, when echoing the returned item.
   */
  id?: string | null;
  /**
   * The compacted summary, as returned.
   */
  encrypted_content: string;
  /**
   * Who created the item, as returned.
   */
  created_by?: string;
}
/**
 * A function defined by the client that the model MAY call. Servers echo every member in `ResponseResource.tools`, using null for the ones not given.
 */
export interface FunctionTool {
  /**
   * Always `function`.
   */
  type: "function";
  /**
   * The function name.
   */
  name: string;
  /**
   * What the function does; the model reads it.
   */
  description?: string | null;
  /**
   * A JSON Schema object describing the function's arguments.
   */
  parameters?: {
    [k: string]: unknown | undefined;
  } | null;
  /**
   * Whether argument generation strictly follows `parameters`.
   */
  strict?: boolean | null;
  /**
   * Accepted from the hosted API (who may call the function); the reference server's simulated model ignores it.
   */
  allowed_callers?: ("direct" | "programmatic")[] | null;
  /**
   * Accepted from the hosted API (tool search loads the function later); ignored by the simulated model.
   */
  defer_loading?: boolean;
  /**
   * Accepted from the hosted API (a JSON Schema of the function's output); ignored by the simulated model.
   */
  output_schema?: {
    [k: string]: unknown | undefined;
  } | null;
}
/**
 * A named group of tools (OpenAI Responses API; the Codex CLI sends its sub-agent tools this way). Servers MUST accept it; the reference server's simulated model never calls a tool inside a namespace.
 */
export interface NamespaceTool {
  /**
   * Always `namespace`.
   */
  type: "namespace";
  /**
   * The namespace's name.
   */
  name: string;
  /**
   * What the tools of the namespace are for.
   */
  description?: string;
  /**
   * The namespace's tools: functions, or custom tools of the hosted API.
   */
  tools: (FunctionTool | HostedTool)[];
}
/**
 * A tool type of the hosted OpenAI Responses API other than `function` and `namespace` (web search, shell, custom tools, ...), as the official clients send it. Servers that do not offer the tool accept it and never call it; its other members are the hosted API's and are not checked here.
 */
export interface HostedTool {
  /**
   * The hosted API's tool type.
   */
  type:
    | "apply_patch"
    | "code_interpreter"
    | "computer"
    | "computer_use_preview"
    | "custom"
    | "file_search"
    | "image_generation"
    | "local_shell"
    | "mcp"
    | "programmatic_tool_calling"
    | "shell"
    | "tool_search"
    | "web_search"
    | "web_search_2025_08_26"
    | "web_search_preview"
    | "web_search_preview_2025_03_11";
  [k: string]: unknown | undefined;
}
export interface Tool2 {
  /**
   * The kind of tool; selects the branch.
   */
  type: string;
}
/**
 * Forces a call of the named function.
 */
export interface FunctionToolChoice {
  /**
   * Always `function`.
   */
  type: "function";
  /**
   * The function to call.
   */
  name: string;
}
/**
 * Restricts the model to a subset of the declared tools.
 */
export interface AllowedToolsChoice {
  /**
   * Always `allowed_tools`.
   */
  type: "allowed_tools";
  /**
   * The permitted tools.
   *
   * @minItems 1
   * @maxItems 128
   */
  tools: [FunctionToolChoice, ...FunctionToolChoice[]];
  /**
   * How to pick among the permitted tools; defaults to `auto`.
   */
  mode?: "none" | "auto" | "required";
}
/**
 * Up to 16 developer-defined string pairs attached to a response. Keys are at most 64 characters, values at most 512. Hotline: keys starting with `sim.` are hints for the simulated backend and MUST NOT be required by conformance cases.
 */
export interface Metadata {
  [k: string]: string | undefined;
}
/**
 * Text output options. Servers always send `format` in `ResponseResource.text`.
 */
export interface TextConfig {
  /**
   * The output format; defaults to `text`.
   */
  format?: TextFormat | null;
  /**
   * How verbose the final answer is.
   */
  verbosity?: "low" | "medium" | "high";
}
/**
 * Plain text output.
 */
export interface TextFormatText {
  /**
   * Always `text`.
   */
  type: "text";
}
/**
 * Output that is a JSON object.
 */
export interface TextFormatJsonObject {
  /**
   * Always `json_object`.
   */
  type: "json_object";
}
/**
 * Output that conforms to a JSON Schema.
 */
export interface TextFormatJsonSchema {
  /**
   * Always `json_schema`.
   */
  type: "json_schema";
  /**
   * The name of the format.
   */
  name?: string;
  /**
   * What the format is for.
   */
  description?: string | null;
  /**
   * The JSON Schema.
   */
  schema?: {
    [k: string]: unknown | undefined;
  } | null;
  /**
   * Whether output strictly follows `schema`.
   */
  strict?: boolean | null;
}
/**
 * Reasoning options of a request, echoed in the response.
 */
export interface ReasoningConfig {
  /**
   * How much reasoning the model does before answering.
   */
  effort?: ("none" | "minimal" | "low" | "medium" | "high" | "xhigh") | null;
  /**
   * Whether and how the reasoning is summarised.
   */
  summary?: ("auto" | "concise" | "detailed") | null;
}
/**
 * Options of a streamed HTTP response.
 */
export interface StreamOptions {
  /**
   * Whether delta events carry an `obfuscation` padding string; defaults to true.
   */
  include_obfuscation?: boolean;
}
/**
 * Codex's interrupt (`response.interrupt`, sent by the Codex CLI to stop a turn at once and continue it with new input): the server acknowledges with `response.interrupt.accepted`, discards the output item being generated (`response.output_item.interrupted`) and ends the response with `response.incomplete`, reason `interrupted` (INT-23).
 */
export interface ResponseInterruptEvent {
  /**
   * Always `response.interrupt`.
   */
  type: "response.interrupt";
  /**
   * The response to interrupt (in flight on this connection).
   */
  response_id: string;
  /**
   * What becomes of the item being generated: `discard_partial_items`, the only mode known.
   */
  mode: "discard_partial_items";
  /**
   * Hotline: an id echoed on an error this event causes.
   */
  event_id?: string;
}
/**
 * Hotline: replays the events of a response after a sequence number, then continues live.
 */
export interface ResponseResumeEvent {
  /**
   * Always `response.resume`.
   */
  type: "response.resume";
  /**
   * Hotline: a client-chosen id for this event; errors caused by the event echo it as `event_id`.
   */
  event_id?: string;
  /**
   * The id of the targeted response.
   */
  response_id: string;
  /**
   * Replay events with a greater `sequence_number`; -1 replays from the start.
   */
  after_sequence_number: number;
}
/**
 * Steers a running response (OpenAI WebSocket mode's `response.steer`, on every WebSocket connection): the server answers `response.steer.accepted` or `response.steer.failed`, ends the response with `response.incomplete` (reason `steered`) and starts a successor chained to it on the same lane. Members only Hotline defines are optional.
 */
export interface ResponseSteerEvent {
  /**
   * Always `response.steer`.
   */
  type: "response.steer";
  /**
   * The id of the response to steer (in flight on this connection). The target decides the lane: a steer carries no `stream_id`.
   */
  previous_response_id: string;
  /**
   * The input to continue with: a string (one user message) or input items. Only user messages are steered; anything else is answered with `response.steer.failed`, code `invalid_input`.
   */
  input: string | InputItem[];
  /**
   * Hotline: a client-chosen id for this event; errors caused by the event echo it as `event_id`.
   */
  event_id?: string;
  /**
   * Hotline: a client-chosen id, echoed in `response.steer.accepted`, `response.steer.failed` and the successor's `response.created`.
   */
  client_request_id?: string;
  /**
   * Upper bound on generated tokens of the new response.
   */
  max_output_tokens?: number | null;
  /**
   * Metadata of the new response.
   */
  metadata?: Metadata | null;
}
/**
 * Hotline: an application-level round trip; the server answers with `session.pong` at once.
 */
export interface SessionPingEvent {
  /**
   * Always `session.ping`.
   */
  type: "session.ping";
  /**
   * Hotline: a client-chosen id for this event; errors caused by the event echo it as `event_id`.
   */
  event_id?: string;
  /**
   * An opaque value echoed in `session.pong`.
   */
  nonce: string;
}
/**
 * Hotline: changes the session defaults and, with `prewarm: true`, prefills them before the first request.
 */
export interface SessionUpdateEvent {
  /**
   * Always `session.update`.
   */
  type: "session.update";
  /**
   * Hotline: a client-chosen id for this event; errors caused by the event echo it as `event_id`.
   */
  event_id?: string;
  session: SessionUpdateParams;
  /**
   * Prefill the defaults now; `session.updated` follows once the prefill finished.
   */
  prewarm?: boolean;
}
/**
 * Hotline: the session defaults to change; omitted members keep their value, null clears one.
 */
export interface SessionUpdateParams {
  /**
   * The default model.
   */
  model?: string | null;
  /**
   * The default instructions.
   */
  instructions?: string | null;
  /**
   * The default tools.
   */
  tools?: FunctionTool[] | null;
  /**
   * The default tool choice.
   */
  tool_choice?: ToolChoice | null;
  /**
   * The default service tier.
   */
  service_tier?: "auto" | "default" | "flex" | "priority" | "wafer" | "gpu";
}
/**
 * An error. On a WebSocket it is the envelope `{type, status, error}`; in an SSE stream it carries `sequence_number` instead of `status`. Hotline adds correlation members. A non-fatal error never ends the session.
 */
export interface ErrorEvent {
  /**
   * Always `error`.
   */
  type: "error";
  /**
   * The HTTP-style status of the error (WebSocket envelope).
   */
  status?: number;
  error: ErrorPayload;
  /**
   * The error's position in a response's stream: present in SSE streams and, in Hotline, when the error is part of a response's stream.
   */
  sequence_number?: number;
  /**
   * Hotline: the `event_id` of the client event that caused the error.
   */
  event_id?: string;
  /**
   * Hotline: the response the error concerns, if any.
   */
  response_id?: string;
  /**
   * Hotline: the `client_request_id` of the request that caused the error.
   */
  client_request_id?: string;
  /**
   * OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.
   */
  stream_id?: string;
}
/**
 * The `error` object of an error event. It covers both the Open Responses WebSocket envelope (`code` a string, `type` and `param` optional) and the SSE streaming error (`type`, `code` possibly null, `param` possibly null). Further members MAY be present and MUST be ignored by receivers that do not know them.
 */
export interface ErrorPayload {
  /**
   * The error class, e.g. `invalid_request_error`, `rate_limit_error`, `server_error`.
   */
  type?: string;
  /**
   * A machine-readable code from the error registry. Hotline servers always send a string.
   */
  code: string | null;
  /**
   * A human-readable description of the error.
   */
  message: string;
  /**
   * The request parameter the error concerns, if any. Hotline: for `invalid_event` it is the JSON pointer of the first offending value (e.g. `/response_id`).
   */
  param?: string | null;
  /**
   * Response headers that accompanied the error, if any (SSE binding).
   */
  headers?: {
    [k: string]: string | undefined;
  };
  /**
   * Hotline: whether repeating the same request later can succeed, as given by the error registry.
   */
  retryable?: boolean;
  [k: string]: unknown | undefined;
}
/**
 * Hotline: the current rate limits, sent at each response start.
 */
export interface RateLimitsUpdatedEvent {
  /**
   * Always `rate_limits.updated`.
   */
  type: "rate_limits.updated";
  /**
   * The rate limits.
   */
  rate_limits: RateLimit[];
  /**
   * The response whose start triggered the update, if any.
   */
  response_id?: string;
}
/**
 * Hotline: the state of one rate limit.
 */
export interface RateLimit {
  /**
   * The limit's name, e.g. `requests` or `tokens`.
   */
  name: string;
  /**
   * The budget per window.
   */
  limit: number;
  /**
   * What is left of the budget.
   */
  remaining: number;
  /**
   * Milliseconds until the budget is fully restored.
   */
  reset_ms: number;
}
/**
 * Hotline: terminal event of a response stopped by `response.cancel` (a steered response ends `response.incomplete`, reason `steered`); `response.status` is `cancelled` and usage counts only tokens really generated. Never sent to a core-profile client.
 */
export interface ResponseCancelledEvent {
  /**
   * Always `response.cancelled`.
   */
  type: "response.cancelled";
  response: ResponseResource;
  /**
   * The position of this event in its response's stream: 0 first, +1 each event.
   */
  sequence_number: number;
  /**
   * The response this event belongs to.
   */
  response_id: string;
  /**
   * OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.
   */
  stream_id?: string;
}
/**
 * The response object: a snapshot in lifecycle events, the body of a non-streamed HTTP response. All 31 Open Responses members are REQUIRED (null where not applicable).
 */
export interface ResponseResource {
  /**
   * The response id.
   */
  id: string;
  /**
   * Always `response`.
   */
  object: "response";
  /**
   * When the response was created (Unix seconds).
   */
  created_at: number;
  /**
   * When the response completed (Unix seconds), else null.
   */
  completed_at: number | null;
  status: ResponseStatus;
  /**
   * Why the response is incomplete, else null.
   */
  incomplete_details: IncompleteDetails | null;
  /**
   * The model that generated the response.
   */
  model: string;
  /**
   * The response this one continues, else null.
   */
  previous_response_id: string | null;
  /**
   * The instructions used, else null.
   */
  instructions: string | null;
  /**
   * The output items so far, in order.
   */
  output: OutputItem[];
  /**
   * Why the response failed, else null.
   */
  error: ResponseError | null;
  /**
   * The tools available to the model.
   */
  tools: Tool[];
  tool_choice: ToolChoice;
  /**
   * How input exceeding the context window was handled.
   */
  truncation: "auto" | "disabled";
  /**
   * Whether the model could call several tools at once.
   */
  parallel_tool_calls: boolean;
  text: TextConfig;
  /**
   * The nucleus sampling parameter used.
   */
  top_p: number;
  /**
   * The presence penalty used.
   */
  presence_penalty: number;
  /**
   * The frequency penalty used.
   */
  frequency_penalty: number;
  /**
   * How many most likely tokens were returned per position.
   */
  top_logprobs: number;
  /**
   * The sampling temperature used.
   */
  temperature: number;
  /**
   * The reasoning options used, else null.
   */
  reasoning: ReasoningConfig | null;
  /**
   * Token usage; null until known.
   */
  usage: Usage | null;
  /**
   * The output token limit, else null.
   */
  max_output_tokens: number | null;
  /**
   * The tool call limit, else null.
   */
  max_tool_calls: number | null;
  /**
   * Whether the response is stored for later retrieval.
   */
  store: boolean;
  /**
   * Whether the response runs in the background.
   */
  background: boolean;
  /**
   * The service tier used. Hotline servers report the tier that actually served the response: `wafer` or `gpu`.
   */
  service_tier: string;
  /**
   * The request's metadata (an empty object when none).
   */
  metadata: Metadata | null;
  /**
   * The safety identifier given, else null.
   */
  safety_identifier: string | null;
  /**
   * The prompt cache key given, else null.
   */
  prompt_cache_key: string | null;
  /**
   * Deprecated end-user identifier that OpenAI servers still send; Hotline servers do not.
   */
  user?: string | null;
  /**
   * Prompt cache retention policy that OpenAI servers send; Hotline servers do not.
   */
  prompt_cache_retention?: string | null;
  /**
   * Billing information that OpenAI servers send; Hotline servers do not.
   */
  billing?: {
    [k: string]: unknown | undefined;
  };
  /**
   * The conversation OpenAI servers associate the response with; Hotline servers do not send it.
   */
  conversation?: {
    [k: string]: unknown | undefined;
  } | null;
  /**
   * The prompt template reference OpenAI servers echo; Hotline servers do not send it.
   */
  prompt?: {
    [k: string]: unknown | undefined;
  } | null;
}
/**
 * Why a response ended `incomplete`.
 */
export interface IncompleteDetails {
  /**
   * The reason, e.g. `max_output_tokens` or `content_filter`. A response cancelled through the HTTP cancel endpoint (or on a core WebSocket) reports `cancelled`.
   */
  reason: string;
}
/**
 * A message as a server returns it, in `output` or in item events.
 */
export interface MessageItem {
  /**
   * Always `message`.
   */
  type: "message";
  /**
   * The item id.
   */
  id: string;
  status: ItemStatus;
  /**
   * Who authored the message.
   */
  role: "user" | "assistant" | "system" | "developer";
  /**
   * The content parts, in order.
   */
  content: ContentPart[];
  /**
   * Marks an assistant message as intermediate commentary or the final answer; clients SHOULD send it back unchanged.
   */
  phase?: "commentary" | "final_answer";
}
/**
 * A function call generated by the model.
 */
export interface FunctionCallItem {
  /**
   * Always `function_call`.
   */
  type: "function_call";
  /**
   * The item id.
   */
  id: string;
  /**
   * The call id the client answers with a `function_call_output` item.
   */
  call_id: string;
  /**
   * The function called.
   */
  name: string;
  /**
   * The arguments, a JSON text (possibly partial while `in_progress`).
   */
  arguments: string;
  status: ItemStatus;
}
/**
 * The result of a function call, as a server returns it.
 */
export interface FunctionCallOutputItem {
  /**
   * Always `function_call_output`.
   */
  type: "function_call_output";
  /**
   * The item id.
   */
  id: string;
  /**
   * The `call_id` of the answered call.
   */
  call_id: string;
  /**
   * The result: a string (usually JSON) or content parts.
   */
  output: string | (InputTextContent | InputImageContent | InputFileContent)[];
  status: ItemStatus;
}
/**
 * A reasoning item generated by the model.
 */
export interface ReasoningItem {
  /**
   * Always `reasoning`.
   */
  type: "reasoning";
  /**
   * The item id.
   */
  id: string;
  /**
   * Reasoning summary parts.
   */
  summary: SummaryTextContent[];
  /**
   * Raw reasoning text parts, when exposed.
   */
  content?: ReasoningTextContent[];
  /**
   * Opaque reasoning state, when `reasoning.encrypted_content` was included.
   */
  encrypted_content?: string | null;
  status?: ItemStatus;
}
/**
 * The error that made a response fail, as carried in `ResponseResource.error`.
 */
export interface ResponseError {
  /**
   * A machine-readable error code from the error registry.
   */
  code: string;
  /**
   * A human-readable description of the failure.
   */
  message: string;
}
/**
 * Token accounting for a response. For a cancelled or steered response it counts only the tokens really generated before the stop.
 */
export interface Usage {
  /**
   * Tokens of the rendered input context.
   */
  input_tokens: number;
  input_tokens_details: InputTokensDetails;
  /**
   * Tokens generated by the model.
   */
  output_tokens: number;
  output_tokens_details: OutputTokensDetails;
  /**
   * `input_tokens` plus `output_tokens`.
   */
  total_tokens: number;
}
/**
 * A breakdown of the input tokens of a response.
 */
export interface InputTokensDetails {
  /**
   * Input tokens served from the prefix cache instead of being prefilled again.
   */
  cached_tokens: number;
}
/**
 * A breakdown of the output tokens of a response.
 */
export interface OutputTokensDetails {
  /**
   * Output tokens spent on reasoning.
   */
  reasoning_tokens: number;
}
/**
 * Terminal: the response finished normally. Carries a snapshot of the response.
 */
export interface ResponseCompletedEvent {
  /**
   * Always `response.completed`.
   */
  type: "response.completed";
  response: ResponseResource;
  /**
   * The position of this event in its response's stream: 0 first, +1 each event.
   */
  sequence_number: number;
  /**
   * Hotline: the response this event belongs to. REQUIRED in the hotline.v1 profile; never sent in core.
   */
  response_id?: string;
  /**
   * OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.
   */
  stream_id?: string;
}
/**
 * A content part started inside an item.
 */
export interface ResponseContentPartAddedEvent {
  /**
   * Always `response.content_part.added`.
   */
  type: "response.content_part.added";
  /**
   * The id of the output item.
   */
  item_id: string;
  /**
   * The index of the output item in `response.output`.
   */
  output_index: number;
  /**
   * The index of the content part in the item's `content`.
   */
  content_index: number;
  part: ContentPart;
  /**
   * The position of this event in its response's stream: 0 first, +1 each event.
   */
  sequence_number: number;
  /**
   * Hotline: the response this event belongs to. REQUIRED in the hotline.v1 profile; never sent in core.
   */
  response_id?: string;
  /**
   * OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.
   */
  stream_id?: string;
}
/**
 * A content part is final.
 */
export interface ResponseContentPartDoneEvent {
  /**
   * Always `response.content_part.done`.
   */
  type: "response.content_part.done";
  /**
   * The id of the output item.
   */
  item_id: string;
  /**
   * The index of the output item in `response.output`.
   */
  output_index: number;
  /**
   * The index of the content part in the item's `content`.
   */
  content_index: number;
  part: ContentPart;
  /**
   * The position of this event in its response's stream: 0 first, +1 each event.
   */
  sequence_number: number;
  /**
   * Hotline: the response this event belongs to. REQUIRED in the hotline.v1 profile; never sent in core.
   */
  response_id?: string;
  /**
   * OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.
   */
  stream_id?: string;
}
/**
 * The first event of every response: the response exists, status `queued` or `in_progress`. Carries a snapshot of the response.
 */
export interface ResponseCreatedEvent {
  /**
   * Always `response.created`.
   */
  type: "response.created";
  response: ResponseResource;
  /**
   * Hotline: the `client_request_id` of the creating event, or null.
   */
  client_request_id?: string | null;
  /**
   * Hotline: for a response started by `response.steer`, the id of the steered response.
   */
  steered_from?: string;
  /**
   * The position of this event in its response's stream: 0 first, +1 each event.
   */
  sequence_number: number;
  /**
   * Hotline: the response this event belongs to. REQUIRED in the hotline.v1 profile; never sent in core.
   */
  response_id?: string;
  /**
   * OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.
   */
  stream_id?: string;
}
/**
 * Terminal: the response failed; `response.error` says why. Carries a snapshot of the response.
 */
export interface ResponseFailedEvent {
  /**
   * Always `response.failed`.
   */
  type: "response.failed";
  response: ResponseResource;
  /**
   * The position of this event in its response's stream: 0 first, +1 each event.
   */
  sequence_number: number;
  /**
   * Hotline: the response this event belongs to. REQUIRED in the hotline.v1 profile; never sent in core.
   */
  response_id?: string;
  /**
   * OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.
   */
  stream_id?: string;
}
/**
 * Text appended to a function call's `arguments`.
 */
export interface ResponseFunctionCallArgumentsDeltaEvent {
  /**
   * Always `response.function_call_arguments.delta`.
   */
  type: "response.function_call_arguments.delta";
  /**
   * The id of the output item.
   */
  item_id: string;
  /**
   * The index of the output item in `response.output`.
   */
  output_index: number;
  /**
   * The appended arguments text.
   */
  delta: string;
  /**
   * Random padding that hides the delta's length; ignore it.
   */
  obfuscation?: string;
  /**
   * The position of this event in its response's stream: 0 first, +1 each event.
   */
  sequence_number: number;
  /**
   * Hotline: the response this event belongs to. REQUIRED in the hotline.v1 profile; never sent in core.
   */
  response_id?: string;
  /**
   * OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.
   */
  stream_id?: string;
}
/**
 * A function call's `arguments` are final.
 */
export interface ResponseFunctionCallArgumentsDoneEvent {
  /**
   * Always `response.function_call_arguments.done`.
   */
  type: "response.function_call_arguments.done";
  /**
   * The id of the output item.
   */
  item_id: string;
  /**
   * The index of the output item in `response.output`.
   */
  output_index: number;
  /**
   * The whole arguments text (JSON).
   */
  arguments: string;
  /**
   * The function called (sent by OpenAI servers; optional).
   */
  name?: string;
  /**
   * The position of this event in its response's stream: 0 first, +1 each event.
   */
  sequence_number: number;
  /**
   * Hotline: the response this event belongs to. REQUIRED in the hotline.v1 profile; never sent in core.
   */
  response_id?: string;
  /**
   * OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.
   */
  stream_id?: string;
}
/**
 * Generation started. Carries a snapshot of the response.
 */
export interface ResponseInProgressEvent {
  /**
   * Always `response.in_progress`.
   */
  type: "response.in_progress";
  response: ResponseResource;
  /**
   * The position of this event in its response's stream: 0 first, +1 each event.
   */
  sequence_number: number;
  /**
   * Hotline: the response this event belongs to. REQUIRED in the hotline.v1 profile; never sent in core.
   */
  response_id?: string;
  /**
   * OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.
   */
  stream_id?: string;
}
/**
 * Terminal: the response stopped early; `response.incomplete_details` says why. Carries a snapshot of the response.
 */
export interface ResponseIncompleteEvent {
  /**
   * Always `response.incomplete`.
   */
  type: "response.incomplete";
  response: ResponseResource;
  /**
   * The position of this event in its response's stream: 0 first, +1 each event.
   */
  sequence_number: number;
  /**
   * Hotline: the response this event belongs to. REQUIRED in the hotline.v1 profile; never sent in core.
   */
  response_id?: string;
  /**
   * OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.
   */
  stream_id?: string;
}
/**
 * Codex's interrupt acknowledged: the response stops now; its partial items follow as `response.output_item.interrupted`, then `response.incomplete` (reason `interrupted`). Numbered in the response's stream (INT-23).
 */
export interface ResponseInterruptAcceptedEvent {
  /**
   * Always `response.interrupt.accepted`.
   */
  type: "response.interrupt.accepted";
  /**
   * The interrupted response.
   */
  response_id: string;
  /**
   * The position of this event in the response's stream.
   */
  sequence_number: number;
  /**
   * OpenAI WebSocket mode: the response's lane, when its `response.create` carried `stream_id`.
   */
  stream_id?: string;
}
/**
 * A new output item started; it is the first event of that item.
 */
export interface ResponseOutputItemAddedEvent {
  /**
   * Always `response.output_item.added`.
   */
  type: "response.output_item.added";
  /**
   * The index of the output item in `response.output`.
   */
  output_index: number;
  /**
   * The item (servers always send one).
   */
  item: OutputItem | null;
  /**
   * The position of this event in its response's stream: 0 first, +1 each event.
   */
  sequence_number: number;
  /**
   * Hotline: the response this event belongs to. REQUIRED in the hotline.v1 profile; never sent in core.
   */
  response_id?: string;
  /**
   * OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.
   */
  stream_id?: string;
}
/**
 * An output item is final; it is the last event of that item.
 */
export interface ResponseOutputItemDoneEvent {
  /**
   * Always `response.output_item.done`.
   */
  type: "response.output_item.done";
  /**
   * The index of the output item in `response.output`.
   */
  output_index: number;
  /**
   * The item (servers always send one).
   */
  item: OutputItem | null;
  /**
   * The position of this event in its response's stream: 0 first, +1 each event.
   */
  sequence_number: number;
  /**
   * Hotline: the response this event belongs to. REQUIRED in the hotline.v1 profile; never sent in core.
   */
  response_id?: string;
  /**
   * OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.
   */
  stream_id?: string;
}
/**
 * An output item left unfinished by `response.interrupt` (mode `discard_partial_items`): it gets no done events and is not part of the response's `output` or of a continuation's context (INT-23).
 */
export interface ResponseOutputItemInterruptedEvent {
  /**
   * Always `response.output_item.interrupted`.
   */
  type: "response.output_item.interrupted";
  /**
   * The interrupted response.
   */
  response_id: string;
  /**
   * The discarded item.
   */
  item_id: string;
  /**
   * Its index in the response's output, as `response.output_item.added` gave it.
   */
  output_index: number;
  /**
   * The position of this event in the response's stream.
   */
  sequence_number: number;
  /**
   * OpenAI WebSocket mode: the response's lane, when its `response.create` carried `stream_id`.
   */
  stream_id?: string;
}
/**
 * An annotation was added to an `output_text` part.
 */
export interface ResponseOutputTextAnnotationAddedEvent {
  /**
   * Always `response.output_text.annotation.added`.
   */
  type: "response.output_text.annotation.added";
  /**
   * The id of the output item.
   */
  item_id: string;
  /**
   * The index of the output item in `response.output`.
   */
  output_index: number;
  /**
   * The index of the content part in the item's `content`.
   */
  content_index: number;
  /**
   * The index of the annotation in the part's `annotations`.
   */
  annotation_index: number;
  /**
   * The annotation.
   */
  annotation: Annotation | null;
  /**
   * The position of this event in its response's stream: 0 first, +1 each event.
   */
  sequence_number: number;
  /**
   * Hotline: the response this event belongs to. REQUIRED in the hotline.v1 profile; never sent in core.
   */
  response_id?: string;
  /**
   * OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.
   */
  stream_id?: string;
}
/**
 * Text appended to an `output_text` part.
 */
export interface ResponseOutputTextDeltaEvent {
  /**
   * Always `response.output_text.delta`.
   */
  type: "response.output_text.delta";
  /**
   * The id of the output item.
   */
  item_id: string;
  /**
   * The index of the output item in `response.output`.
   */
  output_index: number;
  /**
   * The index of the content part in the item's `content`.
   */
  content_index: number;
  /**
   * The appended text.
   */
  delta: string;
  /**
   * Log probabilities of the delta's tokens, when requested.
   */
  logprobs?: LogProb[];
  /**
   * Random padding that hides the delta's length; ignore it.
   */
  obfuscation?: string;
  /**
   * The position of this event in its response's stream: 0 first, +1 each event.
   */
  sequence_number: number;
  /**
   * Hotline: the response this event belongs to. REQUIRED in the hotline.v1 profile; never sent in core.
   */
  response_id?: string;
  /**
   * OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.
   */
  stream_id?: string;
}
/**
 * An `output_text` part is final.
 */
export interface ResponseOutputTextDoneEvent {
  /**
   * Always `response.output_text.done`.
   */
  type: "response.output_text.done";
  /**
   * The id of the output item.
   */
  item_id: string;
  /**
   * The index of the output item in `response.output`.
   */
  output_index: number;
  /**
   * The index of the content part in the item's `content`.
   */
  content_index: number;
  /**
   * The whole text of the part.
   */
  text: string;
  /**
   * Log probabilities of the text's tokens, when requested.
   */
  logprobs?: LogProb[];
  /**
   * The position of this event in its response's stream: 0 first, +1 each event.
   */
  sequence_number: number;
  /**
   * Hotline: the response this event belongs to. REQUIRED in the hotline.v1 profile; never sent in core.
   */
  response_id?: string;
  /**
   * OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.
   */
  stream_id?: string;
}
/**
 * The response waits for backend capacity. Carries a snapshot of the response.
 */
export interface ResponseQueuedEvent {
  /**
   * Always `response.queued`.
   */
  type: "response.queued";
  response: ResponseResource;
  /**
   * Hotline: the response's place in the backend queue (1 = next).
   */
  queue_position?: number;
  /**
   * The position of this event in its response's stream: 0 first, +1 each event.
   */
  sequence_number: number;
  /**
   * Hotline: the response this event belongs to. REQUIRED in the hotline.v1 profile; never sent in core.
   */
  response_id?: string;
  /**
   * OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.
   */
  stream_id?: string;
}
/**
 * Text appended to a `reasoning_text` part of a reasoning item.
 */
export interface ResponseReasoningDeltaEvent {
  /**
   * Always `response.reasoning.delta`.
   */
  type: "response.reasoning.delta";
  /**
   * The id of the output item.
   */
  item_id: string;
  /**
   * The index of the output item in `response.output`.
   */
  output_index: number;
  /**
   * The index of the content part in the item's `content`.
   */
  content_index: number;
  /**
   * The appended reasoning text.
   */
  delta: string;
  /**
   * Random padding that hides the delta's length; ignore it.
   */
  obfuscation?: string;
  /**
   * The position of this event in its response's stream: 0 first, +1 each event.
   */
  sequence_number: number;
  /**
   * Hotline: the response this event belongs to. REQUIRED in the hotline.v1 profile; never sent in core.
   */
  response_id?: string;
  /**
   * OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.
   */
  stream_id?: string;
}
/**
 * A `reasoning_text` part is final.
 */
export interface ResponseReasoningDoneEvent {
  /**
   * Always `response.reasoning.done`.
   */
  type: "response.reasoning.done";
  /**
   * The id of the output item.
   */
  item_id: string;
  /**
   * The index of the output item in `response.output`.
   */
  output_index: number;
  /**
   * The index of the content part in the item's `content`.
   */
  content_index: number;
  /**
   * The whole reasoning text of the part.
   */
  text: string;
  /**
   * The position of this event in its response's stream: 0 first, +1 each event.
   */
  sequence_number: number;
  /**
   * Hotline: the response this event belongs to. REQUIRED in the hotline.v1 profile; never sent in core.
   */
  response_id?: string;
  /**
   * OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.
   */
  stream_id?: string;
}
/**
 * A summary part started inside a reasoning item.
 */
export interface ResponseReasoningSummaryPartAddedEvent {
  /**
   * Always `response.reasoning_summary_part.added`.
   */
  type: "response.reasoning_summary_part.added";
  /**
   * The id of the output item.
   */
  item_id: string;
  /**
   * The index of the output item in `response.output`.
   */
  output_index: number;
  /**
   * The index of the part in the reasoning item's `summary`.
   */
  summary_index: number;
  part: ContentPart;
  /**
   * The position of this event in its response's stream: 0 first, +1 each event.
   */
  sequence_number: number;
  /**
   * Hotline: the response this event belongs to. REQUIRED in the hotline.v1 profile; never sent in core.
   */
  response_id?: string;
  /**
   * OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.
   */
  stream_id?: string;
}
/**
 * A summary part is final.
 */
export interface ResponseReasoningSummaryPartDoneEvent {
  /**
   * Always `response.reasoning_summary_part.done`.
   */
  type: "response.reasoning_summary_part.done";
  /**
   * The id of the output item.
   */
  item_id: string;
  /**
   * The index of the output item in `response.output`.
   */
  output_index: number;
  /**
   * The index of the part in the reasoning item's `summary`.
   */
  summary_index: number;
  part: ContentPart;
  /**
   * The position of this event in its response's stream: 0 first, +1 each event.
   */
  sequence_number: number;
  /**
   * Hotline: the response this event belongs to. REQUIRED in the hotline.v1 profile; never sent in core.
   */
  response_id?: string;
  /**
   * OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.
   */
  stream_id?: string;
}
/**
 * Text appended to a reasoning summary part.
 */
export interface ResponseReasoningSummaryTextDeltaEvent {
  /**
   * Always `response.reasoning_summary_text.delta`.
   */
  type: "response.reasoning_summary_text.delta";
  /**
   * The id of the output item.
   */
  item_id: string;
  /**
   * The index of the output item in `response.output`.
   */
  output_index: number;
  /**
   * The index of the part in the reasoning item's `summary`.
   */
  summary_index: number;
  /**
   * The appended summary text.
   */
  delta: string;
  /**
   * Random padding that hides the delta's length; ignore it.
   */
  obfuscation?: string;
  /**
   * The position of this event in its response's stream: 0 first, +1 each event.
   */
  sequence_number: number;
  /**
   * Hotline: the response this event belongs to. REQUIRED in the hotline.v1 profile; never sent in core.
   */
  response_id?: string;
  /**
   * OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.
   */
  stream_id?: string;
}
/**
 * A reasoning summary part's text is final.
 */
export interface ResponseReasoningSummaryTextDoneEvent {
  /**
   * Always `response.reasoning_summary_text.done`.
   */
  type: "response.reasoning_summary_text.done";
  /**
   * The id of the output item.
   */
  item_id: string;
  /**
   * The index of the output item in `response.output`.
   */
  output_index: number;
  /**
   * The index of the part in the reasoning item's `summary`.
   */
  summary_index: number;
  /**
   * The whole summary text of the part.
   */
  text: string;
  /**
   * The position of this event in its response's stream: 0 first, +1 each event.
   */
  sequence_number: number;
  /**
   * Hotline: the response this event belongs to. REQUIRED in the hotline.v1 profile; never sent in core.
   */
  response_id?: string;
  /**
   * OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.
   */
  stream_id?: string;
}
/**
 * Text appended to a `refusal` part.
 */
export interface ResponseRefusalDeltaEvent {
  /**
   * Always `response.refusal.delta`.
   */
  type: "response.refusal.delta";
  /**
   * The id of the output item.
   */
  item_id: string;
  /**
   * The index of the output item in `response.output`.
   */
  output_index: number;
  /**
   * The index of the content part in the item's `content`.
   */
  content_index: number;
  /**
   * The appended refusal text.
   */
  delta: string;
  /**
   * The position of this event in its response's stream: 0 first, +1 each event.
   */
  sequence_number: number;
  /**
   * Hotline: the response this event belongs to. REQUIRED in the hotline.v1 profile; never sent in core.
   */
  response_id?: string;
  /**
   * OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.
   */
  stream_id?: string;
}
/**
 * A `refusal` part is final.
 */
export interface ResponseRefusalDoneEvent {
  /**
   * Always `response.refusal.done`.
   */
  type: "response.refusal.done";
  /**
   * The id of the output item.
   */
  item_id: string;
  /**
   * The index of the output item in `response.output`.
   */
  output_index: number;
  /**
   * The index of the content part in the item's `content`.
   */
  content_index: number;
  /**
   * The whole refusal text.
   */
  refusal: string;
  /**
   * The position of this event in its response's stream: 0 first, +1 each event.
   */
  sequence_number: number;
  /**
   * Hotline: the response this event belongs to. REQUIRED in the hotline.v1 profile; never sent in core.
   */
  response_id?: string;
  /**
   * OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.
   */
  stream_id?: string;
}
/**
 * OpenAI WebSocket mode: the server owns the steer's input (it is not yet applied). The successor's `response.created` is the commit point (INT-13, INT-15).
 */
export interface ResponseSteerAcceptedEvent {
  /**
   * Always `response.steer.accepted`.
   */
  type: "response.steer.accepted";
  /**
   * The accepted steer.
   */
  steer: {
    /**
     * The id the server gave the steer (`steer_…`).
     */
    id: string;
    /**
     * The steered response.
     */
    previous_response_id: string;
  };
  /**
   * The position of this event among the connection's steer events: 0 first, +1 each (steer events belong to no response's stream).
   */
  sequence_number: number;
  /**
   * OpenAI WebSocket mode: the lane of the steered response, when its `response.create` carried `stream_id`.
   */
  stream_id?: string;
  /**
   * Hotline: the steer's `client_request_id`, echoed.
   */
  client_request_id?: string;
}
/**
 * OpenAI WebSocket mode: the steer was not committed; its input is returned so the client can carry it into a `response.create` (INT-16).
 */
export interface ResponseSteerFailedEvent {
  /**
   * Always `response.steer.failed`.
   */
  type: "response.steer.failed";
  /**
   * The steer that was not committed.
   */
  steer: {
    /**
     * The id the server gave the steer, when it had accepted it.
     */
    id?: string;
    /**
     * The response the steer targeted.
     */
    previous_response_id: string;
    /**
     * The steer's input, returned unchanged.
     */
    input: string | unknown[];
  };
  /**
   * Why it was not committed.
   */
  error: {
    /**
     * `response_not_found`, `invalid_input`, `steering_not_supported`, `too_many_pending_steers`, `response_already_completed`, `response_not_active` or `successor_creation_failed`; clients accept other values.
     */
    code: string;
    /**
     * A human-readable description.
     */
    message: string;
    /**
     * Always `invalid_request_error`.
     */
    type: "invalid_request_error";
  };
  /**
   * The position of this event among the connection's steer events: 0 first, +1 each (steer events belong to no response's stream).
   */
  sequence_number: number;
  /**
   * OpenAI WebSocket mode: the lane of the steered response, when its `response.create` carried `stream_id`.
   */
  stream_id?: string;
  /**
   * Hotline: the steer's `client_request_id`, echoed.
   */
  client_request_id?: string;
}
/**
 * OpenAI WebSocket mode: an accepted steer whose response stopped for client-owned tool output stays queued; sent after that response's `response.completed`, once per steer. The client answers with one `response.create` continuing the response on the same lane, with the results `required_input` names; the queued input is prepended to that create's input (INT-20, INT-21).
 */
export interface ResponseSteerPendingEvent {
  /**
   * Always `response.steer.pending`.
   */
  type: "response.steer.pending";
  /**
   * The steer still queued.
   */
  steer: {
    /**
     * The id `response.steer.accepted` gave the steer.
     */
    id: string;
    /**
     * The steered response, which waits for client output.
     */
    previous_response_id: string;
  };
  /**
   * Why the input is still queued: `waiting_for_required_input` (the results `required_input` names); clients accept other values.
   */
  reason: string;
  /**
   * Stubs of the client-owned results the response waits for, identifying fields only: the client fills in each result (a `function_call_output`'s `output`) before sending it in its `response.create`.
   */
  required_input: {
    /**
     * The input item to supply: `function_call_output` (OpenAI also names `custom_tool_call_output`, `computer_call_output`, `shell_call_output`, `apply_patch_call_output`, `tool_search_output`, `mcp_approval_response`).
     */
    type: string;
    /**
     * The call the result answers.
     */
    call_id?: string;
    /**
     * The function's name (function calls).
     */
    name?: string;
    [k: string]: unknown | undefined;
  }[];
  /**
   * The position of this event among the connection's steer events: 0 first, +1 each (steer events belong to no response's stream).
   */
  sequence_number: number;
  /**
   * OpenAI WebSocket mode: the lane of the steered response, when its `response.create` carried `stream_id`.
   */
  stream_id?: string;
  /**
   * Hotline: the steer's `client_request_id`, echoed.
   */
  client_request_id?: string;
}
/**
 * Hotline: the first frame of a hotline.v1 session.
 */
export interface SessionCreatedEvent {
  /**
   * Always `session.created`.
   */
  type: "session.created";
  session: Session;
}
/**
 * Hotline: the state of a session, sent in `session.created`, `session.updated` and `session.resumed`.
 */
export interface Session {
  /**
   * The session id.
   */
  id: string;
  /**
   * The negotiated subprotocol.
   */
  protocol: "hotline.v1";
  /**
   * The specification version the server implements.
   */
  version: "2026-11-21";
  /**
   * Opaque token that resumes this session on a new connection; valid for `limits.resume_window_ms` after a disconnect.
   */
  resume_token: string;
  limits: SessionLimits;
  /**
   * The optional features the server supports.
   */
  features: (
    | "multiplex"
    | "lanes"
    | "cancel"
    | "steer"
    | "resume"
    | "heartbeat"
    | "going_away"
    | "rate_limits"
    | "idempotency"
    | "prewarm"
    | "background"
    | "queue"
  )[];
  defaults?: SessionDefaults;
}
/**
 * Hotline: limits the server enforces on a session.
 */
export interface SessionLimits {
  /**
   * Most responses that MAY run at once on the session.
   */
  max_in_flight: number;
  /**
   * Largest text frame the server accepts, in bytes.
   */
  max_message_bytes: number;
  /**
   * The model's context window in tokens.
   */
  context_window_tokens: number;
  /**
   * How long the server keeps a connection open.
   */
  connection_max_age_ms: number;
  /**
   * How long events are kept for `response.resume` after a disconnect.
   */
  resume_window_ms: number;
  /**
   * While a response is in flight the server sends something at least this often.
   */
  heartbeat_interval_ms: number;
  /**
   * Bytes the server queues for this connection and has not yet written; a frame that would pass this closes the connection with 1008 (TRANSPORT-18), so a client that stops reading for longer loses it. Generation pauses well before.
   */
  max_unsent_bytes?: number;
  /**
   * Bytes of each response's events kept for `response.resume`; an older position is `resume_position_unavailable` (RESUME-8), and an unread detached response pauses at it (RESUME-10).
   */
  resume_buffer_bytes?: number;
  /**
   * Sessions of this principal held for resume after their connection dropped; past it the oldest is discarded (RESUME-15).
   */
  max_detached_sessions?: number;
  /**
   * Time a started message has to be completed before the connection is closed with 1008 (TRANSPORT-20).
   */
  incomplete_message_ms?: number;
  /**
   * Rate limits at session start.
   */
  rate_limits?: RateLimit[];
}
/**
 * Hotline: request defaults the session applies to a `response.create` that omits them.
 */
export interface SessionDefaults {
  /**
   * The default model, or null.
   */
  model: string | null;
  /**
   * The default instructions, or null.
   */
  instructions: string | null;
  /**
   * The default tools.
   */
  tools: FunctionTool[];
  tool_choice?: ToolChoice;
  /**
   * The default service tier.
   */
  service_tier: "auto" | "default" | "flex" | "priority" | "wafer" | "gpu";
}
/**
 * Hotline: the server will close the connection soon; reconnect with the resume token.
 */
export interface SessionGoingAwayEvent {
  /**
   * Always `session.going_away`.
   */
  type: "session.going_away";
  /**
   * Why the server is closing.
   */
  reason: "shutdown" | "max_age" | "maintenance";
  /**
   * Milliseconds from now until the server closes the connection.
   */
  deadline_ms: number;
  /**
   * A fresh token to resume the session on a new connection.
   */
  resume_token: string;
}
/**
 * Hotline: sent while a response is in flight and nothing else was sent for `heartbeat_interval_ms`.
 */
export interface SessionHeartbeatEvent {
  /**
   * Always `session.heartbeat`.
   */
  type: "session.heartbeat";
  /**
   * The server clock (Unix milliseconds).
   */
  server_time_ms: number;
}
/**
 * Hotline: reply to `session.ping`, sent at once and never queued behind token traffic.
 */
export interface SessionPongEvent {
  /**
   * Always `session.pong`.
   */
  type: "session.pong";
  /**
   * The `nonce` of the ping.
   */
  nonce: string;
  /**
   * The server clock (Unix milliseconds).
   */
  server_time_ms: number;
}
/**
 * Hotline: first frame of a connection that presented a valid resume token.
 */
export interface SessionResumedEvent {
  /**
   * Always `session.resumed`.
   */
  type: "session.resumed";
  session: Session;
  /**
   * The session's responses still held by the server.
   */
  responses: ResumedResponse[];
}
/**
 * Hotline: a response of a resumed session, with the last sequence number the server emitted for it.
 */
export interface ResumedResponse {
  /**
   * The response id.
   */
  response_id: string;
  status: ResponseStatus;
  /**
   * The `sequence_number` of the newest event the server emitted for it.
   */
  last_sequence_number: number;
}
/**
 * Hotline: reply to `session.update`; when prewarm was asked it is sent after the prefill finished.
 */
export interface SessionUpdatedEvent {
  /**
   * Always `session.updated`.
   */
  type: "session.updated";
  session: Session;
  prewarm?: PrewarmResult;
}
/**
 * Hotline: the result of prefilling the session defaults.
 */
export interface PrewarmResult {
  /**
   * Tokens now held in the prefix cache for this session's defaults.
   */
  cached_tokens: number;
}

/**
 * The body of `POST /v1/responses/compact` (Open Responses 2026-04-24): the conversation to compact, given as input items and/or a stored previous response.
 */
export interface CompactRequestBody {
  /**
   * The model that compacts; required.
   */
  model: string;
  /**
   * Items to compact (after the previous response's, when one is named): a string (one user message) or input items.
   */
  input?: string | InputItem[] | null;
  /**
   * A stored response whose conversation comes first.
   */
  previous_response_id?: string | null;
  /**
   * A system message for the compaction pass; it is not part of the compacted window.
   */
  instructions?: string | null;
  /**
   * A key grouping requests that share a prompt prefix.
   */
  prompt_cache_key?: string | null;
}

/**
 * The answer of `POST /v1/responses/compact` (Open Responses 2026-04-24 `response.compaction`): a compacted input window, not a response; a client starts a new chain with `output` as the base `input` (RESP-27).
 */
export interface CompactResource {
  /**
   * The compaction's id (not a response id).
   */
  id: string;
  /**
   * Always `response.compaction`.
   */
  object: "response.compaction";
  /**
   * The compacted window: the user messages kept, then one `compaction` item.
   */
  output: (CompactedMessageItem | CompactionItem)[];
  /**
   * Unix time in seconds.
   */
  created_at: number;
  usage: Usage;
}

/**
 * A user message a compaction kept verbatim, in the Open Responses `message` item shape.
 */
export interface CompactedMessageItem {
  /**
   * Always `message`.
   */
  type: "message";
  /**
   * The item id.
   */
  id: string;
  /**
   * Always `completed`.
   */
  status: "completed";
  /**
   * Always `user`.
   */
  role: "user";
  /**
   * The message's text.
   */
  content: InputTextContent[];
}

/**
 * The summary a compaction produced (Open Responses 2026-04-24 `compaction` item): opaque to clients, who send it back as input to continue from the compacted window.
 */
export interface CompactionItem {
  /**
   * Always `compaction`.
   */
  type: "compaction";
  /**
   * The item id.
   */
  id: string;
  /**
   * The compacted summary, opaque to clients.
   */
  encrypted_content: string;
  /**
   * Who created the item.
   */
  created_by?: string;
}

/**
 * The body of `POST /v1/responses` (HTTP binding).
 */
export interface CreateResponseBody {
  /**
   * The model to use. Hotline: over WebSocket, the session's default model applies when it is omitted.
   */
  model?: string | null;
  /**
   * The new input: a string (one user message) or input items.
   */
  input?: string | InputItem[] | null;
  /**
   * The response to continue; only new items are sent in `input`.
   */
  previous_response_id?: string | null;
  /**
   * Extra output to include; every value of the hosted API is accepted, and a server includes only what it produces.
   */
  include?: (
    | "code_interpreter_call.outputs"
    | "computer_call_output.output.image_url"
    | "file_search_call.results"
    | "message.input_image.image_url"
    | "message.output_text.logprobs"
    | "reasoning.encrypted_content"
    | "web_search_call.action.sources"
    | "web_search_call.results"
  )[];
  /**
   * The tools of this request: functions the model MAY call, namespaces of functions, and hosted tool types (accepted, never called by a server that does not offer them).
   */
  tools?: Tool[] | null;
  /**
   * Which tool the model uses.
   */
  tool_choice?: ToolChoice | null;
  /**
   * Developer-defined metadata.
   */
  metadata?: Metadata | null;
  /**
   * Accepted from the hosted API's clients (the Codex CLI sends its thread, turn and window ids here); ignored and never echoed.
   */
  client_metadata?: {
    [k: string]: string | undefined;
  } | null;
  /**
   * Text output options.
   */
  text?: TextConfig | null;
  /**
   * Sampling temperature.
   */
  temperature?: number | null;
  /**
   * Nucleus sampling parameter.
   */
  top_p?: number | null;
  /**
   * Presence penalty.
   */
  presence_penalty?: number | null;
  /**
   * Frequency penalty.
   */
  frequency_penalty?: number | null;
  /**
   * Whether the model MAY call several tools at once.
   */
  parallel_tool_calls?: boolean | null;
  /**
   * Upper bound on generated tokens.
   */
  max_output_tokens?: number | null;
  /**
   * Upper bound on tool calls.
   */
  max_tool_calls?: number | null;
  /**
   * Reasoning options.
   */
  reasoning?: ReasoningConfig | null;
  /**
   * A stable end-user identifier for abuse detection.
   */
  safety_identifier?: string | null;
  /**
   * Accepted from the hosted API (deprecated there in favour of `safety_identifier` and `prompt_cache_key`); ignored.
   */
  user?: string;
  /**
   * A key grouping requests that share a prompt prefix.
   */
  prompt_cache_key?: string | null;
  /**
   * Accepted from the hosted API (how long a prompt cache entry lives); ignored.
   */
  prompt_cache_retention?: ("in_memory" | "24h") | null;
  /**
   * How input exceeding the context window is handled; defaults to `disabled`.
   */
  truncation?: "auto" | "disabled";
  /**
   * A system message for this response only.
   */
  instructions?: string | null;
  /**
   * Whether to store the response for later retrieval.
   */
  store?: boolean;
  /**
   * The service tier. Hotline: `wafer` and `gpu` name the simulated tiers; `default` and `priority` map to `wafer`, `flex` to `gpu`, `auto` lets the server route.
   */
  service_tier?: "auto" | "default" | "flex" | "priority" | "wafer" | "gpu";
  /**
   * How many most likely tokens to return per position.
   */
  top_logprobs?: number | null;
  /**
   * Whether to stream the response as server-sent events.
   */
  stream?: boolean;
  /**
   * Streaming options; only with `stream: true`.
   */
  stream_options?: StreamOptions | null;
  /**
   * Whether to run the response in the background and return at once.
   */
  background?: boolean;
}

/**
 * A model the server serves, as `GET /v1/models` lists it (the hosted API's model object).
 */
export interface Model {
  /**
   * The model name a create body's `model` may carry.
   */
  id: string;
  /**
   * Always `model`.
   */
  object: "model";
  /**
   * Unix time in seconds when the model became available (the server's start for the reference server).
   */
  created: number;
  /**
   * Who serves the model.
   */
  owned_by: string;
}

/**
 * The body of `GET /v1/models`: every model the server serves.
 */
export interface ModelList {
  /**
   * Always `list`.
   */
  object: "list";
  /**
   * The served models.
   */
  data: Model[];
}
