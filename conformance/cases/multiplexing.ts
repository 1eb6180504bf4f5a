import type { Case } from "../case.js";
export const multiplexingCases: Case[] = [];
