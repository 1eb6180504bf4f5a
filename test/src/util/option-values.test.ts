/**
 * Option values: integers, rates and words are checked strictly, and each refusal is one
 * usage line with the flag, the value and what is allowed.
 */
import t from "tap";
import {
  choiceOption,
  integerOption,
  joinNegativeValues,
  positiveNumberOption,
} from "../../../src/util/option-values.js";
import { UsageError } from "../../../src/util/usage-error.js";

t.test("integers: only plain decimal digits within the range", async (t) => {
  const rule = { min: 0, max: 65535 };
  t.equal(integerOption("port", undefined, rule), undefined, "not given");
  t.equal(integerOption("port", "0", rule), 0);
  t.equal(integerOption("port", "65535", rule), 65535);
  for (const bad of ["65536", "-1", "1.5", "", " 1", "0x10", "1e3", "Infinity", "9".repeat(20)]) {
    t.throws(
      () => integerOption("port", bad, rule),
      new UsageError(`--port must be an integer from 0 to 65535, got '${bad}'`),
      `'${bad}'`,
    );
  }
  t.throws(
    () => integerOption("token-rpm", "-2", { min: 0, note: "0: no limit" }),
    new UsageError("--token-rpm must be an integer >= 0 (0: no limit), got '-2'"),
  );
});

t.test("rates: finite numbers above zero", async (t) => {
  t.equal(positiveNumberOption("gpu-tok-s", "0.5"), 0.5);
  t.equal(positiveNumberOption("gpu-tok-s", "90"), 90);
  for (const bad of ["0", "-5", "0.0", "abc", "", "1e400", "NaN"]) {
    t.throws(
      () => positiveNumberOption("gpu-tok-s", bad),
      new UsageError(`--gpu-tok-s must be a number > 0, got '${bad}'`),
      `'${bad}'`,
    );
  }
});

t.test("words: one of the choices", async (t) => {
  t.equal(choiceOption("log-level", "warn", ["info", "warn"]), "warn");
  t.throws(
    () => choiceOption("log-level", "loud", ["info", "warn"]),
    new UsageError("--log-level must be one of info, warn, got 'loud'"),
  );
});

t.test("a negative number after a flag is joined to it", async (t) => {
  t.same(joinNegativeValues(["--queue", "-3", "--port", "0"]), ["--queue=-3", "--port", "0"]);
  t.same(joinNegativeValues(["--rate", "-.5"]), ["--rate=-.5"]);
  t.same(joinNegativeValues(["--help", "-h"]), ["--help", "-h"], "an option is not a value");
  t.same(joinNegativeValues(["--port=-1"]), ["--port=-1"], "already joined");
});
