/**
 * The report formats: TAP 14 parses with a TAP parser, junit.xml validates against a JUnit XML
 * schema (xmllint compiled to WebAssembly), report.html renders in headless Chromium.
 */
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import t from "tap";
import { Parser } from "tap-parser";
import { validateXML } from "xmllint-wasm";
import { allCases } from "../../conformance/cases/index.js";
import { defineCase } from "../../conformance/case.js";
import { toHtml } from "../../conformance/report/html.js";
import { toJunit } from "../../conformance/report/junit.js";
import { toTap } from "../../conformance/report/tap.js";
import { writeReports } from "../../conformance/report/write.js";
import { runConformance, type RunResult } from "../../conformance/runner.js";
import { SpecIndex } from "../../conformance/spec-index.js";
import { startServer } from "../../reference-server/index.js";

const spec = SpecIndex.load();
// A failing case with a frame to show, so every format renders a failure too.
const broken = defineCase({
  id: "x.broken",
  title: "a deliberately failing check <with> & markup",
  requirements: ["STREAM-1"],
  level: "MUST",
  profile: "core",
  area: "streaming",
  async run(ctx) {
    const sock = await ctx.connect();
    const { response } = await ctx.complete(sock, { max_output_tokens: 16 });
    ctx.fail("STREAM-1", "pretend the numbering was broken", response.events[1]?.entry);
  },
});

const server = await startServer({ port: 0, logLevel: "silent" });
t.teardown(() => server.close());
const run = await runConformance({
  target: {
    wsUrl: server.wsUrl,
    httpUrl: server.url,
    token: null,
    headers: {},
    model: null,
    rttMs: 0,
  },
  cases: [...allCases.filter((c) => /^(stream|http|errors)\./.test(c.id)), broken],
  spec,
  profile: "core",
  timeoutMs: 10_000,
});

t.test("TAP 14 output parses, one test point per case", async (t) => {
  const tap = toTap(run);
  const results = await new Promise<{ count: number; fail: number; skip: number; ok: boolean }>(
    (resolve) => {
      const p = new Parser((r) => resolve(r as never));
      p.end(tap);
    },
  );
  t.equal(results.count, run.cases.length + run.findings.length);
  t.equal(
    results.fail,
    run.cases.filter((c) => c.verdict === "FAIL" || c.verdict === "ERROR").length +
      run.findings.filter((f) => f.verdict === "FAIL").length,
  );
  t.equal(results.skip, run.cases.filter((c) => c.verdict === "SKIPPED").length);
  t.match(tap, /^TAP version 14\n/);
  t.match(tap, /anchor: STREAM-1\n\s+level: MUST\n\s+link: "spec\/streaming.md#STREAM-1"/);
  t.match(tap, /frames:\n\s+- /, "the failing frame is in the diagnostics");
});

t.test("junit.xml validates against the JUnit XML schema", async (t) => {
  const xsd = readFileSync(join(import.meta.dirname, "fixtures", "junit.xsd"), "utf8");
  const result = await validateXML({
    xml: [{ fileName: "junit.xml", contents: toJunit(run) }],
    schema: [xsd],
  });
  t.same(
    result.errors.map((e) => e.rawMessage),
    [],
    "no schema errors",
  );
  t.ok(result.valid);
  const suites = toJunit(run).match(/<testsuite /g)?.length;
  t.equal(
    suites,
    new Set(run.cases.map((c) => c.area)).size + (run.findings.length > 0 ? 1 : 0),
    "one testsuite per area (and one for run-wide findings)",
  );
});

/** The run with one run-wide finding in two cases, as a server missing a field everywhere gives. */
const withFinding: RunResult = {
  ...run,
  findings: [
    {
      id: "F1",
      anchor: "RESP-6",
      message: "response.completed lacks completed_at",
      level: "MUST",
      verdict: "FAIL",
      cases: ["x.broken", run.cases[0]!.id],
      firstCase: "x.broken",
      entry: 7,
      clause: "Open Responses MUST: a clause <quoted> & kept",
    },
  ],
  cases: run.cases.map((c) => (c.id === "x.broken" ? { ...c, findings: ["F1"] } : c)),
};

