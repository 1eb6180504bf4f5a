/**
 * The state the response tracker keeps for each response (its events, sequence number, output
 * items and content parts, streamed text and timings, terminal event) and the shape of the
 * violations it reports. The checks in the other harness files read and update this state.
 */

/** A rule broken on the wire, with the frame that broke it. */
export interface Violation {
  anchor: string;
  message: string;
  /** Wire-log index of the offending frame, when one frame is to blame. */
  entry?: number;
  conn?: string;
}

/** Files a violation of rule `anchor` at wire-log `entry` (the tracker adds remaps and the connection). */
export type ReportViolation = (anchor: string, message: string, entry: number) => void;

/** One content part of an output item, with the text its deltas built so far. */
export interface PartState {
  open: boolean;
  text: string;
  doneSeen: boolean;
}

/** One output item: whether it closed, its final item, its parts and its loose deltas. */
export interface ItemState {
  done: boolean;
  item: Record<string, unknown> | null;
  parts: PartState[];
  /** Deltas outside content parts (function call arguments, summaries). */
  loose: Map<string, string>;
}

/** Everything known about one response. */
export interface TrackedResponse {
  id: string | null;
  events: { type: string; entry: number; t: number; data: Record<string, unknown> }[];
  lastSequence: number | null;
  terminal: { type: string; entry: number; t: number; response: Record<string, unknown> } | null;
  items: ItemState[];
  /** Items of the `output_item.done` events, in order. */
  doneItems: unknown[];
  /** All output text deltas, concatenated in order. */
  text: string;
  deltaCount: number;
  firstDeltaAt: number | null;
  lastDeltaAt: number | null;
  deltaTimes: number[];
  /** Joined mid-way (a replay): item and content state is unknown. */
  partial: boolean;
  /** Item ids seen in `output_item.added` (to place events that lack a response_id). */
  itemIds: Set<string>;
  /** Its events could not be told from another's (STREAM-2): stream rules are not checked. */
  unchecked: boolean;
  /** Rules filed under another anchor for this response (a replay's gaps are its resume rule's). */
  remap?: Record<string, string>;
}

/** A fresh response with nothing seen yet. */
export function newResponse(id: string | null): TrackedResponse {
  return {
    id,
    events: [],
    lastSequence: null,
    terminal: null,
    items: [],
    doneItems: [],
    text: "",
    deltaCount: 0,
    firstDeltaAt: null,
    lastDeltaAt: null,
    deltaTimes: [],
    partial: false,
    itemIds: new Set(),
    unchecked: false,
  };
}
