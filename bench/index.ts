/**
 * The bench's public entry point for other folders (the `hotline bench` command itself is
 * `cli.ts`): the reference server in a child process, as the fault scenarios start it, for the
 * fuzzer (`scripts/fuzz.ts`), which measures the same server the same way.
 */
export {
  type ScenarioServer,
  type ServerStats,
  startScenarioServer,
} from "./scenarios/server-child.js";
