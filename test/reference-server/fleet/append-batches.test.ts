/**
 * APPEND_BATCHES (reference-server/fleet/scripts.ts) on a real redis-server: the entries one
 * packed write appends, one a stream, come back byte for byte whatever their JSON holds
 * (separators escaped, non-ASCII text, newlines), with the terminal flag and expiry asked for.
 */
import fc from "fast-check";
import { Redis } from "ioredis";
import t from "tap";
import {
  decodeEntry,
  packBatch,
  packBatches,
} from "../../../reference-server/fleet/entry-codec.js";
import { APPEND_BATCHES } from "../../../reference-server/fleet/scripts.js";
import type { LoggedEvent } from "../../../reference-server/responses/event-log.js";
import { haveRedis, RedisProcess } from "./helpers.js";

t.test("a packed write appends each batch to its own stream, byte for byte", async (t) => {
  if (!haveRedis(t)) return;
  const server = await RedisProcess.start(t);
  const redis = new Redis(server.url);
  t.teardown(() => redis.disconnect());

  // A batch's events: any text (control characters, the separators themselves, graphemes
  // outside ASCII), numbered from `first`; its last one sometimes the terminal.
  const batch = fc
    .record({
      first: fc.nat(1000),
      texts: fc.array(fc.string({ unit: "grapheme", maxLength: 30 }), {
        minLength: 1,
        maxLength: 8,
      }),
      terminal: fc.boolean(),
      expire: fc.boolean(),
    })
    .map(({ first, texts, terminal, expire }) => ({
      expire,
      events: texts.map((text, i): LoggedEvent => ({
        sequenceNumber: first + i,
        type: i === 0 ? "response.output_item.added" : "response.output_text.delta",
        json: `{"type":"x","delta":${JSON.stringify(text + "\x1e\x1f")},"sequence_number":${first + i}}`,
        terminal: terminal && i === texts.length - 1,
      })),
    }));

  let write = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(batch, { minLength: 1, maxLength: 6 }), async (batches) => {
      write++;
      const keys = batches.map((_, i) => `test:e:${write}:${i}`);
      const parts = batches.map((b) => packBatch(b.events, b.expire ? 60_000 : 0));
      const appended = await redis.eval(
        APPEND_BATCHES,
        keys.length,
        ...keys,
        16_384,
        packBatches(parts),
      );
      if (appended !== batches.length) return false;
      for (const [i, b] of batches.entries()) {
        const entries = await redis.xrange(keys[i]!, "-", "+");
        if (entries.length !== 1) return false;
        const values = entries[0]![1];
        const fields: Record<string, string> = {};
        for (let k = 0; k + 1 < values.length; k += 2) fields[values[k]!] = values[k + 1]!;
        if (JSON.stringify(decodeEntry(fields)) !== JSON.stringify(b.events)) return false;
        const ttl = await redis.pttl(keys[i]!);
        if (b.expire ? !(ttl > 0 && ttl <= 60_000) : ttl !== -1) return false;
      }
      return true;
    }),
    { numRuns: 60 },
  );
  t.pass(`${write} packed writes read back unchanged`);
});
