/**
 * Fleet.written() (reference-server/fleet/fleet.ts), which a create waits on before it is
 * answered, on a real redis-server: it stops waiting for writes the fleet dropped because
 * Redis came back empty, instead of making every later create wait out its bound.
 */
import { Redis } from "ioredis";
import t from "tap";
import { Fleet, parseRedisUrl } from "../../../reference-server/fleet/index.js";
import { FleetKeys } from "../../../reference-server/fleet/keys.js";
import { createLogger } from "../../../reference-server/telemetry/logger.js";
import { haveRedis, RedisProcess } from "./helpers.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

t.test("writes dropped when Redis restarts empty are not waited for", async (t) => {
  if (!haveRedis(t)) return;
  const redis = await RedisProcess.start(t);
  const fleet = await Fleet.connect({
    address: parseRedisUrl(redis.url),
    logger: createLogger("silent"),
  });
  t.teardown(() => fleet.close());

  await redis.stop();
  for (let i = 0; i < 250 && fleet.refusal() === undefined; i++) await sleep(20);
  t.ok(fleet.refusal(), "the fleet saw Redis go");
  // A write that cannot be taken now (a resume token), kept for the reconnect.
  fleet.issued("tok_written_test", { id: "sess_written_test", principal: "p" });
  const waited = fleet.written(120_000).then(() => "done");

  // Redis comes back without the fleet's epoch: what was kept belongs to a store that is gone.
  await redis.restart();
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve("still waiting after 30 s"), 30_000);
  });
  const outcome = await Promise.race([waited, bound]);
  clearTimeout(timer);
  t.equal(outcome, "done", "the wait ends once the kept writes are dropped");
  for (let i = 0; i < 250 && fleet.refusal() !== undefined; i++) await sleep(20);
  t.equal(fleet.refusal(), undefined, "and new work is accepted again");

  // A later write is waited for until Redis has it, as before.
  fleet.issued("tok_written_after", { id: "sess_written_after", principal: "p" });
  await fleet.written(120_000);
  const probe = new Redis(redis.url);
  t.teardown(() => probe.disconnect());
  const key = new FleetKeys("hotline:").token("tok_written_after");
  t.ok(await probe.exists(key), "the write waited for is in Redis");
});