t.test("junit.xml and report.html carry findings and provenance", async (t) => {
  const xsd = readFileSync(join(import.meta.dirname, "fixtures", "junit.xsd"), "utf8");
  const xml = toJunit(withFinding);
  const result = await validateXML({
    xml: [{ fileName: "junit.xml", contents: xml }],
    schema: [xsd],
  });
  t.same(
    result.errors.map((e) => e.rawMessage),
    [],
    "still valid with a findings testsuite",
  );
  t.match(xml, /<testsuite name="run-wide findings"[^>]* tests="1" failures="1"/);
  t.match(
    xml,
    /<testcase name="F1 RESP-6"[^>]*><failure message="RESP-6: response.completed lacks completed_at"/,
  );
  t.match(xml, /cases \(2\): x\.broken, /);
  t.match(xml, /first seen in x\.broken \[frame #7\]/);
  t.match(xml, /also observed run-wide findings F1/);
  t.match(
    xml,
    /STREAM-1 \(MUST\)[^\n]*\n {2}source: Open Responses 2026-04-24 MUST: Servers MUST send response progress/,
    "each requirement says where it comes from",
  );
  const html = toHtml(withFinding);
  t.match(html, /<h2 id="findings">Run-wide findings<\/h2>/);
  t.match(html, /<tr id="finding-F1"><td>F1<\/td>/);
  t.match(html, /a clause &lt;quoted&gt; &amp; kept/);
  t.match(html, /href="#finding-F1"/, "the case links its finding");
  t.match(html, /source: Open Responses 2026-04-24 MUST: Servers MUST send response progress/);
  t.match(toHtml(run), /Run-wide findings<\/h2>\n<p class="muted">[^<]*<\/p>\n<p>None.<\/p>/);
});

t.test("--out writes index.json, a wire log per case, junit.xml and report.html", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "hotline-conform-"));
  await writeReports(run, dir);
  const index = JSON.parse(await readFile(join(dir, "index.json"), "utf8"));
  t.equal(index.cases.length, run.cases.length);
  t.ok(
    index.metrics.some(
      (m: { name: string; p99: number }) =>
        m.name === "inter_event_gap_ms" && Number.isFinite(m.p99),
    ),
  );
  const logs = await readdir(join(dir, "wire"));
  t.equal(logs.length, run.cases.length);
  const line = (await readFile(join(dir, "wire", "x.broken.jsonl"), "utf8")).split("\n")[0]!;
  t.match(JSON.parse(line), { i: 0, conn: "ws1", dir: "send", kind: "open" });

  const chromium = "/usr/bin/chromium";
  if (!existsSync(chromium)) {
    t.comment("SKIP: Debian chromium is not installed (CI installs it): report.html not rendered");
    return;
  }
  const { chromium: pw } = await import("playwright-core");
  const browser = await pw.launch({
    executablePath: chromium,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  t.teardown(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  await page.goto(pathToFileURL(join(dir, "report.html")).href);
  t.equal(await page.title(), "Hotline conformance report");
  t.ok(await page.locator("table.verdicts").first().isVisible(), "verdict table visible");
  t.ok((await page.locator("table.verdicts tbody tr").count()) >= run.cases.length);
  t.ok(await page.getByText("x.broken").first().isVisible(), "the failure is listed");
  t.ok((await page.locator("svg rect").count()) > 0, "charts drawn");
  const png = await page.screenshot({ fullPage: false });
  // Not blank: a blank page compresses to almost nothing and has one colour.
  t.ok(png.length > 20_000, `screenshot ${png.length} bytes`);
  const sample = await page.evaluate(() => document.body.innerText.length);
  t.ok(sample > 500, "text rendered");
});
