/**
 * The requirements of `spec/`, indexed by anchor, so every report quotes the sentence the
 * specification holds today instead of a copy that could drift.
 */
import { join } from "node:path";
import { loadRequirements, type Requirement } from "../src/spec/requirements.js";
import { packageRoot } from "../src/util/package-root.js";

/** Requirements by anchor, with the helpers reports need. */
export class SpecIndex {
  readonly byId: ReadonlyMap<string, Requirement>;

  constructor(readonly requirements: Requirement[]) {
    this.byId = new Map(requirements.map((r) => [r.id, r]));
  }

  /** Loads every requirement of `specDir` (default: the package's `spec/`). */
  static load(specDir = join(packageRoot(), "spec")): SpecIndex {
    return new SpecIndex(loadRequirements(specDir));
  }

  /** The requirement behind an anchor; throws on an unknown anchor (a case citing nothing real). */
  get(anchor: string): Requirement {
    const r = this.byId.get(anchor);
    if (!r) throw new Error(`unknown requirement anchor ${anchor}: not found in spec/`);
    return r;
  }

  /** `spec/<page>#<anchor>`, the link every report prints. */
  link(anchor: string): string {
    return `spec/${this.get(anchor).page}#${anchor}`;
  }

  /** True when the anchor's keyword is must-level (MUST or MUST NOT). */
  isMust(anchor: string): boolean {
    return this.get(anchor).level.startsWith("MUST");
  }
}
