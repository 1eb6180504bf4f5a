/**
 * Compaction (`POST /v1/responses/compact`, HTTP-18): a conversation becomes a shorter input
 * window, deterministically and with real o200k token counts. The window keeps every user
 * message verbatim and replaces everything else (assistant text, tool calls and outputs,
 * reasoning, earlier compactions) with one `compaction` item whose summary holds the first
 * tokens of each of those items (SIM-15). A client starts a new chain from it (RESP-27).
 */
import type {
  CompactedMessageItem,
  CompactResource,
  InputItem,
  OutputItem,
} from "../../src/protocol/index.js";
import { decode, TokenCache } from "../backend/tokenizer.js";
import { encodeCompaction } from "./compaction-content.js";
import { newCompactionId, newItemId } from "./ids.js";
import { type ConversationContext, renderItem } from "./render.js";

/** How many tokens of each summarised item the summary keeps. */
export const SUMMARY_TOKENS_PER_ITEM = 48;

const tokens = new TokenCache();

/** Compacts a conversation; `inputTokens` is what the pass read (instructions included). */
export function compactContext(
  context: ConversationContext,
  inputTokens: number,
  now: number = Date.now(),
): CompactResource {
  const kept: CompactedMessageItem[] = [];
  const summary: string[] = [];
  for (const item of context.items) {
    const text = userText(item);
    if (text !== undefined) {
      kept.push({
        type: "message",
        id: newItemId("msg"),
        status: "completed",
        role: "user",
        content: [{ type: "input_text", text }],
      });
      continue;
    }
    const ids = tokens.encode(renderItem(item));
    summary.push(decode(ids.slice(0, SUMMARY_TOKENS_PER_ITEM)).trimEnd());
  }
  const summaryText = summary.join("\n");
  const outputTokens = tokens.encode(summaryText).length;
  return {
    id: newCompactionId(),
    object: "response.compaction",
    output: [
      ...kept,
      {
        type: "compaction",
        id: newItemId("cmp"),
        encrypted_content: encodeCompaction(summaryText),
      },
    ],
    created_at: Math.floor(now / 1000),
    usage: {
      input_tokens: inputTokens,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: outputTokens,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: inputTokens + outputTokens,
    },
  };
}

/** The text of a user message (kept verbatim), or undefined for every other item. */
function userText(item: InputItem | OutputItem): string | undefined {
  if (item.type !== undefined && item.type !== "message") return undefined;
  const message = item as { role?: string; content?: unknown };
  if (message.role !== "user") return undefined;
  if (typeof message.content === "string") return message.content;
  if (!Array.isArray(message.content)) return "";
  return message.content
    .map((part: { type?: string; text?: unknown }) =>
      part.type === "input_text" ? String(part.text ?? "") : "",
    )
    .join("");
}
