/**
 * The response store is bounded by the bytes its finished stored responses hold
 * (docs/reliability.md row 26): past `maxBytes` the least recently used go first and are
 * answered as unknown; runs in flight and `store: false` runs are never kept past their end;
 * each response is visible to its own principal only.
 */
import t from "tap";
import type { ResponseRun } from "../../../reference-server/responses/run.js";
import { ResponseStore, storedBytes } from "../../../reference-server/responses/store.js";

function run(id: string, store: boolean, keptBytes: number) {
  return {
    id,
    params: { store, background: false },
    log: { keptBytes },
    inputTokenCount: 1000,
  } as unknown as ResponseRun;
}

t.test("finished stored responses stay within maxBytes, least recently used out first", (t) => {
  const each = storedBytes(run("x", true, 50_000));
  const store = new ResponseStore({ maxBytes: each * 3 });
  for (let i = 0; i < 5; i++) {
    const r = run(`resp_${i}`, true, 50_000);
    store.addLive(r, "alice");
    store.finish(r);
    if (i === 2) store.get("resp_0", "alice"); // used: now the most recent of the first three
  }
  t.ok(store.storedBytes <= each * 3, `${store.storedBytes} bytes held, bound ${each * 3}`);
  t.equal(store.storedCount, 3);
  t.equal(store.get("resp_1", "alice"), undefined, "the least recently used is gone");
  t.ok(store.get("resp_0", "alice"), "a recently read one is kept");
  t.ok(store.get("resp_4", "alice"));
  t.equal(store.get("resp_4", "bob"), undefined, "another principal sees nothing");
  t.end();
});

t.test("a store:false run is forgotten when it ends", (t) => {
  const store = new ResponseStore();
  const r = run("resp_f", false, 1000);
  store.addLive(r, "alice");
  t.equal(store.liveCount, 1);
  t.ok(store.get("resp_f", "alice", false), "reachable in flight from its own connection");
  store.finish(r);
  t.equal(store.liveCount, 0);
  t.equal(store.storedCount, 0);
  t.equal(store.get("resp_f", "alice", false), undefined);
  t.end();
});
