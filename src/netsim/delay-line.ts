import { performance } from "node:perf_hooks";

/** The clock and timer a delay line runs on; tests pass a virtual one. */
export interface Scheduler {
  /** Milliseconds on a monotonic clock (fractions allowed). */
  now(): number;
  /** Runs `fn` once, no sooner than `delayMs` from now; returns a cancel function. */
  setTimer(fn: () => void, delayMs: number): () => void;
}

/** The real monotonic clock (`performance.now()`) and Node timers. */
export const realScheduler: Scheduler = {
  now: () => performance.now(),
  setTimer(fn, delayMs) {
    const timer = setTimeout(fn, delayMs);
    return () => clearTimeout(timer);
  },
};

/** A serialising link: one byte after another at a fixed rate, shared by whoever books it. */
export class Link {
  #freeAt = Number.NEGATIVE_INFINITY;

  constructor(readonly bytesPerSec: number) {
    if (!(bytesPerSec > 0) || !Number.isFinite(bytesPerSec)) {
      throw new RangeError(`bytesPerSec must be a positive finite number, got ${bytesPerSec}`);
    }
  }

  /** Books `bytes` on the link no earlier than `at`; returns when the last byte has left. */
  transmit(at: number, bytes: number): number {
    const start = Math.max(at, this.#freeAt);
    this.#freeAt = start + (bytes * 1000) / this.bytesPerSec;
    return this.#freeAt;
  }
}

/** Where a delay line delivers: a socket's writable side, in practice. */
export interface DelayLineSink {
  /** Returns false when the sink wants nothing more until `DelayLine.resume()`. */
  write(chunk: Buffer): boolean;
  /** The source half-closed: pass the FIN on. */
  end(): void;
  /** The source failed: tear the sink down abruptly. */
  reset(): void;
}

export interface DelayLineOptions {
  /** One-way delay in milliseconds added to every item. */
  delayMs: number;
  /** Nothing is considered sent before this time (connection set-up), in scheduler time. */
  openAt?: number;
  /** Bandwidth limit; items are serialised on it before the delay applies. */
  link?: Link;
  scheduler?: Scheduler;
  /** Queued bytes above which `onPressure(true)` asks the source to pause. */
  highWaterMark?: number;
  /** Called with true when the source should pause, false when it may resume. */
  onPressure?: (pause: boolean) => void;
  /** Called after each chunk is handed to the sink. */
  onDeliver?: (bytes: number) => void;
}

type Item =
  | { kind: "data"; due: number; chunk: Buffer }
  | { kind: "end"; due: number }
  | { kind: "reset"; due: number };

/**
 * One direction of a simulated path: a FIFO in which every item falls due `delayMs` after it
 * was sent (and after its bytes crossed the link, if any). Items never overtake each other,
 * are never delivered early, and a single timer waits for the head of the queue.
 */
export class DelayLine {
  readonly #delayMs: number;
  readonly #openAt: number;
  readonly #link: Link | undefined;
  readonly #scheduler: Scheduler;
  readonly #highWaterMark: number;
  readonly #onPressure: ((pause: boolean) => void) | undefined;
  readonly #onDeliver: ((bytes: number) => void) | undefined;

  #items: Item[] = [];
  #head = 0;
  #lastDue = Number.NEGATIVE_INFINITY;
  #queuedBytes = 0;
  #pressured = false;
  #sink: DelayLineSink | undefined;
  #blocked = false;
  #closed = false;
  #resetQueued = false;
  #cancelTimer: (() => void) | undefined;
  #timerDue = Number.NaN;

  constructor(options: DelayLineOptions) {
    if (!(options.delayMs >= 0) || !Number.isFinite(options.delayMs)) {
      throw new RangeError(`delayMs must be a finite number >= 0, got ${options.delayMs}`);
    }
    this.#delayMs = options.delayMs;
    this.#openAt = options.openAt ?? Number.NEGATIVE_INFINITY;
    this.#link = options.link;
    this.#scheduler = options.scheduler ?? realScheduler;
    this.#highWaterMark = options.highWaterMark ?? 8 * 1024 * 1024;
    this.#onPressure = options.onPressure;
    this.#onDeliver = options.onDeliver;
  }

