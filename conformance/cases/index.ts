/** Every conformance case, in report order (area by area). */
import type { Case } from "../case.js";
import { compactionCases } from "./compaction.js";
import { continuationCases } from "./continuation.js";
import { errorCases } from "./errors.js";
import { fleetCases } from "./fleet.js";
import { httpCases } from "./http.js";
import { interruptionCases } from "./interruption.js";
import { lanesCases } from "./lanes.js";
import { latencyCases } from "./latency.js";
import { lifecycleCases } from "./lifecycle.js";
import { multiplexingCases } from "./multiplexing.js";
import { resumeCases } from "./resume.js";
import { sessionCases } from "./session.js";
import { simulationCases } from "./simulation.js";
import { streamingCases } from "./streaming.js";
import { transportCases } from "./transport.js";

/** All cases. */
export const allCases: Case[] = [
  ...transportCases,
  ...sessionCases,
  ...lifecycleCases,
  ...streamingCases,
  ...multiplexingCases,
  ...interruptionCases,
  ...lanesCases,
  ...continuationCases,
  ...resumeCases,
  ...errorCases,
  ...httpCases,
  ...fleetCases,
  ...compactionCases,
  ...latencyCases,
  ...simulationCases,
];
