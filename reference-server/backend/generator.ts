/**
 * The simulated model's output: deterministic, seeded, code-like text (TypeScript and Python
 * fragments with comments) or a function call, streamed as real o200k tokens.
 *
 * Text is produced lazily, one block (a function, an interface) at a time. Every block starts
 * at column 0 with a letter and ends with a newline, which is always a pre-tokeniser split
 * point, so encoding block by block yields exactly the ids of encoding the whole text: the
 * output can be re-tokenised and still hit the prefix cache. The output is ASCII only, so each
 * token decodes to a clean piece of the text.
 */
import { hashString, hashTokens, SeededRandom } from "./random.js";
import { decode, encode, tokenPiece } from "./tokenizer.js";
import { argumentsToJson, sampleArguments } from "./tool-arguments.js";
import type { FunctionTool, ToolChoice } from "./types.js";
import { joinTokenIds, type TokenIds } from "./token-ids.js";

/** One step of the output stream; `text` and `function_call.arguments` carry one token each. */
export type OutputEvent =
  | { type: "text"; text: string; token: number }
  | { type: "function_call.start"; callId: string; name: string }
  | { type: "function_call.arguments"; text: string; token: number; callId: string }
  | { type: "function_call.done"; callId: string; name: string; arguments: string };

/** Inputs of one generated output. */
export interface OutputOptions {
  /** Request seed; combined with the input so different prompts differ. */
  seed: number;
  /** The input context (its hash seeds the output; its tail is read for tool-call requests). */
  inputTokens: TokenIds;
  /** Hard cap on output tokens. */
  maxOutputTokens: number;
  /** Exact length to aim for (`sim.output_tokens`), still capped by `maxOutputTokens`. */
  exactOutputTokens?: number;
  /** Range of natural lengths when no exact length is asked (default 48..320). */
  naturalTokens?: { min: number; max: number };
  /** Tools the model may call. */
  tools?: readonly FunctionTool[];
  /** Tool choice of the request. */
  toolChoice?: ToolChoice;
  /** The input ends with a tool's output: `auto` answers in text (SIM-13). */
  answersToolOutput?: boolean;
  /** The latest user message, read by `auto` (SIM-12); the context's tail when absent. */
  prompt?: string;
  /** `parallel_tool_calls`: false allows one call per response (default true, SIM-16). */
  parallelToolCalls?: boolean;
  /** `max_tool_calls`: the most calls one response makes (SIM-16). */
  maxToolCalls?: number;
  /** `sim.force_tool_call`: true (any tool) or the name of the tool to call. */
  forceToolCall?: boolean | string;
}

/** A pull-based stream of output events for one generation. */
export interface OutputSource {
  /** Next event, or undefined when the output is finished. */
  next(): OutputEvent | undefined;
  /**
   * The per-token path, where a source has one: consumes the next token when the output goes on
   * with a text token and returns true, or returns false with nothing consumed (then `next()`
   * tells what comes, and it is never a text event). Nothing is allocated a token: the text of
   * the tokens advanced over is taken once a delta, with {@link takeText}.
   */
  advanceText?(): boolean;
  /**
   * The text of the tokens {@link advanceText} consumed since the last call: "" when none, else
   * a slice of the block they came from (one string a delta, two or three when it crosses a
   * block), the same characters `next()` would have handed out token by token.
   */
  takeText?(): string;
  /** Tokens handed out so far. */
  readonly tokens: number;
  /** Why the output ended (meaningful once `next()` returned undefined). */
  readonly finishReason: "stop" | "max_output_tokens";
  /** Ids of the tokens handed out so far, a fresh array (for caching input + output after the turn). */
  readonly tokenIds: Int32Array;
  /**
   * How much of the text handed out so far is known to be encoded exactly by its ids: the first
   * `tokens` ids are what `encode` gives the first `chars` characters, which have no run longer
   * than `encode`'s long-run cut, and `chars` is 0 or a line cut of the text (whole code blocks;
   * see `encodeAfterKnown`). Absent for sources that do not know.
   */
  readonly encodedText?: { tokens: number; chars: number };
}

