/**
 * `hotline bench --fleet 2`, briefly, with a real redis-server and a real nginx: the fleet
 * series run beside the one-server series, HTTPS requests reach both instances (each
 * instance's own records say which ran a turn), each WebSocket stays on one instance, and the
 * report validates against bench/report.schema.json. Without redis-server or nginx the test is
 * skipped with a one-line notice, except under CI, where it fails.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import t from "tap";
import { findNginx, nginxConfig } from "../../bench/nginx.js";
import { haveRedisServer } from "../../bench/redis-server.js";
import { buildReport } from "../../bench/report.js";
import { runBench } from "../../bench/runner.js";
import { renderTable } from "../../bench/table.js";
import { ROOT } from "../helpers/repo.js";

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

t.test(
  "the nginx configuration: round robin, keep-alive upstreams, upgrades, no buffering",
  async (t) => {
    const conf = nginxConfig({
      upstreams: ["127.0.0.1:4001", "127.0.0.1:4002"],
      tls: { key: "k", cert: "c" },
      port: 4443,
      dir: "/tmp/x",
    });
    t.match(conf, /upstream hotline \{\s+server 127\.0\.0\.1:4001;\s+server 127\.0\.0\.1:4002;/);
    t.notMatch(conf, /least_conn|ip_hash|hash /, "round robin, nginx's default");
    t.match(conf, /keepalive \d+;/);
    t.match(conf, /listen 127\.0\.0\.1:4443 ssl;/);
    t.match(conf, /ssl_protocols TLSv1\.3;/);
    t.match(conf, /proxy_http_version 1\.1;/);
    t.match(conf, /proxy_set_header Upgrade \$http_upgrade;/);
    t.match(conf, /proxy_set_header Connection \$connection_upgrade;/);
    t.match(conf, /"" "";/, "no Upgrade: an empty Connection header, so the upstream stays open");
    t.match(conf, /proxy_buffering off;/);
    t.match(conf, /error_log \/tmp\/x\/error\.log/);
  },
);

const missing = [haveRedisServer() ? "" : "redis-server", findNginx() ? "" : "nginx"].filter(
  Boolean,
);

t.test("--fleet 2: both instances serve, WebSockets stay put, the report validates", async (t) => {
  if (missing.length > 0) {
    const notice = `${missing.join(" and ")} not found: install them (Debian/Ubuntu: apt-get install ${missing.join(" ")}) to run the fleet bench test`;
    if (process.env.CI) t.fail(`${notice} (CI never skips it)`);
    else t.plan(0, notice);
    return;
  }
  const raw = await runBench({
    rttMs: [2],
    turns: 4,
    reps: 1,
    warmupTurns: 1,
    transports: ["https-per-request", "wss"],
    fleet: 2,
  });
  const report = buildReport(raw, { version: "test", command: "test" });
  const schema = JSON.parse(
    readFileSync(join(ROOT, "bench", "report.schema.json"), "utf8"),
  ) as object;
  const ajv = new Ajv2020({ strict: true });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  t.ok(validate(report), JSON.stringify(validate.errors?.slice(0, 3)));

  t.same(
    report.runs.map((r) => [r.deployment.kind, r.deployment.instances]),
    [
      ["single", 1],
      ["fleet", 2],
    ],
    "the one-server run and the fleet run, side by side",
  );
  const [single, fleet] = report.runs;
  for (const run of [single!, fleet!]) {
    for (const s of run.series) {
      t.equal(s.status, "ok", `${run.deployment.kind} ${s.transport}: ${s.reason}`);
      t.equal(s.errors, 0);
      const turns = s.repetitions[0]!.turns;
      t.equal(turns.length, 4);
      t.ok(
        turns.every((x) => x.server_overhead_ms !== null && x.server_overhead_ms > 0),
        `${run.deployment.kind} ${s.transport}: every turn's server ms was found on an instance`,
      );
    }
  }
  t.same(single!.series[0]!.instance_turns, [4], "one server ran every turn");

  const perRequest = fleet!.series.find((s) => s.transport === "https-per-request")!;
  t.equal(perRequest.instance_turns.length, 2);
  t.ok(
    perRequest.instance_turns.every((n) => n > 0),
    `HTTPS requests reached both instances: ${perRequest.instance_turns.join(" + ")}`,
  );
  t.equal(
    perRequest.instance_turns.reduce((a, b) => a + b, 0),
    4,
    "each turn was run by exactly one instance",
  );
  const ws = fleet!.series.find((s) => s.transport === "wss")!;
  t.same(
    [...ws.instance_turns].sort((a, b) => a - b),
    [0, 4],
    `the WebSocket stayed on one instance: ${ws.instance_turns.join(" + ")}`,
  );
  const cpu = perRequest.repetitions[0]!.totals;
  t.equal(cpu.instance_cpu_us.length, 2);
  t.ok(
    cpu.instance_cpu_us.every((us) => us > 0),
    `both instances spent CPU: ${cpu.instance_cpu_us}`,
  );
  t.ok(
    Math.abs(cpu.instance_cpu_us.reduce((a, b) => a + b, 0) - cpu.server_cpu_us) < 1,
    "server_cpu_us is the instances' sum",
  );
  const infra = perRequest.repetitions[0]!.fleet_cpu_us;
  t.ok(infra && infra.balancer >= 0 && infra.store >= 0, "nginx and redis CPU were read");
  t.equal(single!.series[0]!.repetitions[0]!.fleet_cpu_us, null);
  t.match(renderTable(report), /fleet of 2 vs one server/);
});
