/** Verdicts, exit codes and the expected-failures baseline (CONF-4, CONF-8, CONF-9), without a server. */
import t from "tap";
import { type Case, defineCase } from "../../conformance/case.js";
import { runConformance } from "../../conformance/runner.js";
import { SpecIndex } from "../../conformance/spec-index.js";

const spec = SpecIndex.load();
const target = {
  wsUrl: "ws://127.0.0.1:9/v1/responses",
  httpUrl: "http://127.0.0.1:9",
  token: null,
  headers: {},
  model: null,
  rttMs: 0,
};

const passing = defineCase({
  id: "x.passes",
  title: "passes",
  requirements: ["TRANSPORT-1"],
  level: "MUST",
  profile: "http",
  area: "transport",
  run: async (ctx) => void ctx.check("TRANSPORT-1", true, "ok"),
});
const failing = defineCase({
  id: "x.fails",
  title: "fails",
  requirements: ["TRANSPORT-1"],
  level: "MUST",
  profile: "http",
  area: "transport",
  run: async (ctx) => void ctx.check("TRANSPORT-1", false, "broken"),
});
const should = defineCase({
  id: "x.should",
  title: "misses a SHOULD",
  requirements: ["TRANSPORT-13"],
  level: "SHOULD",
  profile: "http",
  area: "transport",
  run: async (ctx) => void ctx.check("TRANSPORT-13", false, "no error before close"),
});
const crashes = defineCase({
  id: "x.crashes",
  title: "runner bug",
  requirements: ["TRANSPORT-1"],
  level: "MUST",
  profile: "http",
  area: "transport",
  run: async () => {
    throw new TypeError("boom");
  },
});

async function run(cases: Case[], expectedFailures: string[] = [], strict = false) {
  return runConformance({
    target,
    cases,
    spec,
    profile: "core",
    expectedFailures,
    strict,
    timeoutMs: 1000,
  });
}

t.test("verdicts and exit codes", async (t) => {
  t.equal((await run([passing])).exitCode, 0);
  const r = await run([passing, failing]);
  t.equal(r.exitCode, 1);
  t.equal(r.cases[1]!.verdict, "FAIL");
  t.match(r.cases[1]!.reason, /TRANSPORT-1: broken/);
  const s = await run([should]);
  t.equal(s.cases[0]!.verdict, "NON-STRICT");
  t.equal(s.exitCode, 0, "a missed SHOULD passes the run");
  t.equal((await run([should], [], true)).exitCode, 1, "--strict fails it");
  const e = await run([passing, crashes]);
  t.equal(e.cases[1]!.verdict, "ERROR");
  t.equal(e.exitCode, 2, "ERROR without FAIL exits 2");
});

t.test("baseline: a listed failure passes the run", async (t) => {
  const r = await run([passing, failing], ["x.fails"]);
  t.equal(r.cases[1]!.verdict, "FAIL");
  t.equal(r.cases[1]!.expectedFailure, true);
  t.equal(r.exitCode, 0);
});

t.test("baseline: an unlisted failure fails the run", async (t) => {
  const r = await run([passing, failing], ["x.other"]);
  t.equal(r.exitCode, 1);
});

t.test("baseline: a stale entry fails the run", async (t) => {
  const r = await run([passing, failing], ["x.fails", "x.passes"]);
  t.equal(r.cases[0]!.verdict, "FAIL");
  t.match(r.cases[0]!.reason, /stale/);
  t.equal(r.exitCode, 1);
});

t.test("baseline: an entry naming no case fails the run", async (t) => {
  const r = await run([passing], ["x.nonexistent"]);
  t.same(r.unknownBaselineEntries, ["x.nonexistent"]);
  t.equal(r.exitCode, 1);
});

t.test("a case in a profile the server did not negotiate is SKIPPED", async (t) => {
  const hot = defineCase({ ...passing, id: "x.hotline", profile: "hotline.v1" });
  const r = await run([hot]);
  t.equal(r.cases[0]!.verdict, "SKIPPED");
  t.equal(r.exitCode, 0);
});