const DEFAULT_NATURAL = { min: 48, max: 320 };
const TAIL_TOKENS = 256;

/** Creates the deterministic output stream for a request. */
export function createOutput(options: OutputOptions): OutputSource {
  const seed = hashTokens(options.inputTokens) ^ Math.imul(options.seed | 0, 0x9e3779b1);
  const rng = new SeededRandom(seed);
  const tool = chooseTool(options, rng);
  if (tool !== undefined) {
    const calls = [tool, ...moreCalls(options, tool)];
    return calls.length === 1
      ? new FunctionCallOutput(tool, rng, options.maxOutputTokens)
      : new ParallelCalls(calls, rng, options.maxOutputTokens);
  }
  const natural = options.naturalTokens ?? DEFAULT_NATURAL;
  const wanted = options.exactOutputTokens ?? rng.int(natural.min, natural.max);
  return new TextOutput(rng, wanted, options.maxOutputTokens);
}

/**
 * Under `auto` with `parallel_tool_calls` (the default), every other tool the prompt asks for
 * is called too, in the order the request lists them, up to `max_tool_calls` (SIM-16).
 */
function moreCalls(options: OutputOptions, first: FunctionTool): FunctionTool[] {
  const tools = options.tools ?? [];
  const auto = (options.toolChoice ?? "auto") === "auto" && options.forceToolCall === undefined;
  if (!auto || options.parallelToolCalls === false || options.answersToolOutput === true) return [];
  const limit = (options.maxToolCalls ?? Number.POSITIVE_INFINITY) - 1;
  const prompt = (options.prompt ?? decode(options.inputTokens.slice(-TAIL_TOKENS))).toLowerCase();
  const words = new Set(prompt.match(/[a-z0-9]+/g) ?? []);
  return tools.filter((t) => t !== first && asksFor(t, prompt, words)).slice(0, Math.max(0, limit));
}

/** The tool the model calls for these options, or undefined for a text answer. */
export function chooseTool(options: OutputOptions, rng: SeededRandom): FunctionTool | undefined {
  const tools = options.tools ?? [];
  const choice = options.toolChoice ?? "auto";
  if (tools.length === 0 || choice === "none") return undefined;
  if (typeof choice === "object") return byName(tools, choice.name);
  if (typeof options.forceToolCall === "string") return byName(tools, options.forceToolCall);
  if (choice === "required" || options.forceToolCall === true) return rng.pick(tools);
  if (options.answersToolOutput === true) return undefined;
  const prompt = options.prompt ?? decode(options.inputTokens.slice(-TAIL_TOKENS));
  return requestedByPrompt(prompt, tools, rng);
}

function byName(tools: readonly FunctionTool[], name: string): FunctionTool {
  return tools.find((t) => t.name === name) ?? { type: "function", name };
}

/**
 * `auto` (SIM-12): the prompt names a tool ("use read_file"), or the object of its name ("What's
 * the weather?" for `get_weather`), or asks for a tool without naming one ("call a tool").
 */
function requestedByPrompt(
  prompt: string,
  tools: readonly FunctionTool[],
  rng: SeededRandom,
): FunctionTool | undefined {
  const text = prompt.toLowerCase();
  const words = new Set(text.match(/[a-z0-9]+/g) ?? []);
  const named = tools.find((t) => text.includes(t.name.toLowerCase()));
  if (named !== undefined) return named;
  const byObject = tools.find((t) => asksFor(t, text, words));
  if (byObject !== undefined) return byObject;
  const asks = /\b(call|use|invoke|run)\b/.test(text) && /\b(tool|function)s?\b/.test(text);
  return asks ? rng.pick(tools) : undefined;
}

