/**
 * Runs cases against a server: probes the profile and features, runs each selected case on its
 * own connections, files harness violations under the case that checks that rule, computes
 * verdicts (spec/conformance.md), applies the expected-failures baseline and the exit status.
 */
import {
  type MetricName,
  METRICS,
  SPEC_VERSION,
  type Summary,
  summarize,
} from "../src/protocol/index.js";
import {
  type Case,
  type CaseProfile,
  CaseSkipped,
  type Level,
  type Verdict,
  VERDICTS,
} from "./case.js";
import { CaseContext, type CheckResult, type Target } from "./context.js";
import type { Violation } from "./harness/response-tracker.js";
import type { Capabilities, Feature, Limits, SessionInfo } from "./harness/session-info.js";
import { now, resetClock, SimHintOutsideSim, WireLog, type WireEntry } from "./harness/wire-log.js";
import { RecordingSocket, UpgradeRefused, WaitTimeout } from "./harness/ws-client.js";
import { probeCapabilities } from "./capabilities.js";
import { checkLevel, provenanceOf, type Source } from "../src/spec/provenance.js";
import type { SpecIndex } from "./spec-index.js";
import { decide, findRootCauses, type Finding, type Judge } from "./verdicts.js";

export type { Finding } from "./verdicts.js";

/** `--profile`: core only, require hotline.v1, or offer it and fall back. */
export type ProfileMode = "core" | "hotline" | "auto";

/** Options of one run. */
export interface RunOptions {
  target: Target;
  cases: Case[];
  spec: SpecIndex;
  profile: ProfileMode;
  /** Globs on case ids; empty selects every case. */
  include?: string[];
  exclude?: string[];
  strict?: boolean;
  /** Case ids expected to fail (the baseline). */
  expectedFailures?: string[];
  /** Per-turn timeout (CONF-3 default 30 s). */
  timeoutMs?: number;
  /** Run the cases of backend-simulation.md (CONF-6). */
  sim?: boolean;
  /** Called after each case. */
  onProgress?(done: number, total: number, result: CaseResult): void;
  /** Facts stated with every metric series (METRIC-4). */
  tls?: boolean;
  /** What the bindings offer, when known already (tests); otherwise probed (CONF-15). */
  capabilities?: Capabilities;
  /** Limits a core-profile server cannot advertise (`--max-message-bytes`, `--context-window`). */
  limits?: { maxMessageBytes?: number; contextWindowTokens?: number };
}

/** One requirement as quoted in reports. */
export interface QuotedRequirement {
  anchor: string;
  level: string;
  profile: string;
  text: string;
  link: string;
  /** Where the requirement comes from (src/spec/provenance.ts). */
  source: Source;
  /** For an Open Responses requirement: the clause's keyword and text. */
  clause?: string;
  clauseKeyword?: string;
}

/** The outcome of one case. */
export interface CaseResult {
  id: string;
  title: string;
  area: string;
  profile: CaseProfile;
  level: Level;
  requirements: QuotedRequirement[];
  verdict: Verdict;
  /** Listed in the baseline and failed as expected: reported, not counted (CONF-9). */
  expectedFailure: boolean;
  /** Why SKIPPED or ERROR, or the first failure. */
  reason: string | null;
  /** Run-wide findings (ids) this case also observed; not part of its own verdict. */
  findings: string[];
  checks: CheckResult[];
  notes: string[];
  startedAtMs: number;
  durationMs: number;
  metrics: Record<string, number[]>;
  wire: WireEntry[];
}

/** One metric series with the facts METRIC-4 asks for. */
export interface MetricSeries extends Summary {
  name: string;
  series: string;
  unit: string;
  transport: string;
  profile: string;
  rtt_ms: number;
  tls: boolean;
  compression: boolean;
  tier: string;
  errors: number;
}

/** The outcome of a run. */
export interface RunResult {
  version: string;
  startedAt: string;
  durationMs: number;
  /** `fleet`: the second instance of `--fleet-url`, when given. */
  target: {
    wsUrl: string;
    httpUrl: string;
    model: string | null;
    fleet?: { wsUrl: string; httpUrl: string };
  };
  profileMode: ProfileMode;
  negotiated: SessionInfo;
  /**
   * The whole specification is held (Hotline keywords): the server claims hotline.v1 (selected
   * it and sent session.created), `--profile hotline`, or `--strict`. Otherwise Open Responses
   * MUSTs FAIL and Hotline additions are RECOMMENDED.
   */
  held: boolean;
  strict: boolean;
  sim: boolean;
  cases: CaseResult[];
  /** Root causes seen in several cases, each reported once. */
  findings: Finding[];
  counts: Record<Verdict, number>;
  /** Baseline entries that name no case (each fails the run). */
  unknownBaselineEntries: string[];
  metrics: MetricSeries[];
  exitCode: 0 | 1 | 2;
}

