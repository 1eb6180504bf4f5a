import type { Case } from "../case.js";
export const simulationCases: Case[] = [];
