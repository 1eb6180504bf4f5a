// The CPU split of `bench/server.ts --breakdown`: every native write of a socket is counted and
// timed once the timer is on, and the main thread's CPU is read apart from the process's.
import { once } from "node:events";
import { createServer, connect, type Socket } from "node:net";
import t from "tap";
import { cpuSplit, timeSocketWrites } from "../../bench/cpu-split.js";

t.test(
  "a socket's writes are counted and timed; the main thread is part of the process",
  async (t) => {
    const server = createServer();
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    t.teardown(() => server.close());
    const { port } = server.address() as { port: number };
    const accepted = once(server, "connection") as Promise<[Socket]>;
    const client = connect(port, "127.0.0.1");
    t.teardown(() => client.destroy());
    const [socket] = await accepted;
    t.teardown(() => socket.destroy());
    let received = 0;
    client.on("data", (chunk: Buffer) => (received += chunk.length));

    const before = cpuSplit();
    socket.write("before the timer");
    timeSocketWrites(socket);
    for (let i = 0; i < 50; i++) socket.write(`frame ${i}\n`);
    // Corked: the two chunks leave in one writev, one native call.
    socket.cork();
    socket.write("a");
    socket.write("b");
    socket.uncork();
    while (received < 16 + 50 * 8) await once(client, "data");
    const after = cpuSplit();

    t.equal(
      after.writeCalls - before.writeCalls,
      51,
      "50 writes and one writev, not the earlier write",
    );
    t.ok(after.writeUs > before.writeUs, "their time is counted");
    t.ok(after.processUs >= before.processUs);
    if (process.platform === "linux") {
      t.type(after.mainThreadUs, "number");
      // /proc counts in 10 ms ticks: the main thread is within a tick of the whole process or below.
      t.ok(
        after.mainThreadUs! <= after.processUs + 10_000,
        "the main thread is part of the process",
      );
    }
  },
);
