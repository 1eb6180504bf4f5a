/**
 * Every check can fail: for each fault mode of the reference server, a run against it fails
 * exactly the cases that cite the fault's rule, and no others. The rule → cases map comes from
 * the case data, never from a hand-written list. The server runs in-process (the test imports
 * it); the runner still reaches it only over the network.
 *
 * To keep the table quick, each fault runs the cases citing its rule, every other case of the
 * same areas and a rotating sample of the rest (together the samples cover every case), in
 * each profile that can see the rule; "no other case fails" is asserted over every case that
 * ran. A clean server with the same settings runs every case in the control test. Timing checks
 * a loaded machine misses now and then are re-run where they should pass (TIMING_FLAKY in
 * support/conformance-runs.ts), never where a fault should make them fail.
 */
import t from "tap";
import type { Case } from "../../conformance/case.js";
import { allCases } from "../../conformance/cases/index.js";
import type { ProfileMode, RunResult } from "../../conformance/runner.js";
import { FAULTS, type FaultName } from "../../reference-server/fault-injection/faults.js";
import { type ServerOptions, startServer } from "../../reference-server/index.js";
import {
  BASE,
  describeFailures,
  knownFailures,
  nonStrictRule,
  ranCases,
  runCases,
  settled,
} from "./support/conformance-runs.js";

/** Faults whose rule shows only under limits a run can reach (the cases read them from session.created). */
const SETTINGS: Partial<Record<FaultName, ServerOptions>> = {
  "no-going-away": { connectionMaxAgeMs: 2_000 },
};

/**
 * Faults the server injects only into core-profile sessions (its hotline.v1 session layer keeps
 * the rule), so only a core run can see them.
 */
const CORE_ONLY: readonly FaultName[] = [
  "no-eviction-after-failure",
  "lanes-serial",
  "lane-cache-shared",
];

/**
 * Cases that necessarily fail with a fault although they do not cite its rule, each with the
 * reason (as a mutation's `alsoFails`): the fault breaks what they read too.
 */
const ALSO_FAILS: Partial<Record<FaultName, Readonly<Record<string, string>>>> = {
  "sequence-gap": {
    "resume.replay":
      "the replay is numbered by the same broken counter: a resume after 3 gets 5.., which RESUME-6 reads as a lost event",
  },
  "binary-frame-kept-open": {
    "errors.close-codes":
      "ERR-14's close is the one a binary frame causes: a server that keeps the connection gives no close code to judge",
  },
  "ignore-unknown-type": {
    "session.core-no-hotline":
      "it ends by waiting for the error an unknown event type gets (SESSION-3's last frame), which the fault swallows",
  },
};

/** One case in SAMPLE_STRIDE of the unrelated ones runs with each fault, rotating. */
const SAMPLE_STRIDE = 4;

async function run(
  options: ServerOptions,
  profile: ProfileMode,
  cases: Case[],
): Promise<RunResult> {
  const server = await startServer({ ...BASE, ...options });
  try {
    return await runCases({ wsUrl: server.wsUrl, httpUrl: server.url }, profile, cases);
  } finally {
    await server.close();
  }
}

/** The cases a fault's run selects: cited, same areas, and the rotating sample. */
function selection(rule: string, index: number): Case[] {
  const cited = allCases.filter((c) => c.requirements.includes(rule));
  const areas = new Set(cited.map((c) => c.area));
  return allCases.filter(
    (c, i) => cited.includes(c) || areas.has(c.area) || i % SAMPLE_STRIDE === index % SAMPLE_STRIDE,
  );
}

t.test("the rule of every fault is cited by a case", async (t) => {
  for (const fault of FAULTS) {
    t.ok(
      allCases.some((c) => c.requirements.includes(fault.rule)),
      `${fault.name}: ${fault.rule} is cited`,
    );
  }
});

t.test("a clean server with the fault runs' settings fails no case", async (t) => {
  for (const options of [{}, ...Object.values(SETTINGS)]) {
    for (const profile of ["auto", "core"] as const) {
      const cases = options === SETTINGS["no-going-away"] ? selection("SESSION-13", 0) : allCases;
      const r = await run(options, profile, cases);
      const got = await settled(t, r, undefined, [], (again) => run(options, profile, again));
      t.same(got, [], `${JSON.stringify(options)} --profile ${profile}`, {
        failures: describeFailures(r),
      });
    }
  }
});

FAULTS.forEach((fault, index) => {
  t.test(`--fault ${fault.name} fails exactly the cases citing ${fault.rule}`, async (t) => {
    const cases = selection(fault.rule, index);
    const cited = allCases.filter((c) => c.requirements.includes(fault.rule));
    // hotline.v1 cases run only in auto; core and HTTP cases run in both profiles.
    const profiles: ProfileMode[] = CORE_ONLY.includes(fault.name)
      ? ["core"]
      : cited.some((c) => c.profile !== "hotline.v1")
        ? ["auto", "core"]
        : ["auto"];
    for (const profile of profiles) {
      const r = await run(
        { ...SETTINGS[fault.name], fault: fault.name } as ServerOptions,
        profile,
        cases,
      );
      const ran = ranCases(r);
      const expected = [...cited.map((c) => c.id), ...Object.keys(ALSO_FAILS[fault.name] ?? {})]
        .filter((id) => ran.has(id) && !knownFailures.includes(id))
        .sort();
      t.ok(expected.length > 0, `--profile ${profile}: a case citing ${fault.rule} ran`);
      const got = await settled(t, r, nonStrictRule(fault.rule), expected, (again) =>
        run({ ...SETTINGS[fault.name], fault: fault.name } as ServerOptions, profile, again),
      );
      t.same(got, expected, `--profile ${profile}: the failing cases`, {
        failures: describeFailures(r),
      });
    }
  });
});
