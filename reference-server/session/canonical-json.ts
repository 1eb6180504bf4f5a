/**
 * Canonical JSON: object keys sorted at every level, so two equal values serialise to the same
 * string. The hotline.v1 session compares a retried create with the one it holds by it
 * (RESUME-11 "same body").
 */

/** JSON with object keys sorted, so equal values give equal strings (RESUME-11). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}
