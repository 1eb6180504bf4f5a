/**
 * Where every numbered requirement of `spec/` comes from (spec/conformance.md, "Provenance"):
 * Open Responses 2026-04-24 (the clause quoted with its keyword), OpenAI's WebSocket mode
 * (documented behaviour), or a Hotline addition. The runner derives verdict levels from it:
 * against a server that does not claim `hotline.v1`, only Open Responses MUSTs can FAIL.
 * Data only; test/conformance/provenance.test.ts keeps it complete.
 */

/** The three sources a requirement can rest on. */
export type Source = "open-responses" | "openai-ws" | "hotline";

/** The keyword of the Open Responses clause (it may differ from Hotline's own keyword). */
export type OrKeyword = "MUST" | "MUST NOT" | "SHOULD" | "SHOULD NOT" | "MAY";

/** One requirement's provenance. */
export interface Provenance {
  source: Source;
  /** For `open-responses`: the clause's keyword. */
  keyword?: OrKeyword;
  /** For `open-responses`: the clause, quoted from the 2026-04-24 text; otherwise what it rests on. */
  clause?: string;
  /** What Hotline adds on top of the clause (held only to servers claiming hotline.v1, or with --strict). */
  addition?: string;
}

/** Open Responses 2026-04-24, section "WebSocket Transport" and its subsections, and the rest. */
const OR = {
  wsMay:
    "Servers MAY expose the Responses API over a persistent WebSocket connection at the same `/v1/responses` resource.",
  wsCreate:
    "Servers MUST treat a WebSocket `response.create` message as a request to create a response on the active connection.",
  wsEvents:
    "Servers MUST send response progress over the WebSocket using the same streaming event objects defined for streaming HTTP responses. Event ordering, `sequence_number`, output item lifecycle, content part lifecycle, and terminal response events have the same meaning on both transports.",
  wsSequential:
    "A single WebSocket connection MUST process at most one in-flight response at a time. Servers MAY accept multiple `response.create` messages over one connection, but they MUST process those messages sequentially.",
  wsCacheShould:
    "Servers SHOULD keep the most recent previous-response state in connection-local memory for the active WebSocket.",
  wsStoreFalseMissing:
    "With `store=false`, there is no persisted fallback; if the referenced response is not available from connection-local state, the server MUST fail the turn with an error whose code is `previous_response_not_found`.",
  wsHydrateMay:
    "With `store=true`, servers MAY hydrate older response IDs from persisted state when available.",
  wsEvict:
    "If a continuation turn fails with a `4xx` or `5xx` error, the server MUST evict the referenced `previous_response_id` from the connection-local cache. A later attempt to continue from that evicted `store=false` response ID on the same connection MUST fail with `previous_response_not_found`.",
  wsLimit:
    "WebSocket connections are limited to 60 minutes. When the limit is reached, servers MUST return an error whose code is `websocket_connection_limit_reached`",
  wsErrors:
    "WebSocket failures MUST be sent as a JSON `error` envelope with a `status` code and an `error.code`.",
  httpJson: "When not streaming, servers MUST return data only as `application/json`.",
  httpSse:
    "When streaming, servers MUST return header `Content-Type: text/event-stream`, with individual `data` objects returned as JSON-encoded strings. [...] The `event` field MUST match the `type` in the event body.",
  httpDone: "The terminal event MUST be the literal string `[DONE]`.",
  httpNoId: "Servers SHOULD NOT use `id`.",
  itemAdded: "The first event MUST always be `response.output_item.added`.",
  contentPart:
    "Such content MUST be backed by a content part. The first event in such cases MUST be `response.content_part.added`, followed by events representing the delta to the content part [...] and end with `response.<content_type>.done`. The content part is then closed with `response.content_part.done`.",
  itemDone:
    "Items with `content` MAY emit multiple content parts, following the pattern above. When finished, the item is closed with `response.output_item.done`",
  deltaPattern: "All streamable objects must follow this delta event pattern.",
  incompleteLast:
    "If an item ends in a terminal state, it MUST be the last item emitted, and the containing response also MUST be in an `incomplete` state.",
  prefixed:
    "Model providers may emit their own types of items not contained in the Open Responses spec. These items MUST be prefixed with the canonical provider slug",
  streamingFailed:
    "Errors are also emitted as events in the streaming protocol [...] Any error incurred while streaming will be followed by a `response.failed` event.",
  previous:
    "When `previous_response_id` is provided, the server MUST load both the input and output associated with that prior response and treat them as part of the new request’s context.",
  compaction:
    "After standalone compaction, clients MUST start a new response on the WebSocket by omitting `previous_response_id` or setting it to `null`, passing the compacted output as the base `input`, and appending the latest user or tool items.",
  truncationDisabled:
    "If the combined context exceeds the model’s maximum context window, the request MUST fail with an error instead of silently dropping content.",
} as const;