/** Converts a glob (`*`, `?`) on case ids to a RegExp. */
export function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replaceAll("*", ".*")
    .replaceAll("?", ".");
  return new RegExp(`^${body}$`);
}

/** Cases selected by `--cases` and `--exclude`. */
export function selectCases(cases: Case[], include: string[] = [], exclude: string[] = []): Case[] {
  const inc = include.map(globToRegExp);
  const exc = exclude.map(globToRegExp);
  return cases.filter(
    (c) => (inc.length === 0 || inc.some((r) => r.test(c.id))) && !exc.some((r) => r.test(c.id)),
  );
}

/** Learns the profile, features and limits with one connection. */
export async function probe(
  target: Target,
  mode: ProfileMode,
  timeoutMs: number,
): Promise<SessionInfo> {
  if (mode === "core") return { profile: "core", features: [], limits: null };
  const log = new WireLog();
  const headers: Record<string, string> = { ...target.headers };
  if (target.token !== null) headers.authorization = `Bearer ${target.token}`;
  let sock: RecordingSocket;
  try {
    sock = await RecordingSocket.open(
      { url: target.wsUrl, protocols: ["hotline.v1"], headers, timeoutMs },
      log,
      () => undefined,
    );
  } catch (error) {
    // A core server that answers the offer with no subprotocol: RFC 6455 lets the client (ws)
    // refuse that handshake; the server speaks core, and the cases connect without an offer.
    if (/no subprotocol/i.test((error as Error).message)) {
      return { profile: "core", features: [], limits: null };
    }
    throw error;
  }
  try {
    if (sock.profile !== "hotline.v1") return { profile: "core", features: [], limits: null };
    // A server that skips session.created is still hotline.v1: session.created-first fails it,
    // and the other cases run without waiting for the frame (features unknown: none assumed).
    const first = await sock
      .waitFor(() => true, "session.created", { timeoutMs: Math.min(timeoutMs, 2_000) })
      .catch(() => null);
    if (first?.type !== "session.created") {
      return { profile: "hotline.v1", features: [], limits: null, sessionCreated: false };
    }
    const session = (first.data.session ?? {}) as { features?: Feature[]; limits?: Limits };
    return {
      profile: "hotline.v1",
      features: Array.isArray(session.features) ? session.features : [],
      limits: session.limits ?? null,
    };
  } finally {
    sock.close();
  }
}

function strongest(levels: Level[]): Level {
  if (levels.includes("MUST")) return "MUST";
  if (levels.includes("SHOULD")) return "SHOULD";
  return "MAY";
}

/** The level a case's anchors imply (MUST NOT counts as MUST). */
export function impliedLevel(c: Case, spec: SpecIndex): Level {
  return strongest(c.requirements.map((a) => spec.get(a).level.split(" ")[0] as Level));
}

function skipReason(c: Case, info: SessionInfo, options: RunOptions): string | null {
  if (c.sim && !options.sim) return "simulated-backend case: run with --sim (CONF-6)";
  const caps = info.capabilities;
  if (c.profile === "http" && caps?.noHttp) return `no HTTP binding: ${caps.noHttp}`;
  if (c.profile !== "http" && caps?.noWebSocket) {
    return `no WebSocket binding (Open Responses makes it a MAY): ${caps.noWebSocket}`;
  }
  if (
    c.profile === "hotline.v1" &&
    info.profile !== "hotline.v1" &&
    options.profile !== "hotline"
  ) {
    return options.profile === "core"
      ? "--profile core: hotline.v1 not offered"
      : "server did not select hotline.v1";
  }
  if (
    c.profile === "hotline.v1" &&
    info.sessionCreated === false &&
    !c.requirements.includes("SESSION-1")
  ) {
    return "no session.created (SESSION-1): the session's features and limits are unknown";
  }
  // After the bindings and the profile, so that a server lacking one is told so first.
  if (c.fleet && !options.target.fleet) {
    return "multi-instance case (spec/fleet.md): run with --fleet-url, a second URL of the same deployment";
  }
  const missing = (c.features ?? []).filter((f) => !info.features.includes(f));
  if (missing.length > 0 && info.profile === "hotline.v1") {
    return `server does not advertise ${missing.join(", ")} in session.features`;
  }
  return null;
}

