/**
 * Fault modes (issue 4): every fault in the table really breaks its rule on the wire. Each
 * probe runs twice, against a clean server (it must see no violation, so the probe itself is
 * sound) and against a server started with that fault (it must see the violation). Also checks
 * the table's shape and `hotline serve --list-faults`.
 */
import { readFileSync } from "node:fs";
import t from "tap";
import {
  FAULTS,
  type FaultName,
  formatFaultTable,
} from "../../reference-server/fault-injection/faults.js";
import {
  type RunningServer,
  type ServerOptions,
  startServer,
} from "../../reference-server/index.js";
import type { ServerEvent } from "../../src/protocol/index.js";
import { main } from "../../src/cli/main.js";
import { TERMINAL_TYPES, TestSocket } from "./helpers/clients.js";
import { openHotline, ridOf, sessionOf, terminalOf } from "./helpers/hotline.js";
import { ROOT } from "../helpers/repo.js";
import { listFilesTool } from "../helpers/tools.js";

type Probe = (server: RunningServer) => Promise<boolean>;

const BASE: ServerOptions = {
  logLevel: "silent",
  backend: { tiers: { wafer: { decodeTokensPerSecond: 400, burstTokensPerSecond: 400 } } },
  session: { maxInFlight: 2, heartbeatIntervalMs: 100, shutdownGraceMs: 200 },
};

const tokens = (n: number, extra: Record<string, string> = {}) => ({
  "sim.output_tokens": String(n),
  ...extra,
});

/** The first event matching `match` within `ms`, or undefined. */
async function within(
  socket: TestSocket,
  match: (e: ServerEvent) => boolean,
  ms = 1500,
): Promise<ServerEvent | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  const found = await Promise.race([socket.matching(match), timeout]);
  clearTimeout(timer);
  return found;
}

const settle = (ms = 60) => new Promise((r) => setTimeout(r, ms));

async function coreTurn(server: RunningServer, body: Record<string, unknown> = {}) {
  const socket = await TestSocket.open(server.wsUrl);
  socket.send({ type: "response.create", input: "hi", metadata: tokens(8), ...body });
  await socket.terminal();
  await settle();
  socket.close();
  return socket;
}

async function hotlineCreate(socket: TestSocket, crid: string, n: number, extra = {}) {
  socket.send({
    type: "response.create",
    input: `task ${crid}`,
    client_request_id: crid,
    metadata: tokens(n),
    ...extra,
  });
  const created = await socket.next("response.created", (e) => ridOf(e) !== undefined);
  return created.response.id;
}

async function deltas(socket: TestSocket, id: string, count: number): Promise<void> {
  while (
    socket.recorder.events.filter((e) => e.type === "response.output_text.delta" && ridOf(e) === id)
      .length < count
  ) {
    await socket.matching((e) => e.type === "response.output_text.delta" && ridOf(e) === id);
  }
}

/** A core turn that must call a tool, steered once its call began; returns its terminal. */
async function steeredToolCall(server: RunningServer) {
  const socket = await TestSocket.open(server.wsUrl);
  const tool = listFilesTool(40);
  socket.send({ type: "response.create", input: "list", tools: [tool], tool_choice: "required" });
  const created = (await socket.next("response.created")) as { response: { id: string } };
  await socket.matching(
    (e) =>
      e.type === "response.output_item.added" &&
      (e as { item: { type: string } }).item.type === "function_call",
  );
  socket.send({ type: "response.steer", previous_response_id: created.response.id, input: "go" });
  const ended = await socket.terminal();
  return { socket, ended };
}

/** Sends a ping and reports whether the pong came before any error. */
async function pongBeforeError(socket: TestSocket): Promise<boolean> {
  socket.send({ type: "session.ping", nonce: "probe" });
  const first = await within(socket, (e) => e.type === "session.pong" || e.type === "error");
  return first?.type === "session.pong";
}

