/** `index.json`: verdict per case, timings, metrics (n/p50/p90/p99/max); wire logs go to their own files. */
import type { RunResult } from "../runner.js";

/** The run as a JSON document (without the wire logs, which `--out` writes per case). */
export function toJson(run: RunResult): string {
  const doc = {
    ...run,
    cases: run.cases.map(({ wire, ...c }) => ({
      ...c,
      wire_log: `wire/${c.id}.jsonl`,
      frames: wire.length,
    })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
