// Every schema compiles in ajv strict mode; every example file is checked: valid ones
// validate, invalid ones are rejected at the pointer and keyword they name.

import { Ajv2020 } from "ajv/dist/2020.js";
import t from "tap";
import {
  CLIENT_EVENT_TYPES,
  SERVER_EVENT_TYPES,
  SPEC_VERSION,
} from "../../../src/protocol/events.gen.js";
import { schemas } from "../../../src/protocol/schemas.gen.js";
import { validateById } from "../../../src/protocol/validate.js";
import { listFiles, readJson } from "../../helpers/repo.js";

type Schema = { $id: string; title: string };
const all = schemas as unknown as Schema[];
const idByName = new Map<string, string>();
for (const file of listFiles("schemas", ".json")) {
  const match = /^schemas\/(client|server|objects)\/(.+)\.json$/.exec(file);
  if (!match) continue;
  idByName.set(match[2] as string, readJson<Schema>(file).$id);
}

t.test("every schema compiles on its own in ajv strict mode", async (t) => {
  t.ok(all.length >= 40, `found ${all.length} schemas`);
  for (const schema of all) {
    const ajv = new Ajv2020({
      strict: true,
      discriminator: true,
      schemas: all.filter((s) => s !== schema),
    });
    t.doesNotThrow(() => ajv.compile(schema), schema.$id);
  }
});

t.test("every schema file is in the generated module, with a unique $id and title", async (t) => {
  t.equal(idByName.size, all.length, "schema files on disk and in schemas.gen.ts");
  t.equal(new Set(all.map((s) => s.$id)).size, all.length, "unique $id");
  t.equal(new Set(all.map((s) => s.title)).size, all.length, "unique title");
  const base = `https://hotline.dev/schemas/${SPEC_VERSION}/`;
  for (const s of all) t.ok(s.$id.startsWith(base), s.$id);
});

const examples = listFiles("schemas/examples", ".json");

t.test("valid examples validate", async (t) => {
  const valid = examples.filter((f) => !f.includes("/invalid/"));
  t.ok(valid.length > 0);
  for (const file of valid) {
    const name = file.split("/")[2] as string;
    const id = idByName.get(name);
    t.ok(id, `${file}: folder names a schema`);
    if (!id) continue;
    const result = validateById(id, readJson(file));
    t.ok(result.ok, `${file}${result.ok ? "" : `: ${result.issues[0]?.message}`}`);
  }
});

t.test("invalid examples are rejected at the expected pointer", async (t) => {
  const invalid = examples.filter((f) => f.includes("/invalid/"));
  t.ok(invalid.length > 0);
  for (const file of invalid) {
    const name = file.split("/")[2] as string;
    const id = idByName.get(name);
    const example = readJson<{ expect: { instancePath: string; keyword: string }; value: unknown }>(
      file,
    );
    if (!id) {
      t.fail(`${file}: folder names no schema`);
      continue;
    }
    const result = validateById(id, example.value);
    t.notOk(result.ok, `${file} is rejected`);
    if (result.ok) continue;
    const hit = result.issues.some(
      (i) => i.pointer === example.expect.instancePath && i.keyword === example.expect.keyword,
    );
    t.ok(
      hit,
      `${file}: expected ${example.expect.keyword} at '${example.expect.instancePath}', got ${JSON.stringify(result.issues)}`,
    );
  }
});

t.test("coverage of examples", async (t) => {
  const folders = new Set(examples.map((f) => f.split("/")[2]));
  for (const name of idByName.keys()) t.ok(folders.has(name), `${name} has an example`);
  for (const type of CLIENT_EVENT_TYPES) {
    const n = examples.filter((f) => f.startsWith(`schemas/examples/${type}/invalid/`)).length;
    t.ok(n >= 3, `${type} has ${n} invalid examples (at least 3)`);
  }
  t.ok(SERVER_EVENT_TYPES.length >= 32, `${SERVER_EVENT_TYPES.length} server events`);
});