const PROBES: Record<FaultName, Probe> = {
  "delta-after-terminal": async (server) =>
    (await coreTurn(server)).recorder.problems.some((p) => p.includes("after the terminal")),
  "sequence-gap": async (server) =>
    (await coreTurn(server)).recorder.problems.some((p) => p.includes("sequence_number")),
  "missing-response-id": async (server) => {
    const { socket } = await openHotline(server.wsUrl);
    const id = await hotlineCreate(socket, "a", 10);
    await terminalOf(socket, id);
    socket.close();
    return socket.recorder.problems.some((p) => p.includes("without response_id"));
  },
  "ignore-cancel": async (server) => {
    const { socket } = await openHotline(server.wsUrl);
    const id = await hotlineCreate(socket, "a", 400);
    await deltas(socket, id, 2);
    socket.send({ type: "response.cancel", response_id: id });
    const terminal = await terminalOf(socket, id);
    socket.close();
    return terminal.type !== "response.cancelled";
  },
  "late-cancel": async (server) => {
    const { socket } = await openHotline(server.wsUrl);
    const id = await hotlineCreate(socket, "a", 400);
    await deltas(socket, id, 2);
    const before = socket.recorder.events.length;
    socket.send({ type: "response.cancel", response_id: id });
    await terminalOf(socket, id);
    socket.close();
    const after = socket.recorder.events
      .slice(before)
      .filter((e) => e.type === "response.output_text.delta" && ridOf(e) === id).length;
    return after > 2;
  },
  "cancel-unknown-silent": async (server) => {
    const { socket } = await openHotline(server.wsUrl);
    socket.send({ type: "response.cancel", response_id: "resp_unknown" });
    const violated = await pongBeforeError(socket);
    socket.close();
    return violated;
  },
  "truncate-ignored": async (server) => {
    const { socket } = await openHotline(server.wsUrl);
    const id = await hotlineCreate(socket, "a", 400);
    await deltas(socket, id, 3);
    socket.send({ type: "response.cancel", response_id: id, truncate: { text_chars: 2 } });
    const terminal = await terminalOf(socket, id);
    socket.close();
    const output = (terminal as { response: { output: { content?: { text: string }[] }[] } })
      .response.output;
    return (
      [
        ...output
          .flatMap((i) => i.content ?? [])
          .map((c) => c.text)
          .join(""),
      ].length > 2
    );
  },
  "no-steered-from": async (server) => {
    const { socket } = await openHotline(server.wsUrl);
    const id = await hotlineCreate(socket, "a", 400);
    await deltas(socket, id, 2);
    socket.send({
      type: "response.steer",
      previous_response_id: id,
      input: "other",
      metadata: tokens(3),
    });
    const next = await socket.next(
      "response.created",
      (e) => e.response.previous_response_id === id,
    );
    await terminalOf(socket, next.response.id);
    socket.close();
    return (next as { steered_from?: string }).steered_from !== id;
  },
  "no-heartbeat": async (server) => {
    const { socket } = await openHotline(server.wsUrl);
    const id = await hotlineCreate(socket, "a", 3, {
      metadata: tokens(3, { "sim.delay_ms": "600" }),
    });
    await terminalOf(socket, id);
    socket.close();
    return !socket.recorder.events.some((e) => e.type === "session.heartbeat");
  },
  "no-session-created": async (server) => {
    const socket = await TestSocket.open(server.wsUrl, { protocols: ["hotline.v1"] });
    socket.send({ type: "session.ping", nonce: "first" });
    const first = await socket.matching(() => true);
    socket.close();
    return first.type !== "session.created";
  },
  "no-pong": async (server) => {
    const { socket } = await openHotline(server.wsUrl);
    socket.send({ type: "session.ping", nonce: "p" });
    const pong = await within(socket, (e) => e.type === "session.pong", 500);
    socket.close();
    return pong === undefined;
  },
  "no-going-away": async (server) => {
    // Needs a short max age: this probe's servers get `connectionMaxAgeMs` 300 (see EXTRA).
    const { socket } = await openHotline(server.wsUrl);
    await socket.closed;
    return !socket.recorder.events.some((e) => e.type === "session.going_away");
  },
  "no-rate-limits": async (server) => {
    const { socket } = await openHotline(server.wsUrl);
    const id = await hotlineCreate(socket, "a", 5);
    await terminalOf(socket, id);
    socket.close();
    return !socket.recorder.events.some((e) => e.type === "rate_limits.updated");
  },
  "hotline-event-to-core-client": async (server) =>
    (await coreTurn(server)).recorder.events.some(
      (e) => e.type === "rate_limits.updated" || e.type.startsWith("session."),
    ),
  "no-in-flight-limit": async (server) => {
    const { socket } = await openHotline(server.wsUrl);
    for (let i = 0; i < 3; i++) {
      socket.send({
        type: "response.create",
        input: "x",
        client_request_id: `f${i}`,
        metadata: tokens(200),
      });
    }
    const refused = await within(
      socket,
      (e) => e.type === "error" && e.error.code === "too_many_in_flight",
      500,
    );
    const created = socket.recorder.events.filter((e) => e.type === "response.created").length;
    socket.close();
    return refused === undefined && created === 3;
  },
  "no-client-request-id": async (server) => {
    const { socket } = await openHotline(server.wsUrl);
    socket.send({
      type: "response.create",
      input: "x",
      client_request_id: "c",
      metadata: tokens(3),
    });
    const created = await socket.next("response.created");
    socket.close();
    return (created as { client_request_id?: string }).client_request_id !== "c";
  },
  "no-error-request-id": async (server) => {
    const { socket } = await openHotline(server.wsUrl);
    socket.send({
      type: "response.create",
      previous_response_id: "resp_gone",
      store: false,
      input: "x",
      client_request_id: "s",
    });
    const error = await socket.next("error");
    socket.close();
    return (error as { client_request_id?: string }).client_request_id !== "s";
  },
  "multiplex-in-core-profile": async (server) => {
    const socket = await TestSocket.open(server.wsUrl);
    socket.send({ type: "response.create", input: "one", metadata: tokens(40) });
    socket.send({ type: "response.create", input: "two", metadata: tokens(40) });
    await socket.terminal();
    await socket.terminal();
    socket.close();
    return socket.recorder.problems.some((p) => p.includes("while a response is open"));
  },
  "steer-cuts-tool-call": async (server) => {
    const { ended } = await steeredToolCall(server);
    return ended.type !== "response.completed";
  },
  "steer-not-prepended": async (server) => {
    const { socket, ended } = await steeredToolCall(server);
    await socket.next("response.steer.pending");
    const call = (
      ended as { response: { output: { type: string; call_id: string }[] } }
    ).response.output.find((i) => i.type === "function_call")!;
    const inputTokens = async () => {
      socket.send({
        type: "response.create",
        previous_response_id: (ended as { response: { id: string } }).response.id,
        input: [{ type: "function_call_output", call_id: call.call_id, output: "a.ts" }],
        metadata: tokens(2),
      });
      const done = (await socket.next("response.completed")) as {
        response: { usage: { input_tokens: number } };
      };
      return done.response.usage.input_tokens;
    };
    const first = await inputTokens();
    const again = await inputTokens();
    socket.close();
    // Prepended once: the committing continuation reads more than the same one sent again.
    return first <= again;
  },
  "lanes-serial": async (server) => {
    const socket = await TestSocket.open(server.wsUrl);
    socket.send({ type: "response.create", input: "a", stream_id: "a", metadata: tokens(200) });
    socket.send({ type: "response.create", input: "b", stream_id: "b", metadata: tokens(5) });
    const ends: ServerEvent[] = [];
    while (ends.length < 2) ends.push(await socket.next("response.completed"));
    const createdB = socket.recorder.events.findIndex(
      (e) => e.type === "response.created" && (e as { stream_id?: string }).stream_id === "b",
    );
    socket.close();
    // Lanes at once: b starts while a runs. Serialised: b starts after a's terminal.
    return createdB > socket.recorder.events.indexOf(ends[0]!);
  },
  "lane-cache-shared": async (server) => {
    const socket = await TestSocket.open(server.wsUrl);
    const turn = async (lane: string, previous?: string) => {
      socket.send({
        type: "response.create",
        input: lane,
        stream_id: lane,
        store: false,
        metadata: tokens(3),
        ...(previous ? { previous_response_id: previous } : {}),
      });
      return (await socket.matching(
        (e) => e.type === "response.completed" || e.type === "error",
      )) as { type: string; response?: { id: string } };
    };
    const a = await turn("a");
    await turn("b");
    const again = await turn("a", a.response!.id);
    socket.close();
    return again.type === "error";
  },
  "no-eviction-after-failure": async (server) => {
    const socket = await TestSocket.open(server.wsUrl);
    socket.send({ type: "response.create", input: "a", store: false, metadata: tokens(3) });
    const first = (await socket.terminal()) as { response: { id: string } };
    socket.send({
      type: "response.create",
      input: "b",
      store: false,
      previous_response_id: first.response.id,
      metadata: { "sim.error": "server_error:1" },
    });
    await socket.next("response.failed");
    socket.send({
      type: "response.create",
      input: "c",
      store: false,
      previous_response_id: first.response.id,
      metadata: tokens(3),
    });
    const answer = await socket.matching(
      (e) => e.type === "error" || (e.type === "response.created" && !TERMINAL_TYPES.has(e.type)),
    );
    socket.close();
    return answer.type === "response.created";
  },
  "duplicate-on-retry": async (server) => {
    const { socket } = await openHotline(server.wsUrl);
    const body = {
      type: "response.create",
      input: "x",
      client_request_id: "d",
      metadata: tokens(3),
    };
    socket.send(body);
    const first = await socket.next("response.created");
    await terminalOf(socket, first.response.id);
    socket.send(body);
    const again = await socket.next("response.created");
    socket.close();
    return again.response.id !== first.response.id;
  },
  "resume-loses-events": async (server) => {
    const { socket: a, first } = await openHotline(server.wsUrl);
    const id = await hotlineCreate(a, "a", 200);
    await deltas(a, id, 3);
    a.close();
    await a.closed;
    let seen = -1;
    for (const e of a.recorder.events) {
      if (ridOf(e) === id) seen = (e as { sequence_number: number }).sequence_number;
    }
    const { socket: b } = await openHotline(server.wsUrl, {
      headers: { "Hotline-Resume-Token": sessionOf(first).resume_token },
    });
    b.send({ type: "response.resume", response_id: id, after_sequence_number: seen });
    const replayed = await b.matching((e) => ridOf(e) === id);
    await terminalOf(b, id);
    b.close();
    return (replayed as { sequence_number: number }).sequence_number !== seen + 1;
  },
  "no-resume-expired": async (server) => {
    const { socket } = await openHotline(server.wsUrl, {
      headers: { "Hotline-Resume-Token": "rt_unknown" },
    });
    const violated = await pongBeforeError(socket);
    socket.close();
    return violated;
  },
  "wrong-error-envelope": async (server) => {
    const socket = await TestSocket.open(server.wsUrl);
    socket.send("{not json");
    const error = await socket.next("error");
    socket.close();
    return typeof (error as { status?: number }).status !== "number";
  },
  "close-on-bad-json": async (server) => {
    const socket = await TestSocket.open(server.wsUrl);
    socket.send("{not json");
    const answer = await Promise.race([
      socket.next("error").then(() => "error" as const),
      socket.closed.then(() => "closed" as const),
    ]);
    socket.close();
    return answer === "closed";
  },
  "ignore-unknown-type": async (server) => {
    const { socket } = await openHotline(server.wsUrl);
    socket.send({ type: "bogus.event" });
    const violated = await pongBeforeError(socket);
    socket.close();
    return violated;
  },
  "binary-frame-kept-open": async (server) => {
    const { socket } = await openHotline(server.wsUrl);
    socket.ws.send(Buffer.from([1, 2, 3]));
    const closed = await Promise.race([
      socket.closed.then(() => true),
      settle(400).then(() => false),
    ]);
    socket.close();
    return !closed;
  },
  "sse-missing-done": async (server) => {
    const res = await fetch(`${server.url}/v1/responses`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ input: "x", stream: true, metadata: tokens(3) }),
    });
    const text = await res.text();
    return !text.trimEnd().endsWith("data: [DONE]");
  },
};

