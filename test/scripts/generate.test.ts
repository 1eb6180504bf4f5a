// The freshness check is real: on a temporary copy of the repository, changing a schema
// without regenerating makes `generate --check` fail and name the stale files.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { ROOT } from "../helpers/repo.js";

const tsx = join(ROOT, "node_modules/.bin/tsx");
const script = join(ROOT, "scripts/generate.ts");

function check(root: string) {
  return spawnSync(tsx, [script, "--check", "--root", root], { encoding: "utf8" });
}

t.test("generated files in this checkout are fresh", async (t) => {
  const result = check(ROOT);
  t.equal(result.status, 0, result.stderr);
});

t.test("a schema edited without regenerating fails the check", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "hotline-gen-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  for (const sub of ["schemas", "spec", "src/protocol", "docs/generated"]) {
    cpSync(join(ROOT, sub), join(dir, sub), { recursive: true });
  }
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
  const dir = mkdtempSync(join(tmpdir(), "hotline-gen-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  for (const sub of ["schemas", "spec", "src/protocol", "docs/generated"]) {
    cpSync(join(ROOT, sub), join(dir, sub), { recursive: true });
  }
  const file = join(dir, "schemas/registry/errors.json");
  const registry = JSON.parse(readFileSync(file, "utf8"));
  registry.errors[0].summary = "Changed sentence for the test.";
  writeFileSync(file, JSON.stringify(registry, null, 2));
  const result = check(dir);
  t.equal(result.status, 1);
  t.match(result.stderr, /spec\/errors\.md/);
  t.match(result.stderr, /src\/protocol\/errors\.gen\.ts/);
});

t.test("a provenance table edited by hand in spec/ fails the check", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "hotline-gen-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  for (const sub of ["schemas", "spec", "src/protocol", "docs/generated"]) {
    cpSync(join(ROOT, sub), join(dir, sub), { recursive: true });
  }
  const file = join(dir, "spec/transport.md");
  const page = readFileSync(file, "utf8");
  t.match(
    page,
    /\| \[TRANSPORT-1\]\(#TRANSPORT-1\) \| Open Responses 2026-04-24 \| MAY \| Servers MAY expose/,
    "each page's Provenance table comes from conformance/provenance.ts",
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
