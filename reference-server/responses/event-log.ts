/**
 * The events of one response, numbered and serialised once. Every consumer (a WebSocket in
 * either profile, an SSE stream, a later replay) reads the same entries, so sequence numbers
 * cannot diverge between them and the JSON is built once per event, not once per consumer.
 */
import type { ServerEvent } from "../../src/protocol/index.js";

/** One event of a response, as the core profile and SSE carry it. */
export interface LoggedEvent {
  /** Its `sequence_number`. */
  readonly sequenceNumber: number;
  /** Its `type`. */
  readonly type: string;
  /**
   * The event object (core form: no `response_id`). Absent on per-token entries: the output
   * text fast path builds only their JSON, and a kept `*.delta` entry drops it, since replays
   * send `json` and the object (with its small strings) cost more memory than the JSON.
   */
  readonly event?: ServerEvent;
  /** `JSON.stringify(event)`, computed once. */
  readonly json: string;
  /** Whether this is the response's terminal event. */
  readonly terminal: boolean;
  /**
   * A per-token delta's JSON is `head`, the delta text as a JSON string, `tail`, its number
   * and `}` (the output text fast path). One item's deltas share both strings, so a writer
   * can tell what differs between two of them without comparing their JSON.
   */
  readonly head?: string;
  readonly tail?: string;
}

/** Receives each event as it is appended. */
export type EventListener = (entry: LoggedEvent) => void;

/**
 * `listener`, holding what it is given until `ready` resolves (then handing it over in order):
 * a subscriber that must not show a response before it is where others can find it.
 */
export function heldUntil(ready: Promise<void>, listener: EventListener): EventListener {
  let held: LoggedEvent[] | undefined = [];
  void ready.then(() => {
    const entries = held ?? [];
    held = undefined;
    for (const entry of entries) listener(entry);
  });
  return (entry) => {
    if (held) held.push(entry);
    else listener(entry);
  };
}

/** Options of an {@link EventLog}. */
export interface EventLogOptions {
  /**
   * Keep every event for replay (background responses, `GET ?stream=true`, hotline.v1 resume).
   * When false, only the terminal event is kept: a core-profile stream is never replayed, and
   * holding its deltas would cost memory per token for nothing.
   */
  retain: boolean;
}

/** Events a log that keeps no history holds for a subscriber that comes after `start()`. */
const EARLY_EVENTS = 4;

/** An append-only, numbered event sequence with live subscribers. */
export class EventLog {
  readonly #retain: boolean;
  readonly #entries: LoggedEvent[] = [];
  readonly #listeners = new Set<EventListener>();
  /**
   * A log that keeps no history still holds the first few events appended before anyone
   * subscribed (what `ResponseRun.start()` appends: `response.created` and its queued or
   * in-progress follower), so its owner can subscribe once `create()` returned instead of being
   * called from inside it. Anything longer is not held: nobody subscribes that late.
   */
  #early: LoggedEvent[] | undefined = [];
  #next = 0;
  #closed = false;
  /** Index in `#entries` of the first entry not trimmed away. */
  #head = 0;
  #keptBytes = 0;

  /** Creates an empty log. */
  constructor(options: EventLogOptions) {
    this.#retain = options.retain;
  }

  /** The sequence number the next event gets. */
  get nextSequenceNumber(): number {
    return this.#next;
  }

  /** Whether the terminal event was appended. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Whether every event is kept (replay is possible from any point). */
  get retained(): boolean {
    return this.#retain;
  }

