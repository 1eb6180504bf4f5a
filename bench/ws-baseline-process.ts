/**
 * The bare-`ws` baseline of `npm run bench:server`: what pushing the same tokens over the same
 * number of WebSocket connections costs with no protocol at all. One process, one loop: every
 * pass sends each connection's due tokens as messages of `tokensPerMessage` tokens (the last
 * one shorter), each message shaped like a `response.output_text.delta` of the same size, then
 * a `response.completed` with the usage the load generator reads. No parsing, validation, event
 * log, sequence bookkeeping or backpressure: the floor the reference server's cost per token is
 * compared to, at the same tokens per message; with `firstTokenAfterMs`, the floor of time to
 * first token. Same IPC as server-process.ts (`cpu`, `stop`).
 */
import { WebSocketServer, type WebSocket } from "ws";
import { RealClock } from "../reference-server/index.js";
import { cpuSplit, timeSocketWrites } from "./cpu-split.js";

interface BaselineConfig {
  /** Decode rate of every stream, tokens per second. */
  decodeTokensPerSecond: number;
  /** Tokens one message carries (the reference server's measured tokens per delta). */
  tokensPerMessage: number;
  /**
   * Wait this long after a request before its first token, kept as precisely as the reference
   * server keeps a prefill's end (the same clock): the floor of time to first token.
   */
  firstTokenAfterMs?: number;
  /** Time the sockets' native writes, for the CPU split (`--breakdown`). */
  breakdown?: boolean;
}

interface Stream {
  ws: WebSocket;
  startedAt: number;
  total: number;
  sent: number;
  sequence: number;
}

const config = JSON.parse(process.argv[2] ?? "{}") as BaselineConfig;
const perMs = config.decodeTokensPerSecond / 1000;
const batch = Math.max(1, Math.round(config.tokensPerMessage));
/** One simulated token: a short word, as the simulated model writes. */
const TOKEN = " code";
const streams = new Set<Stream>();
const clock = new RealClock();

const wss = new WebSocketServer({ host: "127.0.0.1", port: 0, perMessageDeflate: false });
wss.on("connection", (ws, request) => {
  if (config.breakdown) timeSocketWrites(request.socket);
  ws.on("message", (data) => {
    const request = JSON.parse(String(data)) as { metadata?: Record<string, string> };
    const total = Number(request.metadata?.["sim.output_tokens"] ?? 1);
    const start = (): void => {
      streams.add({ ws, startedAt: performance.now(), total, sent: 0, sequence: 0 });
      if (!scheduled) loop();
    };
    const wait = config.firstTokenAfterMs;
    if (wait === undefined) start();
    else clock.setTimer(performance.now() + wait, start, true);
  });
});

let scheduled = false;
/** One pass: each stream's due tokens, in messages of `batch`; then again in 1 ms. */
function loop(): void {
  scheduled = false;
  const now = performance.now();
  for (const s of streams) {
    const due = Math.min(s.total, 1 + Math.floor((now - s.startedAt) * perMs));
    while (due - s.sent >= batch || (due === s.total && s.sent < s.total)) {
      const n = Math.min(batch, due - s.sent);
      s.ws.send(
        `{"type":"response.output_text.delta","item_id":"msg_baseline","output_index":0,"content_index":0,"delta":${JSON.stringify(TOKEN.repeat(n))},"logprobs":[],"sequence_number":${s.sequence++}}`,
      );
      s.sent += n;
    }
    if (s.sent === s.total) {
      s.ws.send(
        `{"type":"response.completed","sequence_number":${s.sequence},"response":{"usage":{"input_tokens":0,"input_tokens_details":{"cached_tokens":0},"output_tokens":${s.total},"output_tokens_details":{"reasoning_tokens":0},"total_tokens":${s.total}}}}`,
      );
      streams.delete(s);
    }
  }
  if (streams.size > 0 && !scheduled) {
    scheduled = true;
    setTimeout(loop, 1);
  }
}

await new Promise<void>((resolve) => wss.once("listening", resolve));
const { port } = wss.address() as { port: number };
process.on("message", (message: { kind: string }) => {
  if (message.kind === "cpu") {
    process.send?.({ kind: "cpu", cpu: process.cpuUsage(), split: cpuSplit() });
  } else if (message.kind === "stop") wss.close(() => process.exit(0));
});
process.send?.({ kind: "ready", wsUrl: `ws://127.0.0.1:${port}` });