  /** Bytes accepted but not yet handed to the sink. */
  get queuedBytes(): number {
    return this.#queuedBytes;
  }

  /** Items (chunks and markers) waiting. */
  get length(): number {
    return this.#items.length - this.#head;
  }

  /** Starts delivering to `sink` (until then items only wait, as behind a connect). */
  attach(sink: DelayLineSink): void {
    this.#sink = sink;
    this.#flush();
  }

  /** Queues a chunk the source just sent. */
  push(chunk: Buffer): void {
    if (this.#closed || this.#resetQueued || chunk.length === 0) return;
    const sentAt = Math.max(this.#scheduler.now(), this.#openAt);
    const leftAt = this.#link ? this.#link.transmit(sentAt, chunk.length) : sentAt;
    this.#enqueue({ kind: "data", due: leftAt + this.#delayMs, chunk });
    this.#queuedBytes += chunk.length;
    if (!this.#pressured && this.#queuedBytes > this.#highWaterMark) {
      this.#pressured = true;
      this.#onPressure?.(true);
    }
  }

  /** Queues the source's half-close, delivered after every chunk before it. */
  pushEnd(): void {
    this.#pushMarker("end");
  }

  /** Queues the source's failure, delivered after every chunk before it. */
  pushReset(): void {
    this.#pushMarker("reset");
  }

  /** The sink drained after `write()` returned false. */
  resume(): void {
    this.#blocked = false;
    this.#flush();
  }

  /** Drops everything queued and stops the timer; the line accepts nothing more. */
  close(): void {
    this.#closed = true;
    this.#items = [];
    this.#head = 0;
    this.#queuedBytes = 0;
    this.#stopTimer();
  }

  #pushMarker(kind: "end" | "reset"): void {
    if (this.#closed || this.#resetQueued) return;
    if (kind === "reset") this.#resetQueued = true;
    const sentAt = Math.max(this.#scheduler.now(), this.#openAt);
    this.#enqueue({ kind, due: sentAt + this.#delayMs });
  }

  #enqueue(item: Item): void {
    // A chunk held up by the link already falls due later; clamping keeps the FIFO sorted anyway.
    item.due = Math.max(item.due, this.#lastDue);
    this.#lastDue = item.due;
    this.#items.push(item);
    if (this.length === 1) this.#flush();
  }

  #flush(): void {
    if (this.#closed || !this.#sink || this.#blocked) return;
    const now = this.#scheduler.now();
    while (this.#head < this.#items.length) {
      const item = this.#items[this.#head]!;
      if (item.due > now) break;
      this.#head++;
      if (item.kind === "data") {
        this.#queuedBytes -= item.chunk.length;
        const more = this.#sink.write(item.chunk);
        this.#onDeliver?.(item.chunk.length);
        if (!more) this.#blocked = true;
      } else if (item.kind === "end") {
        this.#sink.end();
      } else {
        this.#sink.reset();
        this.close();
        return;
      }
      if (this.#blocked) break;
    }
    this.#compact();
    if (this.#pressured && this.#queuedBytes <= this.#highWaterMark / 2) {
      this.#pressured = false;
      this.#onPressure?.(false);
    }
    this.#schedule();
  }

  #compact(): void {
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
  }

  #schedule(): void {
    const head = this.#items[this.#head];
    if (!head || this.#blocked || this.#closed) {
      this.#stopTimer();
      return;
    }
    if (this.#cancelTimer && this.#timerDue === head.due) return;
    this.#stopTimer();
    this.#timerDue = head.due;
    // Timers have millisecond granularity and may fire a little early: round up, and
    // #flush re-arms for the remainder if the head is still not due.
    const wait = Math.max(1, Math.ceil(head.due - this.#scheduler.now()));
    this.#cancelTimer = this.#scheduler.setTimer(() => {
      this.#cancelTimer = undefined;
      this.#timerDue = Number.NaN;
      this.#flush();
    }, wait);
  }

  #stopTimer(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#timerDue = Number.NaN;
  }
}
