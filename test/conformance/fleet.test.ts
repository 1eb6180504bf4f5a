/**
 * The fleet.* cases (spec/fleet.md) proven both ways: they PASS against two `hotline serve
 * --redis` instances sharing a real redis-server, FAIL against two reference servers that
 * share nothing (a "fleet" breaking FLEET-1, FLEET-3 and FLEET-7), each FAILs on its own rule
 * when a proxy in front of one instance of the real fleet breaks what it checks (a replay gap,
 * a cancel not routed, another conversation, a replaced connection left without 4002), and
 * they are SKIPPED without a second URL. Without redis-server the Redis test is skipped with a
 * one-line notice (CI fails it).
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t, { type Test } from "tap";
import { allCases } from "../../conformance/cases/index.js";
import type { Target } from "../../conformance/context.js";
import { runConformance, type RunResult } from "../../conformance/runner.js";
import { startServer } from "../../reference-server/index.js";
import { run } from "../../src/cli/conform.js";
import { fleetOfTwo } from "../reference-server/fleet/helpers.js";
import { startBreakingProxy } from "./support/breaking-proxy.js";
import { describeFailures, spec } from "./support/conformance-runs.js";
import type { ProxyHooks, WireEvent } from "./support/proxy-hooks.js";

const FLEET_CASES = allCases.filter((c) => c.fleet === true);
const IDS = FLEET_CASES.map((c) => c.id);

/** Runs the fleet cases against `first`, with `second` as `--fleet-url` (none: null). */
function runFleet(
  first: { wsUrl: string; httpUrl: string },
  second: { wsUrl: string; httpUrl: string } | null,
  include: string[] = [],
): Promise<RunResult> {
  const target: Target = {
    wsUrl: first.wsUrl,
    httpUrl: first.httpUrl,
    token: null,
    headers: {},
    model: null,
    rttMs: 0,
    fleet: second ? { wsUrl: second.wsUrl, httpUrl: second.httpUrl } : null,
  };
  return runConformance({
    include,
    target,
    cases: FLEET_CASES,
    spec,
    profile: "auto",
    sim: true,
    timeoutMs: 5_000,
  });
}

/** What an instance does wrong, described, as proxy hooks; the second one unless `first`. */
type Break = ProxyHooks & { description: string; first?: boolean };

/** Cases, the rule each must fail on, and a proxy in front of one correct instance. */
const BROKEN: [string, string, Break][] = [
  [
    "fleet.replaces-connection",
    "FLEET-1",
    {
      description: "closes the connection a take-over replaced without session_replaced and 4002",
      first: true,
      fromServer: (e) =>
        e.type === "error" && e.error?.code === "session_replaced" ? null : undefined,
      serverClose: (close) => {
        if (close.code === 4002) close.code = 1000;
      },
    },
  ],
  [
    "fleet.resume",
    "FLEET-2",
    {
      description: "drops one event of a response it resumed (a gap)",
      fromServer: (e) => (e.sequence_number === 12 ? null : undefined),
    },
  ],
  [
    "fleet.cancel",
    "FLEET-2",
    {
      description: "does not route a response.cancel to the owner",
      fromClient: (m) => (m.event?.type === "response.cancel" ? null : undefined),
    },
  ],
  [
    "fleet.http-stored",
    "FLEET-3",
    {
      description: "streams a stored response with a gap",
      http: { sseMessage: (m) => (m.json?.sequence_number === 6 ? null : undefined) },
    },
  ],
  [
    "fleet.continuation",
    "FLEET-7",
    {
      description: "continues from another conversation (previous_response_id ignored)",
      fromClient: (m) => {
        if (m.event?.type !== "response.create") return undefined;
        const { previous_response_id: _, ...rest } = m.event;
        return rest as WireEvent;
      },
    },
  ],
];

const verdicts = (r: RunResult): Record<string, string> =>
  Object.fromEntries(r.cases.map((c) => [c.id, c.verdict]));

const every = (verdict: string): Record<string, string> =>
  Object.fromEntries(IDS.map((id) => [id, verdict]));

t.test("there are fleet cases, one per observable rule at least", async (t) => {
  const cited = new Set(FLEET_CASES.flatMap((c) => c.requirements));
  t.same([...cited].sort(), ["FLEET-1", "FLEET-2", "FLEET-3", "FLEET-7"]);
});

