// The freshness check is real: on a temporary copy of the repository, changing a schema
// without regenerating makes `generate --check` fail and name the stale files.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t, { type Test } from "tap";
import { mergeProperties } from "../../scripts/generate/compose.js";
import { ROOT } from "../helpers/repo.js";

const tsx = join(ROOT, "node_modules/.bin/tsx");
const script = join(ROOT, "scripts/generate.ts");

/** A temporary copy of what the generators read and write, removed after the test. */
function copyOfSources(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), "hotline-gen-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  for (const sub of ["schemas", "spec", "src/protocol", "docs/generated"]) {
    cpSync(join(ROOT, sub), join(dir, sub), { recursive: true });
  }
  return dir;
}

function check(root: string) {
  return spawnSync(tsx, [script, "--check", "--root", root], { encoding: "utf8" });
}

t.test("generated files in this checkout are fresh", async (t) => {
  const result = check(ROOT);
  t.equal(result.status, 0, result.stderr);
});

t.test("a schema edited without regenerating fails the check", async (t) => {
  const dir = copyOfSources(t);
  t.equal(check(dir).status, 0, "the copy starts fresh");

  const file = join(dir, "schemas/client/session.ping.json");
  const schema = JSON.parse(readFileSync(file, "utf8"));
  schema.description = `${schema.description} Edited.`;
  writeFileSync(file, JSON.stringify(schema, null, 2));
  const result = check(dir);
  t.equal(result.status, 1, "check fails");
  t.match(result.stderr, /src\/protocol\/types\.gen\.ts/, "names the stale types");
  t.match(result.stderr, /schemas\/bundle\/hotline\.schema\.json/, "names the stale bundle");

  const regen = spawnSync(tsx, [script, "--root", dir], { encoding: "utf8" });
  t.equal(regen.status, 0, regen.stderr);
  t.equal(check(dir).status, 0, "fresh again after regenerating");
});

t.test("a registry change without regenerating fails the check", async (t) => {
  const dir = copyOfSources(t);
  const file = join(dir, "schemas/registry/errors.json");
  const registry = JSON.parse(readFileSync(file, "utf8"));
  registry.errors[0].summary = "Changed sentence for the test.";
  writeFileSync(file, JSON.stringify(registry, null, 2));
  const result = check(dir);
  t.equal(result.status, 1);
  t.match(result.stderr, /spec\/errors\.md/);
  t.match(result.stderr, /src\/protocol\/errors\.gen\.ts/);
});

t.test(
  "response.create is composed from CreateResponseBody and checked for freshness",
  async (t) => {
    const dir = copyOfSources(t);
    const body = join(dir, "schemas/objects/CreateResponseBody.json");
    const schema = JSON.parse(readFileSync(body, "utf8"));
    schema.properties.model.description = "Changed once, for both.";
    writeFileSync(body, JSON.stringify(schema, null, 2));
    const result = check(dir);
    t.equal(result.status, 1, "check fails");
    t.match(result.stderr, /schemas\/client\/response\.create\.json/, "names the composed schema");

    const regen = spawnSync(tsx, [script, "--root", dir], { encoding: "utf8" });
    t.equal(regen.status, 0, regen.stderr);
    const event = JSON.parse(
      readFileSync(join(dir, "schemas/client/response.create.json"), "utf8"),
    );
    t.equal(event.properties.model.description, "Changed once, for both.", "the event follows");
    t.match(event.$comment, /Generated from schemas\/compose\/response\.create\.json/);
    t.equal(check(dir).status, 0, "fresh again after regenerating");
  },
);

t.test("composition keeps the base's order and replaces shared members in place", async (t) => {
  const base = { a: 1, b: 2, c: 3, d: 4 };
  t.same(Object.entries(mergeProperties(base, { x: 0, c: 30, y: 0, d: 40, z: 0 })), [
    ["x", 0],
    ["a", 1],
    ["b", 2],
    ["c", 30],
    ["y", 0],
    ["d", 40],
    ["z", 0],
  ]);
  t.same(Object.keys(mergeProperties(base, { x: 0 })), ["x", "a", "b", "c", "d"]);
});

t.test("a provenance table edited by hand in spec/ fails the check", async (t) => {
  const dir = copyOfSources(t);
  const file = join(dir, "spec/transport.md");
  const page = readFileSync(file, "utf8");
  t.match(
    page,
    /\| \[TRANSPORT-1\]\(#TRANSPORT-1\) \| Open Responses 2026-04-24 \| MAY \| Servers MAY expose/,
    "each page's Provenance table comes from src/spec/provenance.ts",
  );
  writeFileSync(
    file,
    page.replace("| Open Responses 2026-04-24 | MAY |", "| Hotline addition | |"),
  );
  const result = check(dir);
  t.equal(result.status, 1);
  t.match(result.stderr, /spec\/transport\.md/);
  t.match(
    readFileSync(join(ROOT, "spec/conformance.md"), "utf8"),
    /\| \[RESP-9\]\(responses\.md#RESP-9\) \| SHOULD \| Servers SHOULD keep the most recent/,
    "conformance.md lists the Open Responses clauses and the requirements resting on each",
  );
});
