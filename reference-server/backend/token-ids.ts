/**
 * A sequence of o200k token ids. Short ones (an item's encoding, a generated output) are plain
 * arrays; a conversation's, which every turn extends by a copy, is an `Int32Array`. A plain
 * array of more than 32k small integers is over 128 KB, which V8 allocates in its large-object
 * space: a copy there cost 28–30 ns an id against under 1 ns below it (Node 20), so a 64k-token
 * conversation paid about 1.7 ms a copy, several times a turn (docs/performance.md). A typed
 * array's ids live outside the JavaScript heap and copy as one block.
 */
export type TokenIds = readonly number[] | Int32Array;

/** `head` then every one of `tails`, as one new `Int32Array`. */
export function joinTokenIds(head: TokenIds, tails: readonly TokenIds[]): Int32Array {
  let length = head.length;
  for (const tail of tails) length += tail.length;
  const out = new Int32Array(length);
  out.set(head);
  let at = head.length;
  for (const tail of tails) {
    out.set(tail, at);
    at += tail.length;
  }
  return out;
}
