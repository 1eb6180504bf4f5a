/**
 * The benchmark's workload: a scripted, seeded coding session. Every turn adds a user message
 * and the scripted result of a file read (a `function_call` and its `function_call_output`
 * holding the file), so the context grows by about `growthTokensPerTurn` tokens a turn (64k
 * after 20 turns by default), and asks for ~300 output tokens. The same seed always yields the
 * same bytes; every transport sends exactly these items.
 */
import { SeededRandom } from "../src/util/seeded-random.js";
import { createHash } from "node:crypto";
import { encode } from "gpt-tokenizer/encoding/o200k_base";
import type { FunctionTool, InputItem } from "../src/protocol/index.js";

/** Options of {@link makeWorkload}. */
export interface WorkloadOptions {
  /** Number of turns (default 20). */
  turns?: number;
  /** Seed of every generated text (default 1). */
  seed?: number;
  /** Input tokens each turn adds, the model's answer included (default 3,200: 64k at turn 20). */
  growthTokensPerTurn?: number;
  /** Output tokens asked for each turn (default 300). */
  outputTokens?: number;
}

/** One scripted turn: the items it adds to the conversation. */
export interface WorkloadTurn {
  /** 1-based turn number. */
  turn: number;
  /** The new items, byte-identical for every transport. */
  items: InputItem[];
  /** o200k tokens of `items` as the reference server renders them (an estimate). */
  tokens: number;
}

/** A whole scripted session. */
export interface Workload {
  seed: number;
  instructions: string;
  tools: FunctionTool[];
  /** `max_output_tokens` of every request. */
  maxOutputTokens: number;
  /** `metadata` of every request (asks the simulated model for exactly `maxOutputTokens`). */
  metadata: Record<string, string>;
  turns: WorkloadTurn[];
  /** Estimated input tokens of the last turn (instructions, all items, earlier answers). */
  finalContextTokens: number;
  /** SHA-256 of the instructions, tools and items: equal digests mean equal inputs. */
  digest: string;
}

const NOUNS = [
  "session",
  "buffer",
  "frame",
  "token",
  "stream",
  "cursor",
  "schema",
  "request",
  "handler",
  "cache",
  "window",
  "budget",
  "queue",
  "record",
  "payload",
  "timer",
];
const VERBS = [
  "parse",
  "encode",
  "flush",
  "merge",
  "validate",
  "resolve",
  "render",
  "collect",
  "reset",
  "compact",
  "measure",
  "drain",
];
const TYPES = ["string", "number", "boolean", "Uint8Array", "Map<string, number>", "string[]"];
const ASKS = [
  "The tests for {file} fail after the last change to {fn}. Find out why and fix it without changing the public signature.",
  "Refactor {fn} in {file} so that it no longer allocates on the hot path, and keep the behaviour identical.",
  "Add input validation to {fn} in {file}: reject empty values with a clear error message and document it.",
  "Explain what {fn} in {file} does with a {noun} that arrives twice, then make it idempotent.",
  "Write unit tests for {fn} in {file} covering the empty {noun}, a large {noun} and a malformed one.",
  "The {noun} handling in {file} leaks when the connection closes early. Fix {fn} and add a regression test.",
];

const camel = (a: string, b: string) => a + b[0]!.toUpperCase() + b.slice(1);

/** A code-like file of about `targetTokens` tokens. */
function makeFile(rng: SeededRandom, path: string, targetTokens: number): string {
  const lines = [`// ${path}`, `import { ${rng.pick(NOUNS)}Limits } from "./limits.js";`, ""];
  let tokens = encode(lines.join("\n")).length;
  while (tokens < targetTokens) {
    const noun = rng.pick(NOUNS);
    const verb = rng.pick(VERBS);
    const fn = camel(verb, noun);
    const type = rng.pick(TYPES);
    const block = [
      `/** ${verb[0]!.toUpperCase() + verb.slice(1)}s one ${noun}; returns the ${rng.pick(NOUNS)} it produced. */`,
      `export function ${fn}(${noun}: ${type}, limit = ${rng.int(1, 4096)}): ${rng.pick(TYPES)} {`,
      `  const ${rng.pick(NOUNS)}Count = ${rng.int(0, 255)};`,
      `  if (limit < ${rng.int(1, 64)}) throw new RangeError("${fn}: limit too small");`,
      `  for (let i = 0; i < limit; i += ${rng.int(1, 8)}) {`,
      `    ${rng.pick(VERBS)}(${noun}, i * ${rng.int(2, 97)});`,
      "  }",
      `  return ${rng.pick(VERBS)}(${noun});`,
      "}",
      "",
    ].join("\n");
    lines.push(block);
    tokens += encode(block).length;
  }
  return lines.join("\n");
}

