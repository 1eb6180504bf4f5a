/**
 * The HTTP edges a peer controls (issue 18): an oversized body is answered 413, not reset
 * (HTTP-7); every API answer says `Cache-Control: no-store` (HTTP-22); slow header senders are
 * cut by the server's own timeout (HTTP-21), oversized headers get 431; a client that aborts is not a server error in
 * the log; the origin allowlist guards HTTP requests too (HTTP-20).
 */
import { connect, type Socket } from "node:net";
import { Writable } from "node:stream";
import { pino } from "pino";
import t from "tap";
import { type RunningServer, startServer } from "../../../reference-server/index.js";

function post(server: RunningServer, body: BodyInit, headers: Record<string, string> = {}) {
  return fetch(`${server.url}/v1/responses`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
    duplex: "half",
  } as RequestInit);
}

/** Resolves with everything the server sent once it closes the socket. */
function untilClosed(socket: Socket): Promise<string> {
  let text = "";
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => (text += chunk));
  return new Promise((resolve) => socket.on("close", () => resolve(text)));
}

t.test("an oversized body gets 413 message_too_large as JSON, not a reset", async (t) => {
  const server = await startServer({ logLevel: "silent", maxMessageBytes: 1000 });
  t.teardown(() => server.close());
  // Declared length past the limit: refused before any of it is buffered.
  const declared = await post(server, "x".repeat(200_000));
  t.equal(declared.status, 413);
  t.equal((await declared.json()).error.code, "message_too_large");
  // No declared length (chunked): refused once the count passes the limit.
  const chunked = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < 40; i++) controller.enqueue(new Uint8Array(50_000).fill(32));
      controller.close();
    },
  });
  const streamed = await post(server, chunked);
  t.equal(streamed.status, 413);
  const body = await streamed.json();
  t.equal(body.error.code, "message_too_large");
  t.equal(body.error.type, "invalid_request_error");
  // The server still answers on a fresh request.
  const ok = await post(
    server,
    JSON.stringify({ input: "hi", metadata: { "sim.output_tokens": "2" } }),
  );
  t.equal(ok.status, 200);
});

t.test("every API answer carries Cache-Control: no-store", async (t) => {
  const server = await startServer({ logLevel: "silent" });
  t.teardown(() => server.close());
  const json = await post(
    server,
    JSON.stringify({ input: "hi", metadata: { "sim.output_tokens": "2" } }),
  );
  t.equal(json.headers.get("cache-control"), "no-store", "JSON create");
  const id = (await json.json()).id as string;
  const got = await fetch(`${server.url}/v1/responses/${id}`);
  t.equal(got.headers.get("cache-control"), "no-store", "GET by id");
  await got.arrayBuffer();
  const sse = await post(
    server,
    JSON.stringify({ input: "hi", stream: true, metadata: { "sim.output_tokens": "2" } }),
  );
  t.equal(sse.headers.get("cache-control"), "no-store", "SSE");
  await sse.text();
  const refused = await post(server, "{nope");
  t.equal(refused.status, 400);
  t.equal(refused.headers.get("cache-control"), "no-store", "error");
  await refused.arrayBuffer();
  const missing = await fetch(`${server.url}/v1/responses/resp_nope`);
  t.equal(missing.headers.get("cache-control"), "no-store", "404");
  await missing.arrayBuffer();
});

t.test("a client that never finishes its headers is answered 408 and cut", async (t) => {
  const server = await startServer({ logLevel: "silent", headersTimeoutMs: 200 });
  t.teardown(() => server.close());
  t.equal(server.httpServer.headersTimeout, 200);
  t.ok(server.httpServer.requestTimeout >= 200);
  const socket = connect(server.port, server.host);
  const closed = untilClosed(socket);
  socket.write("POST /v1/responses HTTP/1.1\r\nHost: x\r\nX-Slow: ");
  // Event-driven: the server closes the socket; without a deliberate timeout that is Node's
  // default (60 s), past this test's timeout.
  t.match(await closed, /^HTTP\/1\.1 408/);
});

t.test("a client that aborts mid-body is logged below error, without a stack", async (t) => {
  const lines: Record<string, unknown>[] = [];
  let logged: (() => void) | undefined;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n")) {
        if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      if (lines.some((l) => /request (aborted|failed)/.test(String(l.msg)))) logged?.();
      done();
    },
  });
  const logger = pino({ level: "debug" }, sink);
  const server = await startServer({ logger });
  t.teardown(() => server.close());
  const seen = new Promise<void>((resolve) => (logged = resolve));
  const socket = connect(server.port, server.host);
  socket.write(
    "POST /v1/responses HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
      'Content-Length: 1000\r\n\r\n{"input":',
    () => setImmediate(() => socket.destroy()),
  );
  await seen;
  const line = lines.find((l) => /request (aborted|failed)/.test(String(l.msg)))!;
  t.ok((line.level as number) < 50, `logged at level ${String(line.level)}, below error (50)`);
  t.notMatch(JSON.stringify(line), /stack/);
});

t.test("the origin allowlist refuses HTTP requests from other origins (403)", async (t) => {
  const server = await startServer({
    logLevel: "silent",
    allowedOrigins: ["https://app.example"],
  });
  t.teardown(() => server.close());
  const body = JSON.stringify({ input: "hi", metadata: { "sim.output_tokens": "2" } });
  const evil = await post(server, body, { origin: "https://evil.example" });
  t.equal(evil.status, 403);
  t.equal((await evil.json()).error.code, "forbidden_origin");
  const evilGet = await fetch(`${server.url}/v1/responses/resp_x`, {
    headers: { origin: "https://evil.example" },
  });
  t.equal(evilGet.status, 403);
  await evilGet.arrayBuffer();
  const allowed = await post(server, body, { origin: "https://app.example" });
  t.equal(allowed.status, 200);
  await allowed.arrayBuffer();
  const noOrigin = await post(server, body);
  t.equal(noOrigin.status, 200, "non-browser clients send no Origin");
  await noOrigin.arrayBuffer();
  t.equal(server.service.store.liveCount, 0);
});

t.test("headers past 16 KiB are answered 431 and the connection closed", async (t) => {
  const server = await startServer({ port: 0, logLevel: "silent" });
  t.teardown(() => server.close());
  const socket = connect(server.port, server.host);
  const answer = untilClosed(socket);
  // One header of 20 KiB: past Node's maxHeaderSize, which the server leaves at 16 KiB.
  socket.write(
    "POST /v1/responses HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
      `X-Padding: ${"a".repeat(20 << 10)}\r\nContent-Length: 2\r\n\r\n{}`,
  );
  const text = await answer;
  t.match(text, /^HTTP\/1\.1 431 /, "431 Request Header Fields Too Large");
});

t.test("connections past maxConnections are closed as soon as they are accepted", async (t) => {
  const server = await startServer({ logLevel: "silent", maxConnections: 2 });
  t.teardown(() => server.close());
  t.equal(server.httpServer.maxConnections, 2);
  const held = [connect(server.port, server.host), connect(server.port, server.host)];
  t.teardown(() => held.forEach((s) => s.destroy()));
  await Promise.all(held.map((s) => new Promise((resolve) => s.once("connect", resolve))));
  // The third: accepted by the kernel, closed by the server without an answer.
  const third = connect(server.port, server.host);
  third.on("error", () => {}); // a reset, when the write races the close
  third.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  const closed = untilClosed(third);
  t.equal(await closed, "", "closed unanswered");
  // One of the held ones still gets answered.
  const answer = untilClosed(held[0]!);
  held[0]!.end("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  t.match(await answer, /^HTTP\/1\.1 \d{3} /, "answered");
});
