/**
 * What a continuation needs of a finished response, as a fleet writes it to Redis and reads it
 * back: a stored response's, for every instance (FLEET-7, `FleetKeys.continuation`), and the
 * points a hotline.v1 session's cache holds, for the instance that takes the session over
 * (FLEET-1, `FleetKeys.sessionContinuation`). Either is readable by its principal only.
 */
import type { ContinuationPoint } from "../responses/connection-cache.js";
import { type ConversationContext, EMPTY_CONTEXT, extendContext } from "../responses/render.js";

/** The JSON written. */
interface StoredContinuation {
  /** Principal. */
  p: string;
  /** Conversation key (the prefix cache's). */
  k: string;
  /** The conversation's items, references resolved (`ConversationContext.items`). */
  i: ConversationContext["items"];
}

/** The JSON written for a continuation point of `principal`. */
export function encodeContinuation(point: ContinuationPoint, principal: string): string {
  const stored: StoredContinuation = {
    p: principal,
    k: point.conversationKey,
    i: point.continuationContext().items,
  };
  return JSON.stringify(stored);
}

/** The point of response `id` an {@link encodeContinuation} JSON holds, if `principal`'s. */
export function decodeContinuation(
  id: string,
  json: string,
  principal: string,
): ContinuationPoint | undefined {
  const stored = JSON.parse(json) as StoredContinuation;
  if (stored.p !== principal) return undefined;
  const context = extendContext(EMPTY_CONTEXT, stored.i);
  return { id, conversationKey: stored.k, continuationContext: () => context };
}
