/**
 * A conversation's token ids, joined into one Int32Array each turn, are exactly the ids of its
 * rendered parts in order, with the instructions' first: the same sequence the plain arrays
 * held, past the 32k ids where the representation matters (docs/performance.md).
 */
import t from "tap";
import { joinTokenIds } from "../../../reference-server/backend/token-ids.js";
import { encode } from "../../../reference-server/backend/tokenizer.js";
import {
  contextTokens,
  EMPTY_CONTEXT,
  extendContext,
  renderInstructions,
} from "../../../reference-server/responses/render.js";

t.test("joins plain and typed arrays in order", async (t) => {
  const joined = joinTokenIds(Int32Array.from([1, 2]), [
    [3],
    new Int32Array(0),
    [4, 5],
    Int32Array.from([6]),
  ]);
  t.ok(joined instanceof Int32Array);
  t.same(Array.from(joined), [1, 2, 3, 4, 5, 6]);
  t.same(Array.from(joinTokenIds([], [])), []);
});

t.test("a growing conversation's ids equal its parts' encodings, turn after turn", async (t) => {
  const instructions = "You are a careful coding agent.";
  let context = EMPTY_CONTEXT;
  for (let turn = 0; turn < 16; turn++) {
    const file = Array.from({ length: 300 }, (_, i) => `export const t${turn}_${i} = ${i * turn};`);
    context = extendContext(context, [
      { type: "message", role: "user", content: `Turn ${turn}:\n${file.join("\n")}` },
    ]);
    const expected = context.parts.flatMap((part) => encode(part));
    t.equal(context.tokens.length, expected.length, `turn ${turn}: ${expected.length} ids`);
    t.ok(
      context.tokens.every((id, i) => id === expected[i]),
      `turn ${turn}: every id in order`,
    );
    const withHead = contextTokens(instructions, context);
    const head = encode(renderInstructions(instructions));
    t.same(Array.from(withHead.slice(0, head.length)), head, "the instructions first");
    t.equal(withHead.length, head.length + expected.length);
    t.equal(withHead[withHead.length - 1], expected[expected.length - 1], "then the conversation");
  }
  t.ok(context.tokens.length > 40_000, `${context.tokens.length} ids: past the large-array size`);
});
