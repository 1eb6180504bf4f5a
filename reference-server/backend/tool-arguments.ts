/**
 * Seeded arguments for simulated function calls: a JSON value that matches the tool's
 * `parameters` JSON Schema for the common keywords (type, properties, required, enum, const,
 * items, min/max, anyOf/oneOf). Exotic schemas get a best effort, never an exception.
 */
import type { SeededRandom } from "./random.js";

/** A JSON Schema object as found in a function tool's `parameters`. */
export type JsonSchema = { readonly [keyword: string]: unknown };

/** A JSON value. */
export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

// prettier-ignore
const WORDS = [
  "alpha", "buffer", "cache", "delta", "event", "frame", "graph", "handler", "index", "job",
  "kernel", "limit", "module", "node", "offset", "parser", "queue", "record", "stream", "token",
] as const;

const MAX_DEPTH = 5;

/** Builds arguments for a tool's parameters schema; always an object (empty when unspecified). */
export function sampleArguments(
  parameters: JsonSchema | null | undefined,
  rng: SeededRandom,
): { [key: string]: JsonValue } {
  if (parameters === null || parameters === undefined) return {};
  const value = sampleValue(parameters, "arguments", rng, 0);
  return isPlainObject(value) ? value : {};
}

/** Serialises arguments as JSON with every non-ASCII character escaped (streams token-clean). */
export function argumentsToJson(args: JsonValue): string {
  return JSON.stringify(args).replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

function sampleValue(schema: unknown, name: string, rng: SeededRandom, depth: number): JsonValue {
  if (!isRecord(schema)) return sampleString(name, {}, rng);
  if ("const" in schema) return toJson(schema.const);
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return toJson(rng.pick(schema.enum));
  const variants = Array.isArray(schema.anyOf) ? schema.anyOf : schema.oneOf;
  if (Array.isArray(variants) && variants.length > 0) {
    return sampleValue(rng.pick(variants), name, rng, depth + 1);
  }
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) {
    return sampleValue(schema.allOf[0], name, rng, depth + 1);
  }
  switch (pickType(schema, rng)) {
    case "object":
      return depth >= MAX_DEPTH ? {} : sampleObject(schema, rng, depth);
    case "array":
      return depth >= MAX_DEPTH ? [] : sampleArray(schema, name, rng, depth);
    case "integer":
      return Math.round(sampleNumber(schema, rng, true));
    case "number":
      // Whole numbers (SIM-14): still JSON numbers, and clients that read counts and
      // durations as integers (the Codex CLI's `yield_time_ms`) accept them.
      return Math.round(sampleNumber(schema, rng, true));
    case "boolean":
      return rng.chance(0.5);
    case "null":
      return null;
    default:
      return sampleString(name, schema, rng);
  }
}

function pickType(schema: Record<string, unknown>, rng: SeededRandom): string {
  const type = schema.type;
  if (typeof type === "string") return type;
  if (Array.isArray(type) && type.length > 0) {
    const concrete = type.filter((t) => t !== "null");
    return String(rng.pick(concrete.length > 0 ? concrete : type));
  }
  if (isRecord(schema.properties)) return "object";
  if (schema.items !== undefined) return "array";
  return "string";
}

function sampleObject(
  schema: Record<string, unknown>,
  rng: SeededRandom,
  depth: number,
): { [key: string]: JsonValue } {
  const out: { [key: string]: JsonValue } = {};
  const properties = isRecord(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  for (const [key, sub] of Object.entries(properties)) {
    // Only what the call needs (SIM-14): strict-mode tools list every property as required,
    // and an optional value picked at random breaks real tools (the Codex CLI ran its command
    // through a shell named after a random word).
    if (required.has(key)) out[key] = sampleValue(sub, key, rng, depth + 1);
  }
  return out;
}

function sampleArray(
  schema: Record<string, unknown>,
  name: string,
  rng: SeededRandom,
  depth: number,
): JsonValue[] {
  const min = typeof schema.minItems === "number" ? schema.minItems : 1;
  const max = typeof schema.maxItems === "number" ? schema.maxItems : Math.max(min, 3);
  const n = rng.int(min, Math.min(max, min + 3));
  const items = Array.isArray(schema.prefixItems) ? schema.prefixItems : undefined;
  const out: JsonValue[] = [];
  for (let i = 0; i < n; i++) {
    out.push(sampleValue(items?.[i] ?? schema.items, name, rng, depth + 1));
  }
  return out;
}

function sampleNumber(
  schema: Record<string, unknown>,
  rng: SeededRandom,
  integer: boolean,
): number {
  const lo = numberAt(schema.minimum) ?? (numberAt(schema.exclusiveMinimum) ?? -1) + 1;
  const hi = numberAt(schema.maximum) ?? (numberAt(schema.exclusiveMaximum) ?? lo + 101) - 1;
  if (integer) return rng.int(Math.ceil(lo), Math.max(Math.ceil(lo), Math.floor(hi)));
  return Math.round((lo + rng.next() * (hi - lo)) * 100) / 100;
}

function sampleString(name: string, schema: Record<string, unknown>, rng: SeededRandom): string {
  const word = rng.pick(WORDS);
  let value: string;
  switch (schema.format) {
    case "date-time":
      value = `2026-11-${String(rng.int(10, 28))}T12:00:00Z`;
      break;
    case "date":
      value = `2026-11-${String(rng.int(10, 28))}`;
      break;
    case "uri":
    case "url":
      value = `https://example.com/${word}`;
      break;
    case "email":
      value = `${word}@example.com`;
      break;
    default:
      value = stringForName(name.toLowerCase(), word, rng);
  }
  const maxLength = typeof schema.maxLength === "number" ? schema.maxLength : undefined;
  const minLength = typeof schema.minLength === "number" ? schema.minLength : 0;
  if (maxLength !== undefined) value = value.slice(0, maxLength);
  return value.padEnd(minLength, "x");
}

// Plausible values for parameter names coding tools tend to have.
function stringForName(name: string, word: string, rng: SeededRandom): string {
  if (/path|file/.test(name)) return `src/${word}/${rng.pick(WORDS)}.ts`;
  if (/command|cmd/.test(name)) return rng.pick(["npm test", "git status", "ls -la src", "tsc -b"]);
  if (/url|uri|link/.test(name)) return `https://example.com/${word}`;
  if (/query|pattern|search/.test(name)) return `${word} ${rng.pick(WORDS)}`;
  if (/lang/.test(name)) return rng.pick(["typescript", "python", "go"]);
  if (/id$/.test(name)) return `${word}_${rng.int(100, 999)}`;
  return `${word}-${rng.pick(WORDS)}`;
}

function numberAt(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

function toJson(value: unknown): JsonValue {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value)) as JsonValue;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isPlainObject(value: JsonValue): value is { [key: string]: JsonValue } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
