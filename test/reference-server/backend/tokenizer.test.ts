import fc from "fast-check";
import t from "tap";
import {
  countTokens,
  decode,
  encode,
  encodeAfterKnown,
  type KnownEncoding,
  TokenCache,
  tokenPiece,
} from "../../../reference-server/backend/tokenizer.js";
import { encode as encodeUncut } from "gpt-tokenizer/encoding/o200k_base";

t.test("o200k round trip and real counts", (t) => {
  const text = "Hello, world! function add(a: number) { return a + 1; }";
  const ids = encode(text);
  t.equal(decode(ids), text);
  t.equal(countTokens("Hello, world!"), 4, "o200k: Hello , world !");
  t.equal(ids.map(tokenPiece).join(""), text, "ASCII pieces concatenate to the text");
  t.end();
});

t.test("special-token strings are plain text", (t) => {
  const ids = encode("a <|endoftext|> b");
  t.ok(ids.length > 3, "encoded as several ordinary tokens");
  t.equal(decode(ids), "a <|endoftext|> b");
  t.end();
});

t.test("TokenCache memoises per string and concatenates parts", (t) => {
  const cache = new TokenCache({ maxTokens: 10_000 });
  const system = "You are a careful coding assistant. ".repeat(20);
  const turn1 = "Please refactor the parser so that it streams tokens.";
  const a = cache.encodeParts([system, turn1]);
  const b = cache.encodeParts([system, turn1, "Now add tests for the streaming parser."]);
  t.same(b.slice(0, a.length), a, "the earlier context is a prefix of the later one");
  const stats = cache.stats();
  t.equal(stats.hits, 2, "system and turn1 reused");
  t.equal(stats.misses, 3);
  t.equal(cache.countTokens(system), encode(system).length);
  t.end();
});

t.test("TokenCache stays within its token bound", (t) => {
  const cache = new TokenCache({ maxTokens: 200, minChars: 1 });
  for (let i = 0; i < 50; i++) cache.encode(`item number ${i} with a few more words in it`);
  t.ok(cache.stats().tokens <= 200);
  t.end();
});

t.test("a long run without a break encodes in bounded time (BPE is quadratic per piece)", (t) => {
  const started = performance.now();
  const ids = encode("x".repeat(1 << 20));
  t.ok(performance.now() - started < 5_000, `1 MiB word in ${performance.now() - started} ms`);
  t.equal(decode(ids), "x".repeat(1 << 20), "still round-trips");
  const spaces = encode(" ".repeat(100_000) + "💥".repeat(3_000));
  t.equal(decode(spaces), " ".repeat(100_000) + "💥".repeat(3_000), "no pair is split");
  const prose = "The parser streams tokens, one at a time. ".repeat(500);
  t.same(encode(prose), encodeUncut(prose), "ordinary text is encoded exactly as o200k");
  t.end();
});

// Lines and the characters that decide where o200k's pieces end around a newline:
// newlines, carriage returns, slashes, spaces, punctuation, letters, digits, non-ASCII.
const ATOMS = [
  "\n",
  "\r\n",
  "\n\n",
  "/",
  "//",
  " ",
  "  ",
  "\t",
  "}",
  ");",
  "'s",
  "x",
  "Word",
  "word",
  "123",
  "4567",
  "é",
  "日本",
  "🙂",
  "\u2028",
  "\u0085",
  "\f",
  "\v",
  "\ufeff",
  "\r",
  "\u00a0",
  " \n",
  "\n ",
  "\n/",
  "<|endoftext|>",
  "  return a + 1;",
  "*/",
];

t.test("long texts encoded line by line give o200k's own ids", (t) => {
  const text = fc
    .array(fc.constantFrom(...ATOMS), { minLength: 60, maxLength: 400 })
    .map((parts) => parts.join(""))
    .filter((s) => s.length >= 256);
  fc.assert(
    fc.property(text, (s) => {
      t.same(
        encode(s),
        encodeUncut(s, { allowedSpecial: new Set(), disallowedSpecial: new Set() }),
      );
    }),
    { numRuns: 300, seed: 42 },
  );
  // A recurring line comes from the memo the second time, with the same ids.
  const code = "export function add(a: number): number {\n  return a + 1;\n}\n\n".repeat(8);
  t.same(encode(code), encode(code));
  t.same(encode(code), encodeUncut(code));
  t.end();
});

/** `text` with every character outside printable ASCII escaped: U+0085 and U+2028 end a TAP line. */
function ascii(text: string): string {
  return text.replace(
    /[^\x20-\x7e]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

t.test("a text's ids from the known ids of its start are encode's own, or none", (t) => {
  // Texts of short runs (the known parts' contract), cut into two or three parts anywhere: after
  // a line break, before one, mid-word. Where the function answers, its ids are encode's.
  const text = fc
    .array(fc.constantFrom(...ATOMS), { minLength: 2, maxLength: 300 })
    .map((parts) => parts.join(""));
  let answered = 0;
  let cases = 0;
  fc.assert(
    fc.property(text, fc.array(fc.nat(), { minLength: 1, maxLength: 2 }), (s, picks) => {
      // Cut at line breaks' ends mostly (where an answer is possible), elsewhere sometimes.
      const breaks = [...s.matchAll(/\n/g)].map((m) => m.index + 1);
      const cuts = picks
        .map((p, i) =>
          i % 2 === 0 && breaks.length > 0 ? breaks[p % breaks.length]! : p % (s.length + 1),
        )
        .sort((a, b) => a - b);
      const known: KnownEncoding[] = [];
      let at = 0;
      for (const cut of cuts) {
        known.push({ chars: cut - at, ids: encode(s.slice(at, cut)) });
        at = cut;
      }
      const ids = encodeAfterKnown(s, known);
      cases++;
      if (ids !== undefined) {
        answered++;
        t.same(ids, encode(s), ascii(JSON.stringify({ s, cuts })));
      }
    }),
    { numRuns: 400, seed: 7 },
  );
  t.ok(answered > cases / 4, `answered ${answered} of ${cases}`);
  // Mid-word, before a slash, or between a line's spaces and its next line break: o200k may
  // merge across each, so no answer.
  for (const [s, cut] of [
    ["export function parse(frame) {\n  return frame;\n}\n", 10],
    ["a\n/b\n", 2],
    ["a\n  \nb\n", 2],
  ] as const) {
    t.equal(
      encodeAfterKnown(s, [{ chars: cut, ids: encode(s.slice(0, cut)) }]),
      undefined,
      JSON.stringify(s),
    );
  }
  // A whitespace run across a cut, shorter than encode's long-run cut on either side and longer
  // in all: encode cuts it, so no answer either.
  const before = `a${" ".repeat(600)}\n`;
  const long = `${before}${" ".repeat(600)}b\n`;
  t.equal(encodeAfterKnown(long, [{ chars: before.length, ids: encode(before) }]), undefined);
  t.end();
});
