/**
 * Loads every schema file under `schemas/` and answers the questions the generators ask of
 * them: which events exist, which are Hotline-only, and how each `$ref` maps to a title.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, posix, relative } from "node:path";

/** A JSON Schema object as read from disk. */
export type SchemaObject = Record<string, unknown> & {
  $id: string;
  title: string;
  description?: string;
};

/** One schema file. */
export interface SchemaFile {
  /** Path relative to `schemas/`, with forward slashes, e.g. `server/error.json`. */
  path: string;
  kind: "client" | "server" | "object";
  /** For events, the `type` string (the file name without `.json`). */
  eventType?: string;
  schema: SchemaObject;
}

const KINDS = { client: "client", server: "server", objects: "object" } as const;

/** Reads all client, server and object schemas, sorted by path for stable output. */
export function loadSchemaSet(schemasDir: string): SchemaFile[] {
  const files: SchemaFile[] = [];
  for (const [dir, kind] of Object.entries(KINDS)) {
    let names: string[];
    try {
      names = readdirSync(join(schemasDir, dir));
    } catch {
      continue;
    }
    for (const name of names.filter((n) => n.endsWith(".json")).sort()) {
      const path = `${dir}/${name}`;
      const schema = JSON.parse(readFileSync(join(schemasDir, path), "utf8")) as SchemaObject;
      if (typeof schema.$id !== "string" || typeof schema.title !== "string") {
        throw new Error(`schemas/${path}: every schema needs an absolute $id and a title`);
      }
      const file: SchemaFile = { path, kind, schema };
      if (kind !== "object") file.eventType = name.slice(0, -".json".length);
      files.push(file);
    }
  }
  return files;
}

/** True when the schema describes something only the hotline.v1 profile has. */
export function isHotlineOnly(schema: SchemaObject): boolean {
  return typeof schema.description === "string" && schema.description.startsWith("Hotline:");
}

/** Resolves a `$ref` written in `fromPath` to the referenced file's path and fragment. */
export function resolveRef(fromPath: string, ref: string): { path: string; fragment: string } {
  const [file = "", fragment = ""] = ref.split("#");
  if (file === "") return { path: fromPath, fragment };
  const path = posix.normalize(posix.join(posix.dirname(fromPath), file));
  return { path, fragment };
}

/**
 * Deep-copies `schema`, rewriting every `$ref` with `rewrite(path, fragment)` and dropping
 * the keys in `drop` at the top level.
 */
export function rewriteRefs(
  value: unknown,
  fromPath: string,
  rewrite: (path: string, fragment: string) => string,
): unknown {
  if (Array.isArray(value)) return value.map((v) => rewriteRefs(v, fromPath, rewrite));
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === "$ref" && typeof v === "string") {
      const { path, fragment } = resolveRef(fromPath, v);
      out[key] = rewrite(path, fragment);
    } else {
      out[key] = rewriteRefs(v, fromPath, rewrite);
    }
  }
  return out;
}

/** Relative path from `from` (a file) to `to`, POSIX style, for links in generated docs. */
export function relativeLink(from: string, to: string): string {
  return relative(dirname(from), to).split("\\").join("/");
}
