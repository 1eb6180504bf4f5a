/**
 * What a case sees: the target, what the probe learned, a way to open recorded connections and
 * HTTP requests, and `check` to record one requirement's outcome.
 */
import type { Profile } from "../src/protocol/index.js";
import { CaseSkipped } from "./case.js";
import { NO_ENDPOINT } from "./capabilities.js";
import { HttpClient } from "./harness/http-client.js";
import type { TrackedResponse, Violation } from "./harness/response-tracker.js";
import {
  CORE_LIMITS,
  type Limits,
  type SessionInfo,
  UNHOLDABLE_TOKENS,
} from "./harness/session-info.js";
import { type Frame, RecordingSocket, UpgradeRefused, WaitTimeout } from "./harness/ws-client.js";
import type { WireLog } from "./harness/wire-log.js";

/** Where the server under test is and how to reach it. */
export interface Target {
  /** `ws://…/v1/responses` (possibly through the delay proxy). */
  wsUrl: string;
  /** HTTP base, e.g. `http://127.0.0.1:8080` (the binding lives at `/v1/responses`). */
  httpUrl: string;
  /** Bearer token, when the server needs one. */
  token: string | null;
  /** Extra headers on every upgrade and HTTP request. */
  headers: Record<string, string>;
  /** Model for every request (omitted when null). */
  model: string | null;
  /** An Origin the server's allowlist refuses (TRANSPORT-8), when known. */
  deniedOrigin?: string | null;
  /** Simulated round trip (0: none); reported with every metric series (METRIC-4). */
  rttMs: number;
  /**
   * Another instance of the same deployment (`--fleet-url`), reached without the load balancer,
   * when given: the cases of spec/fleet.md run against both.
   */
  fleet?: { wsUrl: string; httpUrl: string } | null;
}

/** One recorded check. */
export interface CheckResult {
  anchor: string;
  ok: boolean;
  message: string;
  entry?: number;
  /** Set when the check came from the harness and names the case where it was observed. */
  observedIn?: string;
  /**
   * The check tests what Hotline adds to an Open Responses clause (a code, a `param`, a close
   * code): judged RECOMMENDED unless the server claims hotline.v1 (src/spec/provenance.ts).
   */
  addition?: boolean;
  /** The level the runner judged a failed check at (MUST, SHOULD, RECOMMENDED, MAY). */
  level?: string;
}

/** A metric sample series. */
export type MetricSamples = Record<string, number[]>;

/** How to open a connection. */
export interface ConnectOptions {
  /** `run` (default): what the run negotiated; `core`: offer no subprotocol; `hotline.v1`: offer it. */
  profile?: "run" | Profile;
  /** Override the token: a string, or null to send none. */
  token?: string | null;
  /** Send the token as `hotline.bearer.<token>` instead of a header. */
  bearerInSubprotocol?: boolean;
  /** Extra subprotocol entries after `hotline.v1`. */
  extraProtocols?: string[];
  headers?: Record<string, string>;
  /** For hotline.v1: wait for the first frame (default true). */
  awaitSession?: boolean;
  /** `second`: the deployment's other instance (`Target.fleet`); a fleet case only. */
  instance?: "first" | "second";
}

/** A default prompt: short, ordinary, no hints. */
export const PROMPT = "Write a TypeScript function that adds two numbers, with a short comment.";

/** The context one case runs with. */
export class CaseContext {
  readonly checks: CheckResult[] = [];
  readonly notes: string[] = [];
  readonly metrics: MetricSamples = {};
  readonly sockets: RecordingSocket[] = [];
  private http?: HttpClient;
  private fleetHttp?: HttpClient;
  /** Creates sent by {@link create}, numbering their client_request_id. */
  #requests = 0;

  constructor(
    readonly caseId: string,
    readonly target: Target,
    readonly info: SessionInfo,
    readonly log: WireLog,
    readonly timeoutMs: number,
    /** Harness violations land here; the runner sorts them out per case. */
    readonly violations: Violation[] = [],
  ) {}

