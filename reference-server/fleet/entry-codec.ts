/**
 * How a batch of a response's consecutive events is written as one Redis Stream entry, and read
 * back. Fields: `s` the first number, `n` the count, `t` the types and `j` the JSON, each joined
 * by newlines (JSON.stringify never writes a raw newline), `x` "1" when the last is the
 * terminal.
 *
 * Most of a stream is text deltas of one item whose JSON differs from the previous event's
 * only in the text and the number, so an event of the same type as the one before it is
 * written as what differs: its type as an empty line, its JSON as `^p,q,middle` (the previous
 * event's JSON without its trailing `N}`, keeping its first p and last q characters around
 * `middle`, then this event's `N+1}`) or `~p,q,middle` (the same on the whole JSON), whichever
 * is shorter than the JSON itself. A JSON line always starts with `{`, so the markers are
 * unambiguous; the reader rebuilds every JSON byte for byte.
 */
import type { LoggedEvent } from "../responses/event-log.js";

/** The fields `t`, `j` of a batch (consecutive events, numbered from the first one's). */
export function encodeBatch(batch: readonly LoggedEvent[]): { types: string; jsons: string } {
  let types = batch[0]!.type;
  let jsons = batch[0]!.json;
  for (let i = 1; i < batch.length; i++) {
    const prev = batch[i - 1]!;
    const event = batch[i]!;
    if (event.type === prev.type) {
      types += "\n";
      jsons +=
        "\n" +
        (sameItemDelta(prev, event)
          ? deltaLine(event)
          : diffJson(prev.json, event.json, event.sequenceNumber));
    } else {
      types += "\n" + event.type;
      jsons += "\n" + event.json;
    }
  }
  return { types, jsons };
}

/** Whether `event` is a per-token delta of the same item as `prev`, built from the same strings. */
function sameItemDelta(prev: LoggedEvent, event: LoggedEvent): boolean {
  return event.head !== undefined && event.head === prev.head && event.tail === prev.tail;
}

/**
 * What {@link diffJson} writes for a delta following one of its item (their JSON differs only in
 * the text and the number), cut where the text's JSON string starts and ends rather than where
 * the two first differ: found in constant time, not by comparing the two JSONs.
 */
function deltaLine(event: LoggedEvent): string {
  const { json, sequenceNumber } = event;
  const p = event.head!.length + 1;
  const q = event.tail!.length + 1;
  const numberEnd = json.length - decimalDigits(sequenceNumber) - 1;
  return `^${p},${q},${json.slice(p, numberEnd - q)}`;
}

function decimalDigits(n: number): number {
  let digits = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    digits++;
  }
  return digits;
}

/**
 * One response's part of an `APPEND_BATCHES` write: first number, count, terminal flag, expiry
 * (ms, 0: leave it), types and JSON, separated by byte 0x1f. JSON.stringify escapes every
 * control character, so neither 0x1f nor the 0x1e between parts can occur inside a field.
 */
export function packBatch(batch: readonly LoggedEvent[], expiryMs: number): string {
  const { types, jsons } = encodeBatch(batch);
  const terminal = batch.at(-1)!.terminal ? "1" : "";
  return `${batch[0]!.sequenceNumber}\x1f${batch.length}\x1f${terminal}\x1f${expiryMs}\x1f${types}\x1f${jsons}`;
}

/** Joins the parts {@link packBatch} made into `APPEND_BATCHES`' one argument. */
export function packBatches(parts: readonly string[]): Buffer {
  // Encoded once, outside V8's heap: a write's bytes are not young garbage to scavenge.
  return Buffer.from(parts.join("\x1e"));
}

/** The events of an entry's fields (a batch, or one event the reaper wrote: no `n`). */
export function decodeEntry(fields: Readonly<Record<string, string>>): LoggedEvent[] {
  const first = Number(fields.s);
  const types = (fields.t ?? "").split("\n");
  const lines = (fields.j ?? "{}").split("\n");
  const last = types.length - 1;
  const events: LoggedEvent[] = [];
  for (let i = 0; i < types.length; i++) {
    const prev = events[i - 1];
    const sequenceNumber = first + i;
    const line = lines[i] ?? "{}";
    events.push({
      sequenceNumber,
      type: types[i] === "" && prev ? prev.type : types[i]!,
      json: prev ? undiffJson(prev.json, line, sequenceNumber) : line,
      terminal: i === last && fields.x === "1",
    });
  }
  return events;
}

/** `json` (event number `seq`) as what differs from `prev` (number `seq - 1`), or itself. */
export function diffJson(prev: string, json: string, seq: number): string {
  const tail = `${seq}}`;
  const prevTail = `${seq - 1}}`;
  const numbered = json.endsWith(tail) && prev.endsWith(prevTail);
  const a = numbered ? prev.slice(0, prev.length - prevTail.length) : prev;
  const b = numbered ? json.slice(0, json.length - tail.length) : json;
  const max = Math.min(a.length, b.length);
  let p = 0;
  while (p < max && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  // Never inside a surrogate pair: a lone half is not UTF-8, and the line is written as UTF-8.
  if (p > 0 && isHighSurrogate(b.charCodeAt(p - 1))) p--;
  let q = 0;
  while (q < max - p && a.charCodeAt(a.length - 1 - q) === b.charCodeAt(b.length - 1 - q)) q++;
  if (q > 0 && isLowSurrogate(b.charCodeAt(b.length - q))) q--;
  const line = `${numbered ? "^" : "~"}${p},${q},${b.slice(p, b.length - q)}`;
  return line.length < json.length ? line : json;
}

/** The JSON a {@link diffJson} line stands for, given the previous event's JSON. */
export function undiffJson(prev: string, line: string, seq: number): string {
  const marker = line.charCodeAt(0);
  if (marker !== 0x5e /* ^ */ && marker !== 0x7e /* ~ */) return line;
  const c1 = line.indexOf(",");
  const c2 = line.indexOf(",", c1 + 1);
  const p = Number(line.slice(1, c1));
  const q = Number(line.slice(c1 + 1, c2));
  const middle = line.slice(c2 + 1);
  if (marker === 0x7e) return prev.slice(0, p) + middle + prev.slice(prev.length - q);
  const a = prev.slice(0, prev.length - `${seq - 1}}`.length);
  return a.slice(0, p) + middle + a.slice(a.length - q) + `${seq}}`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