/** Tokens of an item as a server renders it (`<|role|>\n...\n`); an estimate for the report. */
function itemTokens(item: InputItem): number {
  const it = item as unknown as Record<string, string | undefined>;
  if (it.type === "function_call") {
    return encode(`<|assistant|>\ncall ${it.name}(${it.arguments}) [${it.call_id}]\n`).length;
  }
  if (it.type === "function_call_output") {
    return encode(`<|tool|>\n[${it.call_id}] ${it.output}\n`).length;
  }
  return encode(`<|user|>\n${it.content}\n`).length;
}

/** Builds the scripted session for these options; deterministic in every byte. */
export function makeWorkload(options: WorkloadOptions = {}): Workload {
  const turnsCount = options.turns ?? 20;
  const seed = options.seed ?? 1;
  const growth = options.growthTokensPerTurn ?? 3200;
  const outputTokens = options.outputTokens ?? 300;
  const rng = new SeededRandom(seed);
  const project = `${rng.pick(NOUNS)}-${rng.pick(NOUNS)}-${seed}`;
  // The project name comes first, so different seeds share no cacheable prefix.
  const instructions = [
    `You are a coding agent working in the repository "${project}", a TypeScript library.`,
    "Follow the repository's style: strict TypeScript, ESM, two-space indentation, double quotes.",
    "Read the files you need before you change them; keep changes small and explain each one.",
    "When you propose code, give the complete function, then a short list of the tests to run.",
    "Never invent APIs: if something is unclear, say what you would check and why.",
  ].join("\n");
  const tools: FunctionTool[] = [
    {
      type: "function",
      name: "read_file",
      description: "Returns the contents of a file of the repository.",
      parameters: {
        type: "object",
        properties: { path: { type: "string", description: "Path from the repository root." } },
        required: ["path"],
        additionalProperties: false,
      },
      strict: true,
    },
    {
      type: "function",
      name: "write_file",
      description: "Replaces the contents of a file of the repository.",
      parameters: {
        type: "object",
        properties: { path: { type: "string" }, contents: { type: "string" } },
        required: ["path", "contents"],
        additionalProperties: false,
      },
      strict: true,
    },
    {
      type: "function",
      name: "run_tests",
      description: "Runs the test files matching a pattern and returns their output.",
      parameters: {
        type: "object",
        properties: { pattern: { type: "string" } },
        required: ["pattern"],
        additionalProperties: false,
      },
      strict: true,
    },
  ];
  const turns: WorkloadTurn[] = [];
  let context = encode(instructions).length;
  let finalContextTokens = context;
  for (let turn = 1; turn <= turnsCount; turn++) {
    const file = `src/${rng.pick(NOUNS)}/${rng.pick(VERBS)}-${rng.pick(NOUNS)}.ts`;
    const fn = camel(rng.pick(VERBS), rng.pick(NOUNS));
    const ask = rng
      .pick(ASKS)
      .replaceAll("{file}", file)
      .replaceAll("{fn}", fn)
      .replaceAll("{noun}", rng.pick(NOUNS));
    const user: InputItem = { type: "message", role: "user", content: `Turn ${turn}. ${ask}` };
    const callId = `call_${seed}_${turn}`;
    const call: InputItem = {
      type: "function_call",
      call_id: callId,
      name: "read_file",
      arguments: JSON.stringify({ path: file }),
    };
    const fixed = itemTokens(user) + itemTokens(call);
    const fileTokens = Math.max(64, growth - outputTokens - fixed - 16);
    const output: InputItem = {
      type: "function_call_output",
      call_id: callId,
      output: makeFile(rng, file, fileTokens),
    };
    const items = [user, call, output];
    const tokens = items.reduce((n, item) => n + itemTokens(item), 0);
    context += tokens;
    finalContextTokens = context;
    context += outputTokens;
    turns.push({ turn, items, tokens });
  }
  const digest = createHash("sha256")
    .update(JSON.stringify({ instructions, tools, turns: turns.map((t) => t.items) }))
    .digest("hex");
  return {
    seed,
    instructions,
    tools,
    maxOutputTokens: outputTokens,
    metadata: { "sim.output_tokens": String(outputTokens) },
    turns,
    finalContextTokens,
    digest,
  };
}
