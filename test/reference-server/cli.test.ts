/**
 * `hotline serve` as a process: --help, printing its URL on port 0, serving, and a clean stop
 * on SIGTERM and SIGINT.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import t from "tap";
import { main } from "../../src/cli/main.js";
import { ROOT } from "../helpers/repo.js";

t.test("serve --help", async (t) => {
  const lines: string[] = [];
  const original = console.log;
  console.log = (line: string) => lines.push(line);
  try {
    t.equal(await main(["serve", "--help"]), 0);
  } finally {
    console.log = original;
  }
  t.match(lines.join("\n"), /--port/);
  t.match(lines.join("\n"), /--token/);
});

t.test("a bad flag is a usage error", async (t) => {
  const original = console.error;
  console.error = () => {};
  try {
    t.equal(await main(["serve", "--bogus"]), 2);
  } finally {
    console.error = original;
  }
});

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  t.test(`serve prints its URL, serves, and stops on ${signal}`, async (t) => {
    const child = spawn(
      process.execPath,
      [
        "--import=tsx",
        "-e",
        "import('./src/cli/main.ts').then(m => m.main(['serve','--port','0','--log-level','silent'])).then(c => process.exit(c))",
      ],
      { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] },
    );
    const lines = createInterface({ input: child.stdout! });
    const [first] = (await once(lines, "line")) as [string];
    const url = /listening on (http:\/\/\S+)/.exec(first)?.[1];
    t.ok(url, first);
    const health = await fetch(`${url}/healthz`);
    t.equal(health.status, 200);
    child.kill(signal);
    const [code] = (await once(child, "exit")) as [number | null];
    t.equal(code, 0, "exits cleanly");
  });
}
