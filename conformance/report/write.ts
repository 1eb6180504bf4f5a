/** Writes `--out DIR`: index.json, wire/<case>.jsonl, junit.xml, report.html. */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { RunResult } from "../runner.js";
import { toHtml } from "./html.js";
import { toJson } from "./json.js";
import { toJunit } from "./junit.js";

/** Writes every report file under `dir`. */
export async function writeReports(run: RunResult, dir: string): Promise<void> {
  await mkdir(join(dir, "wire"), { recursive: true });
  await writeFile(join(dir, "index.json"), toJson(run));
  await writeFile(join(dir, "junit.xml"), toJunit(run));
  await writeFile(join(dir, "report.html"), toHtml(run));
  await Promise.all(
    run.cases.map((c) =>
      writeFile(
        join(dir, "wire", `${c.id}.jsonl`),
        c.wire.map((e) => JSON.stringify(e)).join("\n") + (c.wire.length ? "\n" : ""),
      ),
    ),
  );
}