const or = (keyword: OrKeyword, clause: string, addition?: string): Provenance => ({
  source: "open-responses",
  keyword,
  clause,
  ...(addition !== undefined ? { addition } : {}),
});
const hotline = (clause?: string): Provenance => ({
  source: "hotline",
  ...(clause !== undefined ? { clause } : {}),
});
const openaiWs = (clause: string): Provenance => ({ source: "openai-ws", clause });

/** Requirements named one by one (the pages that restate Open Responses). */
const BY_ID: Readonly<Record<string, Provenance>> = {
  "TRANSPORT-1": or("MAY", OR.wsMay),
  "TRANSPORT-2": hotline("RFC 6455 §4.2.2: no subprotocol is selected unless offered"),
  "TRANSPORT-3": hotline(),
  "TRANSPORT-4": hotline(),
  "TRANSPORT-5": openaiWs("WebSocket mode authenticates the upgrade with `Authorization: Bearer`"),
  "TRANSPORT-6": hotline(),
  "TRANSPORT-7": hotline(),
  "TRANSPORT-8": hotline(),
  "TRANSPORT-9": or("MUST", OR.wsEvents, "exactly one text frame per event"),
  "TRANSPORT-10": hotline("close codes are a Hotline addition (RFC 6455 §7.4.1 defines 1003)"),
  "TRANSPORT-11": hotline("max_message_bytes and close code 1009 are Hotline additions"),
  "TRANSPORT-12": hotline("Open Responses sets no message size"),
  "TRANSPORT-13": hotline(),
  "TRANSPORT-14": hotline(),
  "TRANSPORT-18": hotline("a bound on what a peer can make the server buffer"),
  "TRANSPORT-19": hotline("RFC 6455 §5.4 leaves message assembly limits to the endpoint"),
  "TRANSPORT-20": hotline("RFC 6455 sets no time for a message to be completed"),
  "TRANSPORT-21": hotline("RFC 7692 §7.1.2 lets a server limit its own window"),
  "TRANSPORT-15": or("MUST", OR.wsLimit, "close code 4000 and the refusal of later creates"),
  "TRANSPORT-16": hotline(),
  "TRANSPORT-17": hotline(),
  "RESP-1": or("MUST", OR.wsCreate),
  "RESP-2": hotline("withdrawn"),
  "RESP-3": hotline("withdrawn"),
  "RESP-31": or("MUST", OR.wsSequential, "scoped to a lane: OpenAI WebSocket mode's `stream_id`"),
  "RESP-32": openaiWs(
    "WebSocket-mode guide and `openai` 7.60: `stream_id` lanes, FIFO within, concurrent across",
  ),
  "RESP-33": openaiWs("WebSocket-mode guide: `invalid_stream_id`, param `stream_id`, no echo"),
  "RESP-34": openaiWs(
    "WebSocket-mode guide: 32 named lanes, `websocket_stream_limit_reached` echoing the id",
  ),
  "RESP-35": openaiWs(
    "WebSocket-mode guide: 16 in flight per connection across lanes, more are queued",
  ),
  "RESP-36": openaiWs(
    "WebSocket-mode guide and `openai` 7.60 event types: named-lane events echo `stream_id`",
  ),
  "RESP-37": openaiWs(
    "WebSocket-mode guide: each lane keeps its own latest cached response; forks across lanes",
  ),
  "RESP-38": openaiWs("WebSocket-mode guide: a failed cross-lane fork keeps its parent cached"),
  "RESP-39": openaiWs("WebSocket-mode guide: other lanes continue after a lane-scoped error"),
  "RESP-40": hotline(
    "lanes in hotline.v1: one set of events for an OpenAI lanes client and a hotline.v1 client",
  ),
  "RESP-4": or("MUST", OR.wsEvents, "status `queued` is allowed on response.created"),
  "RESP-5": hotline("the `response.queued` announcement"),
  "RESP-6": or(
    "MUST",
    OR.wsEvents,
    "`completed_at` and the usage members are required by the 2026-04-24 ResponseResource schema; the status match is Hotline's wording",
  ),
  "RESP-7": or("MUST", OR.truncationDisabled, "the code `context_length_exceeded`"),
  "RESP-8": hotline("`generate: false`"),
  "RESP-9": or("SHOULD", OR.wsCacheShould, "MUST in hotline.v1"),
  "RESP-10": or("MUST", OR.wsStoreFalseMissing, "`param` `previous_response_id`"),
  "RESP-11": or("MAY", OR.wsHydrateMay),
  "RESP-12": or("MUST", OR.wsEvict),
  "RESP-13": or("MUST", OR.wsStoreFalseMissing),
  "RESP-14": hotline(),
  "RESP-15": hotline(),
  "RESP-16": hotline(),
  "RESP-17": hotline(),
  "RESP-18": hotline(),
  "RESP-19": hotline("the code `server_overloaded`"),
  "RESP-20": hotline(),
  "RESP-21": hotline(),
  "RESP-22": openaiWs(
    "WebSocket mode accepts `stream` and `stream_options`; the Codex CLI sends them",
  ),
  "RESP-23": hotline("the hosted Responses API and its clients"),
  "RESP-24": hotline("the hosted Responses API refuses unknown parameters"),
  "RESP-25": hotline(),
  "RESP-26": hotline("the hosted Responses API refuses an orphan tool output"),
  "RESP-28": hotline("the hosted Responses API's `model_not_found`"),
  "RESP-29": or("MUST", OR.previous),
  "RESP-30": hotline("a bound on what a peer can queue"),
  "RESP-27": or(
    "MUST",
    OR.compaction,
    "a clause binding clients; the server must accept what it asks them to send",
  ),
  "STREAM-1": or("MUST", OR.wsEvents),
  "STREAM-2": hotline(),
  "STREAM-3": hotline(),
  "STREAM-4": or("MUST", OR.wsEvents),
  "STREAM-5": or("MUST", OR.wsEvents),
  "STREAM-6": or("MUST", OR.itemDone),
  "STREAM-7": or("MUST", OR.wsEvents),
  "STREAM-8": or("MUST", OR.itemAdded),
  "STREAM-9": or("MUST", OR.wsEvents),
  "STREAM-10": or("MUST", OR.contentPart),
  "STREAM-11": or("MUST", OR.deltaPattern),
  "STREAM-12": or("MUST", OR.incompleteLast),
  "STREAM-13": or("MUST", OR.prefixed),
  "STREAM-14": hotline(),
  "STREAM-15": hotline(),
  "STREAM-16": hotline(),
  "ERR-1": or("MUST", OR.wsErrors, "a string `error.message`"),
  "ERR-2": hotline("the error registry"),
  "ERR-3": hotline(),
  "ERR-4": hotline(),
  "ERR-5": hotline(),
  "ERR-6": hotline(),
  "ERR-7": hotline(),
  "ERR-8": hotline(),
  "ERR-9": hotline("the code `invalid_json`"),
  "ERR-10": hotline("the code `unknown_event_type`"),
  "ERR-11": hotline("the code `invalid_event` and its JSON pointer"),
  "ERR-12": hotline(),
  "ERR-13": hotline(),
  "ERR-14": hotline("registry close codes"),
  "ERR-15": or("MUST", OR.streamingFailed, "the registry code in `response.error`"),
  "ERR-16": hotline(),
  "ERR-17": hotline(),
  "ERR-18": hotline(),
  "HTTP-1": or("MUST", OR.httpJson, "status 200 and the final state"),
  "HTTP-2": or("MUST", OR.httpSse),
  "HTTP-3": or("MUST", OR.httpDone),
  "HTTP-4": or("SHOULD NOT", OR.httpNoId, "MUST NOT in Hotline"),
  "HTTP-5": or("MUST", OR.wsEvents),
  "HTTP-6": hotline(),
  "HTTP-7": hotline("registry statuses and the JSON error body"),
  "HTTP-8": or("MUST", OR.streamingFailed, "the `error` event's sequence number and `[DONE]`"),
  "HTTP-9": hotline(),
  "HTTP-10": hotline(),
  "HTTP-11": hotline("GET /v1/responses/{id} is not in Open Responses 2026-04-24"),
  "HTTP-12": hotline("background streaming is not in Open Responses 2026-04-24"),
  "HTTP-13": hotline("the cancel endpoint is not in Open Responses 2026-04-24"),
  "HTTP-14": hotline(),
  "HTTP-15": hotline(),
  "HTTP-16": hotline(),
  "HTTP-17": hotline("the hosted API's /v1/models"),
  "HTTP-18": hotline(
    "`/responses/compact` is in the Open Responses 2026-04-24 OpenAPI document without a keyword; the statuses are Hotline's",
  ),
  "HTTP-19": hotline("RFC 9110 §15.5.6"),
  "HTTP-20": hotline(),
  "HTTP-21": hotline(),
  "HTTP-22": hotline("RFC 9111 §5.2.2.5"),
  "INT-9": hotline("withdrawn"),
  "INT-10": hotline("withdrawn"),
  "INT-6": hotline("withdrawn"),
  "SESSION-4": hotline("withdrawn"),
  "INT-13": openaiWs(
    "steering guide and the `openai` 7.60 types: `response.steer` answered by `response.steer.accepted` or `response.steer.failed`",
  ),
  "INT-14": openaiWs(
    "steering guide: the response ends at a safe output boundary with `response.incomplete`, reason `steered`",
  ),
  "INT-15": openaiWs(
    "steering guide: a successor `response.created` follows automatically on the same lane, the commit point",
  ),
  "INT-16": openaiWs(
    "`openai` 7.60 `ResponseSteerFailedEvent` and `ResponseSteerErrorCode`: the uncommitted input is returned",
  ),
  "INT-11": openaiWs("steering guide: the successor takes the steered response's slot"),
  "INT-19": openaiWs(
    "steering guide: a steered response ends at a safe output boundary; the `openai` 7.60 `ResponseSteerEvent` docs: a response that stops for client-owned tool output keeps the steer queued",
  ),
  "INT-20": openaiWs(
    "`openai` 7.60 `ResponseSteerPendingEvent`: sent after `response.completed`, at most once per steer, with `required_input` stubs",
  ),
  "INT-21": openaiWs(
    "`openai` 7.60 `ResponseSteerEvent` docs: the queued input is prepended in submission order to the explicit `response.create` with the same `previous_response_id` and lane",
  ),
  "INT-22": openaiWs("`openai` 7.60 `ResponseSteerErrorCode`: `too_many_pending_steers`"),
  "INT-23": openaiWs(
    "Codex (`@openai/codex` 0.171.0 sends it; its source's test `steer_interrupts_and_drains_websocket` fixes the shapes): `response.interrupt` → `response.interrupt.accepted`, `response.output_item.interrupted`, `response.incomplete` reason `interrupted`, then a continuation",
  ),
  "RESUME-14": hotline(),
};

