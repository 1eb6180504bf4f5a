/**
 * Values of command-line options, checked before anything starts. A bad value is one
 * {@link UsageError} naming the flag, the value and what is allowed (exit code 2), never an
 * error thrown by a library deep inside the command, nor a server started with a value it
 * cannot honour.
 */
import { UsageError } from "./usage-error.js";

/** The longest delay a Node timer honours; a longer one fires at once (TimeoutOverflowWarning). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** What an integer option allows. */
export interface IntegerRule {
  min: number;
  /** Inclusive; default {@link Number.MAX_SAFE_INTEGER}. */
  max?: number;
  /** What a special value means, shown after the range (e.g. `0: no limit`). */
  note?: string;
}

function refuse(flag: string, value: string, allowed: string): never {
  throw new UsageError(`--${flag} must be ${allowed}, got '${value}'`);
}

function describe({ min, max = Number.MAX_SAFE_INTEGER, note }: IntegerRule): string {
  const range =
    max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
  return note === undefined ? range : `${range} (${note})`;
}

/** An integer option within its rule's range; undefined when the option was not given. */
export function integerOption(
  flag: string,
  value: string | undefined,
  rule: IntegerRule,
): number | undefined {
  if (value === undefined) return undefined;
  // Number() alone would take "", " ", "0x10" and "1e3" for numbers.
  const n = /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
  const max = rule.max ?? Number.MAX_SAFE_INTEGER;
  if (!Number.isSafeInteger(n) || n < rule.min || n > max) refuse(flag, value, describe(rule));
  return n;
}

/** A finite number greater than zero (a rate); undefined when the option was not given. */
export function positiveNumberOption(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = /^-?(\d+(\.\d*)?|\.\d+)$/.test(value) ? Number(value) : Number.NaN;
  if (!(n > 0 && Number.isFinite(n))) refuse(flag, value, "a number > 0");
  return n;
}

/** One of a fixed set of words; undefined when the option was not given. */
export function choiceOption<T extends string>(
  flag: string,
  value: string | undefined,
  choices: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (!(choices as readonly string[]).includes(value)) {
    refuse(flag, value, `one of ${choices.join(", ")}`);
  }
  return value as T;
}

/**
 * Joins `--flag -5` into `--flag=-5`, so a negative number reaches the value check instead of
 * `util.parseArgs` taking it for an option ("argument is ambiguous"). A flag that takes no
 * value still fails, as "does not take an argument".
 */
export function joinNegativeValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    if (
      arg.startsWith("--") &&
      !arg.includes("=") &&
      next !== undefined &&
      /^-(\d|\.\d)/.test(next)
    ) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}
