/**
 * `idle-deflate`: what permessage-deflate costs a server per idle connection, and what it
 * saves on the wire (issue 18). Side by side in one run, one server process per configuration:
 * `sessions` connections each send one create with a 4 KiB input (compressed by the client, so
 * the server's inflater exists too, as with Codex's prompts), read the whole response, then sit
 * idle. Reported per configuration: server RSS growth per idle connection (after a full GC) and
 * bytes on the wire per output token. The checks compare the
 * bounded defaults (what `--permessage-deflate` gives) with ws's defaults and with no deflate,
 * side by side. The per-principal cap is raised to `sessions` here; it is tested apart.
 */
import type { Socket } from "node:net";
import WebSocket from "ws";
import type { ServerOptions } from "../../reference-server/index.js";
import { all } from "../../src/testing/index.js";
import type { Scenario } from "./common.js";
import { check, round, ScenarioRecorder } from "./report.js";
import { startScenarioServer } from "./server-child.js";

const OUTPUT_TOKENS = 400;
const INPUT = "def handler(event):\n    return event['body']\n".repeat(90);

/** The configurations compared, the last one being what `--permessage-deflate` gives. */
export const DEFLATE_CONFIGURATIONS: readonly { label: string; options: ServerOptions }[] = [
  { label: "off", options: { permessageDeflate: false } },
  {
    label: "ws_defaults",
    options: { permessageDeflate: true, deflate: { windowBits: 15, memLevel: 8 } },
  },
  { label: "bounded", options: { permessageDeflate: true } },
];

/**
 * What the bounded defaults must save against ws's: idle RSS per connection at most this share
 * of ws's defaults, measured side by side (absolute figures move with the allocator and load).
 */
export const BOUNDED_MEMORY_RATIO = 0.6;
/** And what they must keep of the wire saving: bytes per token at most this share of none. */
export const BOUNDED_BYTES_RATIO = 0.4;

interface Measured {
  kibPerConnection: number;
  bytesPerToken: number;
  negotiated: number;
}

/** One connection: a create, its whole response, the bytes it took; left open (idle). */
function oneTurn(url: string): Promise<{ ws: WebSocket; bytes: number; deflate: boolean }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: true });
    let socket: Socket | undefined;
    let before = 0;
    ws.once("upgrade", (response) => (socket = response.socket as Socket));
    ws.once("error", reject);
    ws.once("open", () => {
      before = socket?.bytesRead ?? 0;
      ws.send(
        JSON.stringify({
          type: "response.create",
          input: INPUT,
          metadata: { "sim.output_tokens": String(OUTPUT_TOKENS) },
        }),
      );
    });
    ws.on("message", (data) => {
      const type = (JSON.parse(String(data)) as { type: string }).type;
      if (type === "response.completed" || type === "response.failed" || type === "error") {
        resolve({
          ws,
          bytes: (socket?.bytesRead ?? 0) - before,
          deflate: ws.extensions.includes("permessage-deflate"),
        });
      }
    });
  });
}

async function measure(
  options: ServerOptions,
  sessions: number,
  log: (line: string) => void,
  label: string,
): Promise<{ measured: Measured; recorder: ScenarioRecorder; stop: () => Promise<void> }> {
  const server = await startScenarioServer(options);
  const recorder = new ScenarioRecorder(server, 5_000);
  await recorder.start(60_000);
  const baseline = recorder.last!;
  const open: WebSocket[] = [];
  let bytes = 0;
  let negotiated = 0;
  // A few at a time: the measure is memory held per connection, not connection-storm cost.
  await all(8, async () => {
    while (open.length < sessions) {
      const slot = open.length;
      open.push(undefined as unknown as WebSocket);
      const turn = await oneTurn(server.wsUrl);
      open[slot] = turn.ws;
      bytes += turn.bytes;
      if (turn.deflate) negotiated++;
      recorder.started++;
      recorder.finished("completed", OUTPUT_TOKENS);
    }
  });
  const after = await recorder.sample();
  const measured: Measured = {
    kibPerConnection: round((after.rss - baseline.rss) / 1024 / sessions, 1),
    bytesPerToken: round(bytes / (sessions * OUTPUT_TOKENS), 1),
    negotiated,
  };
  log(
    `  ${label}: ${measured.kibPerConnection} KiB RSS per idle connection, ` +
      `${measured.bytesPerToken} bytes per token, deflate on ${negotiated}/${sessions}`,
  );
  return {
    measured,
    recorder,
    stop: async () => {
      recorder.stop();
      for (const ws of open) ws.terminate();
      await server.stop();
    },
  };
}

export const idleDeflate: Scenario = {
  name: "idle-deflate",
  summary: "memory per idle permessage-deflate connection vs bytes per token, side by side",
  defaults: { durationS: 0, sessions: 400 },
  async run(options) {
    const results: Record<string, Measured> = {};
    let last: Awaited<ReturnType<typeof measure>> | undefined;
    for (const { label, options: serverOptions } of DEFLATE_CONFIGURATIONS) {
      await last?.stop();
      // Every connection of the run may use deflate: the per-principal cap is tested apart.
      const deflate = { ...serverOptions.deflate, maxPerPrincipal: options.sessions };
      last = await measure({ ...serverOptions, deflate }, options.sessions, options.log, label);
      results[label] = last.measured;
    }
    try {
      const recorder = last!.recorder;
      for (const [label, m] of Object.entries(results)) {
        recorder.extra[`${label}_kib_per_connection`] = m.kibPerConnection;
        recorder.extra[`${label}_bytes_per_token`] = m.bytesPerToken;
        recorder.extra[`${label}_deflate_negotiated`] = m.negotiated;
      }
      return await recorder.report({
        scenario: "idle-deflate",
        command: options.command,
        params: { sessions: options.sessions, output_tokens: OUTPUT_TOKENS },
        clients: [],
        decodeTokensPerSecond: 1,
        checks: () => {
          const bounded = results.bounded!;
          const off = results.off!;
          const wsDefaults = results.ws_defaults!;
          return [
            check(
              "bounded_vs_ws_defaults_kib_per_connection",
              bounded.kibPerConnection / wsDefaults.kibPerConnection,
              `<= ${BOUNDED_MEMORY_RATIO}`,
              bounded.kibPerConnection / wsDefaults.kibPerConnection <= BOUNDED_MEMORY_RATIO,
            ),
            check(
              "bounded_vs_off_bytes_per_token",
              bounded.bytesPerToken / off.bytesPerToken,
              `<= ${BOUNDED_BYTES_RATIO}`,
              bounded.bytesPerToken / off.bytesPerToken <= BOUNDED_BYTES_RATIO,
            ),
            check(
              "bounded_deflate_negotiated",
              bounded.negotiated,
              `== ${options.sessions}`,
              bounded.negotiated === options.sessions,
            ),
          ];
        },
      });
    } finally {
      await last?.stop();
    }
  },
};
