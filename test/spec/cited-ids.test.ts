// A cited requirement id is a link that must resolve: every `STREAM-3`-shaped id in the code,
// tests, conformance cases, schemas and docs names a rule of spec/, and no live text leans on
// a withdrawn one.
//
// Scanned: every file git tracks or would track (outside a git checkout, every file that
// .gitignore keeps) except files generated from schemas/: they carry the generator's banner
// and only mirror what the scan already reads at the source. spec/ is scanned too: its own
// definitions resolve by construction, and a link from one rule to another must resolve as
// well. The prefixes come from spec/ itself, so a page that adds a prefix is covered at once
// and `UTF-8` is never taken for a rule.
//
// Withdrawn ids keep their anchor (spec/index.md, "Withdrawn rules") and may be named only
// where the text is history: CHANGELOG.md, or a line that itself says "withdrawn" (the
// withdrawn rule's own line, the spec's changelog entry, the provenance table that marks it
// withdrawn, and the tests that prove it is). Anywhere else a withdrawn id cites a rule
// nobody must follow any more, which is the same mistake as citing one that never existed.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import t from "tap";
import { findCitations, requirementPrefixes } from "../../src/spec/cited-ids.js";
import { loadRequirements } from "../../src/spec/requirements.js";
import { ROOT } from "../helpers/repo.js";

const requirements = loadRequirements(join(ROOT, "spec"));
const byId = new Map(requirements.map((r) => [r.id, r]));
const prefixes = requirementPrefixes(requirements);

const GENERATED_BANNER = "Generated from schemas/ by `npm run generate`";
const IGNORED_DIRS = new Set(["node_modules", ".git", "dist", "site", ".tap", "coverage", "tmp"]);
const BINARY = /\.(png|jpe?g|gif|ico|woff2?|gz|zip|wasm)$/i;

/** The files the repository holds: git's list, or a walk that skips what .gitignore skips. */
function repositoryFiles(): string[] {
  try {
    const out = execFileSync(
      "git",
      ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
      { cwd: ROOT, encoding: "utf8" },
    );
    return out.split("\0").filter((f) => f !== "" && !f.startsWith("node_modules/"));
  } catch {
    const files: string[] = [];
    const walk = (abs: string) => {
      for (const name of readdirSync(abs)) {
        if (IGNORED_DIRS.has(name) || name.endsWith(".log")) continue;
        const full = join(abs, name);
        if (statSync(full).isDirectory()) walk(full);
        else files.push(relative(ROOT, full).split("\\").join("/"));
      }
    };
    walk(ROOT);
    return files.sort();
  }
}

/** Why `id`, cited on `line` of `file`, is not allowed there; undefined when it is. */
function problem(file: string, id: string, line: string): string | undefined {
  const req = byId.get(id);
  if (!req) return "not in spec/";
  if (!req.withdrawn) return undefined;
  if (file === "CHANGELOG.md" || /withdrawn/i.test(line)) return undefined;
  return `withdrawn (spec/${req.page}); cite the rule that replaced it`;
}

/** Every disallowed citation in one file's text, as `file:line ID (why): the line`. */
function check(file: string, text: string): string[] {
  return findCitations(text, prefixes).flatMap(({ id, line, text: source }) => {
    const why = problem(file, id, source);
    return why ? [`${file}:${line} ${id} (${why}): ${source.trim().slice(0, 160)}`] : [];
  });
}

t.test("the prefixes are read from spec/", async (t) => {
  t.ok(prefixes.length >= 5, prefixes.join(", "));
  for (const p of ["STREAM", "RESP", "TRANSPORT", "HTTP"]) t.ok(prefixes.includes(p), p);
});

t.test("the scan tells a real id from a bogus, a withdrawn or a look-alike one", async (t) => {
  // Built from parts so this file does not cite the bogus id it tests with.
  const bogus = `STREAM-${9000 + requirements.length}`;
  const live = requirements.find((r) => !r.withdrawn);
  const gone = requirements.find((r) => r.withdrawn);
  t.ok(live, "spec/ has a live requirement");
  t.same(check("x.ts", `// ${live?.id}: fine\n// UTF-8, SHA-256\n`), []);
  const found = check("x.ts", `const a = 1;\n// pauses here (${bogus})\n`);
  t.equal(found.length, 1, "a bogus id is reported");
  t.match(found[0], `x.ts:2 ${bogus} (not in spec/)`, "with its file and line");
  t.same(
    findCitations(`X${live?.id} ${live?.id}b`, prefixes).map((c) => c.id),
    [],
    "an id inside a longer token is no citation",
  );
  if (gone) {
    t.equal(check("x.ts", `// see ${gone.id}\n`).length, 1, "a withdrawn id in live text");
    t.same(check("x.ts", `// ${gone.id} was withdrawn\n`), [], "a line that says so is history");
    t.same(check("CHANGELOG.md", `- ${gone.id} refused things\n`), [], "CHANGELOG is history");
  }
});

t.test("every cited requirement id is in spec/", async (t) => {
  const bad: string[] = [];
  let files = 0;
  let cited = 0;
  for (const file of repositoryFiles()) {
    if (BINARY.test(file)) continue;
    let text: string;
    try {
      text = readFileSync(join(ROOT, file), "utf8");
    } catch {
      continue; // deleted in the work tree but still in git's index
    }
    if (text.includes("\0") || text.slice(0, 400).includes(GENERATED_BANNER)) continue;
    files += 1;
    cited += findCitations(text, prefixes).length;
    bad.push(...check(file, text));
  }
  t.ok(files > 100, `${files} files scanned, ${cited} citations`);
  t.same(bad, [], `every cited id resolves (${bad.length} do not)`);
});
