/**
 * Numeric `sim.*` hints are range-checked before anything starts (SIM-17, issue 18): a huge
 * `sim.delay_ms` once overflowed Node's timer (a warning every millisecond, a busy scheduler
 * long after the client left). Refused as `invalid_event` whose `param` points at the hint.
 */
import t from "tap";
import { type RunningServer, startServer } from "../../../reference-server/index.js";
import {
  HINT_MAXIMA,
  hintOutOfRange,
  parseHints,
} from "../../../reference-server/backend/index.js";
import { TestSocket } from "../helpers/clients.js";

let server: RunningServer;
t.before(async () => {
  server = await startServer({ logLevel: "silent" });
});
t.teardown(() => server.close());

t.test("hintOutOfRange names the first numeric hint outside its range", (t) => {
  t.equal(hintOutOfRange(undefined), undefined);
  t.equal(hintOutOfRange({ "sim.delay_ms": "600", "sim.output_tokens": "20" }), undefined);
  t.equal(hintOutOfRange({ "sim.delay_ms": "soon" }), undefined, "not a number: ignored");
  t.equal(hintOutOfRange({ "sim.delay_ms": "1e12" })?.key, "sim.delay_ms");
  t.equal(hintOutOfRange({ "sim.delay_ms": "-5" })?.key, "sim.delay_ms");
  t.equal(hintOutOfRange({ "sim.delay_ms": "Infinity" })?.key, "sim.delay_ms");
  t.equal(hintOutOfRange({ "sim.output_tokens": "1e300" })?.key, "sim.output_tokens");
  t.equal(hintOutOfRange({ "sim.error_after_tokens": "-1" })?.key, "sim.error_after_tokens");
  // Defence in depth: the backend's own parse never yields a delay past the maximum.
  t.equal(parseHints({ "sim.delay_ms": "1e12" }).delayMs, HINT_MAXIMA["sim.delay_ms"]);
  t.end();
});

t.test("over HTTP: 400 invalid_event with param /metadata/<key>, nothing started", async (t) => {
  const res = await fetch(`${server.url}/v1/responses`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ input: "hi", metadata: { "sim.delay_ms": "99999999999999" } }),
  });
  t.equal(res.status, 400);
  const body = await res.json();
  t.equal(body.error.code, "invalid_event");
  t.equal(body.error.param, "/metadata/sim.delay_ms");
  t.equal(server.service.store.liveCount, 0);
});

t.test("over WebSocket: an error event, no response.created", async (t) => {
  const socket = await TestSocket.open(server.wsUrl);
  t.teardown(() => socket.close());
  socket.send({
    type: "response.create",
    input: "hi",
    metadata: { "sim.output_tokens": "1e300" },
  });
  const first = await socket.matching((e) => e.type === "error" || e.type === "response.created");
  t.equal(first.type, "error");
  if (first.type === "error") {
    t.equal(first.error.code, "invalid_event");
    t.equal(first.error.param, "/metadata/sim.output_tokens");
  }
});
