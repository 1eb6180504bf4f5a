import t from "tap";
import { KvCache } from "../../../reference-server/backend/kv-cache.js";
import { inputOf } from "./recording-sink.js";

t.test("longest cached prefix, in whole blocks, never the whole input", (t) => {
  const kv = new KvCache({ blockSize: 64, maxTokens: 100_000 });
  const first = inputOf(1000);
  t.equal(kv.lookup(first), 0, "cold");
  kv.insert(first);
  t.equal(kv.peek(first), 960, "15 whole blocks");
  const next = [...first, ...inputOf(300, 1)];
  t.equal(kv.lookup(next), 960, "the previous turn is a cached prefix");
  const aligned = first.slice(0, 640);
  t.equal(kv.lookup(aligned), 576, "the last token is always recomputed");
  const diverged = [...first.slice(0, 100), 7, ...first.slice(101)];
  t.equal(kv.lookup(diverged), 64, "a change in block 2 stops the chain at block 1");
  const stats = kv.stats();
  t.equal(stats.lookups, 4);
  t.equal(stats.hits, 3);
  t.equal(stats.misses, 1);
  t.equal(stats.hitTokens, 960 + 576 + 64);
  t.end();
});

t.test("global LRU bounded in tokens keeps recently used chain heads", (t) => {
  const kv = new KvCache({ blockSize: 64, maxTokens: 64 * 20 });
  const a = inputOf(64 * 10 + 1, 1);
  const b = inputOf(64 * 10 + 1, 2);
  const c = inputOf(64 * 10 + 1, 3);
  kv.insert(a);
  kv.insert(b);
  t.equal(kv.stats().tokens, 64 * 20);
  kv.lookup(a);
  kv.insert(c);
  t.ok(kv.stats().tokens <= 64 * 20, "bounded");
  t.equal(kv.peek(a), 640, "recently used a survives");
  t.equal(kv.peek(b), 0, "b (least recently used) was evicted");
  t.equal(kv.peek(c), 640);
  t.ok(kv.stats().evictedBlocks >= 10);
  t.end();
});

t.test("per-conversation chains; forgetting evicts only unshared blocks", (t) => {
  const kv = new KvCache({ blockSize: 64 });
  const system = inputOf(64 * 4, 9);
  const one = [...system, ...inputOf(64 * 3, 1)];
  const two = [...system, ...inputOf(64 * 3, 2)];
  kv.insert(one, "conv-1");
  kv.insert(two, "conv-2");
  t.equal(kv.conversationTokens("conv-1"), 64 * 7);
  t.ok(kv.forgetConversation("conv-1", true));
  t.notOk(kv.forgetConversation("conv-1"));
  t.equal(kv.peek([...one, 1]), 64 * 4, "the shared system prompt stays");
  t.equal(kv.peek([...two, 1]), 64 * 7, "the other conversation is untouched");
  t.equal(kv.stats().conversations, 1);
  t.end();
});
