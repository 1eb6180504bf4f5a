/**
 * `non-reader`: hostile peers that make the server send and never read (issue 18). For the
 * run's duration, per session: an SSE stream nobody reads, a background stream read again
 * (`GET ?stream=true`) by nobody, a hotline.v1 connection repeating `response.resume` of a
 * finished response, a core connection sending a bad frame after another, and a core
 * connection queueing 900-KiB creates behind a long response. Each attack is held by its own
 * bound (a socket's buffer per stream, the 4 MiB unsent-bytes close of a connection, 16 queued
 * creates), so RSS growth must stay within what those bounds allow per session: two
 * connections at 4 MiB unsent (about twice that in memory), 16 bodies of 900 KiB and slack.
 */
import { connect, type Socket } from "node:net";
import WebSocket from "ws";
import { all, sleep } from "../../src/testing/index.js";
import type { Scenario } from "./common.js";
import { check, ScenarioRecorder } from "./report.js";
import { startScenarioServer } from "./server-child.js";

const DECODE_TOK_S = 1200;
/** RSS growth allowed per session: 2 × 2 × 4 MiB unsent, 16 × 0.9 MiB queued, 8 MiB slack. */
const BOUND_PER_SESSION_MIB = 16 + 15 + 8;

/** A raw HTTP request on a socket that never reads its answer. */
function unreadRequest(url: string, request: string): Socket {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  socket.on("error", () => {});
  socket.write(request);
  socket.pause();
  return socket;
}

function post(body: object): string {
  const text = JSON.stringify(body);
  return (
    "POST /v1/responses HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
    `Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`
  );
}

function open(url: string, protocols: string[] = []): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols);
    ws.on("error", () => {});
    ws.once("open", () => resolve(ws));
    ws.once("close", () => reject(new Error("closed before open")));
  });
}

/** Stops reading a WebSocket (its peer's writes queue above the kernel). */
function stopReading(ws: WebSocket): void {
  (ws as unknown as { _socket: Socket })._socket.pause();
}

export const nonReader: Scenario = {
  name: "non-reader",
  summary: "peers that never read (SSE, replays, resumes, errors, queued creates): bounded RSS",
  defaults: { durationS: 30, sessions: 4 },
  async run(options) {
    const server = await startScenarioServer({});
    const recorder = new ScenarioRecorder(server, 5_000, options.log);
    const held: { close(): void }[] = [];
    const endAt = performance.now() + options.durationS * 1000;
    try {
      await recorder.start(1_000);
      const baseline = recorder.last!.rss;
      await all(options.sessions, async () => {
        // An SSE stream nobody reads.
        const long = { "sim.output_tokens": String(DECODE_TOK_S * options.durationS * 2) };
        const sse = unreadRequest(server.url, post({ input: "hi", stream: true, metadata: long }));
        held.push({ close: () => sse.destroy() });
        // A background response, streamed again to readers that never read.
        const created = await fetch(`${server.url}/v1/responses`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ input: "hi", background: true, metadata: long }),
        });
        const { id } = (await created.json()) as { id: string };
        recorder.started++;
        // A hotline.v1 connection that finishes a response, stops reading and resumes it.
        const hot = await open(server.wsUrl, ["hotline.v1"]);
        held.push({ close: () => hot.terminate() });
        const finished = new Promise<{ response_id: string; sequence_number: number }>((resolve) =>
          hot.on("message", (data) => {
            const event = JSON.parse(String(data)) as {
              type: string;
              response_id: string;
              sequence_number: number;
            };
            if (event.type === "response.completed") resolve(event);
          }),
        );
        hot.send(
          JSON.stringify({
            type: "response.create",
            input: "hi",
            metadata: { "sim.output_tokens": "3000" },
          }),
        );
        const done = await finished;
        recorder.started++;
        stopReading(hot);
        // A core connection sending bad frames, and one queueing large creates.
        const bad = await open(server.wsUrl);
        held.push({ close: () => bad.terminate() });
        stopReading(bad);
        const queue = await open(server.wsUrl);
        held.push({ close: () => queue.terminate() });
        queue.send(JSON.stringify({ type: "response.create", input: "hi", metadata: long }));
        const big = JSON.stringify({
          type: "response.create",
          input: "x ".repeat(450_000),
          generate: false,
        });
        const badFrame = JSON.stringify({ type: "nope", event_id: "e".repeat(128) });
        let queued = 0;
        while (performance.now() < endAt) {
          const replay = unreadRequest(
            server.url,
            `GET /v1/responses/${id}?stream=true HTTP/1.1\r\nHost: x\r\n\r\n`,
          );
          held.push({ close: () => replay.destroy() });
          for (let i = 0; i < 20 && hot.readyState === WebSocket.OPEN; i++) {
            hot.send(
              JSON.stringify({
                type: "response.resume",
                response_id: done.response_id,
                after_sequence_number: done.sequence_number - 300,
              }),
            );
          }
          for (let i = 0; i < 2_000 && bad.readyState === WebSocket.OPEN; i++) bad.send(badFrame);
          if (queued < 160 && queue.readyState === WebSocket.OPEN) {
            queue.send(big);
            queued++;
          }
          await sleep(100);
        }
      });
      await recorder.sample();
      const report = await recorder.report({
        scenario: "non-reader",
        command: options.command,
        params: { sessions: options.sessions, duration_s: options.durationS },
        clients: [],
        decodeTokensPerSecond: DECODE_TOK_S,
        checks: (r) => {
          const peak = Math.max(...r.rss_mib.map((s) => s.rss_mib));
          const growth = peak - baseline / 2 ** 20;
          recorder.extra.rss_growth_mib = Math.round(growth * 10) / 10;
          const bound = BOUND_PER_SESSION_MIB * options.sessions;
          return [
            check("rss_growth_mib", growth, `<= ${bound}`, growth <= bound),
            check("server_crashed", server.crashed() ? 1 : 0, "== 0", !server.crashed()),
          ];
        },
      });
      return report;
    } finally {
      recorder.stop();
      for (const h of held) h.close();
      await server.stop();
    }
  },
};
