/**
 * Settings some mutations' runs share, their control run included: server options that make a
 * rule observable in a run (like faults.test.ts's SETTINGS), and the network the latency
 * targets assume, so each latency case has a passing control before its mutation breaks it.
 */
import type { Setting } from "../support/proxy-hooks.js";

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The TCP + TLS handshake a new connection costs on the networks L1 and L3 are about. */
const HANDSHAKE_MS = 30;

/** Padding of the `obfuscation` member: about twice a typical delta's other bytes. */
export const OBFUSCATION = "0123456789abcdef".repeat(30);

/** Every setting, by name. */
export const SETTINGS: Readonly<Record<string, Setting>> = {
  "latency-network": {
    name: "latency-network",
    description: `a new connection costs a ${HANDSHAKE_MS} ms handshake (loopback has none), and SSE deltas carry obfuscation padding as the Responses API sends by default, so L1-L3 pass before a mutation`,
    proxy: {
      async upgrade() {
        await sleep(HANDSHAKE_MS);
      },
      http: {
        async request(req) {
          if (req.newConnection) await sleep(HANDSHAKE_MS);
        },
        sseMessage(m) {
          if (m.json?.type !== "response.output_text.delta") return undefined;
          m.json.obfuscation = OBFUSCATION;
          return m;
        },
      },
    },
  },
  "max-age": {
    name: "max-age",
    description: "connections age out after 1 s, so TRANSPORT-15 can be observed",
    server: { connectionMaxAgeMs: 1_000 },
  },
  "small-tier": {
    name: "small-tier",
    description:
      "a wafer tier of 4 sequences and a queue of 4, so the saturation cases (SIM-10, RESP-19) fill it within their limit",
    server: {
      backend: { tiers: { wafer: { maxConcurrentSequences: 4, maxQueue: 4 } } },
    },
  },
  "resume-window": {
    name: "resume-window",
    // resume.abandoned needs its response still running when the window ends: at the default
    // 1,200 tok/s it ends within 200 ms, and a correct server then stores it completed.
    description:
      "a 300 ms resume window and a 300 tok/s wafer tier, so RESUME-13 can be observed on a response that outlives the window",
    server: {
      session: { heartbeatIntervalMs: 100, resumeWindowMs: 300 },
      backend: { tiers: { wafer: { decodeTokensPerSecond: 300, burstTokensPerSecond: 300 } } },
    },
  },
};
