/**
 * Validators for every protocol message, compiled once from the generated schema module.
 * Each returns the typed value or issues that name a JSON pointer and say what to change.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import {
  clientEventSchemaIds,
  objectSchemaIds,
  schemas,
  serverEventSchemaIds,
} from "./schemas.gen.js";
import type { ClientEvent, ServerEvent } from "./types.gen.js";

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

/** One reason a value was rejected. */
export interface ValidationIssue {
  /** JSON pointer (RFC 6901) of the offending value; "" is the whole message. */
  pointer: string;
  /** The JSON Schema keyword that failed, or `unknown_event_type` / `not_an_object`. */
  keyword: string;
  /** One sentence a person can act on, starting with the pointer. */
  message: string;
}

/** The outcome of validating one value. */
export type ValidationResult<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };

let ajv: Ajv2020 | undefined;
const byId = new Map<string, ValidateFunction>();

function compiler(): Ajv2020 {
  if (ajv) return ajv;
  ajv = new Ajv2020({ strict: true, allErrors: false, discriminator: true, schemas: [...schemas] });
  addFormats(ajv);
  return ajv;
}

function validatorFor(id: string): ValidateFunction {
  let fn = byId.get(id);
  if (!fn) {
    fn = compiler().getSchema(id);
    if (!fn) throw new Error(`no schema with $id ${id}`);
    byId.set(id, fn);
  }
  return fn;
}

/** Compiles every schema now, so the first message does not pay for it. */
export function warmValidators(): void {
  for (const id of [
    ...Object.values(clientEventSchemaIds),
    ...Object.values(serverEventSchemaIds),
    ...Object.values(objectSchemaIds),
  ]) {
    validatorFor(id);
  }
}

function escapePointer(segment: string): string {
  return segment.replaceAll("~", "~0").replaceAll("/", "~1");
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") {
    return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  }
  if (typeof value === "object") return "an object";
  return `${typeof value} ${String(value)}`;
}

function valueAt(root: unknown, pointer: string): unknown {
  let current = root;
  for (const raw of pointer.split("/").slice(1)) {
    const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Turns one ajv error into an issue whose pointer names the exact property at fault. */
export function toIssue(error: ErrorObject, root: unknown): ValidationIssue {
  const base = error.instancePath;
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required": {
      const pointer = `${base}/${escapePointer(String(p.missingProperty))}`;
      return { pointer, keyword: "required", message: `${pointer} is required` };
    }
    case "additionalProperties": {
      const pointer = `${base}/${escapePointer(String(p.additionalProperty))}`;
      return {
        pointer,
        keyword: "additionalProperties",
        message: `${pointer} is not allowed here`,
      };
    }
    case "const":
      return {
        pointer: base,
        keyword: "const",
        message: `${base || "the value"} must be ${JSON.stringify(p.allowedValue)}, not ${describe(valueAt(root, base))}`,
      };
    case "enum":
      return {
        pointer: base,
        keyword: "enum",
        message: `${base || "the value"} must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}, not ${describe(valueAt(root, base))}`,
      };
    case "type":
      return {
        pointer: base,
        keyword: "type",
        message: `${base || "the value"} must be ${String(p.type)}, not ${describe(valueAt(root, base))}`,
      };
    case "discriminator": {
      // A union discriminated by `type` whose value names no branch (schemas/objects/Tool.json).
      const pointer = `${base}/${escapePointer(String(p.tag))}`;
      return {
        pointer,
        keyword: "discriminator",
        message: `${pointer} must name a known kind, not ${describe(valueAt(root, pointer))}`,
      };
    }
    default:
      return {
        pointer: base,
        keyword: error.keyword,
        message: `${base || "the value"} ${error.message ?? "is invalid"}`,
      };
  }
}

/**
 * Orders ajv's errors most useful first: inside unions ajv reports every branch's failure,
 * and the deepest one is almost always the one the author meant; the union's own "matches
 * no branch" error comes last.
 */
function issuesFrom(errors: ErrorObject[] | null | undefined, root: unknown): ValidationIssue[] {
  const isUnion = (e: ErrorObject) => e.keyword === "oneOf" || e.keyword === "anyOf";
  const depth = (e: ErrorObject) =>
    e.instancePath.split("/").length +
    (e.keyword === "required" || e.keyword === "additionalProperties" ? 1 : 0);
  const branches = (errors ?? []).filter((e) => !isUnion(e)).sort((a, b) => depth(b) - depth(a));
  const unions = (errors ?? []).filter(isUnion);
  return [...branches, ...unions].map((e) => toIssue(e, root));
}

function validateEvent<T>(
  value: unknown,
  ids: Readonly<Record<string, string>>,
): ValidationResult<T> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return {
      ok: false,
      issues: [
        {
          pointer: "",
          keyword: "not_an_object",
          message: `an event must be a JSON object, not ${describe(value)}`,
        },
      ],
    };
  }
  const type = (value as { type?: unknown }).type;
  if (typeof type !== "string") {
    const message =
      type === undefined ? "/type is required" : `/type must be string, not ${describe(type)}`;
    return {
      ok: false,
      issues: [{ pointer: "/type", keyword: type === undefined ? "required" : "type", message }],
    };
  }
  const id = ids[type];
  if (!id) {
    return {
      ok: false,
      issues: [
        {
          pointer: "/type",
          keyword: "unknown_event_type",
          message: `/type ${JSON.stringify(type)} is not a known event type`,
        },
      ],
    };
  }
  const fn = validatorFor(id);
  if (fn(value)) return { ok: true, value: value as T };
  return { ok: false, issues: issuesFrom(fn.errors, value) };
}

/** Validates a client → server event, dispatching on its `type`. */
export function validateClientEvent(value: unknown): ValidationResult<ClientEvent> {
  return validateEvent<ClientEvent>(value, clientEventSchemaIds);
}

/** Validates a server → client event, dispatching on its `type`. */
export function validateServerEvent(value: unknown): ValidationResult<ServerEvent> {
  return validateEvent<ServerEvent>(value, serverEventSchemaIds);
}

/** Validates a value against a shared object schema by title, e.g. `ResponseResource`. */
export function validateObject<T = unknown>(title: string, value: unknown): ValidationResult<T> {
  const id = objectSchemaIds[title];
  if (!id) throw new Error(`no object schema titled ${title}`);
  const fn = validatorFor(id);
  if (fn(value)) return { ok: true, value: value as T };
  return { ok: false, issues: issuesFrom(fn.errors, value) };
}

/** Validates against any schema by `$id` (examples and tests use this). */
export function validateById(id: string, value: unknown): ValidationResult<unknown> {
  const fn = validatorFor(id);
  if (fn(value)) return { ok: true, value };
  return { ok: false, issues: issuesFrom(fn.errors, value) };
}