t.test("two instances sharing a redis-server PASS every fleet case", async (t) => {
  const fleet = await fleetOfTwo(t);
  if (!fleet) return;
  const at = (i: { url: string; wsUrl: string }) => ({ wsUrl: i.wsUrl, httpUrl: i.url });
  const r = await runFleet(at(fleet.a), at(fleet.b));
  t.same(verdicts(r), every("PASS"), "every fleet case PASSes", { failures: describeFailures(r) });
  t.equal(r.exitCode, 0);

  // The same fleet with one instance behind a proxy that breaks one thing the pair that shares
  // nothing cannot isolate: each check fails on its own rule.
  for (const [id, rule, layer] of BROKEN) {
    const which = layer.first ? "first" : "second";
    await t.test(`${id} FAILs when the ${which} instance ${layer.description}`, async (t) => {
      const proxy = await startBreakingProxy({
        upstream: at(layer.first ? fleet.a : fleet.b),
        token: "none",
        layers: [layer],
      });
      t.teardown(() => proxy.close());
      const broken = layer.first
        ? await runFleet(proxy, at(fleet.b), [id])
        : await runFleet(at(fleet.a), proxy, [id]);
      const c = broken.cases[0]!;
      t.equal(c.verdict, "FAIL", `${c.id}: ${c.reason}`);
      t.match(c.reason, new RegExp(`^${rule}: `), `failed on ${rule}`);
    });
  }
});

/** Two reference servers without Redis: a "fleet" that breaks FLEET-1, FLEET-3 and FLEET-7. */
async function sharingNothing(t: Test) {
  const pair = await Promise.all([
    startServer({ port: 0, logLevel: "silent" }),
    startServer({ port: 0, logLevel: "silent" }),
  ]);
  t.teardown(() => Promise.all(pair.map((s) => s.close())));
  return pair;
}

t.test("two instances that share nothing FAIL every fleet case", async (t) => {
  const [a, b] = await sharingNothing(t);
  const second = { wsUrl: b.wsUrl, httpUrl: b.url };
  const r = await runFleet({ wsUrl: a.wsUrl, httpUrl: a.url }, second);
  t.same(r.target.fleet, second, "the report names the second instance");
  t.same(verdicts(r), every("FAIL"), "every fleet case FAILs", { failures: describeFailures(r) });
  const reasons = r.cases.map((c) => c.reason ?? "");
  t.match(
    reasons[0],
    /session\.resumed on the second instance/,
    "fleet.resume: no session.resumed",
  );
  t.match(
    r.cases.find((c) => c.id === "fleet.http-stored")?.reason,
    /HTTP 404/,
    "fleet.http-stored: the second instance does not know the response",
  );
  t.match(
    r.cases.find((c) => c.id === "fleet.continuation")?.reason,
    /previous_response_not_found/,
    "fleet.continuation: the second instance cannot continue it",
  );
  t.equal(r.exitCode, 1);
});

t.test("without a second URL every fleet case is SKIPPED, saying why", async (t) => {
  const a = await startServer({ port: 0, logLevel: "silent" });
  t.teardown(() => a.close());
  const r = await runFleet({ wsUrl: a.wsUrl, httpUrl: a.url }, null);
  t.same(verdicts(r), every("SKIPPED"));
  for (const c of r.cases) t.match(c.reason, /--fleet-url/, `${c.id} names --fleet-url`);
  t.equal(r.exitCode, 0);
});

t.test("hotline conform --fleet-url", async (t) => {
  await t.rejects(
    run(["--fleet-url", "http://127.0.0.1:1"]),
    /embedded reference server is one instance/,
    "needs a URL: the embedded server is one instance",
  );
  const [a, b] = await sharingNothing(t);
  const dir = await mkdtemp(join(tmpdir(), "hotline-fleet-"));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const write = process.stdout.write.bind(process.stdout);
  const errWrite = process.stderr.write.bind(process.stderr);
  // The CLI prints its report to stdout, which would garble this file's TAP stream.
  process.stdout.write = (() => true) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  let code: number;
  try {
    code = await run([
      a.url,
      "--fleet-url",
      b.url,
      "--cases",
      "fleet.continuation",
      "--format",
      "json",
      "--out",
      dir,
    ]);
  } finally {
    process.stdout.write = write;
    process.stderr.write = errWrite;
  }
  t.equal(code, 1, "two servers sharing nothing fail the run");
  const index = JSON.parse(await readFile(join(dir, "index.json"), "utf8")) as {
    target: { fleet?: { wsUrl: string; httpUrl: string } };
    cases: { id: string; verdict: string }[];
  };
  t.same(index.target.fleet, { wsUrl: b.wsUrl, httpUrl: b.url }, "both bindings of --fleet-url");
  t.same(
    index.cases.map((c) => [c.id, c.verdict]),
    [["fleet.continuation", "FAIL"]],
  );
});
