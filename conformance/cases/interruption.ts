import type { Case } from "../case.js";
export const interruptionCases: Case[] = [];
