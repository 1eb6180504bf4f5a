/**
 * What frames look like on the wire: a logged event with `response_id` stamped (hotline.v1), a
 * logged error re-framed as an envelope (hotline.v1), and a named lane's `stream_id` (RESP-36).
 */
import { lookupError } from "../../src/protocol/index.js";
import type { LoggedEvent } from "../responses/event-log.js";

/** The hotline.v1 frame of a logged event: `response_id` stamped, errors as envelopes. */
export function hotlineFrame(entry: LoggedEvent, responseId: string): string {
  if (entry.type === "error") {
    const logged = (entry.event ?? JSON.parse(entry.json)) as {
      error: { code: string; message: string; type?: string };
    };
    const registry = lookupError(logged.error.code);
    const errorType: string = logged.error.type ?? (registry ? registry.type : "server_error");
    return JSON.stringify({
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
  }
  return `{"response_id":${JSON.stringify(responseId)},${entry.json.slice(1)}`;
}

/** A frame with its lane's `stream_id` appended (RESP-36); the default lane's is unchanged. */
export function withStreamId(json: string, lane: string): string {
  return lane === "" ? json : `${json.slice(0, -1)},"stream_id":${JSON.stringify(lane)}}`;
}
