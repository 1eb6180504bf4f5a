/**
 * Reads the numbered requirements out of `spec/`: the one parser the tests, the conformance
 * runner and the docs share, so "every MUST is cited" means the same thing everywhere.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** One numbered requirement of the specification. */
export interface Requirement {
  /** Anchor id, e.g. `STREAM-3`. */
  id: string;
  /** The BCP 14 level the sentence uses. */
  level: "MUST" | "MUST NOT" | "SHOULD" | "SHOULD NOT" | "MAY";
  /** `core` (both profiles), `hotline.v1` or `http`. */
  profile: string;
  /** The sentence, markdown emphasis removed. */
  text: string;
  /** The spec page, e.g. `streaming.md`. */
  page: string;
  /**
   * The rule was withdrawn: its line reads "Withdrawn (date). It read: <the old sentence>…",
   * keeping the id (never reused) and the old level; nothing may cite it any more.
   */
  withdrawn: boolean;
}

const LINE = /^- <a id="([A-Z]+-\d+)"><\/a>\*\*\1\*\* \(([a-z0-9.]+)\) (.+)$/;
const LEVEL = /\*\*(MUST NOT|MUST|SHOULD NOT|SHOULD|MAY)\*\*/;

/** Parses one page's requirement lines. */
export function parseRequirements(page: string, markdown: string): Requirement[] {
  const out: Requirement[] = [];
  for (const line of markdown.split("\n")) {
    const m = LINE.exec(line.trim());
    if (!m) continue;
    const [, id, profile, rest] = m as unknown as [string, string, string, string];
    const level = LEVEL.exec(rest)?.[1] as Requirement["level"] | undefined;
    if (!level) throw new Error(`spec/${page}: ${id} has no BCP 14 keyword in bold capitals`);
    const text = rest.replaceAll("**", "").trim();
    out.push({ id, level, profile, page, text, withdrawn: text.startsWith("Withdrawn") });
  }
  return out;
}

/** Every requirement of every page in `specDir`, in page order. */
export function loadRequirements(specDir: string): Requirement[] {
  return readdirSync(specDir)
    .filter((f) => f.endsWith(".md"))
    .sort()
    .flatMap((page) => parseRequirements(page, readFileSync(join(specDir, page), "utf8")));
}