async function runOne(
  c: Case,
  options: RunOptions,
  info: SessionInfo,
  timeoutMs: number,
): Promise<{
  ctx: CaseContext;
  verdict: Verdict | null;
  reason: string | null;
  violations: Violation[];
}> {
  const log = new WireLog({ simHints: options.sim === true });
  const violations: Violation[] = [];
  const ctx = new CaseContext(c.id, options.target, info, log, timeoutMs, violations);
  const skip = skipReason(c, info, options);
  if (skip) return { ctx, verdict: "SKIPPED", reason: skip, violations };
  if (c.profile === "hotline.v1" && info.profile !== "hotline.v1") {
    ctx.fail(
      c.requirements[0]!,
      "--profile hotline, but the server did not select hotline.v1 (TRANSPORT-3)",
    );
    return { ctx, verdict: null, reason: null, violations };
  }
  let verdict: Verdict | null = null;
  let reason: string | null = null;
  let timer: NodeJS.Timeout | undefined;
  // The case's own bound counts silence too (CONF-16): it ends a case after four per-turn
  // timeouts without any frame or HTTP message, sent or received, so a slow server that keeps
  // answering a long batch is never cut off; twenty per-turn timeouts bound any case.
  const caseStarted = now();
  const cap = new Promise<never>((_, reject) => {
    const tick = (): void => {
      const t = now();
      const last = log.entries.at(-1)?.t ?? caseStarted;
      if (t - last >= timeoutMs * 4) {
        reject(new WaitTimeout(`case did not finish within ${timeoutMs * 4} ms of silence`));
      } else if (t - caseStarted >= timeoutMs * 20) {
        reject(new WaitTimeout(`case did not finish within ${timeoutMs * 20} ms in all`));
      } else {
        timer = setTimeout(
          tick,
          Math.min(timeoutMs * 4 - (t - last), timeoutMs * 20 - (t - caseStarted)) + 1,
        );
      }
    };
    timer = setTimeout(tick, timeoutMs * 4);
  });
  try {
    await Promise.race([c.run(ctx), cap]);
  } catch (error) {
    if (error instanceof CaseSkipped) {
      verdict = "SKIPPED";
      reason = error.message;
    } else if (error instanceof WaitTimeout) {
      // A wait the server ended by answering otherwise is a finding; only silence is CONF-3's.
      const silent = / within \d+ ms/.test(error.message);
      ctx.fail(
        c.requirements[0]!,
        silent ? `${error.message} (CONF-3: a required event did not arrive)` : error.message,
      );
    } else if (error instanceof UpgradeRefused) {
      ctx.fail(
        "TRANSPORT-1",
        `upgrade refused with HTTP ${error.status}: ${error.body.slice(0, 200)}`,
      );
    } else if (error instanceof SimHintOutsideSim) {
      verdict = "ERROR";
      reason = error.message;
    } else {
      const e = error as NodeJS.ErrnoException;
      verdict = "ERROR";
      reason =
        e.code === "ECONNREFUSED"
          ? `server unreachable: ${e.message}`
          : `runner error: ${e.stack ?? e.message}`;
    }
  } finally {
    clearTimeout(timer);
    await ctx.dispose().catch(() => undefined);
  }
  if (!Object.keys(ctx.metrics).some((k) => k.startsWith("inter_event_gap_ms@"))) {
    for (const s of ctx.sockets) {
      for (const r of s.tracker.responses) {
        const series = s.profile === "core" ? "ws-core" : "ws";
        r.deltaTimes
          .slice(1)
          .forEach((t, i) => ctx.metric("inter_event_gap_ms", t - r.deltaTimes[i]!, series));
      }
    }
  }
  return { ctx, verdict, reason, violations };
}

