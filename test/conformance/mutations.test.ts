/**
 * Every check can fail, continued: for each proxy mutation (test/conformance/mutations/), a run
 * through a proxy that breaks the mutation's rule on a correct reference server fails exactly
 * the cases citing that rule (plus the few a mutation names as necessarily failing with it),
 * and every case citing the rule fails in one of the runs. Each run selects the cited cases and
 * every other case of their areas, in each profile that can see the rule. A control run through
 * the same proxy without a mutation (with the same setting, if any) fails none of them, so
 * every proof turns a passing (or skipped) case into a failing one.
 *
 * One reference server serves every run without a setting; a setting's server options get one
 * server of their own. The two profiles of a mutation run side by side unless its selection
 * holds timed checks (see TIMED_AREAS); everything else runs one after another. Two timing
 * checks too tight for a loaded machine are re-run before a failure of theirs counts
 * (TIMING_FLAKY, shared with faults.test.ts). A mutation its citing cases cannot prove (a case bug, reported) is a todo.
 */
import t, { type Test } from "tap";
import type { Area, Case } from "../../conformance/case.js";
import { allCases } from "../../conformance/cases/index.js";
import type { ProfileMode, RunResult } from "../../conformance/runner.js";
import { type RunningServer, startServer } from "../../reference-server/index.js";
import { MUTATIONS } from "./mutations/index.js";
import { SETTINGS } from "./mutations/settings.js";
import { type BreakingProxy, startBreakingProxy } from "./support/breaking-proxy.js";
import {
  BASE,
  describeFailures,
  knownFailures,
  nonStrictRule,
  ranCases,
  runCases,
  settled,
  TOKEN,
} from "./support/conformance-runs.js";
import type { Mutation, ProxyHooks, Setting } from "./support/proxy-hooks.js";

/**
 * Areas whose checks bound measured time (latency targets, heartbeats and going-away, cancel
 * and disconnect bounds, the simulator's prefill and decode rates): their runs never overlap.
 */
const TIMED_AREAS: ReadonlySet<Area> = new Set([
  "latency",
  "heartbeat",
  "interruption",
  "http",
  "simulation",
]);

const servers = new Map<string, Promise<RunningServer>>();
t.teardown(async () => {
  for (const s of servers.values()) await (await s).close();
});

/** The server a setting runs against (its options on top of BASE), started once. */
function serverFor(setting: Setting | undefined): Promise<RunningServer> {
  const key = setting?.server ? setting.name : "";
  if (!servers.has(key)) servers.set(key, startServer({ ...BASE, ...setting?.server }));
  return servers.get(key)!;
}

/**
 * Runs `cases` in each profile, each through its own proxy applying `setting`'s hooks, then
 * `mutation`'s. Side by side, both runs start in the same tick: the runner restarts its
 * process-wide clock when a run starts, so neither restarts it under the other.
 */
async function runThrough(
  setting: Setting | undefined,
  mutation: Mutation | undefined,
  profiles: readonly ProfileMode[],
  cases: Case[],
  sideBySide: boolean,
): Promise<RunResult[]> {
  const server = await serverFor(setting);
  const layers = [setting?.proxy, mutation].filter((l): l is ProxyHooks => l !== undefined);
  const open = (): Promise<BreakingProxy> =>
    startBreakingProxy({
      upstream: { wsUrl: server.wsUrl, httpUrl: server.url },
      token: TOKEN,
      layers,
    });
  if (sideBySide) {
    const proxies = await Promise.all(profiles.map(open));
    try {
      return await Promise.all(profiles.map((p, i) => runCases(proxies[i]!, p, cases)));
    } finally {
      await Promise.all(proxies.map((p) => p.close()));
    }
  }
  const results: RunResult[] = [];
  for (const profile of profiles) {
    const proxy = await open();
    try {
      results.push(await runCases(proxy, profile, cases));
    } finally {
      await proxy.close();
    }
  }
  return results;
}

/** Re-runs cases the way one profile of a mutation's (or the control's, without one) run did. */
const rerunner =
  (setting: Setting | undefined, m: Mutation | undefined, profile: ProfileMode) =>
  async (cases: Case[]): Promise<RunResult> =>
    (await runThrough(setting, m, [profile], cases, false))[0]!;

const citing = (rule: string): Case[] => allCases.filter((c) => c.requirements.includes(rule));

/** The cases a mutation's runs select: cited, named as failing too, and their areas' others. */
function selection(m: Mutation): Case[] {
  const named = new Set([...citing(m.rule).map((c) => c.id), ...Object.keys(m.alsoFails ?? {})]);
  const areas = new Set(allCases.filter((c) => named.has(c.id)).map((c) => c.area));
  return allCases.filter((c) => named.has(c.id) || areas.has(c.area));
}

/**
 * The profiles whose runs can see a mutation: hotline.v1 cases run only in auto, core cases in
 * both; HTTP cases open no WebSocket, so one profile shows them all.
 */
function profilesFor(m: Mutation): readonly ProfileMode[] {
  if (m.profiles) return m.profiles;
  const cited = citing(m.rule);
  if (cited.every((c) => c.profile === "http")) return ["auto"];
  return cited.some((c) => c.profile !== "hotline.v1") ? ["auto", "core"] : ["auto"];
}

