/**
 * `hotline conform [URL]`: runs the conformance cases against a server (or, with no URL, the
 * embedded reference server) and reports TAP 14 on stdout, plus files with `--out DIR`.
 */
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { UsageError } from "../util/usage-error.js";

const HELP = `Usage: hotline conform [URL] [options]

Checks a Hotline / Open Responses server case by case against spec/ and reports one verdict per
case. URL is ws(s)://host[:port][/path] or an http(s):// base from which both bindings are
derived; with no URL the embedded reference server is started on a free port and tested
(implies --sim).

Verdicts (spec/conformance.md, "Provenance and the verdict model"): every requirement of spec/ records where it comes
from: Open Responses 2026-04-24 (the clause and its keyword), OpenAI WebSocket mode, or a Hotline
addition. Against a server that does not claim hotline.v1 (no subprotocol selected, or no
session.created after selecting it):
  FAIL           an Open Responses MUST was broken, or a frame failed its schema
  NON-STRICT     an Open Responses SHOULD was missed
  RECOMMENDED    a Hotline or OpenAI WebSocket mode addition (or an Open Responses MAY) is
                 missing: reported, never a failure unless --strict
  PASS, INFORMATIONAL (observation only), SKIPPED (with what was probed and what came back),
  ERROR (the runner could not complete the case)
A server that selects hotline.v1 and sends session.created, a run with --profile hotline, and
--strict are held to all of spec/ with Hotline's own keywords. A defect seen in several cases (a
field missing from every event) is one run-wide finding listing those cases.

Options:
  --profile core|hotline|auto  core: no subprotocol; hotline: require hotline.v1 (held to all of
                               spec/); auto (default): offer hotline.v1 and fall back to core
  --http-url URL               HTTP base for the HTTP binding and latency baselines
  --fleet-url URL              a second instance of the same deployment (ws(s):// or http(s)://,
                               as URL): the fleet.* cases (spec/fleet.md) open a session or a
                               stored response on URL and resume, read, cancel and continue it
                               on this one; without it they are SKIPPED
  --token TOKEN                bearer token (Authorization header; hotline.bearer.* where tested)
  --header 'Name: value'       extra header on every upgrade and request (repeatable)
  --model NAME                 model for every request
  --cases GLOB                 run only matching case ids (repeatable, comma-separated)
  --exclude GLOB               skip matching case ids (repeatable, comma-separated)
  --strict                     hold the server to all of spec/ (Hotline additions at their own
                               keyword) and count NON-STRICT as a failure
  --max-message-bytes N        the server's message limit (a core server cannot advertise it;
                               without it transport.oversized-frame is SKIPPED)
  --context-window N           the server's context window in tokens (without it, cases that
                               overflow the window use max_output_tokens 2^31-1)
  --expected-failures FILE     baseline of case ids expected to fail (one per line, # comments,
                               or a JSON array); a listed case that passes fails the run (stale)
  --simulate-rtt-ms MS         run through a user-space delay proxy with this round trip
  --out DIR                    write index.json, wire/<case>.jsonl, junit.xml, report.html
  --format tap|json|junit|html what stdout gets (default tap)
  --timeout-ms MS              per-turn timeout for a silent server (default 30000); a case ends
                               as soon as the server has answered (error, terminal event, close)
  --sim                        also run the simulated-backend cases (spec/backend-simulation.md)
                               and the cases that send sim.* hints; never against a paid backend
  --denied-origin ORIGIN       an Origin the server's allowlist refuses (TRANSPORT-8)
  --list                       list the selected cases and exit
  -h, --help                   show this help

Exit status: 0 when no case or finding FAILs or ERRORs (RECOMMENDED never counts), 1 when one
FAILs (or, with --strict, is NON-STRICT), 2 when cases ERROR but none FAILs.`;