  /**
   * Numbers an event, serialises it and hands it to every listener. `build` gets the sequence
   * number so the event object is created with it in place (no re-serialisation later).
   */
  append(build: (sequenceNumber: number) => ServerEvent, terminal = false): LoggedEvent {
    if (this.#closed) throw new Error("event appended after the terminal event");
    const sequenceNumber = this.#next++;
    const event = build(sequenceNumber);
    const entry: LoggedEvent = {
      sequenceNumber,
      type: event.type,
      event,
      json: JSON.stringify(event),
      terminal,
    };
    if (this.#retain || terminal) this.#keep(entry);
    else this.#holdEarly(entry);
    if (terminal) this.#closed = true;
    for (const listener of this.#listeners) listener(entry);
    if (terminal) this.#listeners.clear();
    return entry;
  }

  /**
   * Appends an entry whose JSON was built by hand, numbered `nextSequenceNumber` (the per-token
   * fast path: no event object): `head`, a JSON string, `tail`, the number and `}`.
   */
  appendPrebuilt(type: string, json: string, head: string, tail: string): LoggedEvent {
    if (this.#closed) throw new Error("event appended after the terminal event");
    const entry: LoggedEvent = {
      sequenceNumber: this.#next++,
      type,
      json,
      terminal: false,
      head,
      tail,
    };
    if (this.#retain) this.#keep(entry);
    else this.#holdEarly(entry);
    for (const listener of this.#listeners) listener(entry);
    return entry;
  }

  /**
   * Appends an entry numbered elsewhere: a copy of another process's log (a fleet instance
   * mirroring a response owned by another instance). Its number must not be below
   * {@link nextSequenceNumber}; a copy that starts past 0 (the source was trimmed) is kept from
   * there, and a replay from before it is refused as with a trimmed log.
   */
  appendCopy(entry: LoggedEvent): void {
    if (this.#closed) throw new Error("event appended after the terminal event");
    if (entry.sequenceNumber < this.#next) throw new RangeError("event copied out of order");
    this.#next = entry.sequenceNumber + 1;
    this.#keep(entry);
    if (entry.terminal) this.#closed = true;
    for (const listener of this.#listeners) listener(entry);
    if (entry.terminal) this.#listeners.clear();
  }

  /**
   * Replays every kept event with a sequence number above `after` to the listener, then
   * subscribes it to live events (unless the log is closed). Returns the unsubscribe function.
   * Throws when events after `after` were not kept.
   */
  subscribe(listener: EventListener, after = -1): () => void {
    const early = this.#early;
    this.#early = undefined;
    if (after + 1 < this.#next) {
      const held = !this.#retain && early !== undefined && early[0]?.sequenceNumber === 0;
      for (const entry of held && after === -1 ? early : this.since(after)) listener(entry);
    }
    if (this.#closed) return () => {};
    // A position ahead of the log (a reader that asks for "after 2" before event 2 exists)
    // must still never see events at or below it.
    const live: EventListener =
      after >= this.#next
        ? (entry) => {
            if (entry.sequenceNumber > after) listener(entry);
          }
        : listener;
    this.#listeners.add(live);
    return () => {
      this.#listeners.delete(live);
    };
  }

  /**
   * The kept events with a sequence number above `after`, in order. Throws a RangeError when
   * some of them were not kept (not retained, or trimmed away).
   */
  since(after: number): LoggedEvent[] {
    if (after + 1 >= this.#next) return [];
    const first = this.firstKeptSequenceNumber;
    const onlyTerminal = !this.#retain && this.#closed && after + 1 >= this.#next - 1;
    if (!onlyTerminal && (!this.#retain || first === undefined || first > after + 1)) {
      throw new RangeError(`events after ${after} were not kept`);
    }
    const out: LoggedEvent[] = [];
    for (let i = this.#head; i < this.#entries.length; i++) {
      const entry = this.#entries[i]!;
      if (entry.sequenceNumber > after) out.push(entry);
    }
    return out;
  }

  /** The oldest kept sequence number (undefined when nothing is kept). */
  get firstKeptSequenceNumber(): number | undefined {
    return this.#entries[this.#head]?.sequenceNumber;
  }

  /** Bytes of JSON kept. */
  get keptBytes(): number {
    return this.#keptBytes;
  }

  /**
   * Bounds a retained log: drops the oldest kept events, never one numbered above `upTo` nor
   * the terminal event, until at most `maxBytes` are kept. Returns the bytes still kept.
   */
  trim(maxBytes: number, upTo: number): number {
    while (this.#keptBytes > maxBytes && this.#head < this.#entries.length) {
      const entry = this.#entries[this.#head]!;
      if (entry.sequenceNumber > upTo || entry.terminal) break;
      this.#keptBytes -= entry.json.length;
      this.#head++;
    }
    // Compact once a fifth of the array is dropped entries: the array never holds much more
    // than what is kept (a half-dead array doubled a trimmed log's memory), and each compaction
    // moves at most four kept entries per dropped one (amortised O(1) per append).
    if (this.#head >= 64 && this.#head * 5 >= this.#entries.length) {
      this.#entries.splice(0, this.#head);
      this.#head = 0;
    }
    return this.#keptBytes;
  }

  #holdEarly(entry: LoggedEvent): void {
    const early = this.#early;
    if (early === undefined) return;
    if (early.length < EARLY_EVENTS) early.push(entry);
    else this.#early = undefined;
  }

  #keep(entry: LoggedEvent): void {
    const { sequenceNumber, type, json, terminal } = entry;
    // Per-token entries are kept as their JSON only (see LoggedEvent.event).
    const slim = entry.event !== undefined && type.endsWith(".delta");
    this.#entries.push(slim ? { sequenceNumber, type, json, terminal } : entry);
    this.#keptBytes += json.length;
  }

  /** Removes a live listener. */
  unsubscribe(listener: EventListener): void {
    this.#listeners.delete(listener);
  }

  /** The kept events (all of them when retained, else only the terminal one). */
  entries(): readonly LoggedEvent[] {
    return this.#head === 0 ? this.#entries : this.#entries.slice(this.#head);
  }

  /** Number of live listeners. */
  get listenerCount(): number {
    return this.#listeners.size;
  }
}
