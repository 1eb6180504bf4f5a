/**
 * One conformance run of a few named cases against the reference server started for it, either
 * directly or through the rule-breaking proxy with the given layers: what the tests of single
 * runner behaviours (absence, late queued events, slow servers) share. Both are closed when the
 * test ends.
 */
import type { Test } from "tap";
import { allCases } from "../../../conformance/cases/index.js";
import type { CaseResult, ProfileMode } from "../../../conformance/runner.js";
import { runConformance } from "../../../conformance/runner.js";
import { SpecIndex } from "../../../conformance/spec-index.js";
import { type ServerOptions, startServer } from "../../../reference-server/index.js";
import { startBreakingProxy } from "./breaking-proxy.js";
import type { ProxyHooks } from "./proxy-hooks.js";

const TOKEN = "selected-cases-token";

/** What to run, and against what. */
export interface SelectedRun {
  /** The case ids to run (every one must exist). */
  ids: string[];
  profile: ProfileMode;
  /** The runner's per-turn timeout. */
  timeoutMs: number;
  sim?: boolean;
  /** Server options beyond port, log level and token. */
  server?: Partial<ServerOptions>;
  /** Proxy layers between the runner and the server; none: the runner talks to it directly. */
  layers?: ProxyHooks[];
}

/** Runs the cases and returns their results by id. */
export async function runSelected(t: Test, run: SelectedRun): Promise<Map<string, CaseResult>> {
  const cases = allCases.filter((c) => run.ids.includes(c.id));
  if (cases.length !== run.ids.length) throw new Error(`unknown case among ${run.ids.join(", ")}`);
  const server = await startServer({ ...run.server, port: 0, logLevel: "silent", tokens: [TOKEN] });
  t.teardown(() => server.close());
  let at = { wsUrl: server.wsUrl, httpUrl: server.url };
  if (run.layers !== undefined) {
    const proxy = await startBreakingProxy({ upstream: at, token: TOKEN, layers: run.layers });
    t.teardown(() => proxy.close());
    at = { wsUrl: proxy.wsUrl, httpUrl: proxy.httpUrl };
  }
  const result = await runConformance({
    target: { ...at, token: TOKEN, headers: {}, model: null, rttMs: 0 },
    cases,
    spec: SpecIndex.load(),
    profile: run.profile,
    timeoutMs: run.timeoutMs,
    ...(run.sim === undefined ? {} : { sim: run.sim }),
  });
  return new Map(result.cases.map((c) => [c.id, c]));
}

/** A wafer tier of two sequences at 20 tok/s, the rest queued: a slow but correct server. */
export const SLOW_TIER: Partial<ServerOptions> = {
  backend: {
    tiers: {
      wafer: {
        decodeTokensPerSecond: 20,
        burstTokensPerSecond: 20,
        maxConcurrentSequences: 2,
        maxQueue: 64,
      },
    },
  },
};
