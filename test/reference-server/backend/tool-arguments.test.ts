/**
 * Simulated function-call arguments hold exactly what the call needs (SIM-14): the required
 * properties, recursively, with whole numbers, across many seeds.
 */
import t from "tap";
import { SeededRandom } from "../../../reference-server/backend/random.js";
import { sampleArguments } from "../../../reference-server/backend/tool-arguments.js";

const EXEC_COMMAND = {
  type: "object",
  properties: {
    cmd: { type: "string" },
    workdir: { type: "string" },
    shell: { type: "string" },
    yield_time_ms: { type: "number" },
    limits: {
      type: "object",
      properties: { max_output_tokens: { type: "number" }, tty: { type: "boolean" } },
      required: ["max_output_tokens"],
    },
  },
  required: ["cmd", "yield_time_ms", "limits"],
  additionalProperties: false,
};

t.test("only required properties, recursively, and whole numbers", async (t) => {
  for (let seed = 1; seed <= 50; seed++) {
    const args = sampleArguments(EXEC_COMMAND, new SeededRandom(seed)) as Record<string, unknown>;
    t.same(Object.keys(args).sort(), ["cmd", "limits", "yield_time_ms"], `seed ${seed}: keys`);
    t.ok(Number.isInteger(args.yield_time_ms), `seed ${seed}: yield_time_ms is whole`);
    const limits = args.limits as Record<string, unknown>;
    t.same(Object.keys(limits), ["max_output_tokens"], `seed ${seed}: nested keys`);
    t.ok(Number.isInteger(limits.max_output_tokens), `seed ${seed}: nested number is whole`);
  }
});

t.test("a schema without required properties gives an empty object", async (t) => {
  t.same(
    sampleArguments({ type: "object", properties: { a: { type: "string" } } }, new SeededRandom(3)),
    {},
  );
});
