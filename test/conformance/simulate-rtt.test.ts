/**
 * `hotline conform --simulate-rtt-ms` end to end: the CLI puts the user-space delay proxy in
 * front of the embedded reference server, so every exchange costs real round trips, and the
 * metric series state the simulated RTT (METRIC-4).
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { run } from "../../src/cli/conform.js";

interface Series {
  name: string;
  series: string;
  rtt_ms: number;
  n: number;
  p50: number;
}

t.test("--simulate-rtt-ms 20: the WebSocket rtt_overhead_ms p50 is at least 20 ms", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "hotline-rtt-"));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const write = process.stdout.write.bind(process.stdout);
  const errWrite = process.stderr.write.bind(process.stderr);
  // The CLI prints its report to stdout, which would garble this file's TAP stream.
  process.stdout.write = (() => true) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  let code: number;
  try {
    code = await run([
      "--simulate-rtt-ms",
      "20",
      "--cases",
      "latency.l1-rtt-overhead",
      "--format",
      "json",
      "--out",
      dir,
    ]);
  } finally {
    process.stdout.write = write;
    process.stderr.write = errWrite;
  }
  t.equal(code, 0, "the run passes (L1 is a SHOULD)");
  const index = JSON.parse(await readFile(join(dir, "index.json"), "utf8")) as {
    metrics: Series[];
  };
  const ws = index.metrics.find((m) => m.name === "rtt_overhead_ms" && m.series === "ws");
  const http = index.metrics.find(
    (m) => m.name === "rtt_overhead_ms" && m.series === "http-new-connection",
  );
  t.ok(ws, "a WebSocket rtt_overhead_ms series");
  t.equal(ws?.rtt_ms, 20, "the series states the simulated RTT");
  t.ok((ws?.n ?? 0) >= 5, "five samples");
  t.ok((ws?.p50 ?? 0) >= 20, `WebSocket p50 ${ws?.p50} ms ≥ 20 ms`);
  // A new connection pays the TCP handshake too: at least two round trips.
  t.ok((http?.p50 ?? 0) >= 40, `HTTP new-connection p50 ${http?.p50} ms ≥ 40 ms`);
});
