/**
 * What hotline.v1 frames look like on the wire: a logged event with `response_id` stamped, a
 * logged error re-framed as an envelope, an error envelope, and the injected faults that
 * rewrite frames (some of them shared with the core profile).
 */
import { lookupError, type ProtocolError } from "../../src/protocol/index.js";
import type { Faults } from "../faults.js";
import type { LoggedEvent } from "../responses/event-log.js";

/** The hotline.v1 frame of a logged event: `response_id` stamped, errors as envelopes. */
export function hotlineFrame(entry: LoggedEvent, responseId: string, faults: Faults): string {
  let json: string;
  if (entry.type === "error") {
    const logged = (entry.event ?? JSON.parse(entry.json)) as {
      error: { code: string; message: string; type?: string };
    };
    const registry = lookupError(logged.error.code);
    const errorType: string = logged.error.type ?? (registry ? registry.type : "server_error");
    json = JSON.stringify({
      type: "error",
      status: registry?.status ?? 500,
      error: {
        code: logged.error.code,
        message: logged.error.message,
        type: errorType,
        param: null,
        retryable: registry?.retryable ?? false,
      },
      response_id: responseId,
      sequence_number: entry.sequenceNumber,
    });
  } else if (faults.has("missing-response-id") && entry.type === "response.output_text.delta") {
    json = entry.json;
  } else {
    json = `{"response_id":${JSON.stringify(responseId)},${entry.json.slice(1)}`;
  }
  if (!faults.any) return json;
  return applyWireFaults(faults, entry, json);
}

/**
 * Fault `delta-after-terminal`: one more output delta after a response's terminal event
 * (`entry`), on the item its output ended with; `responseId` stamps it for hotline.v1.
 */
export function deltaAfterTerminal(entry: LoggedEvent, responseId?: string): string {
  const output = (entry.event as { response?: { output?: { id?: string }[] } } | undefined)
    ?.response?.output;
  return JSON.stringify({
    type: "response.output_text.delta",
    item_id: output?.at(-1)?.id ?? "msg_after_terminal",
    output_index: Math.max(0, (output?.length ?? 1) - 1),
    content_index: 0,
    delta: " (after the end)",
    sequence_number: entry.sequenceNumber + 1,
    ...(responseId === undefined ? {} : { response_id: responseId }),
  });
}

/** An error as the hotline.v1 envelope, less what an injected fault drops. */
export function errorEnvelope(error: ProtocolError, faults: Faults): object {
  const envelope = error.toEnvelope("hotline.v1") as unknown as Record<string, unknown>;
  if (faults.has("wrong-error-envelope")) delete envelope.status;
  if (faults.has("no-error-request-id")) delete envelope.client_request_id;
  return envelope;
}

/** Wire faults that rewrite a frame (both profiles): `sequence-gap`. */
export function applyWireFaults(faults: Faults, entry: LoggedEvent, json: string): string {
  if (faults.has("sequence-gap") && entry.sequenceNumber >= 3) {
    const value = JSON.parse(json) as { sequence_number?: number };
    value.sequence_number = entry.sequenceNumber + 1;
    return JSON.stringify(value);
  }
  if (
    entry.type === "response.created" &&
    (faults.has("no-client-request-id") || faults.has("no-steered-from"))
  ) {
    const value = JSON.parse(json) as Record<string, unknown>;
    if (faults.has("no-client-request-id")) delete value.client_request_id;
    else delete value.steered_from;
    return JSON.stringify(value);
  }
  return json;
}
