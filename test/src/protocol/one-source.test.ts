// Every protocol fact has one source, src/protocol: no TypeScript file outside it writes the
// spec version, the profile union or the terminal event set again by hand. (The defaults and
// the SSE parser are kept once too; they are too plain a pattern to search for.)
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import t from "tap";
import { SPEC_VERSION, TERMINAL_EVENT_TYPES } from "../../../src/protocol/index.js";
import { ROOT } from "../../helpers/repo.js";

/**
 * Files in folders another change is rewriting, which still hold a copy; each entry must go
 * when its file is fixed (an entry whose file is clean fails too, so none outlives its copy).
 */
const PENDING: Record<string, string> = {};

const version = new RegExp(`["'\`]${SPEC_VERSION.replaceAll("-", "\\-")}["'\`]`);
const profileUnion =
  /"core"(\s*\|\s*"[^"]+")*\s*\|\s*"hotline\.v1"|"hotline\.v1"(\s*\|\s*"[^"]+")*\s*\|\s*"core"/;
const WINDOW = 8;

/** What `text` writes again by hand, as `line: what`. */
function copiesIn(text: string): string[] {
  const lines = text.split("\n");
  const found: string[] = [];
  let coveredUntil = -1;
  lines.forEach((line, i) => {
    if (version.test(line)) found.push(`${i + 1}: the spec version`);
    if (profileUnion.test(line)) found.push(`${i + 1}: the profile union`);
    if (i <= coveredUntil || !TERMINAL_EVENT_TYPES.some((type) => line.includes(`"${type}"`))) {
      return;
    }
    const window = lines.slice(i, i + WINDOW).join("\n");
    if (TERMINAL_EVENT_TYPES.every((type) => window.includes(`"${type}"`))) {
      found.push(`${i + 1}: the terminal event set`);
      coveredUntil = i + WINDOW - 1;
    }
  });
  return found;
}

const files = execFileSync(
  "git",
  ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
  {
    cwd: ROOT,
    encoding: "utf8",
  },
)
  .split("\0")
  .filter((f) => /\.ts$/.test(f) && !f.endsWith(".gen.ts") && !f.startsWith("node_modules/"))
  .filter((f) => !f.startsWith("src/protocol/") && f !== "test/src/protocol/one-source.test.ts");

t.test("the search finds each kind of copy", async (t) => {
  t.same(copiesIn(`const v = "${SPEC_VERSION}";`), ["1: the spec version"]);
  t.same(copiesIn('type P = "http" | "core" | "hotline.v1";'), ["1: the profile union"]);
  const set = TERMINAL_EVENT_TYPES.map((type) => `  "${type}",`).join("\n");
  t.same(copiesIn(`const x = 1;\nconst T = [\n${set}\n];`), ["3: the terminal event set"]);
  t.same(copiesIn('if (type === "response.completed") done();'), []);
});

t.test("no file outside src/protocol keeps its own copy of a protocol fact", async (t) => {
  t.ok(files.length > 100, `${files.length} files searched`);
  const copies: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(join(ROOT, file), "utf8");
    } catch {
      continue;
    }
    const found = copiesIn(text);
    if (file in PENDING) {
      t.ok(found.length > 0, `${file} is still pending (${PENDING[file]}); drop it from PENDING`);
    } else {
      copies.push(...found.map((f) => `${file}:${f}`));
    }
  }
  t.same(copies, [], "import it from src/protocol instead");
});