  /** The advertised limits, else the ones given on the command line, else the core floor. */
  get limits(): Limits {
    return { ...CORE_LIMITS, ...this.info.declared, ...this.info.limits };
  }

  /**
   * A limit the server advertised (session.created), else the command line's, or null when a
   * core-profile server cannot say it: a case must not assume another server's value.
   */
  knownLimit(name: "max_message_bytes" | "context_window_tokens"): number | null {
    return this.info.limits?.[name] ?? this.info.declared?.[name] ?? null;
  }

  /** A `max_output_tokens` no context window holds: the known window + 1, else 2^31 - 1. */
  get overflowTokens(): number {
    const window = this.knownLimit("context_window_tokens");
    return window === null ? UNHOLDABLE_TOKENS : window + 1;
  }

  /** Records one requirement's outcome; returns `ok` so cases can branch on it. */
  check(anchor: string, ok: boolean, message: string, entry?: number): boolean {
    this.checks.push({ anchor, ok, message, ...(entry !== undefined ? { entry } : {}) });
    return ok;
  }

  /**
   * Records the outcome of what Hotline adds to an Open Responses clause of `anchor` (an error
   * code, a `param`, a close code): a server that does not claim hotline.v1 is told, not failed.
   */
  checkAddition(anchor: string, ok: boolean, message: string, entry?: number): boolean {
    this.checks.push({
      anchor,
      ok,
      message,
      addition: true,
      ...(entry !== undefined ? { entry } : {}),
    });
    return ok;
  }

  /** Records a violation of `anchor`. */
  fail(anchor: string, message: string, entry?: number): false {
    return this.check(anchor, false, message, entry) as false;
  }

  /** Adds a line to the case's diagnostics. */
  note(message: string): void {
    this.notes.push(message);
  }

  /** Adds a metric sample to a series (`ws`, `ws-core`, `http-new-connection`, `sse`...). */
  metric(name: string, value: number, series = "ws"): void {
    (this.metrics[`${name}@${series}`] ??= []).push(value);
  }

  /** Ends the case as SKIPPED. */
  skip(reason: string): never {
    throw new CaseSkipped(reason);
  }

  private report = (v: Violation): void => {
    this.violations.push(v);
  };

  /** Opens a recorded WebSocket connection. */
  async connect(options: ConnectOptions = {}): Promise<RecordingSocket> {
    // Without session.created the hotline.v1 limits are unknown: core cases connect as core.
    const runProfile = this.info.sessionCreated === false ? "core" : this.info.profile;
    const profile =
      options.profile === undefined || options.profile === "run" ? runProfile : options.profile;
    const token = options.token === undefined ? this.target.token : options.token;
    const headers: Record<string, string> = { ...this.target.headers, ...options.headers };
    const protocols: string[] = [];
    if (profile === "hotline.v1") protocols.push("hotline.v1");
    if (token !== null && options.bearerInSubprotocol) protocols.push(`hotline.bearer.${token}`);
    else if (token !== null) headers.authorization = `Bearer ${token}`;
    protocols.push(...(options.extraProtocols ?? []));
    const sock = await RecordingSocket.open(
      {
        url: options.instance === "second" ? this.second.wsUrl : this.target.wsUrl,
        protocols,
        headers,
        timeoutMs: this.timeoutMs,
      },
      this.log,
      this.report,
    );
    this.sockets.push(sock);
    if (
      sock.profile === "hotline.v1" &&
      options.awaitSession !== false &&
      this.info.sessionCreated !== false
    ) {
      const first = await sock.waitFor(() => true, "the first frame (session.created)");
      if (first.type !== "session.created" && first.type !== "session.resumed") {
        this.fail(
          "SESSION-1",
          `first frame on a hotline.v1 connection is ${first.type}`,
          first.entry,
        );
      }
    }
    return sock;
  }

