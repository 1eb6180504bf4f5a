/**
 * `npx tsx bench/fleet-write.ts --redis=redis://host:port [--writes=N] [--streams=N]`: what one
 * of a fleet's event writes costs the instance that sends it (`APPEND_BATCHES`: every shared
 * response's new events, one stream entry each), apart from everything else a server does.
 * Each write carries four text deltas for each of `--streams` responses (64: a 16-ms write at
 * 64 streams of 1,200 tok/s, about 5 tokens a delta). Two forms side by side, alternating:
 *
 * - `packed`: what the server sends for a write of events alone, one `EVAL` (no pipeline) whose
 *   one argument holds every response's entry;
 * - `six-args`: the same entries as six arguments a response, through an equivalent script in a
 *   pipeline (the form before, kept here as the comparison).
 *
 * The deltas are built as the server's per-token path builds them (`head`, the text, `tail`).
 *
 * Reported per write: CPU µs of this process (median of the rounds), V8-heap bytes allocated
 * (sampled) and the entries' bytes. Both forms include making the write's events, as a server
 * has them already: compare the two, not either alone. Not a test.
 */
import { Session } from "node:inspector/promises";
import { Redis } from "ioredis";
import {
  APPEND_BATCHES,
  encodeBatch,
  type LoggedEvent,
  packBatch,
  packBatches,
} from "../reference-server/index.js";

const arg = (name: string): string | undefined =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
if (process.argv.includes("--help")) {
  console.log(
    "usage: npx tsx bench/fleet-write.ts --redis=redis://host:port [--writes=N] [--streams=N]",
  );
  process.exit(0);
}
const url = arg("redis");
const writes = Number(arg("writes") ?? 2000);
const streams = Number(arg("streams") ?? 64);
if (url === undefined || !(writes >= 10) || !(streams >= 1)) {
  console.error(
    "fleet-write: needs --redis=redis://host:port (and --writes >= 10, --streams >= 1)",
  );
  process.exit(2);
}

/** The earlier form's script: six arguments a key (first, count, types, JSON, terminal, expiry). */
const SIX_ARGS = `
local a = 2
for _, key in ipairs(KEYS) do
  redis.call('XADD', key, 'MAXLEN', '~', ARGV[1], '*', 's', ARGV[a], 'n', ARGV[a + 1],
    't', ARGV[a + 2], 'j', ARGV[a + 3])
  if ARGV[a + 5] ~= '0' then redis.call('PEXPIRE', key, ARGV[a + 5]) end
  a = a + 6
end
return #KEYS
`;

const TEXTS = [
  " return buffer.length + 3",
  ";\n  }\n  const handler",
  "1 = Math.min(queue,",
  " 1264);",
];
let next = 0;
/** Each response's item: the strings its deltas are built from (ResponseRun's per-token path). */
const items = new Map<number, { head: string; tail: string }>();
/** Four deltas of response `i`, numbered on from the last batch, as the server logs them. */
function batch(i: number): LoggedEvent[] {
  let item = items.get(i);
  if (item === undefined) {
    item = {
      head: `{"type":"response.output_text.delta","item_id":"msg_ee8dfa5499f857ebcfecfe${i}","delta":`,
      tail: `,"output_index":0,"content_index":0,"sequence_number":`,
    };
    items.set(i, item);
  }
  const { head, tail } = item;
  return TEXTS.map((text) => {
    const seq = next++;
    const json = `${head}${JSON.stringify(text + (seq % 7))}${tail}${seq}}`;
    return {
      sequenceNumber: seq,
      type: "response.output_text.delta",
      json,
      terminal: false,
      head,
      tail,
    };
  });
}

const redis = new Redis(url);
const keys = Array.from({ length: streams }, (_, i) => `hotline-bench:e:${process.pid}:${i}`);
let wireBytes = 0;

async function write(form: string): Promise<void> {
  if (form === "packed") {
    // As the server sends a write of events alone: one command, no pipeline.
    const packed = packBatches(keys.map((_, i) => packBatch(batch(i), 0)));
    wireBytes += packed.length;
    await redis.eval(APPEND_BATCHES, keys.length, ...keys, 16_384, packed);
    return;
  }
  const pipeline = redis.pipeline();
  const args: (string | number)[] = [16_384];
  for (let i = 0; i < keys.length; i++) {
    const events = batch(i);
    const { types, jsons } = encodeBatch(events);
    wireBytes += Buffer.byteLength(types) + Buffer.byteLength(jsons) + 16;
    args.push(events[0]!.sequenceNumber, events.length, types, jsons, "", 0);
  }
  pipeline.eval(SIX_ARGS, keys.length, ...keys, ...args);
  const results = await pipeline.exec();
  const failed = results?.find(([error]) => error !== null)?.[0];
  if (failed) throw failed;
}

const session = new Session();
session.connect();
const forms = ["packed", "six-args"];
const cpu: Record<string, number[]> = { packed: [], "six-args": [] };
const heap: Record<string, number> = {};
const wire: Record<string, number> = {};
// Round 0 samples the heap (which slows it): its CPU is not counted.
const rounds = 6;
for (const form of forms) for (let i = 0; i < 200; i++) await write(form); // warm-up
for (let round = 0; round < rounds; round++) {
  for (const form of forms) {
    const sampling = round === 0;
    if (sampling) {
      // Objects scavenged too: what a write leaves for the young generation's collector.
      await session.post("HeapProfiler.startSampling", {
        samplingInterval: 4096,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      } as never);
    }
    wireBytes = 0;
    const before = process.cpuUsage();
    const n = Math.ceil(writes / rounds);
    for (let i = 0; i < n; i++) await write(form);
    const used = process.cpuUsage(before);
    if (!sampling) cpu[form]!.push((used.user + used.system) / n);
    wire[form] = wireBytes / n;
    if (sampling) {
      const { profile } = await session.post("HeapProfiler.stopSampling");
      let total = 0;
      const walk = (node: { selfSize: number; children?: unknown[] }): void => {
        total += node.selfSize;
        for (const child of node.children ?? []) walk(child as typeof node);
      };
      walk(profile.head as never);
      heap[form] = total / n;
    }
  }
}
await redis.del(...keys);
redis.disconnect();
session.disconnect();

const median = (values: number[]): number => values.sort((a, b) => a - b)[values.length >> 1]!;
console.log(`fleet-write: ${streams} responses × 4 deltas a write, ${writes} writes a form`);
for (const form of forms) {
  console.log(
    `${form.padEnd(9)} CPU ${median(cpu[form]!).toFixed(0)} µs a write ` +
      `(rounds ${cpu[form]!.map((c) => c.toFixed(0)).join(", ")}), ` +
      `heap ${(heap[form]! / 1024).toFixed(0)} KiB, payload ${(wire[form]! / 1024).toFixed(1)} KiB`,
  );
}
