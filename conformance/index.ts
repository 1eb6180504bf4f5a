/**
 * The conformance runner's public entry point for other folders (`hotline conform` in
 * src/cli/conform.ts): the cases, the runner, the spec index it quotes, and the report
 * formats. Everything else in conformance/ is internal to the runner.
 */
export { allCases } from "./cases/index.js";
export {
  type CaseResult,
  type ProfileMode,
  type RunOptions,
  type RunResult,
  runConformance,
  selectCases,
} from "./runner.js";
export { SpecIndex } from "./spec-index.js";
export { toHtml } from "./report/html.js";
export { toJson } from "./report/json.js";
export { toJunit } from "./report/junit.js";
export { toTap } from "./report/tap.js";
export { writeReports } from "./report/write.js";
