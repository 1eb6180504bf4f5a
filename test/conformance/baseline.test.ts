/**
 * Verdicts, exit codes and the expected-failures baseline (CONF-4, CONF-8, CONF-9, CONF-14),
 * without a server (the capability probe is given, not run).
 */
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
  requirements: ["HTTP-3"],
  level: "MUST",
  profile: "http",
  area: "transport",
  run: async (ctx) => void ctx.check("HTTP-3", true, "ok"),
});
const failing = defineCase({
  id: "x.fails",
  title: "fails",
  requirements: ["HTTP-3"],
  level: "MUST",
  profile: "http",
  area: "transport",
  run: async (ctx) => void ctx.check("HTTP-3", false, "broken"),
});
const should = defineCase({
  id: "x.should",
  title: "misses a SHOULD",
  // A Hotline MUST that Open Responses makes a SHOULD (the connection cache).
  requirements: ["RESP-9"],
  level: "MUST",
  profile: "http",
  area: "transport",
  run: async (ctx) => void ctx.check("RESP-9", false, "no connection cache"),
});
const addition = defineCase({
  id: "x.addition",
  title: "misses a Hotline addition",
  requirements: ["TRANSPORT-10"],
  level: "MUST",
  profile: "http",
  area: "transport",
  run: async (ctx) => void ctx.check("TRANSPORT-10", false, "no close 1003"),
});
const crashes = defineCase({
  id: "x.crashes",
  title: "runner bug",
  requirements: ["HTTP-3"],
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
    capabilities: { noWebSocket: null, noHttp: null },
  });
}

t.test("verdicts and exit codes", async (t) => {
  t.equal((await run([passing])).exitCode, 0);
  const r = await run([passing, failing]);
  t.equal(r.exitCode, 1);
  t.equal(r.cases[1]!.verdict, "FAIL");
  t.match(r.cases[1]!.reason, /HTTP-3: broken/);
  const s = await run([should]);
  t.equal(s.cases[0]!.verdict, "NON-STRICT");
  t.equal(s.exitCode, 0, "a missed SHOULD passes the run");
  t.equal((await run([should], [], true)).exitCode, 1, "--strict fails it");
  const a = await run([addition]);
  t.equal(a.cases[0]!.verdict, "RECOMMENDED", "a Hotline addition a core server lacks");
  t.equal(a.exitCode, 0, "RECOMMENDED passes the run");
  const strictA = await run([addition], [], true);
  t.equal(strictA.cases[0]!.verdict, "FAIL", "--strict holds it to Hotline's MUST");
  t.equal(strictA.exitCode, 1);
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

t.test("a binding the probe found absent makes its cases SKIPPED with the reason", async (t) => {
  const r = await runConformance({
    target,
    cases: [passing],
    spec,
    profile: "core",
    timeoutMs: 1000,
    capabilities: { noWebSocket: null, noHttp: "POST /v1/responses answered HTTP 404" },
  });
  t.equal(r.cases[0]!.verdict, "SKIPPED");
  t.match(r.cases[0]!.reason, /no HTTP binding: POST \/v1\/responses answered HTTP 404/);
});

t.test("a case in a profile the server did not negotiate is SKIPPED", async (t) => {
  const hot = defineCase({ ...passing, id: "x.hotline", profile: "hotline.v1" });
  const r = await run([hot]);
  t.equal(r.cases[0]!.verdict, "SKIPPED");
  t.equal(r.exitCode, 0);
});
