import type { Case } from "../case.js";
export const latencyCases: Case[] = [];
