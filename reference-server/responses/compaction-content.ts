/**
 * The content of a `compaction` item. The hosted API encrypts it; the reference server only
 * needs it opaque and self-checking, so it is `hlc1.` + base64url of `{"summary": text}`: a
 * client cannot read meaning into it, and the server can tell its own from anything else.
 */

const PREFIX = "hlc1.";

/** Encodes a summary as a compaction item's `encrypted_content`. */
export function encodeCompaction(summary: string): string {
  return PREFIX + Buffer.from(JSON.stringify({ summary }), "utf8").toString("base64url");
}

/** The summary inside `encrypted_content`, or undefined when this server did not produce it. */
export function compactionSummary(content: string): string | undefined {
  if (!content.startsWith(PREFIX)) return undefined;
  try {
    const value = JSON.parse(
      Buffer.from(content.slice(PREFIX.length), "base64url").toString("utf8"),
    );
    return typeof value?.summary === "string" ? value.summary : undefined;
  } catch {
    return undefined;
  }
}
