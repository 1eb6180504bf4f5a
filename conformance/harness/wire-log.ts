/**
 * The per-case wire log (CONF-11): every frame and HTTP message sent or received, with a
 * monotonic timestamp in milliseconds since the run started (hrtime, sub-millisecond).
 */

/** One line of a case's `.jsonl` log. */
export interface WireEntry {
  /** Index in the case's log; diagnostics name frames by it. */
  i: number;
  /** Milliseconds since the run started (monotonic). */
  t: number;
  /** Connection label, e.g. `ws1` or `http3`. */
  conn: string;
  dir: "send" | "recv" | "event";
  /** `text`, `binary`, `open`, `close`, `http-request`, `http-response`, `sse`, `error`. */
  kind: string;
  /** Parsed JSON when the payload was JSON, otherwise the raw text (binary: its length). */
  data: unknown;
  /** Payload size in bytes, for frames and SSE messages. */
  bytes?: number;
}

let origin: bigint = process.hrtime.bigint();

/** Restarts the clock (called once per run). */
export function resetClock(): void {
  origin = process.hrtime.bigint();
}

/** Monotonic milliseconds since the run started. */
export function now(): number {
  return Number(process.hrtime.bigint() - origin) / 1e6;
}

/** Thrown when a case would send a `sim.*` hint outside a `--sim` run (CONF-13): a runner bug. */
export class SimHintOutsideSim extends Error {
  override name = "SimHintOutsideSim";
}

/** The first `sim.*` key anywhere in `data` (or a `"sim.` key in raw JSON text), else null. */
export function findSimHint(data: unknown): string | null {
  if (typeof data === "string") return /"(sim\.[^"]*)"\s*:/.exec(data)?.[1] ?? null;
  if (data === null || typeof data !== "object") return null;
  for (const [key, value] of Object.entries(data)) {
    if (key.startsWith("sim.")) return key;
    const inner = findSimHint(value);
    if (inner !== null) return inner;
  }
  return null;
}

/** The log of one case. */
export class WireLog {
  readonly entries: WireEntry[] = [];
  private connections = 0;

  /**
   * `simHints: false` (a run without `--sim`): a frame or request carrying a `sim.*` hint is
   * refused before it leaves, so no case can send one to a real backend (CONF-13).
   */
  constructor(private readonly options: { simHints?: boolean } = {}) {}

  /** A fresh connection label with the given prefix. */
  label(prefix: "ws" | "http"): string {
    this.connections += 1;
    return `${prefix}${this.connections}`;
  }

  /** Records one entry and returns it. */
  add(entry: Omit<WireEntry, "i" | "t"> & { t?: number }): WireEntry {
    if (entry.dir === "send" && this.options.simHints === false) {
      const hint = findSimHint(entry.data);
      if (hint !== null) {
        throw new SimHintOutsideSim(
          `runner bug: the case tried to send the ${hint} hint in a run without --sim (CONF-13)`,
        );
      }
    }
    const full: WireEntry = { i: this.entries.length, t: entry.t ?? now(), ...entry } as WireEntry;
    this.entries.push(full);
    return full;
  }

  /** The log as JSON lines. */
  toJsonl(): string {
    return (
      this.entries.map((e) => JSON.stringify(e)).join("\n") + (this.entries.length ? "\n" : "")
    );
  }
}
