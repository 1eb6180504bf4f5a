import t from "tap";
import { WeightedLru } from "../../../reference-server/backend/lru.js";

t.test("evicts least recently used entries by weight", (t) => {
  const evicted: string[] = [];
  const lru = new WeightedLru<string, number>(10, (k) => evicted.push(k));
  lru.set("a", 1, 4);
  lru.set("b", 2, 4);
  t.equal(lru.get("a"), 1, "touch a");
  lru.set("c", 3, 4);
  t.same(evicted, ["b"]);
  t.equal(lru.weight, 8);
  t.notOk(lru.set("huge", 0, 11), "heavier than the bound is not stored");
  t.equal(lru.peek("huge"), undefined);
  lru.set("a", 9, 2);
  t.equal(lru.weight, 6, "replacing adjusts the weight");
  t.ok(lru.delete("a"));
  t.equal(lru.size, 1);
  t.end();
});

t.test("recency order survives touches, replacements and deletes", (t) => {
  const lru = new WeightedLru<number, number>(100);
  for (let i = 0; i < 5; i++) lru.set(i, i, 1);
  lru.touch(0);
  lru.get(2);
  lru.set(3, 30, 2);
  lru.delete(4);
  t.same([...lru.keys()], [1, 0, 2, 3]);
  lru.touch(3);
  t.same([...lru.keys()], [1, 0, 2, 3], "touching the newest changes nothing");
  t.equal(lru.weight, 5);
  lru.clear();
  t.same([...lru.keys()], []);
  lru.set(9, 9, 1);
  t.same([...lru.keys()], [9]);
  t.end();
});