/** Runs the cases and computes the result; never throws for a server's misbehaviour. */
export async function runConformance(options: RunOptions): Promise<RunResult> {
  resetClock();
  const started = new Date();
  const timeoutMs = options.timeoutMs ?? 30_000;
  const selected = selectCases(options.cases, options.include, options.exclude);
  let info: SessionInfo;
  let probeError: string | null = null;
  const capabilities = options.capabilities ?? (await probeCapabilities(options.target, timeoutMs));
  if (capabilities.noWebSocket !== null && capabilities.noHttp !== null) {
    info = { profile: "core", features: [], limits: null };
    probeError = `could not reach the server: ${capabilities.noWebSocket}; ${capabilities.noHttp}`;
  } else if (capabilities.noWebSocket !== null) {
    info = { profile: "core", features: [], limits: null };
  } else {
    try {
      info = await probe(options.target, options.profile, timeoutMs);
    } catch (error) {
      info = { profile: "core", features: [], limits: null };
      probeError = `could not reach the server at ${options.target.wsUrl}: ${(error as Error).message}`;
    }
  }
  info.capabilities = capabilities;
  if (options.sim === true) info.sim = true;
  const declared = {
    ...(options.limits?.maxMessageBytes !== undefined
      ? { max_message_bytes: options.limits.maxMessageBytes }
      : {}),
    ...(options.limits?.contextWindowTokens !== undefined
      ? { context_window_tokens: options.limits.contextWindowTokens }
      : {}),
  };
  if (Object.keys(declared).length > 0) info.declared = declared;
  const strict = options.strict ?? false;
  const held =
    strict ||
    options.profile === "hotline" ||
    (info.profile === "hotline.v1" && info.sessionCreated !== false);
  const judge: Judge = (k) =>
    checkLevel(
      k.anchor,
      options.spec.get(k.anchor).level,
      held || (options.sim === true && k.anchor.startsWith("SIM-")),
      { addition: k.addition === true },
    );

  const owners = new Map<string, string>();
  for (const c of selected)
    for (const a of c.aggregates ?? []) if (!owners.has(a)) owners.set(a, c.id);

  const raw: {
    c: Case;
    ctx: CaseContext;
    verdict: Verdict | null;
    reason: string | null;
    violations: Violation[];
    startedAtMs: number;
    durationMs: number;
  }[] = [];
  let done = 0;
  for (const c of selected) {
    const startedAtMs = now();
    const r = probeError
      ? {
          ctx: new CaseContext(c.id, options.target, info, new WireLog(), timeoutMs),
          verdict: "ERROR" as Verdict,
          reason: probeError,
          violations: [],
        }
      : await runOne(c, options, info, timeoutMs);
    raw.push({ c, ...r, startedAtMs, durationMs: now() - startedAtMs });
    done += 1;
    // The verdict of what the case itself saw; filing harness findings under their owners and
    // run-wide findings may still move a check after the run.
    const provisional =
      r.verdict ??
      decide(
        c,
        [
          ...r.ctx.checks.map((k) => ({ ...k })),
          ...r.violations.map((v) => ({ anchor: v.anchor, ok: false, message: v.message })),
        ],
        judge,
        strict,
      ).verdict;
    options.onProgress?.(done, selected.length, { id: c.id, verdict: provisional } as CaseResult);
  }

  // File every harness violation under the case that checks its rule.
  const extra = new Map<string, CheckResult[]>();
  for (const r of raw) {
    // One rule broken on every frame of a stream is one finding: keep the first few per rule.
    const perAnchor = new Map<string, number>();
    for (const v of r.violations) {
      const seen = (perAnchor.get(v.anchor) ?? 0) + 1;
      perAnchor.set(v.anchor, seen);
      if (seen > 5) continue;
      if (seen === 5) {
        const more = r.violations.filter((x) => x.anchor === v.anchor).length - 4;
        if (more > 1)
          v.message = `${v.message} (and ${more - 1} more ${v.anchor} violations in this case)`;
      }
      const check: CheckResult = {
        anchor: v.anchor,
        ok: false,
        message: v.message,
        ...(v.entry !== undefined ? { entry: v.entry } : {}),
      };
      const owner = owners.get(v.anchor);
      if (r.c.requirements.includes(v.anchor) || v.anchor === "CONF-2" || owner === undefined) {
        r.ctx.checks.push(check);
      } else if (owner === r.c.id) {
        r.ctx.checks.push(check);
      } else {
        const list = extra.get(owner) ?? [];
        list.push({ ...check, observedIn: r.c.id });
        extra.set(owner, list);
        r.ctx.note(
          `observed a ${v.anchor} violation${v.entry !== undefined ? ` at frame #${v.entry}` : ""}; reported under ${owner}`,
        );
      }
    }
  }
  const ownChecks = raw.map((r) => [...r.ctx.checks, ...(extra.get(r.c.id) ?? [])]);
  const { findings, findingOf } = findRootCauses(
    raw.map((r, i) => ({ c: r.c, checks: ownChecks[i]! })),
    judge,
    strict,
  );

  const expected = new Set(options.expectedFailures ?? []);
  const allIds = new Set(options.cases.map((c) => c.id));
  const cases: CaseResult[] = raw.map((r, i) => {
    const all = ownChecks[i]!;
    const shared = new Set<string>();
    let checks = all.filter((k) => {
      const f = k.ok || k.observedIn ? undefined : findingOf(k);
      if (f && !r.c.requirements.includes(k.anchor)) {
        shared.add(f.id);
        return false;
      }
      return true;
    });
    // A case that saw only the shared defect keeps it (that is all it has to say), unless it
    // was SKIPPED: then its reason for skipping stands.
    if (checks.length === 0 && r.verdict !== "SKIPPED") checks = all;
    let verdict = r.verdict;
    let reason = r.reason;
    if (verdict === null || (verdict === "SKIPPED" && checks.some((k) => !k.ok))) {
      ({ verdict, reason } = decide(r.c, checks, judge, strict));
    }
    let expectedFailure = false;
    if (expected.has(r.c.id)) {
      if (
        verdict === "FAIL" ||
        verdict === "NON-STRICT" ||
        verdict === "RECOMMENDED" ||
        verdict === "ERROR"
      )
        expectedFailure = true;
      else if (verdict === "PASS" || verdict === "INFORMATIONAL") {
        verdict = "FAIL";
        reason =
          "stale expected-failures entry: this case now passes; remove it from the baseline (CONF-9)";
      }
    }
    const notes = [...r.ctx.notes];
    for (const id of shared) {
      const f = findings.find((x) => x.id === id)!;
      notes.push(`also observed run-wide finding ${id} (${f.anchor}: ${f.message})`);
    }
    return {
      id: r.c.id,
      title: r.c.title,
      area: r.c.area,
      profile: r.c.profile,
      level: r.c.level,
      requirements: r.c.requirements.map((a) => {
        const q = options.spec.get(a);
        const p = provenanceOf(a);
        return {
          anchor: a,
          level: q.level,
          profile: q.profile,
          text: q.text,
          link: options.spec.link(a),
          source: p?.source ?? "hotline",
          ...(p?.source === "open-responses" && p.clause
            ? { clause: p.clause, clauseKeyword: p.keyword ?? "" }
            : {}),
        };
      }),
      verdict,
      expectedFailure,
      reason,
      findings: [...shared],
      checks,
      notes,
      startedAtMs: r.startedAtMs,
      durationMs: r.durationMs,
      metrics: r.ctx.metrics,
      wire: r.ctx.log.entries,
    };
  });
  const counts = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const c of cases) counts[c.verdict] += 1;
  const unknownBaselineEntries = [...expected].filter((id) => !allIds.has(id));
  const counted = cases.filter((c) => !c.expectedFailure);
  const failing = (v: Verdict): boolean => v === "FAIL" || (strict && v === "NON-STRICT");
  const anyFail =
    counted.some((c) => failing(c.verdict)) ||
    findings.some((f) => failing(f.verdict)) ||
    unknownBaselineEntries.length > 0;
  const anyError = counted.some((c) => c.verdict === "ERROR");
  return {
    version: SPEC_VERSION,
    startedAt: started.toISOString(),
    durationMs: now(),
    target: {
      wsUrl: options.target.wsUrl,
      httpUrl: options.target.httpUrl,
      model: options.target.model,
      ...(options.target.fleet ? { fleet: options.target.fleet } : {}),
    },
    profileMode: options.profile,
    negotiated: info,
    held,
    strict,
    sim: options.sim ?? false,
    cases,
    findings,
    counts,
    unknownBaselineEntries,
    metrics: collectMetrics(cases, info, options),
    exitCode: anyFail ? 1 : anyError ? 2 : 0,
  };
}

function collectMetrics(
  cases: CaseResult[],
  info: SessionInfo,
  options: RunOptions,
): MetricSeries[] {
  const series = new Map<string, number[]>();
  for (const c of cases) {
    for (const [key, samples] of Object.entries(c.metrics)) {
      series.set(key, [...(series.get(key) ?? []), ...samples]);
    }
  }
  const out: MetricSeries[] = [];
  for (const [key, samples] of [...series].sort(([a], [b]) => a.localeCompare(b))) {
    const [name, label = "ws"] = key.split("@") as [string, string?];
    const finite = samples.filter((s) => Number.isFinite(s));
    const transport =
      label.startsWith("http") || label.startsWith("sse") ? label.split("-")[0]! : "websocket";
    out.push({
      name,
      series: label,
      unit: (METRICS as Record<string, { unit: string }>)[name as MetricName]?.unit ?? "",
      transport,
      profile:
        transport === "websocket" ? (label.includes("core") ? "core" : info.profile) : "http",
      rtt_ms: options.target.rttMs,
      tls: options.tls ?? options.target.httpUrl.startsWith("https"),
      compression: false,
      tier: "server default",
      errors: samples.length - finite.length,
      ...summarize(finite),
    });
  }
  return out;
}