/** Pages that are Hotline's own throughout (session layer, resume, fleets, metrics, the simulator, runners). */
const HOTLINE_PREFIXES = ["SESSION-", "RESUME-", "INT-", "METRIC-", "SIM-", "CONF-", "FLEET-"];

/** The provenance of a requirement id, or undefined when none is recorded (a test forbids that). */
export function provenanceOf(id: string): Provenance | undefined {
  const own = BY_ID[id];
  if (own) return own;
  if (HOTLINE_PREFIXES.some((p) => id.startsWith(p))) return { source: "hotline" };
  return undefined;
}

/** What a schema violation (CONF-2) rests on: the schemas restate Open Responses' event objects. */
export const SCHEMA_CLAUSE = `Open Responses MUST: ${OR.wsEvents} (the objects of its 2026-04-24 OpenAPI document)`;

/** Every id named one by one, for the completeness test. */
export const EXPLICIT_IDS: readonly string[] = Object.keys(BY_ID);

/** The Open Responses clauses quoted above, for the test that finds each in the 2026-04-24 text. */
export const QUOTED_CLAUSES: readonly string[] = Object.values(OR);

/**
 * A check's verdict level. `MUST` fails, `SHOULD` is NON-STRICT, `RECOMMENDED` is a Hotline
 * addition (or an Open Responses MAY) a server that does not claim hotline.v1 may lack, and
 * `MAY` only informs.
 */
