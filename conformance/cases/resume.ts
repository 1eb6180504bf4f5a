import type { Case } from "../case.js";
export const resumeCases: Case[] = [];