  /** Opens a connection and expects the upgrade to be refused; returns the refusal or null. */
  async connectRefused(options: ConnectOptions = {}): Promise<UpgradeRefused | null> {
    try {
      const sock = await this.connect({ ...options, awaitSession: false });
      sock.close();
      return null;
    } catch (error) {
      if (error instanceof UpgradeRefused) return error;
      throw error;
    }
  }

  /** The recorded HTTP client for this case. */
  get httpClient(): HttpClient {
    this.http ??= this.newHttpClient(this.target.httpUrl);
    return this.http;
  }

  /** The recorded HTTP client of the deployment's other instance (`--fleet-url`). */
  get fleetHttpClient(): HttpClient {
    this.fleetHttp ??= this.newHttpClient(this.second.httpUrl);
    return this.fleetHttp;
  }

  /** The other instance; the runner skips fleet cases without one, so its absence is a bug. */
  private get second(): { wsUrl: string; httpUrl: string } {
    if (!this.target.fleet) throw new Error(`${this.caseId}: no second instance (--fleet-url)`);
    return this.target.fleet;
  }

  private newHttpClient(baseUrl: string): HttpClient {
    return new HttpClient({
      baseUrl,
      headers: {
        ...this.target.headers,
        ...(this.target.token !== null ? { authorization: `Bearer ${this.target.token}` } : {}),
      },
      timeoutMs: this.timeoutMs,
      log: this.log,
      report: this.report,
    });
  }

