/**
 * A function tool whose call takes a while to generate: the simulated model fills `paths` with
 * at least `minItems` entries, so a test can act (steer, interrupt, resume) while the call's
 * arguments stream.
 */
export function listFilesTool(minItems = 200) {
  return {
    type: "function" as const,
    name: "list_files",
    parameters: {
      type: "object",
      properties: { paths: { type: "array", items: { type: "string" }, minItems } },
      required: ["paths"],
    },
  };
}
