/**
 * Sessions held for a resume are counted per principal (RESUME-15, issue 18): a token that
 * opens and drops hotline.v1 connections holds at most `maxDetachedSessions` of them; the
 * oldest is discarded past that (its resume gets `resume_expired`), the newest still resume.
 * They were not counted: 8,000 opened and dropped were all held for the whole resume window.
 */
import t from "tap";
import { startServer } from "../../../reference-server/index.js";
import { DetachedSessions } from "../../../reference-server/session/detached-sessions.js";
import { openHotline, sessionOf } from "../helpers/hotline.js";

t.test("DetachedSessions discards the oldest past the bound, per principal", (t) => {
  const make = (principal: string) => {
    const s = { principal, discarded: false, discard: () => (s.discarded = true) };
    return s;
  };
  const held = new DetachedSessions<ReturnType<typeof make>>(2);
  const [a, b, c] = [make("p"), make("p"), make("p")];
  const other = make("q");
  held.detached(a);
  held.detached(b);
  held.detached(other);
  t.equal(held.count("p"), 2);
  held.attached(a); // resumed: no longer counted
  held.detached(c);
  t.notOk(a.discarded || b.discarded || c.discarded);
  held.detached(a); // dropped again: now the newest
  t.ok(b.discarded, "the oldest detached session of p is discarded");
  t.notOk(other.discarded, "another principal's sessions do not count");
  t.equal(held.count("p"), 2);
  t.end();
});

t.test("a principal's dropped sessions past the bound cannot be resumed", async (t) => {
  const server = await startServer({ logLevel: "silent", maxDetachedSessions: 3 });
  t.teardown(() => server.close());
  const tokens: string[] = [];
  for (let i = 0; i < 5; i++) {
    const { socket, first } = await openHotline(server.wsUrl);
    tokens.push(sessionOf(first).resume_token);
    socket.close();
    await socket.closed;
  }
  // Closing is seen by the server a little later: wait until only the bound is held.
  while (server.websocket.registry.size > 3) await new Promise((r) => setTimeout(r, 5));
  t.equal(server.websocket.registry.size, 3, "three sessions held, not five");
  const resume = async (token: string) => {
    const { socket, first } = await openHotline(server.wsUrl, {
      headers: { "Hotline-Resume-Token": token },
    });
    socket.close();
    return first.type;
  };
  t.equal(await resume(tokens[0]!), "session.created", "the oldest was discarded");
  t.equal(await resume(tokens[4]!), "session.resumed", "the newest resumes");
});
