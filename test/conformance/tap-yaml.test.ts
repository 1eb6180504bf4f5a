/**
 * The TAP report's YAML stays valid for any frame (a long one with quotes, backslashes and
 * non-ASCII is shortened before it is quoted, never after), and run-wide findings are test points.
 */
import t from "tap";
import { parse } from "yaml";
import { toTap } from "../../conformance/report/tap.js";
import type { CaseResult, RunResult } from "../../conformance/runner.js";

const huge = `"quoted" \\ back\\slash ünïcode ${"x".repeat(5_000)} "end"`;
const failing: CaseResult = {
  id: "x.big-frame",
  title: "a failure whose frame is large",
  area: "streaming",
  profile: "core",
  level: "MUST",
  requirements: [],
  verdict: "FAIL",
  expectedFailure: false,
  reason: "STREAM-1: broken",
  findings: ["F1"],
  checks: [
    { anchor: "STREAM-1", ok: false, message: 'a "quoted" message', entry: 0, level: "MUST" },
  ],
  notes: [],
  startedAtMs: 0,
  durationMs: 1,
  metrics: {},
  wire: [{ i: 0, t: 1, conn: "ws1", dir: "recv", kind: "text", data: { type: "x", text: huge } }],
};
const run = {
  cases: [failing],
  findings: [
    {
      id: "F1",
      anchor: "CONF-2",
      message: "/sequence_number is required",
      level: "MUST",
      verdict: "FAIL",
      cases: ["x.big-frame", "x.other"],
      firstCase: "x.big-frame",
      entry: 0,
    },
  ],
  counts: {
    PASS: 0,
    "NON-STRICT": 0,
    RECOMMENDED: 0,
    FAIL: 1,
    INFORMATIONAL: 0,
    SKIPPED: 0,
    ERROR: 0,
  },
  durationMs: 10,
  negotiated: { profile: "core", features: [], limits: null },
  held: false,
  unknownBaselineEntries: [],
} as unknown as RunResult;

t.test("every YAML block parses, whatever the frame holds", async (t) => {
  const tap = toTap(run);
  const blocks = [...tap.matchAll(/\n {2}---\n([\s\S]*?)\n {2}\.\.\./g)].map((m) => m[1]!);
  t.equal(blocks.length, 2, "one block per case and per finding");
  for (const block of blocks) {
    const doc = parse(block.replace(/^ {2}/gm, "")) as Record<string, unknown>;
    t.ok(doc.verdict, "parsed");
  }
  const frames = (parse(blocks[0]!.replace(/^ {2}/gm, "")) as { frames: string[] }).frames;
  t.match(frames[0], /^\{"i":0/, "the frame is its JSON, shortened");
  t.match(frames[0], /chars\)$/, "says it was shortened");
  t.match(tap, /^not ok 2 - finding F1: CONF-2 in 2 cases$/m);
  t.match(tap, /^1\.\.2$/m);
});
