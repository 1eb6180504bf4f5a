/**
 * Finds the requirement ids a text cites, so a test can prove every cited rule resolves to a
 * line of `spec/` (a cited id is a link, and a link must not dangle).
 */
import type { Requirement } from "./requirements.js";

/** One requirement id as cited somewhere. */
export interface Citation {
  id: string;
  /** 1-based line number. */
  line: number;
  /** The whole line, for the report. */
  text: string;
}

/** The id prefixes the specification uses (`STREAM`, `RESP`, …), read from its requirements. */
export function requirementPrefixes(requirements: readonly Requirement[]): string[] {
  return [...new Set(requirements.map((r) => r.id.replace(/-\d+$/, "")))].sort();
}

/**
 * Every `<PREFIX>-<n>` in `text` whose prefix is one of `prefixes`: the same id shape the
 * parser in `requirements.ts` reads, so `UTF-8` or `SHA-256` are never taken for rules.
 */
export function findCitations(text: string, prefixes: readonly string[]): Citation[] {
  if (prefixes.length === 0) return [];
  const id = new RegExp(`(?<![A-Za-z0-9_-])(?:${prefixes.join("|")})-\\d+(?![A-Za-z0-9_])`, "g");
  const out: Citation[] = [];
  text.split("\n").forEach((line, index) => {
    for (const m of line.matchAll(id)) out.push({ id: m[0], line: index + 1, text: line });
  });
  return out;
}
