/**
 * The lanes' caches (session/lane-caches.ts): each named lane keeps its own latest response
 * beside the default lane's cache (RESP-37), every lane reads all of them (a fork from another
 * lane), and a failed continuation evicts its parent only within its own lane (RESP-38, RESP-12).
 */
import t from "tap";
import { ConnectionCache } from "../../../reference-server/responses/connection-cache.js";
import type { ResponseRun } from "../../../reference-server/responses/run.js";
import { LaneCaches } from "../../../reference-server/session/lane-caches.js";

function fakeRun(id: string): ResponseRun {
  return {
    id,
    conversationKey: id,
    continuationContext: () => ({ items: [], tokens: [] }),
  } as unknown as ResponseRun;
}

t.test("each lane keeps its own latest response; the default lane keeps core's one", async (t) => {
  const caches = new LaneCaches(new ConnectionCache(1));
  caches.view("a").remember(fakeRun("a1"));
  caches.view("b").remember(fakeRun("b1"));
  caches.view("").remember(fakeRun("d1"));
  t.ok(caches.get("a1"), "lane b's and the default lane's responses did not push out lane a's");
  t.ok(caches.get("b1"));
  t.ok(caches.get("d1"));
  caches.view("a").remember(fakeRun("a2"));
  t.notOk(caches.get("a1"), "a lane keeps only its latest");
  t.ok(caches.view("c").get("a2"), "another lane reads it (a fork)");
});

t.test("a failed continuation evicts its parent only within its lane", async (t) => {
  const caches = new LaneCaches(new ConnectionCache(1));
  caches.view("a").remember(fakeRun("a1"));
  caches.view("").remember(fakeRun("d1"));
  caches.view("b").evict("a1");
  caches.view("b").evict("d1");
  t.ok(caches.get("a1"), "a failed fork from lane b keeps lane a's response");
  t.ok(caches.get("d1"), "and the default lane's");
  caches.view("a").evict("a1");
  caches.view("").evict("d1");
  t.notOk(caches.get("a1"), "a failed same-lane continuation evicts it");
  t.notOk(caches.get("d1"));
  caches.view("x").remember(fakeRun("x1"));
  caches.clear();
  t.notOk(caches.get("x1"), "clear forgets every lane");
});

t.test("a snapshot rebuilds every lane's cache as it was (a fleet's take-over)", async (t) => {
  const caches = new LaneCaches(new ConnectionCache(2));
  for (const id of ["d1", "d2", "d3"]) caches.view("").remember(fakeRun(id));
  caches.view("a").remember(fakeRun("a1"));
  caches.view("").evict("d3");
  const snapshot = caches.snapshot();
  t.same(
    snapshot.map(({ lane, point }) => [lane, point.id]),
    [
      ["", "d2"],
      ["a", "a1"],
    ],
    "what each lane holds, oldest first: nothing fallen out or evicted",
  );
  const taken = new LaneCaches(new ConnectionCache(2));
  taken.restore(snapshot);
  t.same(taken.snapshot(), snapshot, "restored as it was");
  taken.view("").remember(fakeRun("d4"));
  taken.view("").remember(fakeRun("d5"));
  t.notOk(taken.get("d2"), "the default lane's oldest falls out first, as it would have there");
  t.ok(taken.get("a1"));
});
