/** Every proxy mutation, area by area (the same order as the conformance cases). */
import type { Mutation } from "../support/proxy-hooks.js";
import { compactionMutations } from "./compaction.js";
import { continuationMutations } from "./continuation.js";
import { errorMutations } from "./errors.js";
import { httpMutations } from "./http.js";
import { interruptionMutations } from "./interruption.js";
import { lanesMutations } from "./lanes.js";
import { latencyMutations } from "./latency.js";
import { lifecycleMutations } from "./lifecycle.js";
import { multiplexingMutations } from "./multiplexing.js";
import { resumeMutations } from "./resume.js";
import { sessionMutations } from "./session.js";
import { simulationMutations } from "./simulation.js";
import { streamingMutations } from "./streaming.js";
import { transportMutations } from "./transport.js";

/** All mutations. */
export const MUTATIONS: readonly Mutation[] = [
  ...transportMutations,
  ...sessionMutations,
  ...lifecycleMutations,
  ...streamingMutations,
  ...multiplexingMutations,
  ...interruptionMutations,
  ...lanesMutations,
  ...continuationMutations,
  ...resumeMutations,
  ...errorMutations,
  ...httpMutations,
  ...compactionMutations,
  ...latencyMutations,
  ...simulationMutations,
];
