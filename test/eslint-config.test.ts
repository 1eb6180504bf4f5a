/**
 * The folder arrows in eslint.config.js fail when broken: each import below is linted as if it
 * were in the named file, and a forbidden one is an error while its allowed counterpart is not.
 */
import t from "tap";
import { join } from "node:path";
import { ESLint } from "eslint";
import { ROOT } from "./helpers/repo.js";

const eslint = new ESLint({ cwd: ROOT });

/** The layering rules an import breaks, linted as the file `path`. */
async function broken(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\n`, { filePath: join(ROOT, path) });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === "no-restricted-imports" || m.ruleId === "no-restricted-syntax")
    .map((m) => m.message);
}

const FORBIDDEN: [file: string, code: string][] = [
  ["src/protocol/x.ts", `export * from "../../reference-server/index.js";`],
  ["src/client/x.ts", `export * from "../../bench/index.js";`],
  ["src/util/x.ts", `export * from "../protocol/index.js";`],
  ["src/client/x.ts", `export * from "../cli/main.js";`],
  ["src/index.ts", `export * from "./testing/index.js";`],
  ["src/cli/x.ts", `export * from "../../reference-server/backend/index.js";`],
  ["src/cli/x.ts", `export const m = await import("../../bench/scenarios/cli.js");`],
  ["src/cli/x.ts", `export const m = await import("../../conformance/runner.js");`],
  ["reference-server/x.ts", `export * from "../conformance/runner.js";`],
  ["reference-server/x.ts", `export * from "../src/cli/main.js";`],
  ["reference-server/backend/x.ts", `export * from "../responses/service.js";`],
  ["reference-server/responses/x.ts", `export * from "../session/session.js";`],
  ["reference-server/http/x.ts", `export * from "../websocket/upgrade.js";`],
  ["reference-server/session/x.ts", `export * from "../http/router.js";`],
  ["reference-server/policy/limits.ts", `export * from "../session/session.js";`],
  ["reference-server/session/x.ts", `export * from "../fault-injection/faults.js";`],
  ["reference-server/session/x.ts", `export * from "../index.js";`],
  ["conformance/x.ts", `export * from "../reference-server/index.js";`],
  ["bench/x.ts", `export * from "../reference-server/backend/index.js";`],
  ["bench/scenarios/x.ts", `export * from "../../reference-server/backend/counters.js";`],
  ["bench/x.ts", `export const m = await import("../reference-server/session/session.js");`],
  ["bench/x.ts", `const name = "./table.js";\nexport const m = await import(name);`],
  ["scripts/x.ts", `export * from "../bench/scenarios/client.js";`],
  ["reference-server/x.ts", `export * from "../test/helpers/repo.js";`],
];

const ALLOWED: [file: string, code: string][] = [
  ["src/protocol/x.ts", `export * from "../util/seeded-random.js";`],
  ["src/index.ts", `export * from "./client/index.js";`],
  ["src/cli/x.ts", `export * from "../../reference-server/index.js";`],
  ["src/cli/x.ts", `export const m = await import("../../conformance/index.js");`],
  ["reference-server/backend/x.ts", `export * from "../../src/util/seeded-random.js";`],
  ["reference-server/responses/x.ts", `export * from "../backend/index.js";`],
  ["reference-server/http/x.ts", `export * from "../responses/service.js";`],
  ["reference-server/websocket/x.ts", `export * from "../session/session.js";`],
  ["reference-server/session/x.ts", `export * from "../policy/limits.js";`],
  ["reference-server/fault-injection/x.ts", `export * from "../session/session.js";`],
  ["conformance/x.ts", `export * from "../src/protocol/index.js";`],
  ["bench/x.ts", `export * from "../reference-server/index.js";`],
  ["bench/scenarios/x.ts", `export * from "../../src/testing/index.js";`],
  ["scripts/x.ts", `export * from "../bench/index.js";`],
  ["test/x.test.ts", `export * from "../reference-server/backend/counters.js";`],
];

t.test("a forbidden import is a lint error", async (t) => {
  for (const [file, code] of FORBIDDEN) {
    t.not((await broken(file, code)).length, 0, `${file}: ${code.split("\n").at(-1)}`);
  }
});

t.test("the allowed imports pass", async (t) => {
  for (const [file, code] of ALLOWED) {
    t.same(await broken(file, code), [], `${file}: ${code}`);
  }
});
