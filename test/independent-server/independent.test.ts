/**
 * The runner against a minimal Open Responses server written from the 2026-04-24 text alone
 * (server.ts, no code shared with reference-server/): correct, it gets no FAIL and no ERROR, over
 * WebSocket and HTTP and HTTP only; each single-fault variant changes exactly the verdicts of the
 * cases that cite its rule, to a failing one (the four coverage holes of issue 12 among them).
 */
import t from "tap";
import { allCases } from "../../conformance/cases/index.js";
import { runConformance, type RunResult } from "../../conformance/runner.js";
import { SpecIndex } from "../../conformance/spec-index.js";
import {
  type IndependentFault,
  type IndependentOptions,
  startIndependentServer,
} from "./server.js";

const spec = SpecIndex.load();

async function run(options: IndependentOptions): Promise<RunResult> {
  const server = await startIndependentServer(options);
  try {
    return await runConformance({
      target: {
        wsUrl: server.wsUrl,
        httpUrl: server.url,
        token: null,
        headers: {},
        model: null,
        rttMs: 0,
      },
      cases: allCases,
      spec,
      profile: "auto",
      timeoutMs: 3_000,
    });
  } finally {
    await server.close();
  }
}

const describe = (r: RunResult): string[] =>
  r.cases
    .filter((c) => c.verdict === "FAIL" || c.verdict === "ERROR")
    .map((c) => `${c.id}: ${c.verdict} ${c.reason ?? ""}`)
    .concat(
      r.findings
        .filter((f) => f.verdict === "FAIL")
        .map((f) => `${f.id}: ${f.anchor} ${f.message}`),
    );

const verdicts = (r: RunResult): Map<string, string> =>
  new Map(r.cases.map((c) => [c.id, c.verdict]));

const correct = await run({});

t.test("the correct server: no FAIL, no ERROR, no failing finding", async (t) => {
  t.same(describe(correct), [], "failures");
  t.equal(correct.held, false, "not held to Hotline: it claims no hotline.v1");
  t.ok(correct.counts.PASS >= 25, `${correct.counts.PASS} cases pass`);
});

t.test("HTTP only: the WebSocket cases are SKIPPED with what the probe saw", async (t) => {
  const r = await run({ websocket: false });
  t.same(describe(r), [], "failures");
  const ws = r.cases.filter((c) => c.profile !== "http");
  t.ok(
    ws.every(
      (c) => c.verdict === "SKIPPED" && /no WebSocket binding|run with --sim/.test(c.reason ?? ""),
    ),
    "every WebSocket case SKIPPED with the reason (or, simulated-backend cases, for --sim)",
  );
  t.ok(
    r.cases.some((c) => c.profile === "http" && c.verdict === "PASS"),
    "the HTTP cases ran",
  );
});

t.test("optional parameters the server refuses: no FAIL, no ERROR", async (t) => {
  // Open Responses makes every one of these optional: a case that does not test one must not
  // send it, and one that would like to (core-sequential's labels) probes first.
  const unsupported = ["metadata", "instructions", "temperature", "top_p", "service_tier"];
  const r = await run({ unsupported });
  t.same(describe(r), [], "failures");
  const sequential = r.cases.find((c) => c.id === "lifecycle.core-sequential")!;
  t.equal(sequential.verdict, "PASS", "sequential processing is still judged");
  t.match(
    sequential.notes.join("\n"),
    /arrival order not checked: the server refuses both metadata and instructions/,
    "and it says what it could not check",
  );
  // The cases whose subject is such a parameter: the Codex CLI's fields, a schema violation
  // (temperature "hot"), and core-sequential's probed labels.
  const testing = [
    "lifecycle.core-sequential",
    "lifecycle.client-fields-accepted",
    "http.client-fields-accepted",
    "errors.schema-violation",
  ];
  const sent = r.cases
    .filter((c) => !testing.includes(c.id))
    .filter((c) =>
      c.wire.some((e) => {
        if (e.dir !== "send") return false;
        const d = e.data as { body?: Record<string, unknown> } & Record<string, unknown>;
        const body = d.type === "response.create" ? d : d.body;
        return body !== undefined && body !== null && unsupported.some((p) => p in body);
      }),
    )
    .map((c) => c.id);
  t.same(sent, [], "no other core case sends an optional parameter it does not test");
});

/** Each fault and the cases whose verdict it must change (to FAIL, RECOMMENDED or NON-STRICT). */
const FAULTS: Record<IndependentFault, string[]> = {
  lifo: ["lifecycle.core-sequential"],
  "drop-context": ["continuation.context-kept"],
  "context-error-starts": ["lifecycle.context-length"],
  "cancel-rewrites": ["http.cancel-finished-unknown"],
  "no-done": ["http.sse-framing"],
};

for (const [fault, cases] of Object.entries(FAULTS) as [IndependentFault, string[]][]) {
  t.test(`fault ${fault} changes exactly ${cases.join(", ")}`, async (t) => {
    const r = await run({ fault });
    const before = verdicts(correct);
    const changed = r.cases.filter((c) => c.verdict !== before.get(c.id)).map((c) => c.id);
    t.same(changed.sort(), [...cases].sort(), "the changed verdicts", { failures: describe(r) });
    for (const id of cases) {
      const c = r.cases.find((x) => x.id === id)!;
      t.ok(
        ["FAIL", "RECOMMENDED", "NON-STRICT"].includes(c.verdict),
        `${id}: ${c.verdict} ${c.reason}`,
      );
    }
  });
}
