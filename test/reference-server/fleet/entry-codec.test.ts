/**
 * A stream entry's events come back byte for byte (reference-server/fleet/entry-codec.ts),
 * whatever their JSON, and a run of text deltas is written as a fraction of its JSON.
 */
import fc from "fast-check";
import t from "tap";
import {
  decodeEntry,
  diffJson,
  encodeBatch,
  undiffJson,
} from "../../../reference-server/fleet/entry-codec.js";
import type { LoggedEvent } from "../../../reference-server/responses/event-log.js";

/** What the owner writes and a follower reads, through the fields of one entry. */
function roundTrip(batch: LoggedEvent[]): LoggedEvent[] {
  const { types, jsons } = encodeBatch(batch);
  return decodeEntry({
    s: String(batch[0]!.sequenceNumber),
    n: String(batch.length),
    t: types,
    j: jsons,
    ...(batch.at(-1)!.terminal ? { x: "1" } : {}),
  });
}

const delta = (seq: number, text: string): LoggedEvent => ({
  sequenceNumber: seq,
  type: "response.output_text.delta",
  json:
    `{"type":"response.output_text.delta","response_id":"resp_1","item_id":"msg_1",` +
    `"output_index":0,"content_index":0,"delta":${JSON.stringify(text)},"logprobs":[],` +
    `"sequence_number":${seq}}`,
  terminal: false,
});

t.test("any batch of events comes back byte for byte", (t) => {
  const types = fc.constantFrom("response.output_text.delta", "response.created", "x");
  // JSON text: any string (JSON.stringify never writes a raw newline), often ending with a
  // number and `}` like an event, sometimes numbered as its place in the batch.
  const event = fc.record({
    type: types,
    body: fc.string({ unit: "grapheme", maxLength: 40 }),
    numbered: fc.boolean(),
  });
  const property = fc.property(
    fc.nat(1000),
    fc.array(event, { minLength: 1, maxLength: 12 }),
    (first, raw) => {
      const batch: LoggedEvent[] = raw.map((e, i) => {
        const seq = first + i;
        const body = JSON.stringify(e.body);
        return {
          sequenceNumber: seq,
          type: e.type,
          json: e.numbered ? `{"v":${body},"sequence_number":${seq}}` : `{"v":${body}}`,
          terminal: i === raw.length - 1,
        };
      });
      return JSON.stringify(roundTrip(batch)) === JSON.stringify(batch);
    },
  );
  t.doesNotThrow(() => fc.assert(property, { numRuns: 500 }), "500 random batches");
  t.end();
});

t.test("a run of text deltas is written as its texts and little else", (t) => {
  const texts = ["fn", " lex", "(src", ": &str", ")", " ->", " Vec", "<Token", ">", " {"];
  const batch = texts.map((text, i) => delta(98 + i, text));
  const { types, jsons } = encodeBatch(batch);
  const whole = batch.reduce((n, e) => n + e.json.length + e.type.length, 0);
  const written = types.length + jsons.length;
  t.ok(written < whole / 4, `${written} bytes written for ${whole} (under a quarter)`);
  t.same(roundTrip(batch), batch, "and read back unchanged across 99 -> 100 -> 107");
  t.end();
});

t.test("a line that is not shorter stays the JSON itself", (t) => {
  t.equal(diffJson('{"a":1}', '{"b":2}', 5), '{"b":2}');
  t.equal(undiffJson('{"a":1}', '{"b":2}', 5), '{"b":2}', "a JSON line is read as is");
  t.end();
});

t.test("a line never splits a surrogate pair (it is written as UTF-8)", (t) => {
  // 𐀀 and 𐀁 share their high surrogate; 𐀀 and 𐐀 their low one.
  for (const [before, after] of [
    ["𐀀", "𐀁"],
    ["a𐀀", "b𐐀"],
  ] as const) {
    const line = diffJson(delta(7, before).json, delta(8, after).json, 8);
    t.equal(Buffer.from(line).toString(), line, `${before} -> ${after}: well-formed`);
    t.equal(undiffJson(delta(7, before).json, line, 8), delta(8, after).json, "and read back");
  }
  t.end();
});

t.test("deltas the output text path built are cut at their text, found without comparing", (t) => {
  // As ResponseRun's per-token path builds them: one head and one tail shared by an item.
  const itemDelta = (item: { head: string; tail: string }, seq: number, text: string) => ({
    sequenceNumber: seq,
    type: "response.output_text.delta",
    json: `${item.head}${JSON.stringify(text)}${item.tail}${seq}}`,
    terminal: false,
    ...item,
  });
  const item = (id: string) => ({
    head: `{"type":"response.output_text.delta","item_id":"${id}","delta":`,
    tail: `,"output_index":0,"content_index":0,"sequence_number":`,
  });
  const property = fc.property(
    fc.nat(100_000),
    fc.array(fc.tuple(fc.boolean(), fc.string({ unit: "grapheme", maxLength: 12 })), {
      minLength: 2,
      maxLength: 12,
    }),
    (first, texts) => {
      // Two items whose ids differ only in their content: same lengths, different strings.
      const [a, b] = [item("msg_0000000000000001"), item("msg_0000000000000002")];
      const batch = texts.map(([other, text], i) => itemDelta(other ? b : a, first + i, text));
      const lines = encodeBatch(batch).jsons.split("\n");
      batch.forEach((event, i) => {
        if (i === 0 || event.head !== batch[i - 1]!.head) return;
        const cut = `^${event.head.length + 1},${event.tail.length + 1},`;
        if (!lines[i]!.startsWith(cut))
          throw new Error(`line ${i} is ${lines[i]}, not cut at the text`);
      });
      const plain = batch.map(({ head: _h, tail: _t, ...event }) => event);
      return JSON.stringify(roundTrip(batch)) === JSON.stringify(plain);
    },
  );
  t.doesNotThrow(() => fc.assert(property, { numRuns: 400 }));
  t.end();
});
