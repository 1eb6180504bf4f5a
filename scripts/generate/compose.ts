/**
 * Schemas composed from another one: `schemas/compose/<name>.json` names a base schema
 * (`from`), the file it becomes (`to`) and the schema around it; the base's properties are
 * merged in, so a member the two share is written once (`response.create` is
 * `CreateResponseBody` plus `type`, `event_id`, `generate`, `client_request_id` and the
 * WebSocket wording of `stream`, `stream_options` and `background`).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, posix } from "node:path";
import { format, resolveConfig } from "prettier";
import { resolveRef, rewriteRefs } from "./schema-set.js";

const PRETTIER_CONFIG = join(import.meta.dirname, "../../.prettierrc.json");

/** One recipe file of `schemas/compose/`. */
interface Recipe {
  from: string;
  to: string;
  schema: Record<string, unknown> & { properties: Record<string, unknown> };
}

/** The banner a composed schema carries in `$comment`. */
function banner(recipePath: string, basePath: string): string {
  return `Generated from schemas/${recipePath} and schemas/${basePath} by \`npm run generate\`. Do not edit by hand.`;
}

/**
 * Merges `base` into `own`, both in their written order: an own property the base also has
 * comes after every base property before it not yet written, and replaces the base's; any
 * other own property stays where it stands; the rest of the base follows at the end.
 */
export function mergeProperties(
  base: Record<string, unknown>,
  own: Record<string, unknown>,
): Record<string, unknown> {
  const baseKeys = Object.keys(base);
  const out: Record<string, unknown> = {};
  let next = 0;
  for (const [key, value] of Object.entries(own)) {
    const at = baseKeys.indexOf(key);
    for (; at >= 0 && next < at; next++) {
      const k = baseKeys[next] as string;
      if (!(k in out) && !(k in own)) out[k] = base[k];
    }
    out[key] = value;
    if (at >= 0 && next === at) next++;
  }
  for (; next < baseKeys.length; next++) {
    const k = baseKeys[next] as string;
    if (!(k in out) && !(k in own)) out[k] = base[k];
  }
  return out;
}

/** Rewrites the `$ref`s of a schema read at `fromPath` so they resolve from `toPath`. */
function moveRefs(value: unknown, fromPath: string, toPath: string): unknown {
  return rewriteRefs(value, fromPath, (path, fragment) => {
    const rel = posix.relative(posix.dirname(toPath), path);
    const file = rel.startsWith(".") ? rel : `./${rel}`;
    return `${path === toPath ? "" : file}${fragment ? `#${fragment}` : ""}`;
  });
}

/** Every composed schema: its path from the repo root and its content, formatted. */
export async function composedSchemas(root: string): Promise<{ path: string; content: string }[]> {
  const dir = join(root, "schemas/compose");
  if (!existsSync(dir)) return [];
  const out: { path: string; content: string }[] = [];
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith(".json"))
    .sort()) {
    const recipePath = `compose/${name}`;
    const recipe = JSON.parse(readFileSync(join(dir, name), "utf8")) as Recipe;
    const basePath = resolveRef(recipePath, recipe.from).path;
    const toPath = resolveRef(recipePath, recipe.to).path;
    const base = JSON.parse(readFileSync(join(root, "schemas", basePath), "utf8")) as {
      properties?: Record<string, unknown>;
    };
    if (!base.properties) throw new Error(`schemas/${basePath} has no properties to compose`);
    const own = moveRefs(recipe.schema.properties, recipePath, toPath) as Record<string, unknown>;
    const inherited = moveRefs(base.properties, basePath, toPath) as Record<string, unknown>;
    const schema: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(recipe.schema)) {
      schema[key] = key === "properties" ? mergeProperties(inherited, own) : value;
      if (key === "$id") schema.$comment = banner(recipePath, basePath);
    }
    const path = `schemas/${toPath}`;
    const file = join(root, path);
    const text = JSON.stringify(schema, null, 2);
    // This checkout's Prettier settings, whatever --root says, so a copy generates the same.
    const config = await resolveConfig(file, { config: PRETTIER_CONFIG });
    const content = await format(text, { ...config, filepath: file });
    out.push({ path, content });
  }
  return out;
}