/** Both URLs of the bindings, derived from one. */
export function deriveUrls(url: string, httpUrl?: string): { wsUrl: string; httpUrl: string } {
  const u = new URL(url);
  const secure = u.protocol === "wss:" || u.protocol === "https:";
  if (!["ws:", "wss:", "http:", "https:"].includes(u.protocol)) {
    throw new UsageError(`URL must be ws://, wss://, http:// or https://, got ${url}`);
  }
  const wsPath = u.protocol.startsWith("ws") && u.pathname !== "/" ? u.pathname : "/v1/responses";
  const base = u.protocol.startsWith("http")
    ? u.pathname.replace(/\/v1\/responses\/?$/, "").replace(/\/$/, "")
    : "";
  return {
    wsUrl: `${secure ? "wss" : "ws"}://${u.host}${u.protocol.startsWith("http") ? `${base}/v1/responses` : wsPath}${u.search}`,
    httpUrl: httpUrl ?? `${secure ? "https" : "http"}://${u.host}${base}`,
  };
}

function list(values: string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter(Boolean);
}

/** Reads a baseline: one id per line (`#` comments) or a JSON array of ids. */
export async function readBaseline(file: string): Promise<string[]> {
  const text = await readFile(file, "utf8");
  if (text.trimStart().startsWith("[")) return (JSON.parse(text) as unknown[]).map(String);
  return text
    .split("\n")
    .map((l) => l.replace(/#.*/, "").trim())
    .filter(Boolean);
}

/** Runs the command; resolves to the exit status. */
export async function run(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        profile: { type: "string", default: "auto" },
        "http-url": { type: "string" },
        "fleet-url": { type: "string" },
        token: { type: "string" },
        header: { type: "string", multiple: true },
        model: { type: "string" },
        cases: { type: "string", multiple: true },
        exclude: { type: "string", multiple: true },
        strict: { type: "boolean", default: false },
        "expected-failures": { type: "string" },
        "simulate-rtt-ms": { type: "string" },
        out: { type: "string" },
        format: { type: "string", default: "tap" },
        "timeout-ms": { type: "string" },
        "max-message-bytes": { type: "string" },
        "context-window": { type: "string" },
        sim: { type: "boolean", default: false },
        "denied-origin": { type: "string" },
        list: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals.length > 1)
    throw new UsageError(`expected at most one URL, got ${positionals.length}`);
  const profile = values.profile as string;
  if (!["core", "hotline", "auto"].includes(profile))
    throw new UsageError(`--profile must be core, hotline or auto`);
  const format = values.format as string;
  if (!["tap", "json", "junit", "html"].includes(format))
    throw new UsageError(`--format must be tap, json, junit or html`);
  const rtt = values["simulate-rtt-ms"] === undefined ? 0 : Number(values["simulate-rtt-ms"]);
  if (!(rtt >= 0) || !Number.isFinite(rtt))
    throw new UsageError("--simulate-rtt-ms must be a number >= 0");
  const timeoutMs = values["timeout-ms"] === undefined ? 30_000 : Number(values["timeout-ms"]);
  if (!(timeoutMs > 0)) throw new UsageError("--timeout-ms must be a positive number");
  const positive = (name: string): number | undefined => {
    const raw = (values as Record<string, unknown>)[name] as string | undefined;
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n <= 0)
      throw new UsageError(`--${name} must be a positive integer`);
    return n;
  };
  const fleetUrl = values["fleet-url"];
  if (fleetUrl !== undefined && positionals[0] === undefined)
    throw new UsageError("--fleet-url needs a URL: the embedded reference server is one instance");
  const maxMessageBytes = positive("max-message-bytes");
  const contextWindowTokens = positive("context-window");
  const headers: Record<string, string> = {};
  for (const h of values.header ?? []) {
    const colon = h.indexOf(":");
    if (colon <= 0)
      throw new UsageError(`--header must look like 'Name: value', got ${JSON.stringify(h)}`);
    headers[h.slice(0, colon).trim().toLowerCase()] = h.slice(colon + 1).trim();
  }

  const conformance = await import("../../conformance/index.js");
  const { allCases, runConformance, selectCases, SpecIndex } = conformance;
  const include = list(values.cases);
  const exclude = list(values.exclude);
  if (values.list) {
    for (const c of selectCases(allCases, include, exclude)) {
      console.log(
        `${c.id.padEnd(44)} ${c.level.padEnd(6)} ${c.profile.padEnd(10)} ${c.requirements.join(",")}`,
      );
    }
    return 0;
  }
  const expectedFailures = values["expected-failures"]
    ? await readBaseline(values["expected-failures"])
    : [];

  const cleanups: (() => Promise<void>)[] = [];
  try {
    let wsUrl: string;
    let httpUrl: string;
    let fleet = fleetUrl === undefined ? null : deriveUrls(fleetUrl);
    let token = values.token ?? null;
    let deniedOrigin = values["denied-origin"] ?? null;
    let sim = values.sim ?? false;
    const url = positionals[0];
    if (url === undefined) {
      // The embedded reference server, through its public entry only, loaded like the rest of
      // this command's modules when needed (conformance/ itself never imports reference-server/).
      const { startServer } = await import("../../reference-server/index.js");
      token ??= `conform-${randomBytes(8).toString("hex")}`;
      const server = await startServer({
        port: 0,
        logLevel: "silent",
        hotline: profile !== "core",
        tokens: [token],
        allowedOrigins: ["https://allowed.hotline.test"],
        // A heartbeat interval a run can wait out, so latency.l5-heartbeat is observed too.
        session: { heartbeatIntervalMs: 250 },
      });
      cleanups.push(() => server.close());
      wsUrl = server.wsUrl;
      httpUrl = values["http-url"] ?? server.url;
      deniedOrigin ??= "https://denied.hotline.test";
      sim = true;
    } else {
      ({ wsUrl, httpUrl } = deriveUrls(url, values["http-url"]));
    }
    if (rtt > 0) {
      const { startDelayProxy } = await import("../netsim/index.js");
      const proxied = async (u: string): Promise<string> => {
        const parsedUrl = new URL(u);
        const port = Number(
          parsedUrl.port ||
            (parsedUrl.protocol === "https:" || parsedUrl.protocol === "wss:" ? 443 : 80),
        );
        const proxy = await startDelayProxy({
          target: { host: parsedUrl.hostname, port },
          rttMs: rtt,
        });
        cleanups.push(() => proxy.close());
        parsedUrl.host = proxy.authority;
        return parsedUrl.toString().replace(/\/$/, "");
      };
      wsUrl = await proxied(wsUrl);
      httpUrl = await proxied(httpUrl);
      if (fleet)
        fleet = { wsUrl: await proxied(fleet.wsUrl), httpUrl: await proxied(fleet.httpUrl) };
    }
    const tty = process.stderr.isTTY;
    const result = await runConformance({
      target: {
        wsUrl,
        httpUrl,
        token,
        headers,
        model: values.model ?? null,
        rttMs: rtt,
        deniedOrigin,
        fleet,
      },
      cases: allCases,
      spec: SpecIndex.load(),
      profile: profile as "core" | "hotline" | "auto",
      include,
      exclude,
      strict: values.strict,
      expectedFailures,
      timeoutMs,
      sim,
      limits: {
        ...(maxMessageBytes !== undefined ? { maxMessageBytes } : {}),
        ...(contextWindowTokens !== undefined ? { contextWindowTokens } : {}),
      },
      onProgress: tty
        ? (done, total, r) => {
            process.stderr.write(`\r\x1b[2K[${done}/${total}] ${r.id} ${r.verdict}`);
          }
        : undefined,
    });
    if (tty) process.stderr.write("\r\x1b[2K");
    if (values.out) {
      await conformance.writeReports(result, values.out);
    }
    const render = {
      tap: conformance.toTap,
      json: conformance.toJson,
      junit: conformance.toJunit,
      html: conformance.toHtml,
    }[format as "tap"];
    process.stdout.write(render(result));
    const c = result.counts;
    console.error(
      `hotline conform: ${c.PASS} pass, ${c["NON-STRICT"]} non-strict, ${c.RECOMMENDED} recommended, ${c.FAIL} fail, ${c.ERROR} error, ${c.SKIPPED} skipped, ${c.INFORMATIONAL} informational, ${result.findings.length} run-wide findings (${result.findings.filter((f) => f.verdict === "FAIL").length} fail) in ${(result.durationMs / 1000).toFixed(1)} s (profile ${result.negotiated.profile}${result.held ? ", held to all of Hotline" : ", Hotline additions RECOMMENDED"})`,
    );
    return result.exitCode;
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  }
}
