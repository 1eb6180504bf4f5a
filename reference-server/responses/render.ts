/**
 * Rendering items to the token context the backend prefills. Each item becomes one string
 * part, encoded on its own (BPE never merges across parts), so the ids of a conversation's
 * earlier items are identical from turn to turn and the prefix cache can hit.
 */
import type { InputItem, OutputItem } from "../../src/protocol/index.js";
import { ProtocolError } from "../../src/protocol/index.js";
import { joinTokenIds, type TokenIds } from "../backend/token-ids.js";

export type { TokenIds };
import { type KnownEncoding, TokenCache } from "../backend/tokenizer.js";
import { compactionSummary } from "./compaction-content.js";

/** A conversation as the model sees it: rendered parts, their tokens, and the items. */
export interface ConversationContext {
  /** One rendered string per item, in order (instructions not included). */
  readonly parts: readonly string[];
  /** The o200k ids of `parts`, concatenated. */
  readonly tokens: TokenIds;
  /** Output items by id, so `item_reference` inputs can be resolved. */
  readonly itemsById: ReadonlyMap<string, OutputItem>;
  /** The `call_id` of every `function_call` so far: a tool's output must answer one of them. */
  readonly callIds: ReadonlySet<string>;
  /** The items, references resolved, one per part (what a compaction keeps or summarises). */
  readonly items: readonly (InputItem | OutputItem)[];
}

/** The empty conversation. */
export const EMPTY_CONTEXT: ConversationContext = {
  parts: [],
  tokens: [],
  itemsById: new Map(),
  callIds: new Set(),
  items: [],
};

const tokenCache = new TokenCache();

/** The shared memoised tokenizer (bounded LRU), so repeated items are encoded once. */
export function sharedTokenCache(): TokenCache {
  return tokenCache;
}

function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  let text = "";
  for (const part of content as Record<string, unknown>[]) {
    switch (part.type) {
      case "input_text":
      case "output_text":
      case "summary_text":
      case "reasoning_text":
        text += String(part.text ?? "");
        break;
      case "refusal":
        text += String(part.refusal ?? "");
        break;
      case "input_image":
        text += "[image]";
        break;
      case "input_file":
        text += `[file ${String(part.filename ?? "")}]`;
        break;
    }
  }
  return text;
}

/** Renders one input or output item to its context string. */
export function renderItem(item: InputItem | OutputItem): string {
  const type = "type" in item ? item.type : undefined;
  switch (type) {
    case "function_call": {
      const call = item as { name: string; arguments: string; call_id: string };
      return `<|assistant|>\ncall ${call.name}(${call.arguments}) [${call.call_id}]\n`;
    }
    case "function_call_output": {
      const out = item as { call_id: string; output: unknown };
      return `<|tool|>\n[${out.call_id}] ${contentText(out.output)}\n`;
    }
    case "reasoning": {
      const r = item as { summary?: unknown };
      return `<|reasoning|>\n${contentText(r.summary)}\n`;
    }
    case "compaction":
      return `<|compaction|>\n${compactionSummary((item as { encrypted_content: string }).encrypted_content) ?? ""}\n`;
    default: {
      const message = item as { role?: string; content?: unknown };
      return `${messageHead(message)}${contentText(message.content)}\n`;
    }
  }
}

/** What a message's part starts with, before its text. */
function messageHead(message: { role?: string }): string {
  return `<|${message.role ?? "user"}|>\n`;
}

/**
 * The known encodings of a message's part, from the known encoding of its text's start (see
 * {@link extendContext}); undefined for any other item.
 */
function knownParts(
  item: InputItem | OutputItem,
  text: KnownEncoding | undefined,
): KnownEncoding[] | undefined {
  const type = "type" in item ? item.type : undefined;
  if (text === undefined || (type !== undefined && type !== "message")) return undefined;
  const head = messageHead(item as { role?: string });
  return [{ chars: head.length, ids: tokenCache.encode(head) }, text];
}

