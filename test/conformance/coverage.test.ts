/**
 * Cases and spec/ agree: every case cites real anchors with the level they imply, and every
 * client-observable MUST of spec/ is cited by at least one case (CONF-10). And every case is
 * proven able to fail: a server fault (faults.test.ts) or a proxy mutation (mutations.test.ts)
 * breaks one of its requirements, except the few listed in UNPROVEN with the reason.
 */
import t from "tap";
import { allCases } from "../../conformance/cases/index.js";
import { impliedLevel } from "../../conformance/runner.js";
import { SpecIndex } from "../../conformance/spec-index.js";
import { FAULTS } from "../../reference-server/fault-injection/faults.js";
import { MUTATIONS } from "./mutations/index.js";

const spec = SpecIndex.load();

/** Rules that bind runners and report tools, not servers: checked by this folder's tests. */
const RUNNER_RULES = /^(CONF-\d+|METRIC-[1-7])$/;

/**
 * Rules of a multi-instance deployment (spec/fleet.md) that a runner cannot observe even with a
 * second URL (`--fleet-url`): it cannot kill an instance or cut one off from the shared state,
 * nor see how a limit is counted across instances. test/reference-server/fleet/ checks each on
 * a real Redis with two instances. FLEET-1 to FLEET-3 and FLEET-7 are cited by the fleet.* cases.
 */
const DEPLOYMENT_RULES: Record<string, string> = {
  "FLEET-4": "test/reference-server/fleet/fleet.test.ts (kill -9 of the owner)",
  "FLEET-5": "test/reference-server/fleet/fleet.test.ts (Redis stopped and restarted)",
  "FLEET-8":
    "test/reference-server/fleet/fleet.test.ts (in flight and requests per minute across instances)",
};

t.test("every case cites real anchors, at the level they imply", async (t) => {
  for (const c of allCases) {
    t.ok(c.requirements.length > 0, `${c.id} cites a requirement`);
    for (const a of c.requirements)
      t.ok(spec.byId.has(a), `${c.id} cites ${a}, which spec/ defines`);
    t.equal(c.level, impliedLevel(c, spec), `${c.id} level`);
    for (const a of c.aggregates ?? [])
      t.ok(c.requirements.includes(a), `${c.id} aggregates ${a}, which it cites`);
  }
});

t.test("no case cites a withdrawn rule", async (t) => {
  const withdrawn = new Set(spec.requirements.filter((r) => r.withdrawn).map((r) => r.id));
  t.ok(withdrawn.has("RESP-2"), "RESP-2 is withdrawn");
  for (const c of allCases)
    t.same(
      c.requirements.filter((a) => withdrawn.has(a)),
      [],
      `${c.id} cites no withdrawn rule`,
    );
});

t.test("case ids are unique and every aggregated rule has one owner", async (t) => {
  const ids = allCases.map((c) => c.id);
  t.same([...new Set(ids)], ids);
  const owners = allCases.flatMap((c) => c.aggregates ?? []);
  t.same([...new Set(owners)].sort(), [...owners].sort(), "no rule aggregated twice");
});

t.test("every MUST in spec/ that a client can observe is cited by a case", async (t) => {
  const cited = new Set(allCases.flatMap((c) => c.requirements));
  const missing = spec.requirements
    .filter((r) => r.level.startsWith("MUST") && !r.withdrawn && !RUNNER_RULES.test(r.id))
    .filter((r) => DEPLOYMENT_RULES[r.id] === undefined)
    .filter((r) => !cited.has(r.id))
    .map((r) => r.id);
  t.same(missing, [], "uncited MUSTs");
  for (const id of Object.keys(DEPLOYMENT_RULES)) t.ok(spec.byId.has(id), `${id} is in spec/`);
});

t.test("harness findings name rules spec/ defines", async (t) => {
  for (const a of [
    "TRANSPORT-9",
    "STREAM-1",
    "STREAM-13",
    "RESP-4",
    "RESP-6",
    "SESSION-3",
    "ERR-1",
    "ERR-2",
    "ERR-3",
    "ERR-7",
    "HTTP-2",
    "HTTP-3",
    "HTTP-4",
    "HTTP-5",
    "HTTP-6",
    "HTTP-7",
    "HTTP-12",
    "CONF-2",
  ]) {
    t.ok(spec.byId.has(a), a);
  }
});

/**
 * Cases a server fault or a proxy mutation of one server cannot break: they need two instances.
 * test/conformance/fleet.test.ts proves them against two instances that share nothing, and
 * against a real fleet with one instance behind a rule-breaking proxy.
 */
const PROVEN_BY_A_PAIR = new Set([
  "fleet.resume",
  "fleet.replaces-connection",
  "fleet.cancel",
  "fleet.http-stored",
  "fleet.continuation",
]);

/** Cases no server fault or proxy mutation proves, each with why. */
const UNPROVEN: Readonly<Record<string, string>> = {
  "transport.bearer-header":
    "every WebSocket case (and the probe) authenticates with this header, so refusing it fails them all, never this case alone",
};

t.test("every case is proven by a server fault or a proxy mutation", async (t) => {
  const broken = new Set([
    ...FAULTS.map((f) => f.rule),
    ...MUTATIONS.filter((m) => m.caseBug === undefined).map((m) => m.rule),
  ]);
  const unproven = allCases
    .filter((c) => !PROVEN_BY_A_PAIR.has(c.id))
    .filter((c) => !c.requirements.some((a) => broken.has(a)))
    .map((c) => c.id)
    .sort();
  t.same(unproven, Object.keys(UNPROVEN).sort(), "unproven cases are exactly the allowlist");
  t.same(
    allCases.filter((c) => c.fleet === true).map((c) => c.id),
    [...PROVEN_BY_A_PAIR],
    "the pair proves exactly the fleet cases",
  );
  for (const [id, why] of Object.entries(UNPROVEN)) t.ok(why.length > 0, `${id} has a reason`);
});
