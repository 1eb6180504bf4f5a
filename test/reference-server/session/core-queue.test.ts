/**
 * The core profile's queue of creates waiting behind the one in flight is bounded (RESP-30,
 * issue 18): past 16, a create is refused with `server_overloaded` carrying its `event_id`,
 * and the waiting ones still run in order. It was unbounded: 160 creates of 900 KiB were held
 * (+144 MiB) with no error. Virtual time keeps the first response in flight.
 */
import t from "tap";
import { startServer } from "../../../reference-server/index.js";
import { VirtualClock } from "../../../reference-server/backend/index.js";
import { DEFAULT_MAX_QUEUED_CREATES } from "../../../reference-server/session/session.js";
import { TestSocket } from "../helpers/clients.js";

t.test("creates past the bound are refused with server_overloaded", async (t) => {
  const clock = new VirtualClock();
  const server = await startServer({ logLevel: "silent", backend: { clock } });
  t.teardown(() => server.close());
  const socket = await TestSocket.open(server.wsUrl);
  t.teardown(() => socket.close());
  const extra = 4;
  for (let i = 0; i <= DEFAULT_MAX_QUEUED_CREATES + extra; i++) {
    socket.send({
      type: "response.create",
      event_id: `c${i}`,
      input: "hi",
      metadata: { "sim.output_tokens": "2" },
    });
  }
  for (let i = 0; i < extra; i++) {
    const error = await socket.next("error");
    t.equal(error.error.code, "server_overloaded");
  }
  const first = DEFAULT_MAX_QUEUED_CREATES + 1;
  // The one in flight and every waiting one still complete.
  let completed = 0;
  socket.ws.on("message", (data) => {
    if (String(data).includes('"type":"response.completed"')) completed++;
  });
  for (let i = 0; i < 100_000 && completed < first; i++) {
    clock.advance(5);
    await new Promise((resolve) => setImmediate(resolve));
  }
  t.equal(socket.recorder.ofType("response.completed").length, first);
  t.equal(socket.recorder.ofType("error").length, extra, "only the creates past the bound");
  socket.recorder.assertClean();
});