/** The text of the conversation's latest user message ("" when it has none). */
export function latestUserText(context: ConversationContext): string {
  for (let i = context.items.length - 1; i >= 0; i--) {
    const item = context.items[i] as { type?: string; role?: string; content?: unknown };
    if ((item.type === undefined || item.type === "message") && item.role === "user") {
      return contentText(item.content);
    }
  }
  return "";
}

/** Renders the instructions part (empty string when there are none). */
export function renderInstructions(instructions: string | null): string {
  return instructions === null || instructions === "" ? "" : `<|system|>\n${instructions}\n`;
}

/**
 * Extends a conversation with new items. `item_reference` inputs are resolved against the
 * conversation's earlier output items; an unknown reference is the client's error. `knownText`:
 * for a message among `items`, the ids of its text's first characters when the caller has them
 * (a finished response's output, from the model); its part is then encoded from them, with the
 * same ids as without.
 */
export function extendContext(
  base: ConversationContext,
  items: readonly (InputItem | OutputItem)[],
  paramPrefix = "/input",
  knownText?: ReadonlyMap<InputItem | OutputItem, KnownEncoding>,
): ConversationContext {
  if (items.length === 0) return base;
  const parts = base.parts.slice();
  const resolved = base.items.slice();
  const encodings: TokenIds[] = [];
  let itemsById = base.itemsById as Map<string, OutputItem>;
  let callIds = base.callIds as Set<string>;
  let copied = false;
  items.forEach((raw, index) => {
    let item = raw;
    if (isReference(item)) {
      const found = base.itemsById.get(item.id);
      if (!found) {
        throw new ProtocolError("invalid_event", `item_reference ${item.id} names no known item`, {
          param: `${paramPrefix}/${index}/id`,
        });
      }
      item = found;
    }
    if (item.type === "compaction") {
      const content = (item as { encrypted_content: string }).encrypted_content;
      if (compactionSummary(content) === undefined) {
        throw new ProtocolError(
          "invalid_event",
          "encrypted_content is not a compaction this server produced (POST /v1/responses/compact).",
          { param: `${paramPrefix}/${index}/encrypted_content` },
        );
      }
    }
    const callId = (item as { call_id?: unknown }).call_id;
    if (item.type === "function_call" && typeof callId === "string") {
      if (callIds === base.callIds) callIds = new Set(callIds);
      callIds.add(callId);
    } else if (item.type === "function_call_output" && !callIds.has(String(callId))) {
      throw new ProtocolError(
        "tool_call_not_found",
        `No function_call in this context has call_id ${JSON.stringify(callId)}: a tool's output must answer a call.`,
        { param: `${paramPrefix}/${index}/call_id` },
      );
    }
    const part = renderItem(item);
    parts.push(part);
    resolved.push(item);
    encodings.push(tokenCache.encode(part, knownParts(item, knownText?.get(raw))));
    const id = (item as { id?: unknown }).id;
    if (typeof id === "string" && "status" in item && item.type !== undefined) {
      if (!copied) {
        itemsById = new Map(itemsById);
        copied = true;
      }
      itemsById.set(id, item as OutputItem);
    }
  });
  return {
    parts,
    tokens: joinTokenIds(base.tokens, encodings),
    itemsById,
    callIds,
    items: resolved,
  };
}

function isReference(
  item: InputItem | OutputItem,
): item is { type?: "item_reference"; id: string } {
  return (
    (item as { type?: unknown }).type === "item_reference" ||
    (!("type" in item) && !("role" in item) && "id" in item)
  );
}

/** The full token input of a request: instructions, then the conversation. */
export function contextTokens(instructions: string | null, context: ConversationContext): TokenIds {
  const head = renderInstructions(instructions);
  if (head === "") return context.tokens;
  // A finished turn's transcript is rendered for the prefix cache and again by the next turn's
  // continuation; the same (instructions, context) pair yields the same array, built once.
  const memo = withInstructions.get(context);
  if (memo !== undefined && memo.head === head) return memo.tokens;
  const tokens = joinTokenIds(tokenCache.encode(head), [context.tokens]);
  withInstructions.set(context, { head, tokens });
  return tokens;
}

const withInstructions = new WeakMap<ConversationContext, { head: string; tokens: TokenIds }>();