/** Whether a prompt names a tool or the object of its name. */
function asksFor(tool: FunctionTool, text: string, words: ReadonlySet<string>): boolean {
  if (text.includes(tool.name.toLowerCase())) return true;
  const object = nameObject(tool.name);
  return object !== undefined && (words.has(object) || words.has(`${object}s`));
}

/**
 * The object a tool's name acts on: its last word (snake_case, kebab-case or camelCase), in
 * the singular, when it has at least 4 letters (`get_weather` → weather, `list_files` → file).
 */
export function nameObject(name: string): string | undefined {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== "");
  let last = words.at(-1);
  if (last === undefined || words.length < 2) return undefined;
  if (last.length > 4 && last.endsWith("s") && !last.endsWith("ss")) last = last.slice(0, -1);
  return last.length >= 4 ? last : undefined;
}

/** Largest chunk of a generation's id record (o200k ids fit 32 bits). */
const ID_CHUNK_MAX = 4096;

abstract class TokenQueue implements OutputSource {
  // The ids handed out, in chunks of 64, 128, ... up to 4,096: 4 bytes a token plus at most
  // one chunk of slack (a number[] took 8 bytes a token plus up to half again while growing;
  // in a slow-reader run's heap snapshots these arrays were the largest growth).
  readonly #chunks: Uint32Array[] = [new Uint32Array(64)];
  #fill = 0;
  #count = 0;
  finishReason: "stop" | "max_output_tokens" = "stop";
  protected pending: readonly number[] = [];
  protected pendingAt = 0;

  get tokens(): number {
    return this.#count;
  }

  /** A fresh array of the ids handed out so far (one block copy a chunk, off the heap). */
  get tokenIds(): Int32Array {
    const ids = new Int32Array(this.#count);
    const last = this.#chunks.length - 1;
    let at = 0;
    this.#chunks.forEach((chunk, i) => {
      const part = i === last ? chunk.subarray(0, this.#fill) : chunk;
      ids.set(part, at);
      at += part.length;
    });
    return ids;
  }

  abstract next(): OutputEvent | undefined;

  protected takeToken(): number | undefined {
    if (this.pendingAt >= this.pending.length) return undefined;
    const token = this.pending[this.pendingAt++]!;
    let chunk = this.#chunks[this.#chunks.length - 1]!;
    if (this.#fill === chunk.length) {
      chunk = new Uint32Array(Math.min(ID_CHUNK_MAX, chunk.length * 2));
      this.#chunks.push(chunk);
      this.#fill = 0;
    }
    chunk[this.#fill++] = token;
    this.#count++;
    return token;
  }
}

class TextOutput extends TokenQueue {
  readonly #rng: SeededRandom;
  readonly #limit: number;
  /** The block being handed out. */
  #block: CorpusBlock | undefined;
  /** Whether every block so far joined the next at a line cut (see {@link CorpusBlock.joinable}). */
  #exact = true;
  /** The block's characters handed out (by `next()`) or advanced over (by `advanceText()`). */
  #charAt = 0;
  /** Where the block's text not yet taken starts (`#charAt` once `takeText()` caught up). */
  #takenTo = 0;
  /** Text advanced over in blocks before this one and not yet taken. */
  #carried = "";
  encodedText = { tokens: 0, chars: 0 };

  constructor(rng: SeededRandom, wanted: number, maxOutputTokens: number) {
    super();
    this.#rng = rng;
    this.#limit = Math.max(0, Math.min(wanted, maxOutputTokens));
    if (wanted > maxOutputTokens) this.finishReason = "max_output_tokens";
  }