/** Extra server options a probe needs. */
const EXTRA: Partial<Record<FaultName, ServerOptions>> = {
  "no-going-away": { connectionMaxAgeMs: 300 },
};

t.test("the fault table: unique names, real spec anchors, the listing format", async (t) => {
  const names = FAULTS.map((f) => f.name);
  t.equal(new Set(names).size, names.length, "unique names");
  t.ok(FAULTS.length >= 14);
  const spec = [
    "transport",
    "session",
    "responses",
    "streaming",
    "interruption",
    "resume",
    "errors",
    "http-binding",
  ]
    .map((page) => readFileSync(`${ROOT}/spec/${page}.md`, "utf8"))
    .join("\n");
  for (const fault of FAULTS) {
    t.ok(
      spec.includes(`<a id="${fault.rule}"></a>`),
      `${fault.name}: ${fault.rule} is a spec anchor`,
    );
  }
  const lines = formatFaultTable().split("\n");
  t.equal(lines.length, FAULTS.length);
  for (const [i, line] of lines.entries()) {
    const [name, rule, ...rest] = line.split(/\s{2,}/);
    t.equal(name, FAULTS[i]!.name);
    t.equal(rule, FAULTS[i]!.rule);
    t.equal(rest.join("  "), FAULTS[i]!.description);
  }
  const printed: string[] = [];
  const original = console.log;
  console.log = (line: string) => printed.push(line);
  try {
    t.equal(await main(["serve", "--list-faults"]), 0);
  } finally {
    console.log = original;
  }
  t.equal(printed.join("\n"), formatFaultTable());
  const error = console.error;
  console.error = () => {};
  try {
    t.equal(
      await main(["serve", "--fault", "no-such-fault"]),
      2,
      "an unknown fault is a usage error",
    );
  } finally {
    console.error = error;
  }
});

for (const fault of FAULTS) {
  t.test(`fault ${fault.name} breaks ${fault.rule} on the wire`, async (t) => {
    const probe = PROBES[fault.name];
    const clean = await startServer({ ...BASE, ...EXTRA[fault.name] });
    try {
      t.equal(await probe(clean), false, "a clean server does not show the violation");
    } finally {
      await clean.close();
    }
    const faulty = await startServer({ ...BASE, ...EXTRA[fault.name], fault: fault.name });
    try {
      t.equal(faulty.fault, fault.name);
      t.equal(await probe(faulty), true, `the violation of ${fault.rule} is observed`);
    } finally {
      await faulty.close();
    }
  });
}
