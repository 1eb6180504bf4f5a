// The specification is machine-checked: requirement ids are unique and well formed, every
// schema is linked from a spec page, and every relative link in spec/ resolves.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import t from "tap";
import { loadRequirements, parseRequirements } from "../../src/spec/requirements.js";
import { listFiles, ROOT } from "../helpers/repo.js";

const specDir = join(ROOT, "spec");
const pages = readdirSync(specDir).filter((f) => f.endsWith(".md"));
const PAGES = [
  "index.md",
  "transport.md",
  "session.md",
  "responses.md",
  "streaming.md",
  "interruption.md",
  "resume.md",
  "errors.md",
  "http-binding.md",
  "metrics-and-targets.md",
  "backend-simulation.md",
  "conformance.md",
];

t.test("the pages ARCHITECTURE.md lists exist", async (t) => {
  for (const page of PAGES) t.ok(pages.includes(page), page);
});

t.test("requirement ids are unique, dense per prefix and carry one BCP 14 level", async (t) => {
  const reqs = loadRequirements(specDir);
  t.ok(reqs.length >= 80, `${reqs.length} numbered requirements`);
  const ids = reqs.map((r) => r.id);
  t.equal(new Set(ids).size, ids.length, "no id appears twice");
  for (const r of reqs) t.match(r.profile, /^(core|hotline\.v1|http)$/, `${r.id} profile`);
  // Anchors that look like requirements but do not parse would escape every check.
  for (const page of pages) {
    const text = readFileSync(join(specDir, page), "utf8");
    const anchors = [...text.matchAll(/<a id="([A-Z]+-\d+)"><\/a>/g)].map((m) => m[1]);
    const parsed = parseRequirements(page, text).map((r) => r.id);
    t.same(anchors, parsed, `${page}: every requirement anchor is a well-formed requirement line`);
  }
});

t.test("the parser rejects a requirement without a level", async (t) => {
  t.throws(() =>
    parseRequirements("x.md", '- <a id="X-1"></a>**X-1** (core) A server sends things.'),
  );
});

t.test("every schema is linked from a spec page", async (t) => {
  const linked = new Set<string>();
  for (const page of pages) {
    const text = readFileSync(join(specDir, page), "utf8");
    for (const m of text.matchAll(/\]\(\.\.\/(schemas\/[^)#\s]+\.json)/g))
      linked.add(m[1] as string);
  }
  const schemaFiles = listFiles("schemas", ".json").filter((f) =>
    /^schemas\/(client|server|objects)\//.test(f),
  );
  for (const file of schemaFiles) t.ok(linked.has(file), `${file} is linked from spec/`);
});

t.test("every relative link and anchor in spec/ resolves", async (t) => {
  const anchorsOf = (file: string) => {
    const text = readFileSync(file, "utf8");
    const ids = new Set([...text.matchAll(/<a id="([^"]+)"/g)].map((m) => m[1] as string));
    for (const m of text.matchAll(/^#+ (.+)$/gm)) {
      ids.add(
        (m[1] as string)
          .toLowerCase()
          .trim()
          .replace(/[^\p{L}\p{N}\s-]/gu, "")
          .replace(/\s/g, "-"),
      );
    }
    return ids;
  };
  for (const page of pages) {
    const file = join(specDir, page);
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const link = m[1] as string;
      if (/^[a-z]+:/.test(link)) continue;
      const [path = "", anchor] = link.split("#");
      const target = path ? join(dirname(file), path) : file;
      t.ok(existsSync(target), `${page}: ${link} exists`);
      if (anchor && target.endsWith(".md") && existsSync(target)) {
        t.ok(anchorsOf(target).has(anchor), `${page}: #${anchor} exists in ${path || page}`);
      }
    }
  }
});