  next(): OutputEvent | undefined {
    if (this.tokens >= this.#limit) return undefined;
    if (this.#takenTo < this.#charAt || this.#carried !== "") {
      throw new Error("TextOutput.next() with advanced text not taken (call takeText() first)");
    }
    if (!this.#advance()) return undefined;
    this.#takenTo = this.#charAt;
    const token = this.pending[this.pendingAt - 1]!;
    return { type: "text", text: tokenPiece(token), token };
  }

  advanceText(): boolean {
    return this.#advance();
  }

  takeText(): string {
    const block = this.#block;
    if (block === undefined || this.#takenTo === this.#charAt) {
      const carried = this.#carried;
      this.#carried = "";
      return carried;
    }
    const text = block.text.slice(this.#takenTo, this.#charAt);
    this.#takenTo = this.#charAt;
    if (this.#carried === "") return text;
    const joined = this.#carried + text;
    this.#carried = "";
    return joined;
  }

  // Consumes one token (moving to the next block when this one is handed out); false at the end.
  #advance(): boolean {
    if (this.tokens >= this.#limit) return false;
    if (this.pendingAt >= this.pending.length) {
      // The block before was handed out whole: its ids are its encoding, cut at a line break.
      const done = this.#block;
      if (done !== undefined) {
        if (this.#exact) {
          if (done.joinable) {
            this.encodedText = { tokens: this.tokens, chars: this.encodedText.chars + done.chars };
          } else this.#exact = false;
        }
        if (this.#takenTo < this.#charAt) this.#carried += done.text.slice(this.#takenTo);
      }
      this.#block = corpusBlock(this.#rng);
      this.pending = this.#block.ids;
      this.pendingAt = 0;
      this.#charAt = 0;
      this.#takenTo = 0;
    }
    this.takeToken();
    this.#charAt = this.#block!.ends[this.pendingAt - 1]!;
    return true;
  }
}

class FunctionCallOutput extends TokenQueue {
  readonly #callId: string;
  readonly #name: string;
  readonly #limit: number;
  #phase: "start" | "arguments" | "done" | "finished" = "start";
  #text = "";

  constructor(tool: FunctionTool, rng: SeededRandom, maxOutputTokens: number) {
    super();
    this.#name = tool.name;
    this.#callId = `call_${rng.next().toString(36).slice(2, 10)}${hashString(tool.name).toString(36)}`;
    this.pending = encode(argumentsToJson(sampleArguments(tool.parameters, rng)));
    this.#limit = Math.max(0, maxOutputTokens);
    if (this.pending.length > this.#limit) this.finishReason = "max_output_tokens";
  }

  next(): OutputEvent | undefined {
    switch (this.#phase) {
      case "start":
        this.#phase = "arguments";
        return { type: "function_call.start", callId: this.#callId, name: this.#name };
      case "arguments": {
        const token = this.tokens < this.#limit ? this.takeToken() : undefined;
        if (token !== undefined) {
          const text = tokenPiece(token);
          this.#text += text;
          return { type: "function_call.arguments", text, token, callId: this.#callId };
        }
        this.#phase = "done";
        return this.next();
      }
      case "done":
        this.#phase = "finished";
        return {
          type: "function_call.done",
          callId: this.#callId,
          name: this.#name,
          arguments: this.#text,
        };
      case "finished":
        return undefined;
    }
  }
}

// prettier-ignore
const NOUNS = [
  "buffer", "cache", "chunk", "config", "count", "cursor", "delta", "event", "frame", "handler",
  "index", "limit", "offset", "payload", "queue", "record", "request", "response", "result",
  "schema", "session", "socket", "state", "stream", "timer", "token", "value", "window",
] as const;
// prettier-ignore
const VERBS = [
  "apply", "build", "check", "collect", "decode", "emit", "encode", "fetch", "flush", "load",
  "merge", "parse", "read", "render", "resolve", "retry", "split", "update", "validate", "write",
] as const;
const TYPES = ["number", "string", "boolean", "Uint8Array", "string[]", "Map<string, number>"];
const OPS = ["<", ">", "<=", ">=", "===", "!=="];

function camel(rng: SeededRandom): string {
  const noun = rng.pick(NOUNS);
  return `${rng.pick(VERBS)}${noun[0]!.toUpperCase()}${noun.slice(1)}`;
}

function snake(rng: SeededRandom): string {
  return `${rng.pick(VERBS)}_${rng.pick(NOUNS)}`;
}

function pascal(rng: SeededRandom): string {
  const a = rng.pick(NOUNS);
  const b = rng.pick(NOUNS);
  return `${a[0]!.toUpperCase()}${a.slice(1)}${b[0]!.toUpperCase()}${b.slice(1)}`;
}

function comment(rng: SeededRandom): string {
  const n1 = rng.pick(NOUNS);
  const n2 = rng.pick(NOUNS);
  switch (rng.int(0, 3)) {
    case 0:
      return `Keep the ${n1} in sync with the ${n2}.`;
    case 1:
      return `TODO: ${rng.pick(VERBS)} the ${n1} before the ${n2} closes.`;
    case 2:
      return `The ${n1} may be empty when the ${n2} is reused.`;
    default:
      return `${rng.pick(VERBS)} each ${n1} once per ${n2}.`;
  }
}

function expression(rng: SeededRandom): string {
  switch (rng.int(0, 3)) {
    case 0:
      return `${rng.pick(NOUNS)}.length + ${rng.int(1, 64)}`;
    case 1:
      return `${camel(rng)}(${rng.pick(NOUNS)}, ${rng.int(0, 9)})`;
    case 2:
      return `${rng.pick(NOUNS)}[${rng.pick(NOUNS)}Index]`;
    default:
      return `Math.min(${rng.pick(NOUNS)}, ${rng.int(2, 4096)})`;
  }
}

/** How many code blocks the simulated model writes from. */
const CORPUS_BLOCKS = 512;
/** The longest block whose runs cannot reach the tokenizer's long-run cut (1,024 characters). */
const JOINABLE_MAX_CHARS = 1024;

/** One block of the corpus. */
export interface CorpusBlock {
  /** Its text: ASCII, so each id decodes on its own to whole characters. */
  readonly text: string;
  /** Its o200k ids (`encode` of its text). */
  readonly ids: readonly number[];
  /** Where each id's text ends in `text` (the sum of `tokenPiece` lengths up to it). */
  readonly ends: Uint32Array;
  /** Length of its text. */
  readonly chars: number;
  /**
   * Whether it starts with a letter, ends with "\n" and is no longer than the long-run cut:
   * then a text of such blocks is encoded by the blocks' ids one after another (every join is
   * a line cut, where o200k's pre-tokeniser ends a piece anyway), which `encodedText` reports.
   */
  readonly joinable: boolean;
}

/** The blocks, each encoded once, built on first use from a fixed seed. */
let corpus: readonly CorpusBlock[] | undefined;

/**
 * A code block, chosen by `rng` from a fixed corpus: a response's text is drawn block by
 * block, so the per-token path hands out ids instead of encoding freshly written text (BPE
 * encoding was an eighth of the server's CPU at 256 streams). Every process builds the same
 * corpus, so a seed writes the same text everywhere.
 */
export function corpusBlock(rng: SeededRandom): CorpusBlock {
  if (corpus === undefined) {
    const writer = new SeededRandom(0x5eed_c0de);
    corpus = Array.from({ length: CORPUS_BLOCKS }, () => {
      const text = codeBlock(writer);
      const joinable =
        /^[A-Za-z]/.test(text) && text.endsWith("\n") && text.length <= JOINABLE_MAX_CHARS;
      const ids = encode(text);
      const ends = new Uint32Array(ids.length);
      let at = 0;
      ids.forEach((id, i) => (ends[i] = at += tokenPiece(id).length));
      return { text, ids, ends, chars: text.length, joinable };
    });
  }
  return corpus[rng.int(0, CORPUS_BLOCKS - 1)]!;
}

/** One block of code; starts with a letter at column 0 and ends with "\n" (a split point). */
export function codeBlock(rng: SeededRandom): string {
  switch (rng.int(0, 2)) {
    case 0:
      return typeScriptFunction(rng);
    case 1:
      return typeScriptInterface(rng);
    default:
      return pythonFunction(rng);
  }
}

function typeScriptFunction(rng: SeededRandom): string {
  const lines = [
    `export function ${camel(rng)}(${rng.pick(NOUNS)}: ${rng.pick(TYPES)}): ${rng.pick(TYPES)} {`,
  ];
  const body = rng.int(2, 6);
  for (let i = 0; i < body; i++) {
    const name = rng.pick(NOUNS);
    switch (rng.int(0, 3)) {
      case 0:
        lines.push(`  // ${comment(rng)}`);
        break;
      case 1:
        lines.push(`  if (${name} ${rng.pick(OPS)} ${rng.int(0, 255)}) {`);
        lines.push(`    return ${expression(rng)};`);
        lines.push("  }");
        break;
      default:
        lines.push(`  const ${name}${rng.int(0, 9)} = ${expression(rng)};`);
    }
  }
  lines.push(`  return ${expression(rng)};`, "}", "");
  return `${lines.join("\n")}\n`;
}

function typeScriptInterface(rng: SeededRandom): string {
  const lines = [`/** ${comment(rng)} */`, `export interface ${pascal(rng)} {`];
  const fields = rng.int(2, 5);
  for (let i = 0; i < fields; i++) {
    lines.push(`  ${rng.pick(NOUNS)}${rng.chance(0.3) ? "?" : ""}: ${rng.pick(TYPES)};`);
  }
  lines.push("}", "");
  // The doc comment starts with "/", so prefix a letter-led line: blocks start with a letter.
  return `type ${pascal(rng)}Id = string;\n${lines.join("\n")}\n`;
}

function pythonFunction(rng: SeededRandom): string {
  const name = rng.pick(NOUNS);
  const lines = [`def ${snake(rng)}(${name}, limit=${rng.int(1, 512)}):`];
  lines.push(`    """${comment(rng)}"""`);
  const body = rng.int(1, 4);
  for (let i = 0; i < body; i++) {
    if (rng.chance(0.3)) lines.push(`    # ${comment(rng)}`);
    lines.push(`    ${rng.pick(NOUNS)} = ${snake(rng)}(${name}, ${rng.int(0, 99)})`);
  }
  lines.push(`    return ${rng.pick(NOUNS)}`, "");
  return `${lines.join("\n")}\n`;
}

/** Several calls in one response, one after another, sharing the output token cap (SIM-16). */
class ParallelCalls implements OutputSource {
  readonly #tools: readonly FunctionTool[];
  readonly #rng: SeededRandom;
  readonly #limit: number;
  readonly #done: FunctionCallOutput[] = [];
  #current: FunctionCallOutput;
  #capped = false;

  constructor(tools: readonly FunctionTool[], rng: SeededRandom, maxOutputTokens: number) {
    this.#tools = tools;
    this.#rng = rng;
    this.#limit = maxOutputTokens;
    this.#current = new FunctionCallOutput(tools[0]!, rng, maxOutputTokens);
  }

  get tokens(): number {
    return this.#done.reduce((n, c) => n + c.tokens, this.#current.tokens);
  }

  get finishReason(): "stop" | "max_output_tokens" {
    return this.#capped ? "max_output_tokens" : this.#current.finishReason;
  }

  get tokenIds(): Int32Array {
    return joinTokenIds(new Int32Array(0), [
      ...this.#done.map((c) => c.tokenIds),
      this.#current.tokenIds,
    ]);
  }

  next(): OutputEvent | undefined {
    const event = this.#current.next();
    if (event !== undefined) return event;
    const index = this.#done.length + 1;
    if (this.#current.finishReason !== "stop" || index >= this.#tools.length) return undefined;
    const left = this.#limit - this.tokens;
    if (left <= 0) {
      this.#capped = true;
      return undefined;
    }
    this.#done.push(this.#current);
    this.#current = new FunctionCallOutput(this.#tools[index]!, this.#rng, left);
    return this.#current.next();
  }
}
