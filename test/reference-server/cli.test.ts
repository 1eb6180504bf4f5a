/**
 * `hotline serve` as a process: --help, printing its URL on port 0, serving, a clean stop on
 * SIGTERM and SIGINT, and every bad option value refused in one usage line before anything
 * starts.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import t from "tap";
import WebSocket from "ws";
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

/** Runs `hotline serve` in-process with bad values; stops it at once should it start anyway. */
async function serveRefused(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const { log, error } = console;
  console.log = (...parts: unknown[]) => {
    const line = parts.join(" ");
    out.push(line);
    // A server that started despite the value: stop it so the test fails instead of hanging.
    if (line.startsWith("listening on")) setImmediate(() => process.emit("SIGTERM"));
  };
  console.error = (...parts: unknown[]) => err.push(parts.join(" "));
  try {
    const code = await main(["serve", "--log-level", "silent", ...args]).catch((e: Error) => {
      err.push(`threw: ${e.message}`);
      return 1;
    });
    return { code, out, err };
  } finally {
    console.log = log;
    console.error = error;
  }
}

t.test("each bad value is one usage line naming flag, value and what is allowed", async (t) => {
  const cases: [flag: string, value: string, allowed: RegExp][] = [
    ["--port", "99999", /integer from 0 to 65535/],
    ["--port", "-1", /integer from 0 to 65535/],
    ["--port", "8080.5", /integer from 0 to 65535/],
    ["--port", "", /integer from 0 to 65535/],
    ["--log-level", "loud", /one of fatal, error, warn, info, debug, trace, silent/],
    ["--wafer-tok-s", "-5", /number > 0/],
    ["--wafer-tok-s", "0", /number > 0/],
    ["--wafer-tok-s", "fast", /number > 0/],
    ["--wafer-burst-tok-s", "-5", /number > 0/],
    ["--gpu-tok-s", "-5", /number > 0/],
    ["--gpu-tok-s", "0", /number > 0/],
    ["--wafer-slots", "0", /integer >= 1/],
    ["--gpu-slots", "2.5", /integer >= 1/],
    ["--queue", "-3", /integer >= 0/],
    ["--wafer-burst", "sometimes", /one of off, always, speculative/],
    ["--context-window", "0", /integer >= 1/],
    ["--delta-interval-ms", "-1", /integer from 0 to 1000/],
    ["--delta-interval-ms", "2.5", /integer from 0 to 1000/],
    ["--max-message-bytes", "0", /integer >= 1/],
    ["--max-age-ms", "0", /integer from 1 to 2147483647/],
    ["--max-age-ms", "99999999999", /integer from 1 to 2147483647/],
    ["--max-in-flight", "0", /integer >= 1/],
    ["--resume-window-ms", "-1", /integer from 0 to 2147483647/],
    ["--heartbeat-ms", "0", /integer from 1 to 2147483647/],
    ["--requests-per-minute", "0", /integer >= 1/],
    ["--shutdown-grace-ms", "soon", /integer from 0 to 2147483647/],
    ["--token-rpm", "1.5", /integer >= 0 \(0: no limit\)/],
    ["--token-tpm", "-1", /integer >= 0 \(0: no limit\)/],
    ["--token-connections", "0x10", /integer >= 0/],
    ["--token-in-flight", "1e3", /integer >= 0/],
    ["--model", "two words", /1 to 128 characters without spaces/],
    ["--model", "", /1 to 128 characters without spaces/],
  ];
  for (const [flag, value, allowed] of cases) {
    const { code, out, err } = await serveRefused(["--port", "0", flag, value]);
    const label = `${flag} '${value}'`;
    t.equal(code, 2, `${label}: the usage exit code`);
    t.equal(err.length, 1, `${label}: one line`);
    const line = err.join("\n");
    t.ok(line.includes(flag) && line.includes(`'${value}'`), `${label}: named (${line})`);
    t.match(line, allowed, `${label}: what is allowed`);
    t.notOk(line.includes("\n"), `${label}: a single line`);
    t.same(out, [], `${label}: nothing started`);
  }
});

t.test("a valid value at each bound is accepted", async (t) => {
  // Parsed, checked and started: --help after the values would skip the check, so start and
  // stop a real server on port 0 with every bound.
  const child = spawn(
    process.execPath,
    [
      "--import=tsx",
      "-e",
      `import('./src/cli/main.ts').then(m => m.main(${JSON.stringify([
        "serve",
        "--port",
        "0",
        "--log-level",
        "silent",
        "--wafer-tok-s",
        "0.5",
        "--queue",
        "0",
        "--context-window",
        "1",
        "--delta-interval-ms",
        "0",
        "--max-age-ms",
        "2147483647",
        "--resume-window-ms",
        "0",
        "--token-rpm",
        "0",
        "--max-message-bytes",
        "65536",
        "--model",
        "wafer-coder",
        "--model",
        "wafer-coder-mini",
      ])})).then(c => process.exit(c))`,
    ],
    { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] },
  );
  t.teardown(() => {
    if (child.exitCode === null) child.kill("SIGKILL");
  });
  const lines = createInterface({ input: child.stdout! });
  const [first] = (await once(lines, "line")) as [string];
  const url = /listening on (http:\/\/\S+)/.exec(first)?.[1];
  t.ok(url, first);
  // --max-message-bytes is the hotline.v1 limit too (it used to stay at 4 MiB).
  const ws = new WebSocket(`${url!.replace("http", "ws")}/v1/responses`, ["hotline.v1"]);
  const [data] = (await once(ws, "message")) as [Buffer];
  const created = JSON.parse(data.toString()) as {
    type: string;
    session: { limits: { max_message_bytes: number; context_window_tokens: number } };
  };
  t.equal(created.type, "session.created");
  t.equal(created.session.limits.max_message_bytes, 65536, "the advertised limit is the flag's");
  t.equal(created.session.limits.context_window_tokens, 1);
  ws.close();
  // --model, repeated: the served list, the first the default.
  const models = (await (await fetch(`${url}/v1/models`)).json()) as { data: { id: string }[] };
  t.same(
    models.data.map((m) => m.id),
    ["wafer-coder", "wafer-coder-mini"],
  );
  child.kill("SIGTERM");
  const [code] = (await once(child, "exit")) as [number | null];
  t.equal(code, 0);
});
