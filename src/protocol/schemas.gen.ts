// Generated from schemas/ by `npm run generate`. Do not edit by hand.
// Every schema as data, so validators work without a file system (in browsers too).

/** Every schema of the protocol, each with its absolute `$id`. */
export const schemas: readonly Record<string, unknown>[] = [
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/client/response.cancel.json",
    "title": "ResponseCancelEvent",
    "description": "Hotline: stops a running response within one decode step; it ends with `response.cancelled`.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "response.cancel",
        "description": "Always `response.cancel`."
      },
      "event_id": {
        "type": "string",
        "description": "Hotline: a client-chosen id for this event; errors caused by the event echo it as `event_id`.",
        "minLength": 1,
        "maxLength": 128
      },
      "response_id": {
        "type": "string",
        "description": "The id of the targeted response.",
        "minLength": 1
      },
      "truncate": {
        "$ref": "../objects/Truncation.json"
      }
    },
    "required": [
      "type",
      "response_id"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/client/response.create.json",
    "$comment": "Generated from schemas/compose/response.create.json and schemas/objects/CreateResponseBody.json by `npm run generate`. Do not edit by hand.",
    "title": "ResponseCreateEvent",
    "description": "Starts a response: the create body of the HTTP binding plus `type`. `stream` and `stream_options` are accepted and ignored (RESP-22); `background` is accepted only in the hotline.v1 profile. A member not defined here is refused with `invalid_event` naming it (RESP-24).",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "response.create",
        "description": "Always `response.create`."
      },
      "event_id": {
        "type": "string",
        "description": "Hotline: a client-chosen id for this event; errors caused by the event echo it as `event_id`.",
        "minLength": 1,
        "maxLength": 128
      },
      "stream_id": {
        "type": "string",
        "description": "OpenAI WebSocket mode: the lane of this response (RESP-32). Creates of one lane run one at a time in arrival order; different lanes run at once. 1 to 256 characters of `[A-Za-z0-9_.-]`; any other string is refused with `invalid_stream_id` (RESP-33). WebSocket only."
      },
      "model": {
        "description": "The model to use. Hotline: over WebSocket, the session's default model applies when it is omitted.",
        "anyOf": [
          {
            "type": "string"
          },
          {
            "type": "null"
          }
        ]
      },
      "input": {
        "description": "The new input: a string (one user message) or input items.",
        "anyOf": [
          {
            "type": "string",
            "maxLength": 10485760
          },
          {
            "type": "array",
            "items": {
              "$ref": "../objects/InputItem.json"
            }
          },
          {
            "type": "null"
          }
        ]
      },
      "previous_response_id": {
        "description": "The response to continue; only new items are sent in `input`.",
        "anyOf": [
          {
            "type": "string"
          },
          {
            "type": "null"
          }
        ]
      },
      "include": {
        "type": "array",
        "description": "Extra output to include; every value of the hosted API is accepted, and a server includes only what it produces.",
        "items": {
          "type": "string",
          "enum": [
            "code_interpreter_call.outputs",
            "computer_call_output.output.image_url",
            "file_search_call.results",
            "message.input_image.image_url",
            "message.output_text.logprobs",
            "reasoning.encrypted_content",
            "web_search_call.action.sources",
            "web_search_call.results"
          ]
        }
      },
      "tools": {
        "description": "The tools of this request: functions the model MAY call, namespaces of functions, and hosted tool types (accepted, never called by a server that does not offer them).",
        "anyOf": [
          {
            "type": "array",
            "items": {
              "$ref": "../objects/Tool.json"
            }
          },
          {
            "type": "null"
          }
        ]
      },
      "tool_choice": {
        "description": "Which tool the model uses.",
        "anyOf": [
          {
            "$ref": "../objects/ToolChoice.json"
          },
          {
            "type": "null"
          }
        ]
      },
      "metadata": {
        "description": "Developer-defined metadata.",
        "anyOf": [
          {
            "$ref": "../objects/Metadata.json"
          },
          {
            "type": "null"
          }
        ]
      },
      "client_metadata": {
        "description": "Accepted from the hosted API's clients (the Codex CLI sends its thread, turn and window ids here); ignored and never echoed.",
        "anyOf": [
          {
            "type": "object",
            "additionalProperties": {
              "type": "string",
              "maxLength": 4096
            },
            "maxProperties": 64
          },
          {
            "type": "null"
          }
        ]
      },
      "text": {
        "description": "Text output options.",
        "anyOf": [
          {
            "$ref": "../objects/TextConfig.json"
          },
          {
            "type": "null"
          }
        ]
      },
      "temperature": {
        "description": "Sampling temperature.",
        "anyOf": [
          {
            "type": "number",
            "minimum": 0,
            "maximum": 2
          },
          {
            "type": "null"
          }
        ]
      },
      "top_p": {
        "description": "Nucleus sampling parameter.",
        "anyOf": [
          {
            "type": "number",
            "minimum": 0,
            "maximum": 1
          },
          {
            "type": "null"
          }
        ]
      },
      "presence_penalty": {
        "description": "Presence penalty.",
        "anyOf": [
          {
            "type": "number",
            "minimum": -2,
            "maximum": 2
          },
          {
            "type": "null"
          }
        ]
      },
      "frequency_penalty": {
        "description": "Frequency penalty.",
        "anyOf": [
          {
            "type": "number",
            "minimum": -2,
            "maximum": 2
          },
          {
            "type": "null"
          }
        ]
      },
      "parallel_tool_calls": {
        "description": "Whether the model MAY call several tools at once.",
        "anyOf": [
          {
            "type": "boolean"
          },
          {
            "type": "null"
          }
        ]
      },
      "max_output_tokens": {
        "description": "Upper bound on generated tokens.",
        "anyOf": [
          {
            "type": "integer",
            "minimum": 16
          },
          {
            "type": "null"
          }
        ]
      },
      "max_tool_calls": {
        "description": "Upper bound on tool calls.",
        "anyOf": [
          {
            "type": "integer",
            "minimum": 1
          },
          {
            "type": "null"
          }
        ]
      },
      "reasoning": {
        "description": "Reasoning options.",
        "anyOf": [
          {
            "$ref": "../objects/ReasoningConfig.json"
          },
          {
            "type": "null"
          }
        ]
      },
      "safety_identifier": {
        "description": "A stable end-user identifier for abuse detection.",
        "anyOf": [
          {
            "type": "string",
            "maxLength": 64
          },
          {
            "type": "null"
          }
        ]
      },
      "user": {
        "type": "string",
        "description": "Accepted from the hosted API (deprecated there in favour of `safety_identifier` and `prompt_cache_key`); ignored.",
        "maxLength": 256
      },
      "prompt_cache_key": {
        "description": "A key grouping requests that share a prompt prefix.",
        "anyOf": [
          {
            "type": "string",
            "maxLength": 64
          },
          {
            "type": "null"
          }
        ]
      },
      "prompt_cache_retention": {
        "description": "Accepted from the hosted API (how long a prompt cache entry lives); ignored.",
        "anyOf": [
          {
            "type": "string",
            "enum": [
              "in_memory",
              "24h"
            ]
          },
          {
            "type": "null"
          }
        ]
      },
      "truncation": {
        "type": "string",
        "enum": [
          "auto",
          "disabled"
        ],
        "description": "How input exceeding the context window is handled; defaults to `disabled`."
      },
      "instructions": {
        "description": "A system message for this response only.",
        "anyOf": [
          {
            "type": "string"
          },
          {
            "type": "null"
          }
        ]
      },
      "store": {
        "type": "boolean",
        "description": "Whether to store the response for later retrieval."
      },
      "service_tier": {
        "type": "string",
        "enum": [
          "auto",
          "default",
          "flex",
          "priority",
          "wafer",
          "gpu"
        ],
        "description": "The service tier. Hotline: `wafer` and `gpu` name the simulated tiers; `default` and `priority` map to `wafer`, `flex` to `gpu`, `auto` lets the server route."
      },
      "top_logprobs": {
        "description": "How many most likely tokens to return per position.",
        "anyOf": [
          {
            "type": "integer",
            "minimum": 0,
            "maximum": 20
          },
          {
            "type": "null"
          }
        ]
      },
      "stream": {
        "description": "Accepted and ignored over WebSocket, where every response streams (OpenAI's WebSocket mode accepts it and the Codex CLI sends `stream: true`; RESP-22).",
        "anyOf": [
          {
            "type": "boolean"
          },
          {
            "type": "null"
          }
        ]
      },
      "stream_options": {
        "description": "Accepted and ignored over WebSocket (RESP-22).",
        "anyOf": [
          {
            "$ref": "../objects/StreamOptions.json"
          },
          {
            "type": "null"
          }
        ]
      },
      "generate": {
        "type": "boolean",
        "description": "When false, the server prefills the input (warming its cache) and completes the response with empty output; the id is chainable. Defaults to true."
      },
      "background": {
        "type": "boolean",
        "description": "Hotline: run as a long background task beside interactive responses."
      },
      "client_request_id": {
        "type": "string",
        "description": "Hotline: a client-chosen idempotency key, echoed in `response.created`. Repeating it attaches to the existing response instead of starting another.",
        "minLength": 1,
        "maxLength": 128
      }
    },
    "required": [
      "type"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/client/response.interrupt.json",
    "title": "ResponseInterruptEvent",
    "description": "Codex's interrupt (`response.interrupt`, sent by the Codex CLI to stop a turn at once and continue it with new input): the server acknowledges with `response.interrupt.accepted`, discards the output item being generated (`response.output_item.interrupted`) and ends the response with `response.incomplete`, reason `interrupted` (INT-23).",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "response.interrupt",
        "description": "Always `response.interrupt`."
      },
      "response_id": {
        "type": "string",
        "description": "The response to interrupt (in flight on this connection).",
        "minLength": 1
      },
      "mode": {
        "type": "string",
        "const": "discard_partial_items",
        "description": "What becomes of the item being generated: `discard_partial_items`, the only mode known."
      },
      "event_id": {
        "type": "string",
        "description": "Hotline: an id echoed on an error this event causes.",
        "minLength": 1,
        "maxLength": 128
      }
    },
    "required": [
      "type",
      "response_id",
      "mode"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/client/response.resume.json",
    "title": "ResponseResumeEvent",
    "description": "Hotline: replays the events of a response after a sequence number, then continues live.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "response.resume",
        "description": "Always `response.resume`."
      },
      "event_id": {
        "type": "string",
        "description": "Hotline: a client-chosen id for this event; errors caused by the event echo it as `event_id`.",
        "minLength": 1,
        "maxLength": 128
      },
      "response_id": {
        "type": "string",
        "description": "The id of the targeted response.",
        "minLength": 1
      },
      "after_sequence_number": {
        "type": "integer",
        "description": "Replay events with a greater `sequence_number`; -1 replays from the start.",
        "minimum": -1
      }
    },
    "required": [
      "type",
      "response_id",
      "after_sequence_number"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/client/response.steer.json",
    "title": "ResponseSteerEvent",
    "description": "Steers a running response (OpenAI WebSocket mode's `response.steer`, on every WebSocket connection): the server answers `response.steer.accepted` or `response.steer.failed`, ends the response with `response.incomplete` (reason `steered`) and starts a successor chained to it on the same lane. Members only Hotline defines are optional.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "response.steer",
        "description": "Always `response.steer`."
      },
      "previous_response_id": {
        "type": "string",
        "description": "The id of the response to steer (in flight on this connection). The target decides the lane: a steer carries no `stream_id`.",
        "minLength": 1
      },
      "input": {
        "description": "The input to continue with: a string (one user message) or input items. Only user messages are steered; anything else is answered with `response.steer.failed`, code `invalid_input`.",
        "anyOf": [
          {
            "type": "string",
            "maxLength": 10485760
          },
          {
            "type": "array",
            "items": {
              "$ref": "../objects/InputItem.json"
            }
          }
        ]
      },
      "event_id": {
        "type": "string",
        "description": "Hotline: a client-chosen id for this event; errors caused by the event echo it as `event_id`.",
        "minLength": 1,
        "maxLength": 128
      },
      "client_request_id": {
        "type": "string",
        "description": "Hotline: a client-chosen id, echoed in `response.steer.accepted`, `response.steer.failed` and the successor's `response.created`.",
        "minLength": 1,
        "maxLength": 128
      },
      "max_output_tokens": {
        "description": "Upper bound on generated tokens of the new response.",
        "anyOf": [
          {
            "type": "integer",
            "minimum": 16
          },
          {
            "type": "null"
          }
        ]
      },
      "metadata": {
        "description": "Metadata of the new response.",
        "anyOf": [
          {
            "$ref": "../objects/Metadata.json"
          },
          {
            "type": "null"
          }
        ]
      }
    },
    "required": [
      "type",
      "previous_response_id",
      "input"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/client/session.ping.json",
    "title": "SessionPingEvent",
    "description": "Hotline: an application-level round trip; the server answers with `session.pong` at once.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "session.ping",
        "description": "Always `session.ping`."
      },
      "event_id": {
        "type": "string",
        "description": "Hotline: a client-chosen id for this event; errors caused by the event echo it as `event_id`.",
        "minLength": 1,
        "maxLength": 128
      },
      "nonce": {
        "type": "string",
        "description": "An opaque value echoed in `session.pong`.",
        "minLength": 1,
        "maxLength": 128
      }
    },
    "required": [
      "type",
      "nonce"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/client/session.update.json",
    "title": "SessionUpdateEvent",
    "description": "Hotline: changes the session defaults and, with `prewarm: true`, prefills them before the first request.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "session.update",
        "description": "Always `session.update`."
      },
      "event_id": {
        "type": "string",
        "description": "Hotline: a client-chosen id for this event; errors caused by the event echo it as `event_id`.",
        "minLength": 1,
        "maxLength": 128
      },
      "session": {
        "$ref": "../objects/SessionUpdateParams.json"
      },
      "prewarm": {
        "type": "boolean",
        "description": "Prefill the defaults now; `session.updated` follows once the prefill finished."
      }
    },
    "required": [
      "type",
      "session"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/server/error.json",
    "title": "ErrorEvent",
    "description": "An error. On a WebSocket it is the envelope `{type, status, error}`; in an SSE stream it carries `sequence_number` instead of `status`. Hotline adds correlation members. A non-fatal error never ends the session.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "error",
        "description": "Always `error`."
      },
      "status": {
        "type": "integer",
        "description": "The HTTP-style status of the error (WebSocket envelope).",
        "minimum": 400,
        "maximum": 599
      },
      "error": {
        "$ref": "../objects/ErrorPayload.json"
      },
      "sequence_number": {
        "type": "integer",
        "description": "The error's position in a response's stream: present in SSE streams and, in Hotline, when the error is part of a response's stream.",
        "minimum": 0
      },
      "event_id": {
        "type": "string",
        "description": "Hotline: the `event_id` of the client event that caused the error.",
        "minLength": 1,
        "maxLength": 128
      },
      "response_id": {
        "type": "string",
        "description": "Hotline: the response the error concerns, if any.",
        "minLength": 1
      },
      "client_request_id": {
        "type": "string",
        "description": "Hotline: the `client_request_id` of the request that caused the error.",
        "minLength": 1,
        "maxLength": 128
      },
      "stream_id": {
        "type": "string",
        "description": "OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.",
        "pattern": "^[A-Za-z0-9_.-]{1,256}$"
      }
    },
    "required": [
      "type",
      "error"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/server/rate_limits.updated.json",
    "title": "RateLimitsUpdatedEvent",
    "description": "Hotline: the current rate limits, sent at each response start.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "rate_limits.updated",
        "description": "Always `rate_limits.updated`."
      },
      "rate_limits": {
        "type": "array",
        "description": "The rate limits.",
        "items": {
          "$ref": "../objects/RateLimit.json"
        }
      },
      "response_id": {
        "type": "string",
        "description": "The response whose start triggered the update, if any.",
        "minLength": 1
      }
    },
    "required": [
      "type",
      "rate_limits"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/server/response.cancelled.json",
    "title": "ResponseCancelledEvent",
    "description": "Hotline: terminal event of a response stopped by `response.cancel` (a steered response ends `response.incomplete`, reason `steered`); `response.status` is `cancelled` and usage counts only tokens really generated. Never sent to a core-profile client.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "response.cancelled",
        "description": "Always `response.cancelled`."
      },
      "response": {
        "$ref": "../objects/ResponseResource.json"
      },
      "sequence_number": {
        "type": "integer",
        "description": "The position of this event in its response's stream: 0 first, +1 each event.",
        "minimum": 0
      },
      "response_id": {
        "type": "string",
        "description": "The response this event belongs to.",
        "minLength": 1
      },
      "stream_id": {
        "type": "string",
        "description": "OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.",
        "pattern": "^[A-Za-z0-9_.-]{1,256}$"
      }
    },
    "required": [
      "type",
      "response",
      "sequence_number",
      "response_id"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/server/response.completed.json",
    "title": "ResponseCompletedEvent",
    "description": "Terminal: the response finished normally. Carries a snapshot of the response.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "response.completed",
        "description": "Always `response.completed`."
      },
      "response": {
        "$ref": "../objects/ResponseResource.json"
      },
      "sequence_number": {
        "type": "integer",
        "description": "The position of this event in its response's stream: 0 first, +1 each event.",
        "minimum": 0
      },
      "response_id": {
        "type": "string",
        "description": "Hotline: the response this event belongs to. REQUIRED in the hotline.v1 profile; never sent in core.",
        "minLength": 1
      },
      "stream_id": {
        "type": "string",
        "description": "OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.",
        "pattern": "^[A-Za-z0-9_.-]{1,256}$"
      }
    },
    "required": [
      "type",
      "response",
      "sequence_number"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/server/response.content_part.added.json",
    "title": "ResponseContentPartAddedEvent",
    "description": "A content part started inside an item.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "response.content_part.added",
        "description": "Always `response.content_part.added`."
      },
      "item_id": {
        "type": "string",
        "description": "The id of the output item."
      },
      "output_index": {
        "type": "integer",
        "description": "The index of the output item in `response.output`.",
        "minimum": 0
      },
      "content_index": {
        "type": "integer",
        "description": "The index of the content part in the item's `content`.",
        "minimum": 0
      },
      "part": {
        "$ref": "../objects/ContentPart.json"
      },
      "sequence_number": {
        "type": "integer",
        "description": "The position of this event in its response's stream: 0 first, +1 each event.",
        "minimum": 0
      },
      "response_id": {
        "type": "string",
        "description": "Hotline: the response this event belongs to. REQUIRED in the hotline.v1 profile; never sent in core.",
        "minLength": 1
      },
      "stream_id": {
        "type": "string",
        "description": "OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.",
        "pattern": "^[A-Za-z0-9_.-]{1,256}$"
      }
    },
    "required": [
      "type",
      "item_id",
      "output_index",
      "content_index",
      "part",
      "sequence_number"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/server/response.content_part.done.json",
    "title": "ResponseContentPartDoneEvent",
    "description": "A content part is final.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "response.content_part.done",
        "description": "Always `response.content_part.done`."
      },
      "item_id": {
        "type": "string",
        "description": "The id of the output item."
      },
      "output_index": {
        "type": "integer",
        "description": "The index of the output item in `response.output`.",
        "minimum": 0
      },
      "content_index": {
        "type": "integer",
        "description": "The index of the content part in the item's `content`.",
        "minimum": 0
      },
      "part": {
        "$ref": "../objects/ContentPart.json"
      },
      "sequence_number": {
        "type": "integer",
        "description": "The position of this event in its response's stream: 0 first, +1 each event.",
        "minimum": 0
      },
      "response_id": {
        "type": "string",
        "description": "Hotline: the response this event belongs to. REQUIRED in the hotline.v1 profile; never sent in core.",
        "minLength": 1
      },
      "stream_id": {
        "type": "string",
        "description": "OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.",
        "pattern": "^[A-Za-z0-9_.-]{1,256}$"
      }
    },
    "required": [
      "type",
      "item_id",
      "output_index",
      "content_index",
      "part",
      "sequence_number"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/server/response.created.json",
    "title": "ResponseCreatedEvent",
    "description": "The first event of every response: the response exists, status `queued` or `in_progress`. Carries a snapshot of the response.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "response.created",
        "description": "Always `response.created`."
      },
      "response": {
        "$ref": "../objects/ResponseResource.json"
      },
      "client_request_id": {
        "description": "Hotline: the `client_request_id` of the creating event, or null.",
        "anyOf": [
          {
            "type": "string"
          },
          {
            "type": "null"
          }
        ]
      },
      "steered_from": {
        "type": "string",
        "description": "Hotline: for a response started by `response.steer`, the id of the steered response.",
        "minLength": 1
      },
      "sequence_number": {
        "type": "integer",
        "description": "The position of this event in its response's stream: 0 first, +1 each event.",
        "minimum": 0
      },
      "response_id": {
        "type": "string",
        "description": "Hotline: the response this event belongs to. REQUIRED in the hotline.v1 profile; never sent in core.",
        "minLength": 1
      },
      "stream_id": {
        "type": "string",
        "description": "OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.",
        "pattern": "^[A-Za-z0-9_.-]{1,256}$"
      }
    },
    "required": [
      "type",
      "response",
      "sequence_number"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/server/response.failed.json",
    "title": "ResponseFailedEvent",
    "description": "Terminal: the response failed; `response.error` says why. Carries a snapshot of the response.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "response.failed",
        "description": "Always `response.failed`."
      },
      "response": {
        "$ref": "../objects/ResponseResource.json"
      },
      "sequence_number": {
        "type": "integer",
        "description": "The position of this event in its response's stream: 0 first, +1 each event.",
        "minimum": 0
      },
      "response_id": {
        "type": "string",
        "description": "Hotline: the response this event belongs to. REQUIRED in the hotline.v1 profile; never sent in core.",
        "minLength": 1
      },
      "stream_id": {
        "type": "string",
        "description": "OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.",
        "pattern": "^[A-Za-z0-9_.-]{1,256}$"
      }
    },
    "required": [
      "type",
      "response",
      "sequence_number"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/server/response.function_call_arguments.delta.json",
    "title": "ResponseFunctionCallArgumentsDeltaEvent",
    "description": "Text appended to a function call's `arguments`.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "response.function_call_arguments.delta",
        "description": "Always `response.function_call_arguments.delta`."
      },
      "item_id": {
        "type": "string",
        "description": "The id of the output item."
      },
      "output_index": {
        "type": "integer",
        "description": "The index of the output item in `response.output`.",
        "minimum": 0
      },
      "delta": {
        "type": "string",
        "description": "The appended arguments text."
      },
      "obfuscation": {
        "type": "string",
        "description": "Random padding that hides the delta's length; ignore it."
      },
      "sequence_number": {
        "type": "integer",
        "description": "The position of this event in its response's stream: 0 first, +1 each event.",
        "minimum": 0
      },
      "response_id": {
        "type": "string",
        "description": "Hotline: the response this event belongs to. REQUIRED in the hotline.v1 profile; never sent in core.",
        "minLength": 1
      },
      "stream_id": {
        "type": "string",
        "description": "OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.",
        "pattern": "^[A-Za-z0-9_.-]{1,256}$"
      }
    },
    "required": [
      "type",
      "item_id",
      "output_index",
      "delta",
      "sequence_number"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/server/response.function_call_arguments.done.json",
    "title": "ResponseFunctionCallArgumentsDoneEvent",
    "description": "A function call's `arguments` are final.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "response.function_call_arguments.done",
        "description": "Always `response.function_call_arguments.done`."
      },
      "item_id": {
        "type": "string",
        "description": "The id of the output item."
      },
      "output_index": {
        "type": "integer",
        "description": "The index of the output item in `response.output`.",
        "minimum": 0
      },
      "arguments": {
        "type": "string",
        "description": "The whole arguments text (JSON)."
      },
      "name": {
        "type": "string",
        "description": "The function called (sent by OpenAI servers; optional)."
      },
      "sequence_number": {
        "type": "integer",
        "description": "The position of this event in its response's stream: 0 first, +1 each event.",
        "minimum": 0
      },
      "response_id": {
        "type": "string",
        "description": "Hotline: the response this event belongs to. REQUIRED in the hotline.v1 profile; never sent in core.",
        "minLength": 1
      },
      "stream_id": {
        "type": "string",
        "description": "OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.",
        "pattern": "^[A-Za-z0-9_.-]{1,256}$"
      }
    },
    "required": [
      "type",
      "item_id",
      "output_index",
      "arguments",
      "sequence_number"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/server/response.in_progress.json",
    "title": "ResponseInProgressEvent",
    "description": "Generation started. Carries a snapshot of the response.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "response.in_progress",
        "description": "Always `response.in_progress`."
      },
      "response": {
        "$ref": "../objects/ResponseResource.json"
      },
      "sequence_number": {
        "type": "integer",
        "description": "The position of this event in its response's stream: 0 first, +1 each event.",
        "minimum": 0
      },
      "response_id": {
        "type": "string",
        "description": "Hotline: the response this event belongs to. REQUIRED in the hotline.v1 profile; never sent in core.",
        "minLength": 1
      },
      "stream_id": {
        "type": "string",
        "description": "OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.",
        "pattern": "^[A-Za-z0-9_.-]{1,256}$"
      }
    },
    "required": [
      "type",
      "response",
      "sequence_number"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/server/response.incomplete.json",
    "title": "ResponseIncompleteEvent",
    "description": "Terminal: the response stopped early; `response.incomplete_details` says why. Carries a snapshot of the response.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "response.incomplete",
        "description": "Always `response.incomplete`."
      },
      "response": {
        "$ref": "../objects/ResponseResource.json"
      },
      "sequence_number": {
        "type": "integer",
        "description": "The position of this event in its response's stream: 0 first, +1 each event.",
        "minimum": 0
      },
      "response_id": {
        "type": "string",
        "description": "Hotline: the response this event belongs to. REQUIRED in the hotline.v1 profile; never sent in core.",
        "minLength": 1
      },
      "stream_id": {
        "type": "string",
        "description": "OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.",
        "pattern": "^[A-Za-z0-9_.-]{1,256}$"
      }
    },
    "required": [
      "type",
      "response",
      "sequence_number"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/server/response.interrupt.accepted.json",
    "title": "ResponseInterruptAcceptedEvent",
    "description": "Codex's interrupt acknowledged: the response stops now; its partial items follow as `response.output_item.interrupted`, then `response.incomplete` (reason `interrupted`). Numbered in the response's stream (INT-23).",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "response.interrupt.accepted",
        "description": "Always `response.interrupt.accepted`."
      },
      "response_id": {
        "type": "string",
        "description": "The interrupted response.",
        "minLength": 1
      },
      "sequence_number": {
        "type": "integer",
        "description": "The position of this event in the response's stream.",
        "minimum": 0
      },
      "stream_id": {
        "type": "string",
        "description": "OpenAI WebSocket mode: the response's lane, when its `response.create` carried `stream_id`.",
        "pattern": "^[A-Za-z0-9_.-]{1,256}$"
      }
    },
    "required": [
      "type",
      "response_id",
      "sequence_number"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/server/response.output_item.added.json",
    "title": "ResponseOutputItemAddedEvent",
    "description": "A new output item started; it is the first event of that item.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "response.output_item.added",
        "description": "Always `response.output_item.added`."
      },
      "output_index": {
        "type": "integer",
        "description": "The index of the output item in `response.output`.",
        "minimum": 0
      },
      "item": {
        "description": "The item (servers always send one).",
        "anyOf": [
          {
            "$ref": "../objects/OutputItem.json"
          },
          {
            "type": "null"
          }
        ]
      },
      "sequence_number": {
        "type": "integer",
        "description": "The position of this event in its response's stream: 0 first, +1 each event.",
        "minimum": 0
      },
      "response_id": {
        "type": "string",
        "description": "Hotline: the response this event belongs to. REQUIRED in the hotline.v1 profile; never sent in core.",
        "minLength": 1
      },
      "stream_id": {
        "type": "string",
        "description": "OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.",
        "pattern": "^[A-Za-z0-9_.-]{1,256}$"
      }
    },
    "required": [
      "type",
      "output_index",
      "item",
      "sequence_number"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/server/response.output_item.done.json",
    "title": "ResponseOutputItemDoneEvent",
    "description": "An output item is final; it is the last event of that item.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "response.output_item.done",
        "description": "Always `response.output_item.done`."
      },
      "output_index": {
        "type": "integer",
        "description": "The index of the output item in `response.output`.",
        "minimum": 0
      },
      "item": {
        "description": "The item (servers always send one).",
        "anyOf": [
          {
            "$ref": "../objects/OutputItem.json"
          },
          {
            "type": "null"
          }
        ]
      },
      "sequence_number": {
        "type": "integer",
        "description": "The position of this event in its response's stream: 0 first, +1 each event.",
        "minimum": 0
      },
      "response_id": {
        "type": "string",
        "description": "Hotline: the response this event belongs to. REQUIRED in the hotline.v1 profile; never sent in core.",
        "minLength": 1
      },
      "stream_id": {
        "type": "string",
        "description": "OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.",
        "pattern": "^[A-Za-z0-9_.-]{1,256}$"
      }
    },
    "required": [
      "type",
      "output_index",
      "item",
      "sequence_number"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/server/response.output_item.interrupted.json",
    "title": "ResponseOutputItemInterruptedEvent",
    "description": "An output item left unfinished by `response.interrupt` (mode `discard_partial_items`): it gets no done events and is not part of the response's `output` or of a continuation's context (INT-23).",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "response.output_item.interrupted",
        "description": "Always `response.output_item.interrupted`."
      },
      "response_id": {
        "type": "string",
        "description": "The interrupted response.",
        "minLength": 1
      },
      "item_id": {
        "type": "string",
        "description": "The discarded item.",
        "minLength": 1
      },
      "output_index": {
        "type": "integer",
        "description": "Its index in the response's output, as `response.output_item.added` gave it.",
        "minimum": 0
      },
      "sequence_number": {
        "type": "integer",
        "description": "The position of this event in the response's stream.",
        "minimum": 0
      },
      "stream_id": {
        "type": "string",
        "description": "OpenAI WebSocket mode: the response's lane, when its `response.create` carried `stream_id`.",
        "pattern": "^[A-Za-z0-9_.-]{1,256}$"
      }
    },
    "required": [
      "type",
      "response_id",
      "item_id",
      "output_index",
      "sequence_number"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/server/response.output_text.annotation.added.json",
    "title": "ResponseOutputTextAnnotationAddedEvent",
    "description": "An annotation was added to an `output_text` part.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "response.output_text.annotation.added",
        "description": "Always `response.output_text.annotation.added`."
      },
      "item_id": {
        "type": "string",
        "description": "The id of the output item."
      },
      "output_index": {
        "type": "integer",
        "description": "The index of the output item in `response.output`.",
        "minimum": 0
      },
      "content_index": {
        "type": "integer",
        "description": "The index of the content part in the item's `content`.",
        "minimum": 0
      },
      "annotation_index": {
        "type": "integer",
        "description": "The index of the annotation in the part's `annotations`.",
        "minimum": 0
      },
      "annotation": {
        "description": "The annotation.",
        "anyOf": [
          {
            "$ref": "../objects/Annotation.json"
          },
          {
            "type": "null"
          }
        ]
      },
      "sequence_number": {
        "type": "integer",
        "description": "The position of this event in its response's stream: 0 first, +1 each event.",
        "minimum": 0
      },
      "response_id": {
        "type": "string",
        "description": "Hotline: the response this event belongs to. REQUIRED in the hotline.v1 profile; never sent in core.",
        "minLength": 1
      },
      "stream_id": {
        "type": "string",
        "description": "OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.",
        "pattern": "^[A-Za-z0-9_.-]{1,256}$"
      }
    },
    "required": [
      "type",
      "item_id",
      "output_index",
      "content_index",
      "annotation_index",
      "annotation",
      "sequence_number"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/server/response.output_text.delta.json",
    "title": "ResponseOutputTextDeltaEvent",
    "description": "Text appended to an `output_text` part.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "response.output_text.delta",
        "description": "Always `response.output_text.delta`."
      },
      "item_id": {
        "type": "string",
        "description": "The id of the output item."
      },
      "output_index": {
        "type": "integer",
        "description": "The index of the output item in `response.output`.",
        "minimum": 0
      },
      "content_index": {
        "type": "integer",
        "description": "The index of the content part in the item's `content`.",
        "minimum": 0
      },
      "delta": {
        "type": "string",
        "description": "The appended text."
      },
      "logprobs": {
        "type": "array",
        "description": "Log probabilities of the delta's tokens, when requested.",
        "items": {
          "$ref": "../objects/LogProb.json"
        }
      },
      "obfuscation": {
        "type": "string",
        "description": "Random padding that hides the delta's length; ignore it."
      },
      "sequence_number": {
        "type": "integer",
        "description": "The position of this event in its response's stream: 0 first, +1 each event.",
        "minimum": 0
      },
      "response_id": {
        "type": "string",
        "description": "Hotline: the response this event belongs to. REQUIRED in the hotline.v1 profile; never sent in core.",
        "minLength": 1
      },
      "stream_id": {
        "type": "string",
        "description": "OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.",
        "pattern": "^[A-Za-z0-9_.-]{1,256}$"
      }
    },
    "required": [
      "type",
      "item_id",
      "output_index",
      "content_index",
      "delta",
      "sequence_number"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/server/response.output_text.done.json",
    "title": "ResponseOutputTextDoneEvent",
    "description": "An `output_text` part is final.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "response.output_text.done",
        "description": "Always `response.output_text.done`."
      },
      "item_id": {
        "type": "string",
        "description": "The id of the output item."
      },
      "output_index": {
        "type": "integer",
        "description": "The index of the output item in `response.output`.",
        "minimum": 0
      },
      "content_index": {
        "type": "integer",
        "description": "The index of the content part in the item's `content`.",
        "minimum": 0
      },
      "text": {
        "type": "string",
        "description": "The whole text of the part."
      },
      "logprobs": {
        "type": "array",
        "description": "Log probabilities of the text's tokens, when requested.",
        "items": {
          "$ref": "../objects/LogProb.json"
        }
      },
      "sequence_number": {
        "type": "integer",
        "description": "The position of this event in its response's stream: 0 first, +1 each event.",
        "minimum": 0
      },
      "response_id": {
        "type": "string",
        "description": "Hotline: the response this event belongs to. REQUIRED in the hotline.v1 profile; never sent in core.",
        "minLength": 1
      },
      "stream_id": {
        "type": "string",
        "description": "OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.",
        "pattern": "^[A-Za-z0-9_.-]{1,256}$"
      }
    },
    "required": [
      "type",
      "item_id",
      "output_index",
      "content_index",
      "text",
      "sequence_number"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/server/response.queued.json",
    "title": "ResponseQueuedEvent",
    "description": "The response waits for backend capacity. Carries a snapshot of the response.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "response.queued",
        "description": "Always `response.queued`."
      },
      "response": {
        "$ref": "../objects/ResponseResource.json"
      },
      "queue_position": {
        "type": "integer",
        "description": "Hotline: the response's place in the backend queue (1 = next).",
        "minimum": 1
      },
      "sequence_number": {
        "type": "integer",
        "description": "The position of this event in its response's stream: 0 first, +1 each event.",
        "minimum": 0
      },
      "response_id": {
        "type": "string",
        "description": "Hotline: the response this event belongs to. REQUIRED in the hotline.v1 profile; never sent in core.",
        "minLength": 1
      },
      "stream_id": {
        "type": "string",
        "description": "OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.",
        "pattern": "^[A-Za-z0-9_.-]{1,256}$"
      }
    },
    "required": [
      "type",
      "response",
      "sequence_number"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/server/response.reasoning.delta.json",
    "title": "ResponseReasoningDeltaEvent",
    "description": "Text appended to a `reasoning_text` part of a reasoning item.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "response.reasoning.delta",
        "description": "Always `response.reasoning.delta`."
      },
      "item_id": {
        "type": "string",
        "description": "The id of the output item."
      },
      "output_index": {
        "type": "integer",
        "description": "The index of the output item in `response.output`.",
        "minimum": 0
      },
      "content_index": {
        "type": "integer",
        "description": "The index of the content part in the item's `content`.",
        "minimum": 0
      },
      "delta": {
        "type": "string",
        "description": "The appended reasoning text."
      },
      "obfuscation": {
        "type": "string",
        "description": "Random padding that hides the delta's length; ignore it."
      },
      "sequence_number": {
        "type": "integer",
        "description": "The position of this event in its response's stream: 0 first, +1 each event.",
        "minimum": 0
      },
      "response_id": {
        "type": "string",
        "description": "Hotline: the response this event belongs to. REQUIRED in the hotline.v1 profile; never sent in core.",
        "minLength": 1
      },
      "stream_id": {
        "type": "string",
        "description": "OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.",
        "pattern": "^[A-Za-z0-9_.-]{1,256}$"
      }
    },
    "required": [
      "type",
      "item_id",
      "output_index",
      "content_index",
      "delta",
      "sequence_number"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/server/response.reasoning.done.json",
    "title": "ResponseReasoningDoneEvent",
    "description": "A `reasoning_text` part is final.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "response.reasoning.done",
        "description": "Always `response.reasoning.done`."
      },
      "item_id": {
        "type": "string",
        "description": "The id of the output item."
      },
      "output_index": {
        "type": "integer",
        "description": "The index of the output item in `response.output`.",
        "minimum": 0
      },
      "content_index": {
        "type": "integer",
        "description": "The index of the content part in the item's `content`.",
        "minimum": 0
      },
      "text": {
        "type": "string",
        "description": "The whole reasoning text of the part."
      },
      "sequence_number": {
        "type": "integer",
        "description": "The position of this event in its response's stream: 0 first, +1 each event.",
        "minimum": 0
      },
      "response_id": {
        "type": "string",
        "description": "Hotline: the response this event belongs to. REQUIRED in the hotline.v1 profile; never sent in core.",
        "minLength": 1
      },
      "stream_id": {
        "type": "string",
        "description": "OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.",
        "pattern": "^[A-Za-z0-9_.-]{1,256}$"
      }
    },
    "required": [
      "type",
      "item_id",
      "output_index",
      "content_index",
      "text",
      "sequence_number"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/server/response.reasoning_summary_part.added.json",
    "title": "ResponseReasoningSummaryPartAddedEvent",
    "description": "A summary part started inside a reasoning item.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "response.reasoning_summary_part.added",
        "description": "Always `response.reasoning_summary_part.added`."
      },
      "item_id": {
        "type": "string",
        "description": "The id of the output item."
      },
      "output_index": {
        "type": "integer",
        "description": "The index of the output item in `response.output`.",
        "minimum": 0
      },
      "summary_index": {
        "type": "integer",
        "description": "The index of the part in the reasoning item's `summary`.",
        "minimum": 0
      },
      "part": {
        "$ref": "../objects/ContentPart.json"
      },
      "sequence_number": {
        "type": "integer",
        "description": "The position of this event in its response's stream: 0 first, +1 each event.",
        "minimum": 0
      },
      "response_id": {
        "type": "string",
        "description": "Hotline: the response this event belongs to. REQUIRED in the hotline.v1 profile; never sent in core.",
        "minLength": 1
      },
      "stream_id": {
        "type": "string",
        "description": "OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.",
        "pattern": "^[A-Za-z0-9_.-]{1,256}$"
      }
    },
    "required": [
      "type",
      "item_id",
      "output_index",
      "summary_index",
      "part",
      "sequence_number"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/server/response.reasoning_summary_part.done.json",
    "title": "ResponseReasoningSummaryPartDoneEvent",
    "description": "A summary part is final.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "response.reasoning_summary_part.done",
        "description": "Always `response.reasoning_summary_part.done`."
      },
      "item_id": {
        "type": "string",
        "description": "The id of the output item."
      },
      "output_index": {
        "type": "integer",
        "description": "The index of the output item in `response.output`.",
        "minimum": 0
      },
      "summary_index": {
        "type": "integer",
        "description": "The index of the part in the reasoning item's `summary`.",
        "minimum": 0
      },
      "part": {
        "$ref": "../objects/ContentPart.json"
      },
      "sequence_number": {
        "type": "integer",
        "description": "The position of this event in its response's stream: 0 first, +1 each event.",
        "minimum": 0
      },
      "response_id": {
        "type": "string",
        "description": "Hotline: the response this event belongs to. REQUIRED in the hotline.v1 profile; never sent in core.",
        "minLength": 1
      },
      "stream_id": {
        "type": "string",
        "description": "OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.",
        "pattern": "^[A-Za-z0-9_.-]{1,256}$"
      }
    },
    "required": [
      "type",
      "item_id",
      "output_index",
      "summary_index",
      "part",
      "sequence_number"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/server/response.reasoning_summary_text.delta.json",
    "title": "ResponseReasoningSummaryTextDeltaEvent",
    "description": "Text appended to a reasoning summary part.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "response.reasoning_summary_text.delta",
        "description": "Always `response.reasoning_summary_text.delta`."
      },
      "item_id": {
        "type": "string",
        "description": "The id of the output item."
      },
      "output_index": {
        "type": "integer",
        "description": "The index of the output item in `response.output`.",
        "minimum": 0
      },
      "summary_index": {
        "type": "integer",
        "description": "The index of the part in the reasoning item's `summary`.",
        "minimum": 0
      },
      "delta": {
        "type": "string",
        "description": "The appended summary text."
      },
      "obfuscation": {
        "type": "string",
        "description": "Random padding that hides the delta's length; ignore it."
      },
      "sequence_number": {
        "type": "integer",
        "description": "The position of this event in its response's stream: 0 first, +1 each event.",
        "minimum": 0
      },
      "response_id": {
        "type": "string",
        "description": "Hotline: the response this event belongs to. REQUIRED in the hotline.v1 profile; never sent in core.",
        "minLength": 1
      },
      "stream_id": {
        "type": "string",
        "description": "OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.",
        "pattern": "^[A-Za-z0-9_.-]{1,256}$"
      }
    },
    "required": [
      "type",
      "item_id",
      "output_index",
      "summary_index",
      "delta",
      "sequence_number"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/server/response.reasoning_summary_text.done.json",
    "title": "ResponseReasoningSummaryTextDoneEvent",
    "description": "A reasoning summary part's text is final.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "response.reasoning_summary_text.done",
        "description": "Always `response.reasoning_summary_text.done`."
      },
      "item_id": {
        "type": "string",
        "description": "The id of the output item."
      },
      "output_index": {
        "type": "integer",
        "description": "The index of the output item in `response.output`.",
        "minimum": 0
      },
      "summary_index": {
        "type": "integer",
        "description": "The index of the part in the reasoning item's `summary`.",
        "minimum": 0
      },
      "text": {
        "type": "string",
        "description": "The whole summary text of the part."
      },
      "sequence_number": {
        "type": "integer",
        "description": "The position of this event in its response's stream: 0 first, +1 each event.",
        "minimum": 0
      },
      "response_id": {
        "type": "string",
        "description": "Hotline: the response this event belongs to. REQUIRED in the hotline.v1 profile; never sent in core.",
        "minLength": 1
      },
      "stream_id": {
        "type": "string",
        "description": "OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.",
        "pattern": "^[A-Za-z0-9_.-]{1,256}$"
      }
    },
    "required": [
      "type",
      "item_id",
      "output_index",
      "summary_index",
      "text",
      "sequence_number"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/server/response.refusal.delta.json",
    "title": "ResponseRefusalDeltaEvent",
    "description": "Text appended to a `refusal` part.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "response.refusal.delta",
        "description": "Always `response.refusal.delta`."
      },
      "item_id": {
        "type": "string",
        "description": "The id of the output item."
      },
      "output_index": {
        "type": "integer",
        "description": "The index of the output item in `response.output`.",
        "minimum": 0
      },
      "content_index": {
        "type": "integer",
        "description": "The index of the content part in the item's `content`.",
        "minimum": 0
      },
      "delta": {
        "type": "string",
        "description": "The appended refusal text."
      },
      "sequence_number": {
        "type": "integer",
        "description": "The position of this event in its response's stream: 0 first, +1 each event.",
        "minimum": 0
      },
      "response_id": {
        "type": "string",
        "description": "Hotline: the response this event belongs to. REQUIRED in the hotline.v1 profile; never sent in core.",
        "minLength": 1
      },
      "stream_id": {
        "type": "string",
        "description": "OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.",
        "pattern": "^[A-Za-z0-9_.-]{1,256}$"
      }
    },
    "required": [
      "type",
      "item_id",
      "output_index",
      "content_index",
      "delta",
      "sequence_number"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/server/response.refusal.done.json",
    "title": "ResponseRefusalDoneEvent",
    "description": "A `refusal` part is final.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "response.refusal.done",
        "description": "Always `response.refusal.done`."
      },
      "item_id": {
        "type": "string",
        "description": "The id of the output item."
      },
      "output_index": {
        "type": "integer",
        "description": "The index of the output item in `response.output`.",
        "minimum": 0
      },
      "content_index": {
        "type": "integer",
        "description": "The index of the content part in the item's `content`.",
        "minimum": 0
      },
      "refusal": {
        "type": "string",
        "description": "The whole refusal text."
      },
      "sequence_number": {
        "type": "integer",
        "description": "The position of this event in its response's stream: 0 first, +1 each event.",
        "minimum": 0
      },
      "response_id": {
        "type": "string",
        "description": "Hotline: the response this event belongs to. REQUIRED in the hotline.v1 profile; never sent in core.",
        "minLength": 1
      },
      "stream_id": {
        "type": "string",
        "description": "OpenAI WebSocket mode: the lane of the response this event belongs to, echoing the `stream_id` of its `response.create` (RESP-36). Absent on the default lane.",
        "pattern": "^[A-Za-z0-9_.-]{1,256}$"
      }
    },
    "required": [
      "type",
      "item_id",
      "output_index",
      "content_index",
      "refusal",
      "sequence_number"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/server/response.steer.accepted.json",
    "title": "ResponseSteerAcceptedEvent",
    "description": "OpenAI WebSocket mode: the server owns the steer's input (it is not yet applied). The successor's `response.created` is the commit point (INT-13, INT-15).",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "response.steer.accepted",
        "description": "Always `response.steer.accepted`."
      },
      "steer": {
        "type": "object",
        "description": "The accepted steer.",
        "properties": {
          "id": {
            "type": "string",
            "description": "The id the server gave the steer (`steer_…`).",
            "minLength": 1
          },
          "previous_response_id": {
            "type": "string",
            "description": "The steered response.",
            "minLength": 1
          }
        },
        "required": [
          "id",
          "previous_response_id"
        ],
        "additionalProperties": false
      },
      "sequence_number": {
        "type": "integer",
        "description": "The position of this event among the connection's steer events: 0 first, +1 each (steer events belong to no response's stream).",
        "minimum": 0
      },
      "stream_id": {
        "type": "string",
        "description": "OpenAI WebSocket mode: the lane of the steered response, when its `response.create` carried `stream_id`.",
        "pattern": "^[A-Za-z0-9_.-]{1,256}$"
      },
      "client_request_id": {
        "type": "string",
        "description": "Hotline: the steer's `client_request_id`, echoed.",
        "minLength": 1,
        "maxLength": 128
      }
    },
    "required": [
      "type",
      "steer",
      "sequence_number"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/server/response.steer.failed.json",
    "title": "ResponseSteerFailedEvent",
    "description": "OpenAI WebSocket mode: the steer was not committed; its input is returned so the client can carry it into a `response.create` (INT-16).",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "response.steer.failed",
        "description": "Always `response.steer.failed`."
      },
      "steer": {
        "type": "object",
        "description": "The steer that was not committed.",
        "properties": {
          "id": {
            "type": "string",
            "description": "The id the server gave the steer, when it had accepted it.",
            "minLength": 1
          },
          "previous_response_id": {
            "type": "string",
            "description": "The response the steer targeted.",
            "minLength": 1
          },
          "input": {
            "description": "The steer's input, returned unchanged.",
            "anyOf": [
              {
                "type": "string"
              },
              {
                "type": "array",
                "items": {}
              }
            ]
          }
        },
        "required": [
          "previous_response_id",
          "input"
        ],
        "additionalProperties": false
      },
      "error": {
        "type": "object",
        "description": "Why it was not committed.",
        "properties": {
          "code": {
            "type": "string",
            "description": "`response_not_found`, `invalid_input`, `steering_not_supported`, `too_many_pending_steers`, `response_already_completed`, `response_not_active` or `successor_creation_failed`; clients accept other values.",
            "minLength": 1
          },
          "message": {
            "type": "string",
            "description": "A human-readable description."
          },
          "type": {
            "type": "string",
            "const": "invalid_request_error",
            "description": "Always `invalid_request_error`."
          }
        },
        "required": [
          "code",
          "message",
          "type"
        ],
        "additionalProperties": false
      },
      "sequence_number": {
        "type": "integer",
        "description": "The position of this event among the connection's steer events: 0 first, +1 each (steer events belong to no response's stream).",
        "minimum": 0
      },
      "stream_id": {
        "type": "string",
        "description": "OpenAI WebSocket mode: the lane of the steered response, when its `response.create` carried `stream_id`.",
        "pattern": "^[A-Za-z0-9_.-]{1,256}$"
      },
      "client_request_id": {
        "type": "string",
        "description": "Hotline: the steer's `client_request_id`, echoed.",
        "minLength": 1,
        "maxLength": 128
      }
    },
    "required": [
      "type",
      "steer",
      "error",
      "sequence_number"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/server/response.steer.pending.json",
    "title": "ResponseSteerPendingEvent",
    "description": "OpenAI WebSocket mode: an accepted steer whose response stopped for client-owned tool output stays queued; sent after that response's `response.completed`, once per steer. The client answers with one `response.create` continuing the response on the same lane, with the results `required_input` names; the queued input is prepended to that create's input (INT-20, INT-21).",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "response.steer.pending",
        "description": "Always `response.steer.pending`."
      },
      "steer": {
        "type": "object",
        "description": "The steer still queued.",
        "properties": {
          "id": {
            "type": "string",
            "description": "The id `response.steer.accepted` gave the steer.",
            "minLength": 1
          },
          "previous_response_id": {
            "type": "string",
            "description": "The steered response, which waits for client output.",
            "minLength": 1
          }
        },
        "required": [
          "id",
          "previous_response_id"
        ],
        "additionalProperties": false
      },
      "reason": {
        "type": "string",
        "description": "Why the input is still queued: `waiting_for_required_input` (the results `required_input` names); clients accept other values.",
        "minLength": 1
      },
      "required_input": {
        "type": "array",
        "description": "Stubs of the client-owned results the response waits for, identifying fields only: the client fills in each result (a `function_call_output`'s `output`) before sending it in its `response.create`.",
        "items": {
          "type": "object",
          "properties": {
            "type": {
              "type": "string",
              "description": "The input item to supply: `function_call_output` (OpenAI also names `custom_tool_call_output`, `computer_call_output`, `shell_call_output`, `apply_patch_call_output`, `tool_search_output`, `mcp_approval_response`).",
              "minLength": 1
            },
            "call_id": {
              "type": "string",
              "description": "The call the result answers.",
              "minLength": 1
            },
            "name": {
              "type": "string",
              "description": "The function's name (function calls).",
              "minLength": 1
            }
          },
          "required": [
            "type"
          ],
          "additionalProperties": true
        }
      },
      "sequence_number": {
        "type": "integer",
        "description": "The position of this event among the connection's steer events: 0 first, +1 each (steer events belong to no response's stream).",
        "minimum": 0
      },
      "stream_id": {
        "type": "string",
        "description": "OpenAI WebSocket mode: the lane of the steered response, when its `response.create` carried `stream_id`.",
        "pattern": "^[A-Za-z0-9_.-]{1,256}$"
      },
      "client_request_id": {
        "type": "string",
        "description": "Hotline: the steer's `client_request_id`, echoed.",
        "minLength": 1,
        "maxLength": 128
      }
    },
    "required": [
      "type",
      "steer",
      "reason",
      "required_input",
      "sequence_number"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/server/session.created.json",
    "title": "SessionCreatedEvent",
    "description": "Hotline: the first frame of a hotline.v1 session.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "session.created",
        "description": "Always `session.created`."
      },
      "session": {
        "$ref": "../objects/Session.json"
      }
    },
    "required": [
      "type",
      "session"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/server/session.going_away.json",
    "title": "SessionGoingAwayEvent",
    "description": "Hotline: the server will close the connection soon; reconnect with the resume token.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "session.going_away",
        "description": "Always `session.going_away`."
      },
      "reason": {
        "type": "string",
        "enum": [
          "shutdown",
          "max_age",
          "maintenance"
        ],
        "description": "Why the server is closing."
      },
      "deadline_ms": {
        "type": "integer",
        "description": "Milliseconds from now until the server closes the connection.",
        "minimum": 0
      },
      "resume_token": {
        "type": "string",
        "description": "A fresh token to resume the session on a new connection.",
        "minLength": 1
      }
    },
    "required": [
      "type",
      "reason",
      "deadline_ms",
      "resume_token"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/server/session.heartbeat.json",
    "title": "SessionHeartbeatEvent",
    "description": "Hotline: sent while a response is in flight and nothing else was sent for `heartbeat_interval_ms`.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "session.heartbeat",
        "description": "Always `session.heartbeat`."
      },
      "server_time_ms": {
        "type": "integer",
        "description": "The server clock (Unix milliseconds).",
        "minimum": 0
      }
    },
    "required": [
      "type",
      "server_time_ms"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/server/session.pong.json",
    "title": "SessionPongEvent",
    "description": "Hotline: reply to `session.ping`, sent at once and never queued behind token traffic.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "session.pong",
        "description": "Always `session.pong`."
      },
      "nonce": {
        "type": "string",
        "description": "The `nonce` of the ping.",
        "minLength": 1,
        "maxLength": 128
      },
      "server_time_ms": {
        "type": "integer",
        "description": "The server clock (Unix milliseconds).",
        "minimum": 0
      }
    },
    "required": [
      "type",
      "nonce",
      "server_time_ms"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/server/session.resumed.json",
    "title": "SessionResumedEvent",
    "description": "Hotline: first frame of a connection that presented a valid resume token.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "session.resumed",
        "description": "Always `session.resumed`."
      },
      "session": {
        "$ref": "../objects/Session.json"
      },
      "responses": {
        "type": "array",
        "description": "The session's responses still held by the server.",
        "items": {
          "$ref": "../objects/ResumedResponse.json"
        }
      }
    },
    "required": [
      "type",
      "session",
      "responses"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/server/session.updated.json",
    "title": "SessionUpdatedEvent",
    "description": "Hotline: reply to `session.update`; when prewarm was asked it is sent after the prefill finished.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "session.updated",
        "description": "Always `session.updated`."
      },
      "session": {
        "$ref": "../objects/Session.json"
      },
      "prewarm": {
        "$ref": "../objects/PrewarmResult.json"
      }
    },
    "required": [
      "type",
      "session"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/AllowedToolsChoice.json",
    "title": "AllowedToolsChoice",
    "description": "Restricts the model to a subset of the declared tools.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "allowed_tools",
        "description": "Always `allowed_tools`."
      },
      "tools": {
        "type": "array",
        "description": "The permitted tools.",
        "items": {
          "$ref": "./FunctionToolChoice.json"
        },
        "minItems": 1,
        "maxItems": 128
      },
      "mode": {
        "type": "string",
        "enum": [
          "none",
          "auto",
          "required"
        ],
        "description": "How to pick among the permitted tools; defaults to `auto`."
      }
    },
    "required": [
      "type",
      "tools"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/Annotation.json",
    "title": "Annotation",
    "description": "An annotation on a span of output text, discriminated by `type`.",
    "oneOf": [
      {
        "$ref": "./UrlCitation.json"
      }
    ]
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/CompactRequestBody.json",
    "title": "CompactRequestBody",
    "description": "The body of `POST /v1/responses/compact` (Open Responses 2026-04-24): the conversation to compact, given as input items and/or a stored previous response.",
    "type": "object",
    "properties": {
      "model": {
        "type": "string",
        "minLength": 1,
        "description": "The model that compacts; required."
      },
      "input": {
        "description": "Items to compact (after the previous response's, when one is named): a string (one user message) or input items.",
        "anyOf": [
          {
            "type": "string",
            "maxLength": 10485760
          },
          {
            "type": "array",
            "items": {
              "$ref": "./InputItem.json"
            }
          },
          {
            "type": "null"
          }
        ]
      },
      "previous_response_id": {
        "description": "A stored response whose conversation comes first.",
        "anyOf": [
          {
            "type": "string"
          },
          {
            "type": "null"
          }
        ]
      },
      "instructions": {
        "description": "A system message for the compaction pass; it is not part of the compacted window.",
        "anyOf": [
          {
            "type": "string"
          },
          {
            "type": "null"
          }
        ]
      },
      "prompt_cache_key": {
        "description": "A key grouping requests that share a prompt prefix.",
        "anyOf": [
          {
            "type": "string",
            "maxLength": 64
          },
          {
            "type": "null"
          }
        ]
      }
    },
    "required": [
      "model"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/CompactResource.json",
    "title": "CompactResource",
    "description": "The answer of `POST /v1/responses/compact` (Open Responses 2026-04-24 `response.compaction`): a compacted input window, not a response; a client starts a new chain with `output` as the base `input` (RESP-27).",
    "type": "object",
    "properties": {
      "id": {
        "type": "string",
        "minLength": 1,
        "description": "The compaction's id (not a response id)."
      },
      "object": {
        "type": "string",
        "const": "response.compaction",
        "description": "Always `response.compaction`."
      },
      "output": {
        "type": "array",
        "description": "The compacted window: the user messages kept, then one `compaction` item.",
        "items": {
          "oneOf": [
            {
              "$ref": "./CompactedMessageItem.json"
            },
            {
              "$ref": "./CompactionItem.json"
            }
          ]
        }
      },
      "created_at": {
        "type": "integer",
        "minimum": 0,
        "description": "Unix time in seconds."
      },
      "usage": {
        "$ref": "./Usage.json"
      }
    },
    "required": [
      "id",
      "object",
      "output",
      "created_at",
      "usage"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/CompactedMessageItem.json",
    "title": "CompactedMessageItem",
    "description": "A user message a compaction kept verbatim, in the Open Responses `message` item shape.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "message",
        "description": "Always `message`."
      },
      "id": {
        "type": "string",
        "minLength": 1,
        "description": "The item id."
      },
      "status": {
        "type": "string",
        "const": "completed",
        "description": "Always `completed`."
      },
      "role": {
        "type": "string",
        "const": "user",
        "description": "Always `user`."
      },
      "content": {
        "type": "array",
        "items": {
          "$ref": "./InputTextContent.json"
        },
        "description": "The message's text."
      }
    },
    "required": [
      "type",
      "id",
      "status",
      "role",
      "content"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/CompactionInputItem.json",
    "title": "CompactionInputItem",
    "description": "A `compaction` item sent back as input, exactly as `POST /v1/responses/compact` returned it; a server that cannot read it refuses it with `invalid_event`.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "compaction",
        "description": "Always `compaction`."
      },
      "id": {
        "description": "The item id, when echoing the returned item.",
        "anyOf": [
          {
            "type": "string"
          },
          {
            "type": "null"
          }
        ]
      },
      "encrypted_content": {
        "type": "string",
        "minLength": 1,
        "maxLength": 10485760,
        "description": "The compacted summary, as returned."
      },
      "created_by": {
        "type": "string",
        "description": "Who created the item, as returned."
      }
    },
    "required": [
      "type",
      "encrypted_content"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/CompactionItem.json",
    "title": "CompactionItem",
    "description": "The summary a compaction produced (Open Responses 2026-04-24 `compaction` item): opaque to clients, who send it back as input to continue from the compacted window.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "compaction",
        "description": "Always `compaction`."
      },
      "id": {
        "type": "string",
        "minLength": 1,
        "description": "The item id."
      },
      "encrypted_content": {
        "type": "string",
        "minLength": 1,
        "maxLength": 10485760,
        "description": "The compacted summary, opaque to clients."
      },
      "created_by": {
        "type": "string",
        "description": "Who created the item."
      }
    },
    "required": [
      "type",
      "id",
      "encrypted_content"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/ContentPart.json",
    "title": "ContentPart",
    "description": "A content part of an input or output item, discriminated by `type`.",
    "oneOf": [
      {
        "$ref": "./InputTextContent.json"
      },
      {
        "$ref": "./InputImageContent.json"
      },
      {
        "$ref": "./InputFileContent.json"
      },
      {
        "$ref": "./OutputTextContent.json"
      },
      {
        "$ref": "./RefusalContent.json"
      },
      {
        "$ref": "./ReasoningTextContent.json"
      },
      {
        "$ref": "./SummaryTextContent.json"
      }
    ]
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/CreateResponseBody.json",
    "title": "CreateResponseBody",
    "description": "The body of `POST /v1/responses` (HTTP binding).",
    "type": "object",
    "properties": {
      "model": {
        "description": "The model to use. Hotline: over WebSocket, the session's default model applies when it is omitted.",
        "anyOf": [
          {
            "type": "string"
          },
          {
            "type": "null"
          }
        ]
      },
      "input": {
        "description": "The new input: a string (one user message) or input items.",
        "anyOf": [
          {
            "type": "string",
            "maxLength": 10485760
          },
          {
            "type": "array",
            "items": {
              "$ref": "./InputItem.json"
            }
          },
          {
            "type": "null"
          }
        ]
      },
      "previous_response_id": {
        "description": "The response to continue; only new items are sent in `input`.",
        "anyOf": [
          {
            "type": "string"
          },
          {
            "type": "null"
          }
        ]
      },
      "include": {
        "type": "array",
        "description": "Extra output to include; every value of the hosted API is accepted, and a server includes only what it produces.",
        "items": {
          "type": "string",
          "enum": [
            "code_interpreter_call.outputs",
            "computer_call_output.output.image_url",
            "file_search_call.results",
            "message.input_image.image_url",
            "message.output_text.logprobs",
            "reasoning.encrypted_content",
            "web_search_call.action.sources",
            "web_search_call.results"
          ]
        }
      },
      "tools": {
        "description": "The tools of this request: functions the model MAY call, namespaces of functions, and hosted tool types (accepted, never called by a server that does not offer them).",
        "anyOf": [
          {
            "type": "array",
            "items": {
              "$ref": "./Tool.json"
            }
          },
          {
            "type": "null"
          }
        ]
      },
      "tool_choice": {
        "description": "Which tool the model uses.",
        "anyOf": [
          {
            "$ref": "./ToolChoice.json"
          },
          {
            "type": "null"
          }
        ]
      },
      "metadata": {
        "description": "Developer-defined metadata.",
        "anyOf": [
          {
            "$ref": "./Metadata.json"
          },
          {
            "type": "null"
          }
        ]
      },
      "client_metadata": {
        "description": "Accepted from the hosted API's clients (the Codex CLI sends its thread, turn and window ids here); ignored and never echoed.",
        "anyOf": [
          {
            "type": "object",
            "additionalProperties": {
              "type": "string",
              "maxLength": 4096
            },
            "maxProperties": 64
          },
          {
            "type": "null"
          }
        ]
      },
      "text": {
        "description": "Text output options.",
        "anyOf": [
          {
            "$ref": "./TextConfig.json"
          },
          {
            "type": "null"
          }
        ]
      },
      "temperature": {
        "description": "Sampling temperature.",
        "anyOf": [
          {
            "type": "number",
            "minimum": 0,
            "maximum": 2
          },
          {
            "type": "null"
          }
        ]
      },
      "top_p": {
        "description": "Nucleus sampling parameter.",
        "anyOf": [
          {
            "type": "number",
            "minimum": 0,
            "maximum": 1
          },
          {
            "type": "null"
          }
        ]
      },
      "presence_penalty": {
        "description": "Presence penalty.",
        "anyOf": [
          {
            "type": "number",
            "minimum": -2,
            "maximum": 2
          },
          {
            "type": "null"
          }
        ]
      },
      "frequency_penalty": {
        "description": "Frequency penalty.",
        "anyOf": [
          {
            "type": "number",
            "minimum": -2,
            "maximum": 2
          },
          {
            "type": "null"
          }
        ]
      },
      "parallel_tool_calls": {
        "description": "Whether the model MAY call several tools at once.",
        "anyOf": [
          {
            "type": "boolean"
          },
          {
            "type": "null"
          }
        ]
      },
      "max_output_tokens": {
        "description": "Upper bound on generated tokens.",
        "anyOf": [
          {
            "type": "integer",
            "minimum": 16
          },
          {
            "type": "null"
          }
        ]
      },
      "max_tool_calls": {
        "description": "Upper bound on tool calls.",
        "anyOf": [
          {
            "type": "integer",
            "minimum": 1
          },
          {
            "type": "null"
          }
        ]
      },
      "reasoning": {
        "description": "Reasoning options.",
        "anyOf": [
          {
            "$ref": "./ReasoningConfig.json"
          },
          {
            "type": "null"
          }
        ]
      },
      "safety_identifier": {
        "description": "A stable end-user identifier for abuse detection.",
        "anyOf": [
          {
            "type": "string",
            "maxLength": 64
          },
          {
            "type": "null"
          }
        ]
      },
      "user": {
        "type": "string",
        "description": "Accepted from the hosted API (deprecated there in favour of `safety_identifier` and `prompt_cache_key`); ignored.",
        "maxLength": 256
      },
      "prompt_cache_key": {
        "description": "A key grouping requests that share a prompt prefix.",
        "anyOf": [
          {
            "type": "string",
            "maxLength": 64
          },
          {
            "type": "null"
          }
        ]
      },
      "prompt_cache_retention": {
        "description": "Accepted from the hosted API (how long a prompt cache entry lives); ignored.",
        "anyOf": [
          {
            "type": "string",
            "enum": [
              "in_memory",
              "24h"
            ]
          },
          {
            "type": "null"
          }
        ]
      },
      "truncation": {
        "type": "string",
        "enum": [
          "auto",
          "disabled"
        ],
        "description": "How input exceeding the context window is handled; defaults to `disabled`."
      },
      "instructions": {
        "description": "A system message for this response only.",
        "anyOf": [
          {
            "type": "string"
          },
          {
            "type": "null"
          }
        ]
      },
      "store": {
        "type": "boolean",
        "description": "Whether to store the response for later retrieval."
      },
      "service_tier": {
        "type": "string",
        "enum": [
          "auto",
          "default",
          "flex",
          "priority",
          "wafer",
          "gpu"
        ],
        "description": "The service tier. Hotline: `wafer` and `gpu` name the simulated tiers; `default` and `priority` map to `wafer`, `flex` to `gpu`, `auto` lets the server route."
      },
      "top_logprobs": {
        "description": "How many most likely tokens to return per position.",
        "anyOf": [
          {
            "type": "integer",
            "minimum": 0,
            "maximum": 20
          },
          {
            "type": "null"
          }
        ]
      },
      "stream": {
        "type": "boolean",
        "description": "Whether to stream the response as server-sent events."
      },
      "stream_options": {
        "description": "Streaming options; only with `stream: true`.",
        "anyOf": [
          {
            "$ref": "./StreamOptions.json"
          },
          {
            "type": "null"
          }
        ]
      },
      "background": {
        "type": "boolean",
        "description": "Whether to run the response in the background and return at once."
      }
    },
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/ErrorPayload.json",
    "title": "ErrorPayload",
    "description": "The `error` object of an error event. It covers both the Open Responses WebSocket envelope (`code` a string, `type` and `param` optional) and the SSE streaming error (`type`, `code` possibly null, `param` possibly null). Further members MAY be present and MUST be ignored by receivers that do not know them.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "description": "The error class, e.g. `invalid_request_error`, `rate_limit_error`, `server_error`."
      },
      "code": {
        "description": "A machine-readable code from the error registry. Hotline servers always send a string.",
        "anyOf": [
          {
            "type": "string"
          },
          {
            "type": "null"
          }
        ]
      },
      "message": {
        "type": "string",
        "description": "A human-readable description of the error."
      },
      "param": {
        "description": "The request parameter the error concerns, if any. Hotline: for `invalid_event` it is the JSON pointer of the first offending value (e.g. `/response_id`).",
        "anyOf": [
          {
            "type": "string"
          },
          {
            "type": "null"
          }
        ]
      },
      "headers": {
        "type": "object",
        "description": "Response headers that accompanied the error, if any (SSE binding).",
        "additionalProperties": {
          "type": "string"
        }
      },
      "retryable": {
        "type": "boolean",
        "description": "Hotline: whether repeating the same request later can succeed, as given by the error registry."
      }
    },
    "required": [
      "code",
      "message"
    ],
    "additionalProperties": true
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/FunctionCallInputItem.json",
    "title": "FunctionCallInputItem",
    "description": "A function call sent back as input (usually an earlier output item).",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "function_call",
        "description": "Always `function_call`."
      },
      "id": {
        "description": "The item id, when echoing an earlier item.",
        "anyOf": [
          {
            "type": "string"
          },
          {
            "type": "null"
          }
        ]
      },
      "call_id": {
        "type": "string",
        "description": "The call id.",
        "minLength": 1,
        "maxLength": 64
      },
      "name": {
        "type": "string",
        "description": "The function called.",
        "minLength": 1,
        "maxLength": 64,
        "pattern": "^[a-zA-Z0-9_-]+$"
      },
      "arguments": {
        "type": "string",
        "description": "The arguments, a JSON text."
      },
      "status": {
        "description": "The item status, when echoing an earlier item.",
        "anyOf": [
          {
            "type": "string",
            "enum": [
              "in_progress",
              "completed",
              "incomplete"
            ]
          },
          {
            "type": "null"
          }
        ]
      }
    },
    "required": [
      "type",
      "call_id",
      "name",
      "arguments"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/FunctionCallItem.json",
    "title": "FunctionCallItem",
    "description": "A function call generated by the model.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "function_call",
        "description": "Always `function_call`."
      },
      "id": {
        "type": "string",
        "description": "The item id.",
        "minLength": 1
      },
      "call_id": {
        "type": "string",
        "description": "The call id the client answers with a `function_call_output` item.",
        "minLength": 1,
        "maxLength": 64
      },
      "name": {
        "type": "string",
        "description": "The function called."
      },
      "arguments": {
        "type": "string",
        "description": "The arguments, a JSON text (possibly partial while `in_progress`)."
      },
      "status": {
        "$ref": "./ItemStatus.json"
      }
    },
    "required": [
      "type",
      "id",
      "call_id",
      "name",
      "arguments",
      "status"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/FunctionCallOutputInputItem.json",
    "title": "FunctionCallOutputInputItem",
    "description": "The client's answer to a function call.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "function_call_output",
        "description": "Always `function_call_output`."
      },
      "id": {
        "description": "The item id, when echoing an earlier item.",
        "anyOf": [
          {
            "type": "string"
          },
          {
            "type": "null"
          }
        ]
      },
      "call_id": {
        "type": "string",
        "description": "The `call_id` of the answered call.",
        "minLength": 1,
        "maxLength": 64
      },
      "output": {
        "description": "The result: a string (usually JSON) or content parts.",
        "oneOf": [
          {
            "type": "string",
            "maxLength": 10485760
          },
          {
            "type": "array",
            "items": {
              "oneOf": [
                {
                  "$ref": "./InputTextContent.json"
                },
                {
                  "$ref": "./InputImageContent.json"
                },
                {
                  "$ref": "./InputFileContent.json"
                }
              ]
            }
          }
        ]
      },
      "status": {
        "description": "The item status; clients SHOULD send `completed` or omit it.",
        "anyOf": [
          {
            "type": "string",
            "enum": [
              "in_progress",
              "completed",
              "incomplete"
            ]
          },
          {
            "type": "null"
          }
        ]
      }
    },
    "required": [
      "type",
      "call_id",
      "output"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/FunctionCallOutputItem.json",
    "title": "FunctionCallOutputItem",
    "description": "The result of a function call, as a server returns it.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "function_call_output",
        "description": "Always `function_call_output`."
      },
      "id": {
        "type": "string",
        "description": "The item id.",
        "minLength": 1
      },
      "call_id": {
        "type": "string",
        "description": "The `call_id` of the answered call.",
        "minLength": 1,
        "maxLength": 64
      },
      "output": {
        "description": "The result: a string (usually JSON) or content parts.",
        "oneOf": [
          {
            "type": "string",
            "maxLength": 10485760
          },
          {
            "type": "array",
            "items": {
              "oneOf": [
                {
                  "$ref": "./InputTextContent.json"
                },
                {
                  "$ref": "./InputImageContent.json"
                },
                {
                  "$ref": "./InputFileContent.json"
                }
              ]
            }
          }
        ]
      },
      "status": {
        "$ref": "./ItemStatus.json"
      }
    },
    "required": [
      "type",
      "id",
      "call_id",
      "output",
      "status"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/FunctionTool.json",
    "title": "FunctionTool",
    "description": "A function defined by the client that the model MAY call. Servers echo every member in `ResponseResource.tools`, using null for the ones not given.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "function",
        "description": "Always `function`."
      },
      "name": {
        "type": "string",
        "description": "The function name.",
        "minLength": 1,
        "maxLength": 64,
        "pattern": "^[a-zA-Z0-9_-]+$"
      },
      "description": {
        "description": "What the function does; the model reads it.",
        "anyOf": [
          {
            "type": "string"
          },
          {
            "type": "null"
          }
        ]
      },
      "parameters": {
        "description": "A JSON Schema object describing the function's arguments.",
        "anyOf": [
          {
            "type": "object",
            "additionalProperties": true
          },
          {
            "type": "null"
          }
        ]
      },
      "strict": {
        "description": "Whether argument generation strictly follows `parameters`.",
        "anyOf": [
          {
            "type": "boolean"
          },
          {
            "type": "null"
          }
        ]
      },
      "allowed_callers": {
        "description": "Accepted from the hosted API (who may call the function); the reference server's simulated model ignores it.",
        "anyOf": [
          {
            "type": "array",
            "items": {
              "type": "string",
              "enum": [
                "direct",
                "programmatic"
              ]
            }
          },
          {
            "type": "null"
          }
        ]
      },
      "defer_loading": {
        "type": "boolean",
        "description": "Accepted from the hosted API (tool search loads the function later); ignored by the simulated model."
      },
      "output_schema": {
        "description": "Accepted from the hosted API (a JSON Schema of the function's output); ignored by the simulated model.",
        "anyOf": [
          {
            "type": "object",
            "additionalProperties": true
          },
          {
            "type": "null"
          }
        ]
      }
    },
    "required": [
      "type",
      "name"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/FunctionToolChoice.json",
    "title": "FunctionToolChoice",
    "description": "Forces a call of the named function.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "function",
        "description": "Always `function`."
      },
      "name": {
        "type": "string",
        "description": "The function to call.",
        "minLength": 1
      }
    },
    "required": [
      "type",
      "name"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/HostedTool.json",
    "title": "HostedTool",
    "description": "A tool type of the hosted OpenAI Responses API other than `function` and `namespace` (web search, shell, custom tools, ...), as the official clients send it. Servers that do not offer the tool accept it and never call it; its other members are the hosted API's and are not checked here.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "enum": [
          "apply_patch",
          "code_interpreter",
          "computer",
          "computer_use_preview",
          "custom",
          "file_search",
          "image_generation",
          "local_shell",
          "mcp",
          "programmatic_tool_calling",
          "shell",
          "tool_search",
          "web_search",
          "web_search_2025_08_26",
          "web_search_preview",
          "web_search_preview_2025_03_11"
        ],
        "description": "The hosted API's tool type."
      }
    },
    "required": [
      "type"
    ],
    "additionalProperties": true
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/IncompleteDetails.json",
    "title": "IncompleteDetails",
    "description": "Why a response ended `incomplete`.",
    "type": "object",
    "properties": {
      "reason": {
        "type": "string",
        "description": "The reason, e.g. `max_output_tokens` or `content_filter`. A response cancelled through the HTTP cancel endpoint (or on a core WebSocket) reports `cancelled`."
      }
    },
    "required": [
      "reason"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/InputFileContent.json",
    "title": "InputFileContent",
    "description": "A file input to the model. Servers that cannot process files MAY reject it with `invalid_event`.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "input_file",
        "description": "Always `input_file`."
      },
      "filename": {
        "description": "The name of the file.",
        "anyOf": [
          {
            "type": "string"
          },
          {
            "type": "null"
          }
        ]
      },
      "file_data": {
        "description": "The base64-encoded content of the file.",
        "anyOf": [
          {
            "type": "string",
            "maxLength": 33554432
          },
          {
            "type": "null"
          }
        ]
      },
      "file_url": {
        "description": "The URL of the file.",
        "anyOf": [
          {
            "type": "string"
          },
          {
            "type": "null"
          }
        ]
      }
    },
    "required": [
      "type"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/InputImageContent.json",
    "title": "InputImageContent",
    "description": "An image input to the model. Servers that cannot process images MAY reject it with `invalid_event`.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "input_image",
        "description": "Always `input_image`."
      },
      "image_url": {
        "description": "A fully qualified URL or a base64 data URL of the image.",
        "anyOf": [
          {
            "type": "string",
            "maxLength": 20971520
          },
          {
            "type": "null"
          }
        ]
      },
      "detail": {
        "type": "string",
        "enum": [
          "low",
          "high",
          "auto"
        ],
        "description": "The detail level; defaults to `auto`."
      }
    },
    "required": [
      "type"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/InputItem.json",
    "title": "InputItem",
    "description": "An item of a request's `input`. Messages MAY omit `type`; every other item is discriminated by `type`.",
    "oneOf": [
      {
        "$ref": "./InputMessageItem.json"
      },
      {
        "$ref": "./FunctionCallInputItem.json"
      },
      {
        "$ref": "./FunctionCallOutputInputItem.json"
      },
      {
        "$ref": "./ReasoningInputItem.json"
      },
      {
        "$ref": "./ItemReference.json"
      },
      {
        "$ref": "./CompactionInputItem.json"
      }
    ]
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/InputMessageItem.json",
    "title": "InputMessageItem",
    "description": "A message sent by the client as input. `type` MAY be omitted; `content` is a string or content parts (`output_text` and `refusal` belong to assistant messages).",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "message",
        "description": "Always `message` when present."
      },
      "id": {
        "description": "The item id, when echoing an earlier item.",
        "anyOf": [
          {
            "type": "string"
          },
          {
            "type": "null"
          }
        ]
      },
      "role": {
        "type": "string",
        "enum": [
          "user",
          "assistant",
          "system",
          "developer"
        ],
        "description": "Who authored the message."
      },
      "content": {
        "description": "The content: a string (one text part) or content parts.",
        "oneOf": [
          {
            "type": "string",
            "maxLength": 10485760
          },
          {
            "type": "array",
            "items": {
              "oneOf": [
                {
                  "$ref": "./InputTextContent.json"
                },
                {
                  "$ref": "./InputImageContent.json"
                },
                {
                  "$ref": "./InputFileContent.json"
                },
                {
                  "$ref": "./OutputTextContent.json"
                },
                {
                  "$ref": "./RefusalContent.json"
                }
              ]
            }
          }
        ]
      },
      "status": {
        "description": "The item status, when echoing an earlier item.",
        "anyOf": [
          {
            "type": "string",
            "enum": [
              "in_progress",
              "completed",
              "incomplete"
            ]
          },
          {
            "type": "null"
          }
        ]
      },
      "phase": {
        "type": "string",
        "enum": [
          "commentary",
          "final_answer"
        ],
        "description": "Marks an assistant message as intermediate commentary or the final answer; clients SHOULD send it back unchanged."
      }
    },
    "required": [
      "role",
      "content"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/InputTextContent.json",
    "title": "InputTextContent",
    "description": "A text input to the model.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "input_text",
        "description": "Always `input_text`."
      },
      "text": {
        "type": "string",
        "description": "The text.",
        "maxLength": 10485760
      }
    },
    "required": [
      "type",
      "text"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/InputTokensDetails.json",
    "title": "InputTokensDetails",
    "description": "A breakdown of the input tokens of a response.",
    "type": "object",
    "properties": {
      "cached_tokens": {
        "type": "integer",
        "description": "Input tokens served from the prefix cache instead of being prefilled again.",
        "minimum": 0
      }
    },
    "required": [
      "cached_tokens"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/ItemReference.json",
    "title": "ItemReference",
    "description": "A reference to an item the server already holds (e.g. an output item of the previous response).",
    "type": "object",
    "properties": {
      "type": {
        "description": "`item_reference`; MAY be omitted.",
        "anyOf": [
          {
            "type": "string",
            "const": "item_reference"
          },
          {
            "type": "null"
          }
        ]
      },
      "id": {
        "type": "string",
        "description": "The id of the referenced item.",
        "minLength": 1
      }
    },
    "required": [
      "id"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/ItemStatus.json",
    "title": "ItemStatus",
    "description": "The state of an item: `in_progress` while the model samples it, then `completed`, or `incomplete` when sampling stopped part way (an incomplete item is the last item of its response).",
    "type": "string",
    "enum": [
      "in_progress",
      "completed",
      "incomplete"
    ]
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/LogProb.json",
    "title": "LogProb",
    "description": "The log probability of a sampled token and its most likely alternatives.",
    "type": "object",
    "properties": {
      "token": {
        "type": "string",
        "description": "The token text."
      },
      "logprob": {
        "type": "number",
        "description": "The log probability of the token."
      },
      "bytes": {
        "type": "array",
        "description": "The UTF-8 bytes of the token.",
        "items": {
          "type": "integer",
          "minimum": 0,
          "maximum": 255
        }
      },
      "top_logprobs": {
        "type": "array",
        "description": "The most likely alternatives at this position.",
        "items": {
          "$ref": "./TopLogProb.json"
        }
      }
    },
    "required": [
      "token",
      "logprob",
      "bytes",
      "top_logprobs"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/MessageItem.json",
    "title": "MessageItem",
    "description": "A message as a server returns it, in `output` or in item events.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "message",
        "description": "Always `message`."
      },
      "id": {
        "type": "string",
        "description": "The item id.",
        "minLength": 1
      },
      "status": {
        "$ref": "./ItemStatus.json"
      },
      "role": {
        "type": "string",
        "enum": [
          "user",
          "assistant",
          "system",
          "developer"
        ],
        "description": "Who authored the message."
      },
      "content": {
        "type": "array",
        "description": "The content parts, in order.",
        "items": {
          "$ref": "./ContentPart.json"
        }
      },
      "phase": {
        "type": "string",
        "enum": [
          "commentary",
          "final_answer"
        ],
        "description": "Marks an assistant message as intermediate commentary or the final answer; clients SHOULD send it back unchanged."
      }
    },
    "required": [
      "type",
      "id",
      "status",
      "role",
      "content"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/Metadata.json",
    "title": "Metadata",
    "description": "Up to 16 developer-defined string pairs attached to a response. Keys are at most 64 characters, values at most 512. Hotline: keys starting with `sim.` are hints for the simulated backend and MUST NOT be required by conformance cases.",
    "type": "object",
    "maxProperties": 16,
    "propertyNames": {
      "type": "string",
      "maxLength": 64
    },
    "additionalProperties": {
      "type": "string",
      "maxLength": 512
    }
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/Model.json",
    "title": "Model",
    "description": "A model the server serves, as `GET /v1/models` lists it (the hosted API's model object).",
    "type": "object",
    "properties": {
      "id": {
        "type": "string",
        "minLength": 1,
        "description": "The model name a create body's `model` may carry."
      },
      "object": {
        "type": "string",
        "const": "model",
        "description": "Always `model`."
      },
      "created": {
        "type": "integer",
        "minimum": 0,
        "description": "Unix time in seconds when the model became available (the server's start for the reference server)."
      },
      "owned_by": {
        "type": "string",
        "description": "Who serves the model."
      }
    },
    "required": [
      "id",
      "object",
      "created",
      "owned_by"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/ModelList.json",
    "title": "ModelList",
    "description": "The body of `GET /v1/models`: every model the server serves.",
    "type": "object",
    "properties": {
      "object": {
        "type": "string",
        "const": "list",
        "description": "Always `list`."
      },
      "data": {
        "type": "array",
        "items": {
          "$ref": "./Model.json"
        },
        "description": "The served models."
      }
    },
    "required": [
      "object",
      "data"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/NamespaceTool.json",
    "title": "NamespaceTool",
    "description": "A named group of tools (OpenAI Responses API; the Codex CLI sends its sub-agent tools this way). Servers MUST accept it; the reference server's simulated model never calls a tool inside a namespace.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "namespace",
        "description": "Always `namespace`."
      },
      "name": {
        "type": "string",
        "description": "The namespace's name.",
        "minLength": 1,
        "maxLength": 64,
        "pattern": "^[a-zA-Z0-9_.-]+$"
      },
      "description": {
        "type": "string",
        "description": "What the tools of the namespace are for."
      },
      "tools": {
        "type": "array",
        "description": "The namespace's tools: functions, or custom tools of the hosted API.",
        "items": {
          "oneOf": [
            {
              "$ref": "./FunctionTool.json"
            },
            {
              "$ref": "./HostedTool.json"
            }
          ]
        }
      }
    },
    "required": [
      "type",
      "name",
      "tools"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/OutputItem.json",
    "title": "OutputItem",
    "description": "An item of `ResponseResource.output` or of an item event, discriminated by `type`.",
    "oneOf": [
      {
        "$ref": "./MessageItem.json"
      },
      {
        "$ref": "./FunctionCallItem.json"
      },
      {
        "$ref": "./FunctionCallOutputItem.json"
      },
      {
        "$ref": "./ReasoningItem.json"
      }
    ]
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/OutputTextContent.json",
    "title": "OutputTextContent",
    "description": "Text generated by the model. Servers MUST send `annotations` (possibly empty); clients echoing an output item back as input MAY omit it.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "output_text",
        "description": "Always `output_text`."
      },
      "text": {
        "type": "string",
        "description": "The generated text."
      },
      "annotations": {
        "type": "array",
        "description": "Annotations on spans of the text.",
        "items": {
          "$ref": "./Annotation.json"
        }
      },
      "logprobs": {
        "type": "array",
        "description": "Token log probabilities, when requested with `include`.",
        "items": {
          "$ref": "./LogProb.json"
        }
      }
    },
    "required": [
      "type",
      "text"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/OutputTokensDetails.json",
    "title": "OutputTokensDetails",
    "description": "A breakdown of the output tokens of a response.",
    "type": "object",
    "properties": {
      "reasoning_tokens": {
        "type": "integer",
        "description": "Output tokens spent on reasoning.",
        "minimum": 0
      }
    },
    "required": [
      "reasoning_tokens"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/PrewarmResult.json",
    "title": "PrewarmResult",
    "description": "Hotline: the result of prefilling the session defaults.",
    "type": "object",
    "properties": {
      "cached_tokens": {
        "type": "integer",
        "description": "Tokens now held in the prefix cache for this session's defaults.",
        "minimum": 0
      }
    },
    "required": [
      "cached_tokens"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/RateLimit.json",
    "title": "RateLimit",
    "description": "Hotline: the state of one rate limit.",
    "type": "object",
    "properties": {
      "name": {
        "type": "string",
        "description": "The limit's name, e.g. `requests` or `tokens`.",
        "minLength": 1
      },
      "limit": {
        "type": "integer",
        "description": "The budget per window.",
        "minimum": 0
      },
      "remaining": {
        "type": "integer",
        "description": "What is left of the budget.",
        "minimum": 0
      },
      "reset_ms": {
        "type": "integer",
        "description": "Milliseconds until the budget is fully restored.",
        "minimum": 0
      }
    },
    "required": [
      "name",
      "limit",
      "remaining",
      "reset_ms"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/ReasoningConfig.json",
    "title": "ReasoningConfig",
    "description": "Reasoning options of a request, echoed in the response.",
    "type": "object",
    "properties": {
      "effort": {
        "description": "How much reasoning the model does before answering.",
        "anyOf": [
          {
            "type": "string",
            "enum": [
              "none",
              "minimal",
              "low",
              "medium",
              "high",
              "xhigh"
            ]
          },
          {
            "type": "null"
          }
        ]
      },
      "summary": {
        "description": "Whether and how the reasoning is summarised.",
        "anyOf": [
          {
            "type": "string",
            "enum": [
              "auto",
              "concise",
              "detailed"
            ]
          },
          {
            "type": "null"
          }
        ]
      }
    },
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/ReasoningInputItem.json",
    "title": "ReasoningInputItem",
    "description": "A reasoning item sent back as input so the model can reuse it.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "reasoning",
        "description": "Always `reasoning`."
      },
      "id": {
        "description": "The item id.",
        "anyOf": [
          {
            "type": "string"
          },
          {
            "type": "null"
          }
        ]
      },
      "summary": {
        "type": "array",
        "description": "Reasoning summary parts.",
        "items": {
          "$ref": "./SummaryTextContent.json"
        }
      },
      "content": {
        "description": "Raw reasoning parts; servers MAY ignore them.",
        "anyOf": [
          {
            "type": "array",
            "items": {
              "$ref": "./ReasoningTextContent.json"
            }
          },
          {
            "type": "null"
          }
        ]
      },
      "encrypted_content": {
        "description": "Opaque reasoning state from an earlier response.",
        "anyOf": [
          {
            "type": "string"
          },
          {
            "type": "null"
          }
        ]
      },
      "status": {
        "description": "The item status, when echoing an earlier item.",
        "anyOf": [
          {
            "type": "string",
            "enum": [
              "in_progress",
              "completed",
              "incomplete"
            ]
          },
          {
            "type": "null"
          }
        ]
      }
    },
    "required": [
      "type",
      "summary"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/ReasoningItem.json",
    "title": "ReasoningItem",
    "description": "A reasoning item generated by the model.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "reasoning",
        "description": "Always `reasoning`."
      },
      "id": {
        "type": "string",
        "description": "The item id.",
        "minLength": 1
      },
      "summary": {
        "type": "array",
        "description": "Reasoning summary parts.",
        "items": {
          "$ref": "./SummaryTextContent.json"
        }
      },
      "content": {
        "type": "array",
        "description": "Raw reasoning text parts, when exposed.",
        "items": {
          "$ref": "./ReasoningTextContent.json"
        }
      },
      "encrypted_content": {
        "description": "Opaque reasoning state, when `reasoning.encrypted_content` was included.",
        "anyOf": [
          {
            "type": "string"
          },
          {
            "type": "null"
          }
        ]
      },
      "status": {
        "$ref": "./ItemStatus.json"
      }
    },
    "required": [
      "type",
      "id",
      "summary"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/ReasoningTextContent.json",
    "title": "ReasoningTextContent",
    "description": "Raw reasoning text produced by the model.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "reasoning_text",
        "description": "Always `reasoning_text`."
      },
      "text": {
        "type": "string",
        "description": "The reasoning text."
      }
    },
    "required": [
      "type",
      "text"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/RefusalContent.json",
    "title": "RefusalContent",
    "description": "A refusal by the model.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "refusal",
        "description": "Always `refusal`."
      },
      "refusal": {
        "type": "string",
        "description": "The refusal explanation."
      }
    },
    "required": [
      "type",
      "refusal"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/ResponseError.json",
    "title": "ResponseError",
    "description": "The error that made a response fail, as carried in `ResponseResource.error`.",
    "type": "object",
    "properties": {
      "code": {
        "type": "string",
        "description": "A machine-readable error code from the error registry."
      },
      "message": {
        "type": "string",
        "description": "A human-readable description of the failure."
      }
    },
    "required": [
      "code",
      "message"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/ResponseResource.json",
    "title": "ResponseResource",
    "description": "The response object: a snapshot in lifecycle events, the body of a non-streamed HTTP response. All 31 Open Responses members are REQUIRED (null where not applicable).",
    "type": "object",
    "properties": {
      "id": {
        "type": "string",
        "description": "The response id.",
        "minLength": 1
      },
      "object": {
        "type": "string",
        "const": "response",
        "description": "Always `response`."
      },
      "created_at": {
        "type": "integer",
        "description": "When the response was created (Unix seconds)."
      },
      "completed_at": {
        "description": "When the response completed (Unix seconds), else null.",
        "anyOf": [
          {
            "type": "integer"
          },
          {
            "type": "null"
          }
        ]
      },
      "status": {
        "$ref": "./ResponseStatus.json"
      },
      "incomplete_details": {
        "description": "Why the response is incomplete, else null.",
        "anyOf": [
          {
            "$ref": "./IncompleteDetails.json"
          },
          {
            "type": "null"
          }
        ]
      },
      "model": {
        "type": "string",
        "description": "The model that generated the response."
      },
      "previous_response_id": {
        "description": "The response this one continues, else null.",
        "anyOf": [
          {
            "type": "string"
          },
          {
            "type": "null"
          }
        ]
      },
      "instructions": {
        "description": "The instructions used, else null.",
        "anyOf": [
          {
            "type": "string"
          },
          {
            "type": "null"
          }
        ]
      },
      "output": {
        "type": "array",
        "description": "The output items so far, in order.",
        "items": {
          "$ref": "./OutputItem.json"
        }
      },
      "error": {
        "description": "Why the response failed, else null.",
        "anyOf": [
          {
            "$ref": "./ResponseError.json"
          },
          {
            "type": "null"
          }
        ]
      },
      "tools": {
        "type": "array",
        "description": "The tools available to the model.",
        "items": {
          "$ref": "./Tool.json"
        }
      },
      "tool_choice": {
        "$ref": "./ToolChoice.json"
      },
      "truncation": {
        "type": "string",
        "enum": [
          "auto",
          "disabled"
        ],
        "description": "How input exceeding the context window was handled."
      },
      "parallel_tool_calls": {
        "type": "boolean",
        "description": "Whether the model could call several tools at once."
      },
      "text": {
        "$ref": "./TextConfig.json"
      },
      "top_p": {
        "type": "number",
        "description": "The nucleus sampling parameter used."
      },
      "presence_penalty": {
        "type": "number",
        "description": "The presence penalty used."
      },
      "frequency_penalty": {
        "type": "number",
        "description": "The frequency penalty used."
      },
      "top_logprobs": {
        "type": "integer",
        "description": "How many most likely tokens were returned per position.",
        "minimum": 0
      },
      "temperature": {
        "type": "number",
        "description": "The sampling temperature used."
      },
      "reasoning": {
        "description": "The reasoning options used, else null.",
        "anyOf": [
          {
            "$ref": "./ReasoningConfig.json"
          },
          {
            "type": "null"
          }
        ]
      },
      "usage": {
        "description": "Token usage; null until known.",
        "anyOf": [
          {
            "$ref": "./Usage.json"
          },
          {
            "type": "null"
          }
        ]
      },
      "max_output_tokens": {
        "description": "The output token limit, else null.",
        "anyOf": [
          {
            "type": "integer"
          },
          {
            "type": "null"
          }
        ]
      },
      "max_tool_calls": {
        "description": "The tool call limit, else null.",
        "anyOf": [
          {
            "type": "integer"
          },
          {
            "type": "null"
          }
        ]
      },
      "store": {
        "type": "boolean",
        "description": "Whether the response is stored for later retrieval."
      },
      "background": {
        "type": "boolean",
        "description": "Whether the response runs in the background."
      },
      "service_tier": {
        "type": "string",
        "description": "The service tier used. Hotline servers report the tier that actually served the response: `wafer` or `gpu`."
      },
      "metadata": {
        "description": "The request's metadata (an empty object when none).",
        "anyOf": [
          {
            "$ref": "./Metadata.json"
          },
          {
            "type": "null"
          }
        ]
      },
      "safety_identifier": {
        "description": "The safety identifier given, else null.",
        "anyOf": [
          {
            "type": "string"
          },
          {
            "type": "null"
          }
        ]
      },
      "prompt_cache_key": {
        "description": "The prompt cache key given, else null.",
        "anyOf": [
          {
            "type": "string"
          },
          {
            "type": "null"
          }
        ]
      },
      "user": {
        "description": "Deprecated end-user identifier that OpenAI servers still send; Hotline servers do not.",
        "anyOf": [
          {
            "type": "string"
          },
          {
            "type": "null"
          }
        ]
      },
      "prompt_cache_retention": {
        "description": "Prompt cache retention policy that OpenAI servers send; Hotline servers do not.",
        "anyOf": [
          {
            "type": "string"
          },
          {
            "type": "null"
          }
        ]
      },
      "billing": {
        "type": "object",
        "description": "Billing information that OpenAI servers send; Hotline servers do not.",
        "additionalProperties": true
      },
      "conversation": {
        "description": "The conversation OpenAI servers associate the response with; Hotline servers do not send it.",
        "anyOf": [
          {
            "type": "object",
            "additionalProperties": true
          },
          {
            "type": "null"
          }
        ]
      },
      "prompt": {
        "description": "The prompt template reference OpenAI servers echo; Hotline servers do not send it.",
        "anyOf": [
          {
            "type": "object",
            "additionalProperties": true
          },
          {
            "type": "null"
          }
        ]
      }
    },
    "required": [
      "id",
      "object",
      "created_at",
      "completed_at",
      "status",
      "incomplete_details",
      "model",
      "previous_response_id",
      "instructions",
      "output",
      "error",
      "tools",
      "tool_choice",
      "truncation",
      "parallel_tool_calls",
      "text",
      "top_p",
      "presence_penalty",
      "frequency_penalty",
      "top_logprobs",
      "temperature",
      "reasoning",
      "usage",
      "max_output_tokens",
      "max_tool_calls",
      "store",
      "background",
      "service_tier",
      "metadata",
      "safety_identifier",
      "prompt_cache_key"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/ResponseStatus.json",
    "title": "ResponseStatus",
    "description": "The lifecycle state of a response. `cancelled` is reached only through a Hotline `response.cancel` or `response.steer`; core servers never report it.",
    "type": "string",
    "enum": [
      "queued",
      "in_progress",
      "completed",
      "incomplete",
      "failed",
      "cancelled"
    ]
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/ResumedResponse.json",
    "title": "ResumedResponse",
    "description": "Hotline: a response of a resumed session, with the last sequence number the server emitted for it.",
    "type": "object",
    "properties": {
      "response_id": {
        "type": "string",
        "description": "The response id.",
        "minLength": 1
      },
      "status": {
        "$ref": "./ResponseStatus.json"
      },
      "last_sequence_number": {
        "type": "integer",
        "description": "The `sequence_number` of the newest event the server emitted for it.",
        "minimum": 0
      }
    },
    "required": [
      "response_id",
      "status",
      "last_sequence_number"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/Session.json",
    "title": "Session",
    "description": "Hotline: the state of a session, sent in `session.created`, `session.updated` and `session.resumed`.",
    "type": "object",
    "properties": {
      "id": {
        "type": "string",
        "description": "The session id.",
        "minLength": 1
      },
      "protocol": {
        "type": "string",
        "const": "hotline.v1",
        "description": "The negotiated subprotocol."
      },
      "version": {
        "type": "string",
        "const": "2026-11-21",
        "description": "The specification version the server implements."
      },
      "resume_token": {
        "type": "string",
        "description": "Opaque token that resumes this session on a new connection; valid for `limits.resume_window_ms` after a disconnect.",
        "minLength": 1
      },
      "limits": {
        "$ref": "./SessionLimits.json"
      },
      "features": {
        "type": "array",
        "description": "The optional features the server supports.",
        "items": {
          "type": "string",
          "enum": [
            "multiplex",
            "lanes",
            "cancel",
            "steer",
            "resume",
            "heartbeat",
            "going_away",
            "rate_limits",
            "idempotency",
            "prewarm",
            "background",
            "queue"
          ]
        },
        "uniqueItems": true
      },
      "defaults": {
        "$ref": "./SessionDefaults.json"
      }
    },
    "required": [
      "id",
      "protocol",
      "version",
      "resume_token",
      "limits",
      "features"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/SessionDefaults.json",
    "title": "SessionDefaults",
    "description": "Hotline: request defaults the session applies to a `response.create` that omits them.",
    "type": "object",
    "properties": {
      "model": {
        "description": "The default model, or null.",
        "anyOf": [
          {
            "type": "string"
          },
          {
            "type": "null"
          }
        ]
      },
      "instructions": {
        "description": "The default instructions, or null.",
        "anyOf": [
          {
            "type": "string"
          },
          {
            "type": "null"
          }
        ]
      },
      "tools": {
        "type": "array",
        "description": "The default tools.",
        "items": {
          "$ref": "./FunctionTool.json"
        }
      },
      "tool_choice": {
        "$ref": "./ToolChoice.json"
      },
      "service_tier": {
        "type": "string",
        "enum": [
          "auto",
          "default",
          "flex",
          "priority",
          "wafer",
          "gpu"
        ],
        "description": "The default service tier."
      }
    },
    "required": [
      "model",
      "instructions",
      "tools",
      "service_tier"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/SessionLimits.json",
    "title": "SessionLimits",
    "description": "Hotline: limits the server enforces on a session.",
    "type": "object",
    "properties": {
      "max_in_flight": {
        "type": "integer",
        "description": "Most responses that MAY run at once on the session.",
        "minimum": 1
      },
      "max_message_bytes": {
        "type": "integer",
        "description": "Largest text frame the server accepts, in bytes.",
        "minimum": 1
      },
      "context_window_tokens": {
        "type": "integer",
        "description": "The model's context window in tokens.",
        "minimum": 1
      },
      "connection_max_age_ms": {
        "type": "integer",
        "description": "How long the server keeps a connection open.",
        "minimum": 1
      },
      "resume_window_ms": {
        "type": "integer",
        "description": "How long events are kept for `response.resume` after a disconnect.",
        "minimum": 0
      },
      "heartbeat_interval_ms": {
        "type": "integer",
        "description": "While a response is in flight the server sends something at least this often.",
        "minimum": 1
      },
      "max_unsent_bytes": {
        "type": "integer",
        "description": "Bytes the server queues for this connection and has not yet written; a frame that would pass this closes the connection with 1008 (TRANSPORT-18), so a client that stops reading for longer loses it. Generation pauses well before.",
        "minimum": 1
      },
      "resume_buffer_bytes": {
        "type": "integer",
        "description": "Bytes of each response's events kept for `response.resume`; an older position is `resume_position_unavailable` (RESUME-8), and an unread detached response pauses at it (RESUME-10).",
        "minimum": 0
      },
      "max_detached_sessions": {
        "type": "integer",
        "description": "Sessions of this principal held for resume after their connection dropped; past it the oldest is discarded (RESUME-15).",
        "minimum": 0
      },
      "incomplete_message_ms": {
        "type": "integer",
        "description": "Time a started message has to be completed before the connection is closed with 1008 (TRANSPORT-20).",
        "minimum": 1
      },
      "rate_limits": {
        "type": "array",
        "description": "Rate limits at session start.",
        "items": {
          "$ref": "./RateLimit.json"
        }
      }
    },
    "required": [
      "max_in_flight",
      "max_message_bytes",
      "context_window_tokens",
      "connection_max_age_ms",
      "resume_window_ms",
      "heartbeat_interval_ms"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/SessionUpdateParams.json",
    "title": "SessionUpdateParams",
    "description": "Hotline: the session defaults to change; omitted members keep their value, null clears one.",
    "type": "object",
    "properties": {
      "model": {
        "description": "The default model.",
        "anyOf": [
          {
            "type": "string"
          },
          {
            "type": "null"
          }
        ]
      },
      "instructions": {
        "description": "The default instructions.",
        "anyOf": [
          {
            "type": "string"
          },
          {
            "type": "null"
          }
        ]
      },
      "tools": {
        "description": "The default tools.",
        "anyOf": [
          {
            "type": "array",
            "items": {
              "$ref": "./FunctionTool.json"
            }
          },
          {
            "type": "null"
          }
        ]
      },
      "tool_choice": {
        "description": "The default tool choice.",
        "anyOf": [
          {
            "$ref": "./ToolChoice.json"
          },
          {
            "type": "null"
          }
        ]
      },
      "service_tier": {
        "type": "string",
        "enum": [
          "auto",
          "default",
          "flex",
          "priority",
          "wafer",
          "gpu"
        ],
        "description": "The default service tier."
      }
    },
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/StreamOptions.json",
    "title": "StreamOptions",
    "description": "Options of a streamed HTTP response.",
    "type": "object",
    "properties": {
      "include_obfuscation": {
        "type": "boolean",
        "description": "Whether delta events carry an `obfuscation` padding string; defaults to true."
      }
    },
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/SummaryTextContent.json",
    "title": "SummaryTextContent",
    "description": "A summary of the model's reasoning.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "summary_text",
        "description": "Always `summary_text`."
      },
      "text": {
        "type": "string",
        "description": "The summary text.",
        "maxLength": 10485760
      }
    },
    "required": [
      "type",
      "text"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/TextConfig.json",
    "title": "TextConfig",
    "description": "Text output options. Servers always send `format` in `ResponseResource.text`.",
    "type": "object",
    "properties": {
      "format": {
        "description": "The output format; defaults to `text`.",
        "anyOf": [
          {
            "$ref": "./TextFormat.json"
          },
          {
            "type": "null"
          }
        ]
      },
      "verbosity": {
        "type": "string",
        "enum": [
          "low",
          "medium",
          "high"
        ],
        "description": "How verbose the final answer is."
      }
    },
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/TextFormat.json",
    "title": "TextFormat",
    "description": "The format of text output, discriminated by `type`.",
    "oneOf": [
      {
        "title": "TextFormatText",
        "description": "Plain text output.",
        "type": "object",
        "properties": {
          "type": {
            "type": "string",
            "const": "text",
            "description": "Always `text`."
          }
        },
        "required": [
          "type"
        ],
        "additionalProperties": false
      },
      {
        "title": "TextFormatJsonObject",
        "description": "Output that is a JSON object.",
        "type": "object",
        "properties": {
          "type": {
            "type": "string",
            "const": "json_object",
            "description": "Always `json_object`."
          }
        },
        "required": [
          "type"
        ],
        "additionalProperties": false
      },
      {
        "title": "TextFormatJsonSchema",
        "description": "Output that conforms to a JSON Schema.",
        "type": "object",
        "properties": {
          "type": {
            "type": "string",
            "const": "json_schema",
            "description": "Always `json_schema`."
          },
          "name": {
            "type": "string",
            "description": "The name of the format.",
            "maxLength": 64
          },
          "description": {
            "description": "What the format is for.",
            "anyOf": [
              {
                "type": "string"
              },
              {
                "type": "null"
              }
            ]
          },
          "schema": {
            "description": "The JSON Schema.",
            "anyOf": [
              {
                "type": "object",
                "additionalProperties": true
              },
              {
                "type": "null"
              }
            ]
          },
          "strict": {
            "description": "Whether output strictly follows `schema`.",
            "anyOf": [
              {
                "type": "boolean"
              },
              {
                "type": "null"
              }
            ]
          }
        },
        "required": [
          "type"
        ],
        "additionalProperties": false
      }
    ]
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/Tool.json",
    "title": "Tool",
    "description": "A tool of a request: a function the model MAY call, a namespace of tools, or a hosted tool type, discriminated by `type`.",
    "type": "object",
    "required": [
      "type"
    ],
    "properties": {
      "type": {
        "type": "string",
        "description": "The kind of tool; selects the branch."
      }
    },
    "oneOf": [
      {
        "$ref": "./FunctionTool.json"
      },
      {
        "$ref": "./NamespaceTool.json"
      },
      {
        "$ref": "./HostedTool.json"
      }
    ],
    "discriminator": {
      "propertyName": "type"
    }
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/ToolChoice.json",
    "title": "ToolChoice",
    "description": "Which tool the model uses: `none`, `auto` or `required`, a specific function, or a restricted set.",
    "oneOf": [
      {
        "type": "string",
        "enum": [
          "none",
          "auto",
          "required"
        ]
      },
      {
        "$ref": "./FunctionToolChoice.json"
      },
      {
        "$ref": "./AllowedToolsChoice.json"
      }
    ]
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/TopLogProb.json",
    "title": "TopLogProb",
    "description": "One of the most likely tokens at a position, with its log probability.",
    "type": "object",
    "properties": {
      "token": {
        "type": "string",
        "description": "The token text."
      },
      "logprob": {
        "type": "number",
        "description": "The log probability of the token."
      },
      "bytes": {
        "type": "array",
        "description": "The UTF-8 bytes of the token.",
        "items": {
          "type": "integer",
          "minimum": 0,
          "maximum": 255
        }
      }
    },
    "required": [
      "token",
      "logprob",
      "bytes"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/Truncation.json",
    "title": "Truncation",
    "description": "Hotline: how much output the user actually saw, so the stored response matches it.",
    "type": "object",
    "properties": {
      "text_chars": {
        "type": "integer",
        "description": "Number of Unicode code points of the response's output text (all `output_text` deltas in order) that were shown; the stored output is cut to it.",
        "minimum": 0
      }
    },
    "required": [
      "text_chars"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/UrlCitation.json",
    "title": "UrlCitation",
    "description": "A citation of a web resource used for a span of output text.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string",
        "const": "url_citation",
        "description": "Always `url_citation`."
      },
      "url": {
        "type": "string",
        "description": "The URL of the cited resource."
      },
      "start_index": {
        "type": "integer",
        "description": "Index of the first character of the cited span.",
        "minimum": 0
      },
      "end_index": {
        "type": "integer",
        "description": "Index of the last character of the cited span.",
        "minimum": 0
      },
      "title": {
        "type": "string",
        "description": "The title of the cited resource."
      }
    },
    "required": [
      "type",
      "url",
      "start_index",
      "end_index",
      "title"
    ],
    "additionalProperties": false
  },
  {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://hotline.dev/schemas/2026-11-21/objects/Usage.json",
    "title": "Usage",
    "description": "Token accounting for a response. For a cancelled or steered response it counts only the tokens really generated before the stop.",
    "type": "object",
    "properties": {
      "input_tokens": {
        "type": "integer",
        "description": "Tokens of the rendered input context.",
        "minimum": 0
      },
      "input_tokens_details": {
        "$ref": "./InputTokensDetails.json"
      },
      "output_tokens": {
        "type": "integer",
        "description": "Tokens generated by the model.",
        "minimum": 0
      },
      "output_tokens_details": {
        "$ref": "./OutputTokensDetails.json"
      },
      "total_tokens": {
        "type": "integer",
        "description": "`input_tokens` plus `output_tokens`.",
        "minimum": 0
      }
    },
    "required": [
      "input_tokens",
      "input_tokens_details",
      "output_tokens",
      "output_tokens_details",
      "total_tokens"
    ],
    "additionalProperties": false
  }
];

/** Client event `type` to the `$id` of its schema. */
export const clientEventSchemaIds: Readonly<Record<string, string>> = {
  "response.cancel": "https://hotline.dev/schemas/2026-11-21/client/response.cancel.json",
  "response.create": "https://hotline.dev/schemas/2026-11-21/client/response.create.json",
  "response.interrupt": "https://hotline.dev/schemas/2026-11-21/client/response.interrupt.json",
  "response.resume": "https://hotline.dev/schemas/2026-11-21/client/response.resume.json",
  "response.steer": "https://hotline.dev/schemas/2026-11-21/client/response.steer.json",
  "session.ping": "https://hotline.dev/schemas/2026-11-21/client/session.ping.json",
  "session.update": "https://hotline.dev/schemas/2026-11-21/client/session.update.json"
};

/** Server event `type` to the `$id` of its schema. */
export const serverEventSchemaIds: Readonly<Record<string, string>> = {
  "error": "https://hotline.dev/schemas/2026-11-21/server/error.json",
  "rate_limits.updated": "https://hotline.dev/schemas/2026-11-21/server/rate_limits.updated.json",
  "response.cancelled": "https://hotline.dev/schemas/2026-11-21/server/response.cancelled.json",
  "response.completed": "https://hotline.dev/schemas/2026-11-21/server/response.completed.json",
  "response.content_part.added": "https://hotline.dev/schemas/2026-11-21/server/response.content_part.added.json",
  "response.content_part.done": "https://hotline.dev/schemas/2026-11-21/server/response.content_part.done.json",
  "response.created": "https://hotline.dev/schemas/2026-11-21/server/response.created.json",
  "response.failed": "https://hotline.dev/schemas/2026-11-21/server/response.failed.json",
  "response.function_call_arguments.delta": "https://hotline.dev/schemas/2026-11-21/server/response.function_call_arguments.delta.json",
  "response.function_call_arguments.done": "https://hotline.dev/schemas/2026-11-21/server/response.function_call_arguments.done.json",
  "response.in_progress": "https://hotline.dev/schemas/2026-11-21/server/response.in_progress.json",
  "response.incomplete": "https://hotline.dev/schemas/2026-11-21/server/response.incomplete.json",
  "response.interrupt.accepted": "https://hotline.dev/schemas/2026-11-21/server/response.interrupt.accepted.json",
  "response.output_item.added": "https://hotline.dev/schemas/2026-11-21/server/response.output_item.added.json",
  "response.output_item.done": "https://hotline.dev/schemas/2026-11-21/server/response.output_item.done.json",
  "response.output_item.interrupted": "https://hotline.dev/schemas/2026-11-21/server/response.output_item.interrupted.json",
  "response.output_text.annotation.added": "https://hotline.dev/schemas/2026-11-21/server/response.output_text.annotation.added.json",
  "response.output_text.delta": "https://hotline.dev/schemas/2026-11-21/server/response.output_text.delta.json",
  "response.output_text.done": "https://hotline.dev/schemas/2026-11-21/server/response.output_text.done.json",
  "response.queued": "https://hotline.dev/schemas/2026-11-21/server/response.queued.json",
  "response.reasoning.delta": "https://hotline.dev/schemas/2026-11-21/server/response.reasoning.delta.json",
  "response.reasoning.done": "https://hotline.dev/schemas/2026-11-21/server/response.reasoning.done.json",
  "response.reasoning_summary_part.added": "https://hotline.dev/schemas/2026-11-21/server/response.reasoning_summary_part.added.json",
  "response.reasoning_summary_part.done": "https://hotline.dev/schemas/2026-11-21/server/response.reasoning_summary_part.done.json",
  "response.reasoning_summary_text.delta": "https://hotline.dev/schemas/2026-11-21/server/response.reasoning_summary_text.delta.json",
  "response.reasoning_summary_text.done": "https://hotline.dev/schemas/2026-11-21/server/response.reasoning_summary_text.done.json",
  "response.refusal.delta": "https://hotline.dev/schemas/2026-11-21/server/response.refusal.delta.json",
  "response.refusal.done": "https://hotline.dev/schemas/2026-11-21/server/response.refusal.done.json",
  "response.steer.accepted": "https://hotline.dev/schemas/2026-11-21/server/response.steer.accepted.json",
  "response.steer.failed": "https://hotline.dev/schemas/2026-11-21/server/response.steer.failed.json",
  "response.steer.pending": "https://hotline.dev/schemas/2026-11-21/server/response.steer.pending.json",
  "session.created": "https://hotline.dev/schemas/2026-11-21/server/session.created.json",
  "session.going_away": "https://hotline.dev/schemas/2026-11-21/server/session.going_away.json",
  "session.heartbeat": "https://hotline.dev/schemas/2026-11-21/server/session.heartbeat.json",
  "session.pong": "https://hotline.dev/schemas/2026-11-21/server/session.pong.json",
  "session.resumed": "https://hotline.dev/schemas/2026-11-21/server/session.resumed.json",
  "session.updated": "https://hotline.dev/schemas/2026-11-21/server/session.updated.json"
};

/** Object title to the `$id` of its schema. */
export const objectSchemaIds: Readonly<Record<string, string>> = {
  "AllowedToolsChoice": "https://hotline.dev/schemas/2026-11-21/objects/AllowedToolsChoice.json",
  "Annotation": "https://hotline.dev/schemas/2026-11-21/objects/Annotation.json",
  "CompactRequestBody": "https://hotline.dev/schemas/2026-11-21/objects/CompactRequestBody.json",
  "CompactResource": "https://hotline.dev/schemas/2026-11-21/objects/CompactResource.json",
  "CompactedMessageItem": "https://hotline.dev/schemas/2026-11-21/objects/CompactedMessageItem.json",
  "CompactionInputItem": "https://hotline.dev/schemas/2026-11-21/objects/CompactionInputItem.json",
  "CompactionItem": "https://hotline.dev/schemas/2026-11-21/objects/CompactionItem.json",
  "ContentPart": "https://hotline.dev/schemas/2026-11-21/objects/ContentPart.json",
  "CreateResponseBody": "https://hotline.dev/schemas/2026-11-21/objects/CreateResponseBody.json",
  "ErrorPayload": "https://hotline.dev/schemas/2026-11-21/objects/ErrorPayload.json",
  "FunctionCallInputItem": "https://hotline.dev/schemas/2026-11-21/objects/FunctionCallInputItem.json",
  "FunctionCallItem": "https://hotline.dev/schemas/2026-11-21/objects/FunctionCallItem.json",
  "FunctionCallOutputInputItem": "https://hotline.dev/schemas/2026-11-21/objects/FunctionCallOutputInputItem.json",
  "FunctionCallOutputItem": "https://hotline.dev/schemas/2026-11-21/objects/FunctionCallOutputItem.json",
  "FunctionTool": "https://hotline.dev/schemas/2026-11-21/objects/FunctionTool.json",
  "FunctionToolChoice": "https://hotline.dev/schemas/2026-11-21/objects/FunctionToolChoice.json",
  "HostedTool": "https://hotline.dev/schemas/2026-11-21/objects/HostedTool.json",
  "IncompleteDetails": "https://hotline.dev/schemas/2026-11-21/objects/IncompleteDetails.json",
  "InputFileContent": "https://hotline.dev/schemas/2026-11-21/objects/InputFileContent.json",
  "InputImageContent": "https://hotline.dev/schemas/2026-11-21/objects/InputImageContent.json",
  "InputItem": "https://hotline.dev/schemas/2026-11-21/objects/InputItem.json",
  "InputMessageItem": "https://hotline.dev/schemas/2026-11-21/objects/InputMessageItem.json",
  "InputTextContent": "https://hotline.dev/schemas/2026-11-21/objects/InputTextContent.json",
  "InputTokensDetails": "https://hotline.dev/schemas/2026-11-21/objects/InputTokensDetails.json",
  "ItemReference": "https://hotline.dev/schemas/2026-11-21/objects/ItemReference.json",
  "ItemStatus": "https://hotline.dev/schemas/2026-11-21/objects/ItemStatus.json",
  "LogProb": "https://hotline.dev/schemas/2026-11-21/objects/LogProb.json",
  "MessageItem": "https://hotline.dev/schemas/2026-11-21/objects/MessageItem.json",
  "Metadata": "https://hotline.dev/schemas/2026-11-21/objects/Metadata.json",
  "Model": "https://hotline.dev/schemas/2026-11-21/objects/Model.json",
  "ModelList": "https://hotline.dev/schemas/2026-11-21/objects/ModelList.json",
  "NamespaceTool": "https://hotline.dev/schemas/2026-11-21/objects/NamespaceTool.json",
  "OutputItem": "https://hotline.dev/schemas/2026-11-21/objects/OutputItem.json",
  "OutputTextContent": "https://hotline.dev/schemas/2026-11-21/objects/OutputTextContent.json",
  "OutputTokensDetails": "https://hotline.dev/schemas/2026-11-21/objects/OutputTokensDetails.json",
  "PrewarmResult": "https://hotline.dev/schemas/2026-11-21/objects/PrewarmResult.json",
  "RateLimit": "https://hotline.dev/schemas/2026-11-21/objects/RateLimit.json",
  "ReasoningConfig": "https://hotline.dev/schemas/2026-11-21/objects/ReasoningConfig.json",
  "ReasoningInputItem": "https://hotline.dev/schemas/2026-11-21/objects/ReasoningInputItem.json",
  "ReasoningItem": "https://hotline.dev/schemas/2026-11-21/objects/ReasoningItem.json",
  "ReasoningTextContent": "https://hotline.dev/schemas/2026-11-21/objects/ReasoningTextContent.json",
  "RefusalContent": "https://hotline.dev/schemas/2026-11-21/objects/RefusalContent.json",
  "ResponseError": "https://hotline.dev/schemas/2026-11-21/objects/ResponseError.json",
  "ResponseResource": "https://hotline.dev/schemas/2026-11-21/objects/ResponseResource.json",
  "ResponseStatus": "https://hotline.dev/schemas/2026-11-21/objects/ResponseStatus.json",
  "ResumedResponse": "https://hotline.dev/schemas/2026-11-21/objects/ResumedResponse.json",
  "Session": "https://hotline.dev/schemas/2026-11-21/objects/Session.json",
  "SessionDefaults": "https://hotline.dev/schemas/2026-11-21/objects/SessionDefaults.json",
  "SessionLimits": "https://hotline.dev/schemas/2026-11-21/objects/SessionLimits.json",
  "SessionUpdateParams": "https://hotline.dev/schemas/2026-11-21/objects/SessionUpdateParams.json",
  "StreamOptions": "https://hotline.dev/schemas/2026-11-21/objects/StreamOptions.json",
  "SummaryTextContent": "https://hotline.dev/schemas/2026-11-21/objects/SummaryTextContent.json",
  "TextConfig": "https://hotline.dev/schemas/2026-11-21/objects/TextConfig.json",
  "TextFormat": "https://hotline.dev/schemas/2026-11-21/objects/TextFormat.json",
  "Tool": "https://hotline.dev/schemas/2026-11-21/objects/Tool.json",
  "ToolChoice": "https://hotline.dev/schemas/2026-11-21/objects/ToolChoice.json",
  "TopLogProb": "https://hotline.dev/schemas/2026-11-21/objects/TopLogProb.json",
  "Truncation": "https://hotline.dev/schemas/2026-11-21/objects/Truncation.json",
  "UrlCitation": "https://hotline.dev/schemas/2026-11-21/objects/UrlCitation.json",
  "Usage": "https://hotline.dev/schemas/2026-11-21/objects/Usage.json"
};
