/**
 * The `hotline` command: a thin dispatcher. Each subcommand lives in its own module and is
 * loaded only when invoked, so `hotline --help` stays fast and the library never pulls in
 * the server or the runner.
 */
import { parseArgs } from "node:util";
import { packageVersion } from "../util/package-root.js";
import { type CommandModule, commands } from "./commands.js";
import { UsageError } from "../util/usage-error.js";

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    "Usage: hotline <command> [options]",
    "",
    "Hotline: persistent-session protocol for real-time AI, its reference server,",
    "conformance runner and benchmark.",
    "",
    "Commands:",
    ...lines,
    "",
    "Options:",
    "  -h, --help     show this help (or `hotline <command> --help`)",
    "  -v, --version  print the version",
  ].join("\n");
}

/** Runs the CLI with the given arguments and resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first.startsWith("-")) {
    let values: { help?: boolean; version?: boolean };
    try {
      ({ values } = parseArgs({
        args: argv,
        options: {
          help: { type: "boolean", short: "h" },
          version: { type: "boolean", short: "v" },
        },
        strict: true,
      }));
    } catch (error) {
      console.error(`hotline: ${(error as Error).message}; see \`hotline --help\``);
      return 2;
    }
    if (values.version) {
      console.log(packageVersion());
      return 0;
    }
    console.log(usage());
    return values.help ? 0 : 2;
  }
  const command = commands.find((c) => c.name === first);
  if (!command) {
    console.error(`hotline: unknown command '${first}'; run \`hotline --help\` for the list`);
    return 2;
  }
  let module: CommandModule;
  try {
    module = await command.load();
  } catch (error) {
    console.error(`hotline: could not load '${first}': ${(error as Error).message}`);
    return 1;
  }
  try {
    return await module.run(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`hotline ${first}: ${error.message}; see \`hotline ${first} --help\``);
      return 2;
    }
    throw error;
  }
}
