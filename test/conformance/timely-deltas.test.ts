/**
 * stream.timely-deltas judges a server, not the runner's machine: a gap in one response (which
 * a stall of the runner's own process looks like from where it measures) is checked against a
 * second response, and only a server that holds a delta back in both fails. Through a proxy on
 * a correct reference server that holds back the sixth delta of the first response only, or of
 * every response.
 */
import t from "tap";
import { streamingCases } from "../../conformance/cases/streaming.js";
import { startServer } from "../../reference-server/index.js";
import { BASE, runCases, TOKEN } from "./support/conformance-runs.js";
import { startBreakingProxy } from "./support/breaking-proxy.js";
import { defineMutation } from "./support/proxy-hooks.js";

const timely = streamingCases.filter((c) => c.id === "stream.timely-deltas");
const server = await startServer(BASE);
t.teardown(() => server.close());

/** Holds the sixth output delta back for 100 ms in the first `responses` responses. */
function holdBack(responses: number) {
  const seen = new Map<string, number>();
  return defineMutation({
    name: `hold-back-${responses}`,
    rule: "STREAM-14",
    description: `holds the sixth delta of the first ${responses} responses back for 100 ms`,
    fromServer(e, conn) {
      if (e.type !== "response.output_text.delta") return undefined;
      const id = String(conn.responseOf(e));
      if (!seen.has(id)) seen.set(id, 0);
      const n = seen.get(id)! + 1;
      seen.set(id, n);
      if (n === 6 && [...seen.keys()].indexOf(id) < responses) conn.pauseClient(100);
      return undefined;
    },
  });
}

async function verdictThrough(responses: number): Promise<{ verdict: string; reason: string }> {
  const proxy = await startBreakingProxy({
    upstream: { wsUrl: server.wsUrl, httpUrl: server.url },
    token: TOKEN,
    layers: [holdBack(responses)],
  });
  try {
    const r = await runCases(proxy, "auto", timely);
    const c = r.cases.find((x) => x.id === "stream.timely-deltas")!;
    const reason = c.checks.map((k) => k.message).join("; ");
    return { verdict: c.verdict, reason };
  } finally {
    await proxy.close();
  }
}

t.test("one response's held-back delta is checked against a second, which decides", async (t) => {
  const { verdict, reason } = await verdictThrough(1);
  t.equal(verdict, "PASS", reason);
  t.match(reason, /max gap 1\d\d\.\d\d ms.*; a second response: max gap/, "both responses told");
});

t.test("a server that holds a delta back in every response fails", async (t) => {
  const { verdict, reason } = await verdictThrough(Number.POSITIVE_INFINITY);
  t.not(verdict, "PASS", reason);
  t.match(reason, /a second response: max gap 1\d\d\.\d\d ms/, "the second held back too");
});

t.test("a server that holds nothing back is judged on one response", async (t) => {
  const { verdict, reason } = await verdictThrough(0);
  t.equal(verdict, "PASS", reason);
  t.notMatch(reason, /second response/);
});
