/**
 * `npx tsx bench/fleet-resume.ts --redis=redis://host:port [--samples=N]`: `resume_gap_ms`
 * (reconnect start → first replayed event) of a hotline.v1 session resumed on the instance that
 * holds it and on another instance of the same fleet (a take-over). Two reference servers in
 * this process, one Redis. Not a test: it prints p50, p90, p99 and max of each.
 */
import WebSocket from "ws";
import { startServer } from "../reference-server/index.js";

const redis = process.argv.find((a) => a.startsWith("--redis="))?.slice("--redis=".length);
const samples = Number(
  process.argv.find((a) => a.startsWith("--samples="))?.slice("--samples=".length) ?? 40,
);
if (redis === undefined) throw new Error("usage: fleet-resume.ts --redis=redis://host:port");

const options = {
  logLevel: "silent" as const,
  redis,
  backend: { tiers: { wafer: { decodeTokensPerSecond: 400, burstMode: "off" as const } } },
};
const [a, b] = [await startServer(options), await startServer(options)];

type Frame = { type: string; response_id?: string; session?: { resume_token: string } };

function open(url: string, token?: string): Promise<{ ws: WebSocket; frames: Frame[] }> {
  const ws = new WebSocket(url, ["hotline.v1"], {
    headers: token === undefined ? {} : { "Hotline-Resume-Token": token },
  });
  const frames: Frame[] = [];
  ws.on("message", (data: Buffer) => frames.push(JSON.parse(data.toString()) as Frame));
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve({ ws, frames }));
    ws.once("error", reject);
  });
}

function until(ws: WebSocket, frames: Frame[], match: (f: Frame) => boolean): Promise<Frame> {
  const found = frames.find(match);
  if (found) return Promise.resolve(found);
  return new Promise((resolve) => {
    const check = () => {
      const f = frames.find(match);
      if (f) {
        ws.off("message", check);
        resolve(f);
      }
    };
    ws.on("message", check);
  });
}

/** One sample: a response on A, 20 deltas read, the socket dropped, resumed on `target`. */
async function sample(target: string): Promise<number> {
  const first = await open(a.wsUrl);
  const created = await until(first.ws, first.frames, (f) => f.type === "session.created");
  first.ws.send(
    JSON.stringify({
      type: "response.create",
      input: "x",
      metadata: { "sim.output_tokens": "2000" },
    }),
  );
  const deltas = () => first.frames.filter((f) => f.type === "response.output_text.delta");
  await until(first.ws, first.frames, () => deltas().length >= 20);
  const id = deltas()[0]!.response_id!;
  const after = deltas().length + 3; // created, in_progress, item.added, part.added: seq of the 20th
  first.ws.terminate();
  const t0 = performance.now();
  const second = await open(target, created.session!.resume_token);
  await until(second.ws, second.frames, (f) => f.type === "session.resumed");
  second.ws.send(
    JSON.stringify({ type: "response.resume", response_id: id, after_sequence_number: after }),
  );
  await until(second.ws, second.frames, (f) => f.response_id === id);
  const gap = performance.now() - t0;
  second.ws.send(JSON.stringify({ type: "response.cancel", response_id: id }));
  second.ws.close();
  return gap;
}

const pct = (xs: number[], p: number) =>
  [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;
for (const [name, url] of [
  ["same instance", a.wsUrl],
  ["cross instance", b.wsUrl],
] as const) {
  const gaps: number[] = [];
  for (let i = 0; i < samples; i++) gaps.push(await sample(url));
  console.log(
    `resume_gap_ms ${name.padEnd(14)} n=${gaps.length} p50 ${pct(gaps, 50).toFixed(2)} ` +
      `p90 ${pct(gaps, 90).toFixed(2)} p99 ${pct(gaps, 99).toFixed(2)} ` +
      `max ${Math.max(...gaps).toFixed(2)}`,
  );
}
await Promise.all([a.close(), b.close()]);