  /** A `response.create` body: the run's model, the default prompt, and the given overrides. */
  body(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      ...(this.target.model !== null ? { model: this.target.model } : {}),
      input: PROMPT,
      ...overrides,
    };
  }

  /** Sends `response.create` and waits for its `response.created`; returns it and the send time. */
  async create(
    sock: RecordingSocket,
    overrides: Record<string, unknown> = {},
  ): Promise<{ created: Frame; sentAt: number; id: string }> {
    const from = sock.frames.length;
    const body = this.body(overrides);
    // On a hotline.v1 connection several creates may be in flight: each carries its own
    // client_request_id and waits for the response.created (or refusal) echoing it. A frame
    // without the member at all still matches (null is another create's "none"), so a server
    // breaking RESP-17 or ERR-8 fails the cases that check those rules, not every case that
    // creates a response.
    if (sock.profile === "hotline.v1" && body.client_request_id === undefined) {
      body.client_request_id = `conform-${++this.#requests}`;
    }
    const requestId = body.client_request_id as string | undefined;
    const echoes = (f: Frame) =>
      requestId === undefined ||
      f.data.client_request_id === requestId ||
      f.data.client_request_id === undefined;
    const sentAt = sock.send({ type: "response.create", ...body });
    const created = await sock.waitFor(
      (f) =>
        (f.type === "response.created" || (f.type === "error" && !f.data.response_id)) && echoes(f),
      "response.created",
      { from },
    );
    if (created.type === "error") {
      throw new WaitTimeout(
        `response.create was rejected with ${JSON.stringify((created.data.error as { code?: string })?.code)}`,
      );
    }
    const id = String((created.data.response as { id?: unknown }).id);
    return { created, sentAt, id };
  }

  /** Creates a response and waits for its terminal event. */
  async complete(
    sock: RecordingSocket,
    overrides: Record<string, unknown> = {},
  ): Promise<{ response: TrackedResponse; sentAt: number; id: string }> {
    const { sentAt, id } = await this.create(sock, overrides);
    const response = await sock.waitTerminal(id);
    if (response.firstDeltaAt !== null)
      this.metric(
        "ttft_ms",
        response.firstDeltaAt - sentAt,
        sock.profile === "core" ? "ws-core" : "ws",
      );
    return { response, sentAt, id };
  }

  /**
   * Sends `response.create` with `body` as is (no defaults added) and resolves with the
   * server's answer: the first `response.created` or `error` after it.
   */
  async createAnswer(sock: RecordingSocket, body: Record<string, unknown>): Promise<Frame> {
    const from = sock.frames.length;
    sock.send({ type: "response.create", ...body });
    return sock.waitFor(
      (f) => f.type === "response.created" || f.type === "error",
      "response.created or an error",
      { from },
    );
  }

  /**
   * Sends an event and waits for the next `error` at or after it. When nothing was in flight on
   * the connection, a `response.created` is the server's answer too: the wait ends there
   * (the per-turn timeout is for silence only) and the case fails on what was seen.
   */
  async expectError(
    sock: RecordingSocket,
    event: Record<string, unknown> | string,
  ): Promise<Frame> {
    const from = sock.frames.length;
    const idle = sock.tracker.responses.every((r) => r.terminal !== null);
    if (typeof event === "string") sock.sendRaw(event);
    else sock.send(event);
    const answer = await sock.waitFor(
      (f) => f.type === "error" || (idle && f.type === "response.created"),
      "an error event",
      { from },
    );
    if (answer.type !== "error") {
      throw new WaitTimeout(
        `expected an error event, the server answered with ${answer.type} (frame #${answer.entry})`,
      );
    }
    return answer;
  }

  /**
   * Whether the server refuses an optional create parameter a case would like to send (CONF-15):
   * probed once per run with a create holding only it (and the default prompt, 16 output
   * tokens) on a connection of its own. Resolves to null when a response started, else to what
   * the server answered, for the case's SKIPPED reason or note.
   */
  async refuses(param: string, value: unknown): Promise<string | null> {
    const known = this.info.params?.get(param);
    if (known !== undefined) return known;
    const sock = await this.connect();
    let answer: Frame;
    try {
      answer = await this.createAnswer(sock, this.body({ [param]: value, max_output_tokens: 16 }));
      if (answer.type === "response.created") {
        const id = String((answer.data.response as { id?: unknown } | undefined)?.id);
        await sock.waitTerminal(id);
      }
    } finally {
      sock.close();
    }
    const refusal =
      answer.type === "response.created"
        ? null
        : `a create with ${param} ${JSON.stringify(value)} was answered ${answer.type} ${JSON.stringify(answer.data.error ?? null).slice(0, 160)} (frame #${answer.entry})`;
    (this.info.params ??= new Map()).set(param, refusal);
    return refusal;
  }

  /**
   * SKIPPED when an endpoint Open Responses 2026-04-24 does not define (GET or cancel of a
   * response) is absent: 405 or 501, or 404 without the registry's `response_not_found` (a
   * route that does not exist), saying what was asked and what came back (CONF-15).
   */
  skipWithoutEndpoint(answer: { status: number; body: unknown }, what: string): void {
    if (lacksEndpoint(answer)) {
      this.skip(
        `no ${what} endpoint (not in Open Responses 2026-04-24): it answered HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 120)}`,
      );
    }
  }

  /** Waits for the connection to stay open for `ms` (so a wrong close would show). */
  async stillOpen(sock: RecordingSocket, anchor: string, ms = 50): Promise<boolean> {
    await sock.idle(ms);
    return this.check(
      anchor,
      sock.isOpen,
      sock.isOpen ? "connection stayed open" : `connection closed (${sock.closed?.code})`,
    );
  }

  /** Closes everything the case opened. */
  async dispose(): Promise<void> {
    for (const s of this.sockets) s.close();
    await this.http?.close();
    await this.fleetHttp?.close();
  }
}

/** An answer meaning "no such route" rather than "no such response" (see skipWithoutEndpoint). */
export function lacksEndpoint(answer: { status: number; body: unknown }): boolean {
  const code = (answer.body as { error?: { code?: unknown } } | null)?.error?.code;
  return (
    NO_ENDPOINT.has(answer.status) && !(answer.status === 404 && code === "response_not_found")
  );
}

/** The `error.code` of an error frame. */
export function errorCode(frame: Frame): string | undefined {
  return (frame.data.error as { code?: string } | undefined)?.code;
}

/** The `error.param` of an error frame. */
export function errorParam(frame: Frame): string | null | undefined {
  return (frame.data.error as { param?: string | null } | undefined)?.param;
}
