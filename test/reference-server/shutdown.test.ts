/**
 * Graceful shutdown of `hotline serve` (issue 8): on SIGTERM a hotline.v1 client gets
 * `session.going_away` with a deadline, every response in flight ends with a truthful terminal
 * event (completed within the grace period, else `response.incomplete` with reason
 * `cancelled`), then the connection closes with 4001 and the process exits 0.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import t, { type Test } from "tap";
import { ROOT } from "../helpers/repo.js";
import { openHotline, terminalOf } from "./helpers/hotline.js";

/** Starts `hotline serve --port 0` as a child with extra flags; resolves with its ws URL. */
async function serve(t: Test, flags: string[]): Promise<{ child: ChildProcess; wsUrl: string }> {
  const argv = JSON.stringify(["serve", "--port", "0", "--log-level", "silent", ...flags]);
  const child = spawn(
    process.execPath,
    [
      "--import=tsx",
      "-e",
      `import('./src/cli/main.ts').then(m => m.main(${argv})).then(c => process.exit(c))`,
    ],
    { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] },
  );
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  const lines = createInterface({ input: child.stdout! });
  const [first] = (await once(lines, "line")) as [string];
  const url = /listening on http:\/\/(\S+)/.exec(first)?.[1];
  if (!url) throw new Error(`unexpected first line: ${first}`);
  return { child, wsUrl: `ws://${url}/v1/responses` };
}

const create = (id: string, tokens: number) => ({
  type: "response.create",
  input: "x",
  client_request_id: id,
  metadata: { "sim.output_tokens": String(tokens) },
});

t.test("SIGTERM: a response that fits the grace period completes, then 4001, exit 0", async (t) => {
  // 1,200 tokens at 400 tok/s take 3 s: long enough that SIGTERM reaches a busy child while
  // the response still runs, short enough to fit the 10 s grace period.
  const { child, wsUrl } = await serve(t, [
    "--shutdown-grace-ms",
    "10000",
    "--wafer-tok-s",
    "400",
    "--wafer-burst-tok-s",
    "400",
  ]);
  const { socket } = await openHotline(wsUrl);
  socket.send(create("short", 1200));
  const created = await socket.next("response.created");
  await socket.next("response.output_text.delta");
  child.kill("SIGTERM");
  const away = await socket.next("session.going_away");
  t.equal(away.reason, "shutdown");
  t.ok(away.deadline_ms > 0 && away.deadline_ms <= 10_000, `deadline ${away.deadline_ms} ms`);
  const terminal = await terminalOf(socket, created.response.id);
  t.equal(terminal.type, "response.completed", "finished within the grace period");
  const closed = await socket.closed;
  t.equal(closed.code, 4001);
  const order = socket.recorder.events.map((e) => e.type);
  t.ok(
    order.indexOf("session.going_away") < order.indexOf("response.completed"),
    "going_away came first",
  );
  const [code] = (await once(child, "exit")) as [number | null];
  t.equal(code, 0, "exits 0");
  socket.recorder.assertClean();
});

t.test("SIGTERM: a response past the grace period ends incomplete (cancelled)", async (t) => {
  const { child, wsUrl } = await serve(t, [
    "--shutdown-grace-ms",
    "300",
    "--wafer-tok-s",
    "200",
    "--wafer-burst-tok-s",
    "200",
  ]);
  const { socket } = await openHotline(wsUrl);
  socket.send(create("long", 50_000));
  const created = await socket.next("response.created");
  await socket.next("response.output_text.delta");
  const sentAt = performance.now();
  child.kill("SIGTERM");
  const away = await socket.next("session.going_away");
  t.equal(away.reason, "shutdown");
  t.ok(away.deadline_ms > 0, `deadline ${away.deadline_ms} ms`);
  const terminal = await terminalOf(socket, created.response.id);
  t.match(
    terminal,
    { type: "response.incomplete", response: { incomplete_details: { reason: "cancelled" } } },
    "a truthful terminal event",
  );
  t.ok(performance.now() - sentAt >= 250, "not before the grace period");
  const closed = await socket.closed;
  t.equal(closed.code, 4001);
  const last = socket.recorder.events.at(-1);
  t.equal(last?.type, "error", "the last frame is the shutdown error");
  t.match(last, { error: { code: "server_shutting_down" } });
  const [code] = (await once(child, "exit")) as [number | null];
  t.equal(code, 0, "exits 0");
  socket.recorder.assertClean();
});