export type CheckLevel = "MUST" | "SHOULD" | "RECOMMENDED" | "MAY";

/**
 * The level a violated requirement is judged at. `held` (the server claims hotline.v1, or
 * `--strict`) uses Hotline's keyword; otherwise an Open Responses clause uses its own keyword and
 * anything else is RECOMMENDED.
 */
export function checkLevel(
  id: string,
  hotlineKeyword: string,
  held: boolean,
  options: { addition?: boolean } = {},
): CheckLevel {
  const own = (k: string): CheckLevel =>
    k.startsWith("MUST") ? "MUST" : k.startsWith("SHOULD") ? "SHOULD" : "MAY";
  if (held) return own(hotlineKeyword);
  const p = provenanceOf(id);
  if (id === "CONF-2") return "MUST";
  if (!p || p.source !== "open-responses" || options.addition) return "RECOMMENDED";
  const level = own(p.keyword ?? "MAY");
  return level === "MAY" ? "RECOMMENDED" : level;
}

/** How reports and spec/ name each source. */
export const SOURCE_NAMES: Readonly<Record<Source, string>> = {
  "open-responses": "Open Responses 2026-04-24",
  "openai-ws": "OpenAI WebSocket mode",
  hotline: "Hotline addition",
};

/**
 * One line saying where a requirement comes from, for reports: the Open Responses clause with
 * its keyword (and what Hotline adds), or the OpenAI WebSocket mode behaviour, or a Hotline
 * addition with what it rests on.
 */
export function describeProvenance(id: string): string {
  const p = provenanceOf(id);
  if (!p) return "no provenance recorded";
  if (p.source === "open-responses") {
    return `${SOURCE_NAMES[p.source]} ${p.keyword ?? ""}: ${p.clause ?? ""}${p.addition ? ` (Hotline adds: ${p.addition})` : ""}`;
  }
  return `${SOURCE_NAMES[p.source]}${p.clause ? `: ${p.clause}` : ""}`;
}
