/**
 * What every fault scenario is: its options and its run. The pacing helpers, the seeded random
 * source and the checking client they use are in `src/testing/`, shared with the fuzzer.
 */
import type { ScenarioReport } from "./report.js";

/** Options every scenario takes (from `hotline bench --scenario NAME`). */
export interface ScenarioOptions {
  /** How long the load runs, in seconds. */
  durationS: number;
  /** Sessions (readers, users) to open. */
  sessions: number;
  /** Random seed. */
  seed: number;
  /** Instances of a fleet sharing one redis-server (0: one server; disconnect-storm only). */
  fleet: number;
  /** The command line, for the report. */
  command: string;
  /** Progress lines (stderr). */
  log: (line: string) => void;
}

/** A scenario: its defaults and its run. */
export interface Scenario {
  name: string;
  summary: string;
  defaults: { durationS: number; sessions: number };
  run(options: ScenarioOptions): Promise<ScenarioReport>;
}
