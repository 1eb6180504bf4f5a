/**
 * The subcommand table. The CLI is the composition root: it is the one place in `src/` that
 * may reach into `reference-server/`, `conformance/` and `bench/`, and it does so lazily.
 */

/** What a subcommand module exports. */
export interface CommandModule {
  /** Runs the subcommand; resolves to the exit code. */
  run(argv: string[]): Promise<number>;
}

/** One row of `hotline --help`. */
export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<CommandModule>;
}

/** Every subcommand, in the order `--help` lists them. */
export const commands: CommandEntry[] = [
  {
    name: "serve",
    summary:
      "run the reference server (WebSocket core and hotline.v1 profiles, HTTP, playground at /)",
    load: () => import("../../reference-server/cli.js"),
  },
  {
    name: "conform",
    summary:
      "check a server against the spec, case by case (no URL: the embedded reference server)",
    load: () => import("./conform.js"),
  },
  {
    name: "bench",
    summary: "latency benchmark: HTTPS per request vs keep-alive vs WebSocket vs hotline.v1",
    load: () => import("../../bench/cli.js"),
  },
];
