/**
 * Issue 7, "What must hold": on `session.going_away` the client moves the session to a new
 * connection before the deadline (make before break) and the response in flight finishes on
 * it with its full text.
 */
import t from "tap";
import { HotlineClient } from "../../../src/client/index.js";
import { nodeSocketFactory } from "../../../src/client/node-socket.js";
import type { SocketFactory } from "../../../src/client/socket.js";
import { outputText, startTestServer, tokens, until } from "./helpers.js";

interface GoesAway {
  goAway(reason: "shutdown" | "max_age" | "maintenance", deadlineMs: number): Promise<void>;
}

t.test("going_away: the client migrates before the deadline", async (t) => {
  const server = await startTestServer({ tokensPerSecond: 300 });
  t.teardown(() => server.close());
  const opened: { resumeToken: string | undefined }[] = [];
  const node = nodeSocketFactory();
  const factory: SocketFactory = (options) => {
    opened.push({ resumeToken: options.resumeToken });
    return node(options);
  };
  const client = new HotlineClient({ url: server.wsUrl, socketFactory: factory });
  t.teardown(() => client.close());
  await client.connect();
  const stream = client.responses.create({ input: "long", ...tokens(600) });
  await until(() => stream.currentText.length > 20);

  const session = [...(server.sessions as ReadonlySet<unknown>)].find(
    (s): s is GoesAway => typeof (s as Partial<GoesAway>).goAway === "function",
  );
  if (!session) {
    t.fail("the reference server exposes no hotline.v1 session with goAway() (issue 4)");
    return;
  }
  const notice = new Promise<{ resume_token: string; deadline_ms: number }>((resolve) =>
    client.on("going_away", resolve),
  );
  const deadlineMs = 3_000;
  const announced = Date.now();
  void session.goAway("maintenance", deadlineMs);
  const away = await notice;
  await until(() => opened.length === 2);
  t.equal(opened[1]!.resumeToken, away.resume_token, "the new connection presents the new token");
  await until(() => client.state === "open" && opened.length === 2);
  t.ok(Date.now() - announced < deadlineMs, "migrated before the deadline");

  const final = await stream.finalResponse();
  t.equal(final.status, "completed");
  t.equal(await stream.text(), outputText(final), "full text across the migration");
  const after = client.responses.create({ input: "after", ...tokens(10) });
  t.equal((await after.finalResponse()).status, "completed", "the new connection serves");
});
