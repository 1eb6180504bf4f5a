/**
 * Every requirement of spec/ has a provenance (src/spec/provenance.ts), every id named there
 * exists, and the verdict levels follow from it (spec/conformance.md, CONF-14).
 */
import t from "tap";
import {
  checkLevel,
  EXPLICIT_IDS,
  provenanceOf,
  QUOTED_CLAUSES,
} from "../../src/spec/provenance.js";
import { SpecIndex } from "../../conformance/spec-index.js";

const spec = SpecIndex.load();

t.test("every requirement of spec/ has a provenance", async (t) => {
  const missing = spec.requirements
    .filter((r) => provenanceOf(r.id) === undefined)
    .map((r) => r.id);
  t.same(missing, [], "requirements without a provenance");
});

t.test("every id named in the table is a requirement of spec/", async (t) => {
  t.same(
    EXPLICIT_IDS.filter((id) => !spec.byId.has(id)),
    [],
    "ids not in spec/",
  );
});

t.test("Open Responses entries quote a clause with a BCP 14 keyword", async (t) => {
  for (const r of spec.requirements) {
    const p = provenanceOf(r.id);
    if (p?.source !== "open-responses") continue;
    t.ok(p.keyword, `${r.id} has the clause's keyword`);
    t.ok(p.clause && p.clause.length > 20, `${r.id} quotes its clause`);
  }
  for (const c of QUOTED_CLAUSES)
    t.match(c, /\b(MUST|SHOULD|MAY|must|will)\b/, "each clause holds its keyword");
});

t.test("verdict levels follow from provenance", async (t) => {
  // Against a server that does not claim hotline.v1:
  t.equal(checkLevel("STREAM-1", "MUST", false), "MUST", "an Open Responses MUST fails");
  t.equal(checkLevel("RESP-9", "MUST", false), "SHOULD", "the cache is an Open Responses SHOULD");
  t.equal(checkLevel("RESP-11", "MUST", false), "RECOMMENDED", "an Open Responses MAY");
  t.equal(checkLevel("HTTP-4", "MUST NOT", false), "SHOULD", "SSE id: lines, SHOULD NOT there");
  t.equal(checkLevel("ERR-9", "MUST", false), "RECOMMENDED", "invalid_json is Hotline's code");
  t.equal(checkLevel("TRANSPORT-11", "MUST", false), "RECOMMENDED", "close code 1009");
  t.equal(checkLevel("RESP-8", "MUST", false), "RECOMMENDED", "generate:false");
  t.equal(checkLevel("RESP-22", "SHOULD", false), "RECOMMENDED", "OpenAI WebSocket mode");
  t.equal(checkLevel("RESP-7", "MUST", false, { addition: true }), "RECOMMENDED", "the code part");
  t.equal(checkLevel("RESP-7", "MUST", false), "MUST", "refusing and still starting");
  t.equal(checkLevel("CONF-2", "MUST", false), "MUST", "schema violations");
  // Held (claims hotline.v1, --profile hotline or --strict): Hotline's own keywords.
  t.equal(checkLevel("ERR-9", "MUST", true), "MUST");
  t.equal(checkLevel("RESP-9", "MUST", true), "MUST");
  t.equal(checkLevel("STREAM-14", "SHOULD NOT", true), "SHOULD");
});
