/**
 * The runner's verdicts against a third-party Open Responses server: @copilotkit/aimock serves
 * HTTP and WebSocket /v1/responses from a fixture. Each case's verdict, and for every FAIL the
 * Open Responses clause the mock breaks, is checked in (aimock-expectations.json); a changed
 * verdict fails this test. Regenerate with UPDATE_EXPECTATIONS=1 after reviewing the change.
 * Every FAIL must rest on an Open Responses MUST (or a schema violation of its event objects):
 * no false positive may stay in the file.
 */
import { join } from "node:path";
import { LLMock } from "@copilotkit/aimock";
import t from "tap";
import { provenanceOf } from "../../src/spec/provenance.js";
import { expected, expectationsOf, runForeign } from "./foreign-run.js";

const mock = new LLMock({ port: 0, logLevel: "silent" });
mock.loadFixtureFile(join(import.meta.dirname, "aimock-fixture.json"));
const url = await mock.start();
t.teardown(() => mock.stop());

const started = Date.now();
const run = await runForeign(`${url.replace(/^http/, "ws")}/v1/responses`, url);
const seconds = (Date.now() - started) / 1000;
const actual = expectationsOf("@copilotkit/aimock", run);
const want = expected(join(import.meta.dirname, "aimock-expectations.json"), actual);

t.test("every case's verdict is the checked-in one", async (t) => {
  t.comment(`run took ${seconds.toFixed(1)} s: ${JSON.stringify(run.counts)}`);
  for (const [id, e] of Object.entries(want.cases)) {
    t.same(actual.cases[id], e, id);
  }
  const added = Object.keys(actual.cases).filter((id) => !(id in want.cases));
  t.same(added, [], "cases without a checked-in verdict (review them, then UPDATE_EXPECTATIONS=1)");
});

t.test("every run-wide finding is the checked-in one", async (t) => {
  t.same(actual.findings, want.findings);
});

t.test("every FAIL rests on an Open Responses MUST", async (t) => {
  for (const c of run.cases.filter((x) => x.verdict === "FAIL")) {
    const musts = c.checks.filter((k) => !k.ok && k.level === "MUST");
    t.ok(musts.length > 0, `${c.id} failed a MUST-level check`);
    for (const k of musts) {
      const p = provenanceOf(k.anchor);
      t.ok(
        k.anchor === "CONF-2" || (p?.source === "open-responses" && !k.addition),
        `${c.id}: ${k.anchor} is an Open Responses requirement`,
      );
    }
  }
  for (const f of run.findings.filter((x) => x.verdict === "FAIL")) {
    t.ok(f.anchor === "CONF-2" || provenanceOf(f.anchor)?.source === "open-responses", f.id);
  }
});

t.test("the mock is never held to Hotline: it does not claim hotline.v1", async (t) => {
  t.equal(run.held, false);
  t.equal(run.counts.ERROR, 0, "no ERROR");
});