/** A mutation's setting, if it names one (a name SETTINGS lacks throws). */
function settingOf(m: Mutation): Setting | undefined {
  if (m.setting === undefined) return undefined;
  const s = SETTINGS[m.setting];
  if (!s) throw new Error(`${m.name}: unknown setting ${m.setting}`);
  return s;
}

/** Control runs (no mutation) by setting name ("" for none), each profile's result. */
const controls = new Map<string, Promise<Map<ProfileMode, RunResult>>>();

/**
 * The control of a setting: every case without one; with one, every case its mutations
 * select, in the profiles they use. Run once, on first use.
 */
function controlFor(setting: Setting | undefined): Promise<Map<ProfileMode, RunResult>> {
  const key = setting?.name ?? "";
  if (!controls.has(key)) {
    const users = MUTATIONS.filter((m) => m.setting === setting?.name);
    const ids = new Set(users.flatMap((m) => selection(m).map((c) => c.id)));
    const cases = setting ? allCases.filter((c) => ids.has(c.id)) : allCases;
    const profiles = (["auto", "core"] as const).filter(
      (p) => !setting || users.some((m) => profilesFor(m).includes(p)),
    );
    controls.set(
      key,
      runThrough(setting, undefined, profiles, cases, false).then(
        (rs) => new Map(rs.map((r, i) => [profiles[i]!, r])),
      ),
    );
  }
  return controls.get(key)!;
}

const settledControls = new Map<string, Promise<string[]>>();

/** The cases one profile of a setting's control failed, settled once per `should` rule. */
function controlFailures(
  t: Test,
  setting: Setting | undefined,
  profile: ProfileMode,
  should: string | undefined,
): Promise<string[]> {
  const key = `${setting?.name ?? ""}|${profile}|${should ?? ""}`;
  if (!settledControls.has(key)) {
    const result = controlFor(setting).then((c) => c.get(profile)!);
    settledControls.set(
      key,
      result.then((r) => settled(t, r, should, [], rerunner(setting, undefined, profile))),
    );
  }
  return settledControls.get(key)!;
}

t.test("every mutation has a unique name and breaks a rule some case cites", async (t) => {
  const names = MUTATIONS.map((m) => m.name);
  t.same([...new Set(names)], names, "unique names");
  for (const m of MUTATIONS) {
    t.ok(citing(m.rule).length > 0, `${m.name}: ${m.rule} is cited`);
    for (const id of Object.keys(m.alsoFails ?? {})) {
      t.ok(
        allCases.some((c) => c.id === id),
        `${m.name}: ${id} names a case`,
      );
    }
    t.doesNotThrow(() => settingOf(m), `${m.name}: its setting exists`);
  }
});

t.test("through the proxy without a mutation no case fails", async (t) => {
  for (const [profile, r] of await controlFor(undefined)) {
    const failing = await controlFailures(t, undefined, profile, undefined);
    t.same(failing, [], `--profile ${profile}`, { failures: describeFailures(r) });
  }
});

for (const m of MUTATIONS) {
  // A break the citing cases cannot prove is a case bug (m.caseBug): a todo, never a proof.
  const options = m.caseBug ? { todo: `case bug: ${m.caseBug}` } : {};
  t.test(`${m.name} fails exactly the cases citing ${m.rule}`, options, async (t) => {
    const setting = settingOf(m);
    const cases = selection(m);
    const cited = citing(m.rule).map((c) => c.id);
    const named = [...cited, ...Object.keys(m.alsoFails ?? {})];
    const should = nonStrictRule(m.rule);
    const profiles = profilesFor(m);
    const control = await controlFor(setting);
    const timed = cases.some((c) => TIMED_AREAS.has(c.area));
    const results = await runThrough(setting, m, profiles, cases, !timed);
    const selected = new Set(cases.map((c) => c.id));
    const proven = new Set<string>();
    for (const [i, profile] of profiles.entries()) {
      const r = results[i]!;
      const before = control.get(profile)!;
      // Where a setting makes a SHOULD case pass (latency), its NON-STRICT counts as failing.
      const failedBefore = await controlFailures(t, setting, profile, should);
      t.same(
        failedBefore.filter((id) => selected.has(id)),
        [],
        `--profile ${profile}: the control run${setting ? ` (${setting.name})` : ""} fails none of the selected cases`,
        { failures: describeFailures(before) },
      );
      const ran = ranCases(r);
      const expected = named.filter((id) => ran.has(id) && !knownFailures.includes(id)).sort();
      t.ok(expected.length > 0, `--profile ${profile}: a case citing ${m.rule} ran`);
      const got = await settled(t, r, should, expected, rerunner(setting, m, profile));
      t.same(got, expected, `--profile ${profile}: the failing cases`, {
        failures: describeFailures(r),
      });
      for (const id of got) if (cited.includes(id)) proven.add(id);
    }
    t.same(
      cited.filter((id) => !proven.has(id) && !knownFailures.includes(id)),
      [],
      `every case citing ${m.rule} failed in a run`,
    );
  });
}
