/**
 * `npm run generate [target…]` writes the generated mirrors of `schemas/` (and the provenance
 * tables of `spec/`, from src/spec/provenance.ts);
 * `npm run check:generated` (`--check`) fails, naming each file, when one on disk is stale.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { targets } from "./generate/targets.js";

const HELP = `Usage: tsx scripts/generate.ts [--check] [--root DIR] [target...]

Regenerates the files derived from schemas/ and spec/'s provenance tables (targets: ${targets.map((t) => t.name).join(", ")}).
  --check      write nothing; exit 1 listing every stale or missing generated file
  --root DIR   repository root (default: this checkout)
  -h, --help   show this help`;

async function run(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      check: { type: "boolean" },
      root: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const root = resolve(values.root ?? join(import.meta.dirname, ".."));
  const unknown = positionals.filter((p) => !targets.some((t) => t.name === p));
  if (unknown.length > 0) {
    console.error(
      `generate: unknown target ${unknown.join(", ")}; targets: ${targets.map((t) => t.name).join(", ")}`,
    );
    return 2;
  }
  const chosen = positionals.length ? targets.filter((t) => positionals.includes(t.name)) : targets;
  const stale: string[] = [];
  for (const target of chosen) {
    for (const output of await target.outputs(root)) {
      const file = join(root, output.path);
      let current: string | undefined;
      try {
        current = readFileSync(file, "utf8");
      } catch {
        current = undefined;
      }
      if (current === output.content) continue;
      if (values.check) {
        stale.push(output.path);
      } else {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, output.content);
        console.log(`generate: wrote ${output.path}`);
      }
    }
  }
  if (stale.length > 0) {
    console.error(
      `generate: stale generated files (run \`npm run generate\`): ${stale.join(", ")}`,
    );
    return 1;
  }
  if (values.check) console.log("generate: all generated files are fresh");
  return 0;
}

run().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`generate: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
