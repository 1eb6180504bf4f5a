/**
 * The conformance case model: a case is data (id, the requirements it checks, level, profile,
 * needed features) plus a `run` that drives a server through a `CaseContext`. The requirement
 * sentences are never copied here: the runner quotes them from `spec/` by anchor at run time.
 */
import type { Profile } from "../src/protocol/index.js";
import type { Feature } from "./harness/session-info.js";
import type { CaseContext } from "./context.js";

/** The strongest BCP 14 keyword among a case's requirements. */
export type Level = "MUST" | "SHOULD" | "MAY";

/** Where a case applies: any WebSocket connection, `hotline.v1` only, or the HTTP binding. */
export type CaseProfile = Profile | "http";

/**
 * The verdicts of spec/conformance.md, Autobahn's vocabulary plus RECOMMENDED: a Hotline addition
 * (or an Open Responses MAY) that a server not claiming hotline.v1 lacks.
 */
export type Verdict =
  "PASS" | "NON-STRICT" | "RECOMMENDED" | "FAIL" | "INFORMATIONAL" | "SKIPPED" | "ERROR";

/** Every verdict, in report order. */
export const VERDICTS: readonly Verdict[] = [
  "PASS",
  "NON-STRICT",
  "RECOMMENDED",
  "FAIL",
  "INFORMATIONAL",
  "SKIPPED",
  "ERROR",
];

/** Conformance areas, one file each under `conformance/cases/`. */
export type Area =
  | "transport"
  | "session"
  | "lifecycle"
  | "streaming"
  | "multiplexing"
  | "interruption"
  | "continuation"
  | "resume"
  | "heartbeat"
  | "errors"
  | "rate-limits"
  | "http"
  | "fleet"
  | "latency"
  | "simulation";

/** One conformance case. */
export interface Case {
  /** Stable id, `<area>.<slug>`, e.g. `stream.sequence-gapless`. */
  id: string;
  title: string;
  /** Requirement anchors it checks (`STREAM-1`); quoted from spec/ at run time. */
  requirements: string[];
  /** The strongest keyword among `requirements` (MUST NOT counts as MUST); a test keeps it honest. */
  level: Level;
  profile: CaseProfile;
  area: Area;
  /** `Session.features` entries the case needs; missing ones make it SKIPPED. */
  features?: Feature[];
  /**
   * Harness rules this case owns: a violation of one of these anchors seen while another case
   * ran (which does not cite it) is reported here, naming that case and frame.
   */
  aggregates?: string[];
  /** `core` cases normally use the run's profile; `core-only` forces a connection without subprotocol. */
  connection?: "run-profile" | "core-only";
  /** Cases of spec/backend-simulation.md run only with `--sim` (CONF-6). */
  sim?: boolean;
  /** Cases of spec/fleet.md need a second URL of the same deployment (`--fleet-url`). */
  fleet?: boolean;
  /** Drives the server; checks go through `ctx.check`. */
  run(ctx: CaseContext): Promise<void>;
}

/** Thrown by `ctx.skip()`: the case cannot apply to this server. */
export class CaseSkipped extends Error {
  override name = "CaseSkipped";
}

/** Thrown when the runner itself could not complete a case (CONF-7). */
export class RunnerError extends Error {
  override name = "RunnerError";
}

/** Defines a case; an identity function that keeps case files declarative and typed. */
export function defineCase(c: Case): Case {
  return c;
}
