/** Paths and readers the project's own tests share. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { packageRoot } from "../../src/util/package-root.js";

/** The repository root. */
export const ROOT = packageRoot();

/** Reads a JSON file relative to the repository root. */
export function readJson<T = unknown>(path: string): T {
  return JSON.parse(readFileSync(join(ROOT, path), "utf8")) as T;
}

/** Every file under `dir` (relative to the root) whose name ends with `suffix`, sorted. */
export function listFiles(dir: string, suffix: string): string[] {
  const out: string[] = [];
  const walk = (abs: string) => {
    for (const name of readdirSync(abs)) {
      const full = join(abs, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith(suffix)) out.push(relative(ROOT, full).split("\\").join("/"));
    }
  };
  walk(join(ROOT, dir));
  return out.sort();
}
