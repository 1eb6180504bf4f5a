/**
 * One instance's membership of a fleet sharing one Redis (`hotline serve --redis URL`).
 *
 * What it shares, per response that other instances can reach (`store: true` or background):
 * a record (hash: principal, owner, flags, last resource), its events as a bounded Redis
 * Stream when the run keeps them for replay, and a lease held by the owner while it generates.
 * Writes are batched: everything appended during one turn of the event loop (one scheduler
 * tick emits every due token) goes out as one pipeline, with one stream entry per response
 * holding all of that turn's events of it; a follower unpacks the entry into numbered events. Another instance answers `GET`,
 * `GET ?stream=true` and cancel for such a response through a {@link RemoteRun} filled from the
 * stream; cancels travel to the owner over pub/sub. A lease that is not renewed (the owner died)
 * is reaped by any instance: the response ends with `response.failed` (`server_error`,
 * retryable), written atomically after the last event the owner wrote. A hotline.v1 session
 * taken over by another instance takes its connection-local cache along (`#handOff` says how).
 */
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { ProtocolError, type ResponseResource } from "../../src/protocol/index.js";
import { WeightedLru } from "../backend/lru.js";
import type { ContinuationPoint } from "../responses/connection-cache.js";
import type { LoggedEvent } from "../responses/event-log.js";
import type { ResponseRun, RunOutcome, RunProfile } from "../responses/run.js";
import type { ResponsesObserver } from "../responses/service.js";
import type { SharedResponses } from "../responses/store.js";
import type { Logger } from "../telemetry/logger.js";
import type { GatedBackend } from "./gated-backend.js";
import { FleetKeys } from "./keys.js";
import type { RedisAddress } from "./redis-url.js";
import { decodeContinuation, encodeContinuation } from "./continuations.js";
import { decodeEntry, packBatch, packBatches } from "./entry-codec.js";
import { type RemoteRecord, RemoteRun, type RemoteStop } from "./remote-run.js";
import { APPEND_BATCHES, REAP, RENEW_LEASES } from "./scripts.js";

/** Options of {@link Fleet.connect}. */
export interface FleetOptions {
  address: RedisAddress;
  /** Lease TTL in ms (default 3000): an owner that stops renewing loses its responses after it. */
  leaseMs?: number;
  /** How long finished records and streams stay in Redis, in ms (default 1 hour). */
  retentionMs?: number;
  /**
   * Upper bound of one response's stream, in entries (default 16,384; `MAXLEN ~`); an entry
   * holds the events the response appended between two writes (one scheduler tick's, mostly).
   */
  maxStreamEvents?: number;
  /** Key prefix (default `hotline:`). */
  prefix?: string;
  /** This instance's id (default: random). */
  instanceId?: string;
  logger: Logger;
}

/** Redis could not be reached when the instance started (a one-line message, no stack). */
export class RedisUnreachableError extends Error {
  override readonly name = "RedisUnreachableError";
}

/** Default lease TTL. */
export const DEFAULT_LEASE_MS = 3000;

/** A write not yet sent: batched until the end of the current event-loop turn. */
type Op =
  | { kind: "token"; token: string; session: string; principal: string }
  | { kind: "holder"; session: string; instance: string }
  | { kind: "start"; run: ResponseRun; principal: string; streamed: boolean }
  | { kind: "continuation"; key: string; json: string }
  | { kind: "finish"; run: ResponseRun };

/**
 * How long events wait to be written with the next ones (about four 4-ms delta ticks): the
 * cost of sharing a stream follows the writes, and a follower elsewhere is this much later.
 */
const EVENTS_FLUSH_MS = 16;

/** Writes kept while Redis is unreachable; past it the owned responses are failed. */
const MAX_BUFFERED_OPS = 100_000;

/** A shared response's events appended since its last write (one stream entry's worth). */
interface Unwritten {
  readonly id: string;
  events: LoggedEvent[];
}

interface Owned {
  readonly run: ResponseRun;
  /** The start was written: the lease exists and must be renewed. */
  leased: boolean;
}

/** A continuation point a session's cache holds, and the lane that cached it. */
interface LanePoint {
  readonly lane: string;
  readonly point: ContinuationPoint;
}

/** A session taken over from another instance (the WebSocket binding's `TakenSession`). */
export interface TakenSession {
  readonly id: string;
  readonly tokens: readonly string[];
  readonly responses: readonly { run: ResponseRun; bodyKey: string | undefined }[];
  /** Its cache as it was on the holder, then the responses that ended since (RESP-9). */
  readonly cached: readonly LanePoint[];
}

/** A session handed over by this instance (the WebSocket binding's `TakenHandOff`). */
type TakenHandOff =
  | {
      id: string;
      tokens: string[];
      responses: { responseId: string; bodyKey: string | undefined; running: boolean }[];
      cached: LanePoint[];
    }
  | undefined;

/** What the fleet needs of this instance's WebSocket binding and store. */
export interface LocalSessions {
  handOff(token: string, principal: string, keep: (run: ResponseRun) => boolean): TakenHandOff;
  /** Whether a session of this principal that `token` resumes is held here. */
  holds(token: string, principal: string): boolean;
  /** Holds a session handed over after its take-over stopped waiting (it would be lost). */
  adopt(taken: TakenSession, principal: string): void;
  /** A response this instance holds (its own, or a copy). */
  response(id: string, principal: string): ResponseRun | undefined;
}

/** What the fleet publishes of this instance's per-principal limits (policy/limits.ts). */
export interface LocalLimits {
  usage(): Map<string, { connections: number; inFlight: number }>;
  /** What each principal spent of its per-minute budgets here since the last call. */
  drainSpent(): Map<string, { requests: number; tokens: number }>;
  /** Charges what a principal spent on another instance. */
  spentElsewhere(principal: string, spent: { requests: number; tokens: number }): void;
}

/** How often each instance publishes its per-principal counts and reads the others'. */
const USAGE_INTERVAL_MS = 200;

/** Bytes of continuations loaded from Redis kept here (each is its JSON's length). */
const MAX_LOADED_CONTINUATION_BYTES = 16 << 20;

/** How long a continuation whose previous response's end is not yet in Redis waits for it. */
const CONTINUATION_WAIT_MS = 1000;

/** How long a take-over waits for the holding instance to answer. */
const TAKE_OVER_WAIT_MS = 2000;
/** How long a take-over follows a session moving between instances before it gives up. */
const MOVING_WAIT_MS = 5000;
/** How soon a take-over reads a moving session's holder again. */
const TAKE_OVER_RETRY_MS = 25;

/** A fleet member. */
export class Fleet implements SharedResponses {
  readonly instanceId: string;
  readonly leaseMs: number;
  readonly #keys: FleetKeys;
  readonly #address: RedisAddress;
  readonly #retentionMs: number;
  readonly #maxEvents: number;
  readonly #logger: Logger;
  readonly #cmd: Redis;
  readonly #sub: Redis;
  readonly #principals = new WeakMap<ResponseRun, string>();
  readonly #owned = new Map<string, Owned>();
  readonly #copies = new Map<string, RemoteRun>();
  readonly #continuations = new WeightedLru<
    string,
    { principal: string; point: ContinuationPoint }
  >(MAX_LOADED_CONTINUATION_BYTES);
  readonly #tails = new Set<Redis>();
  /** Streams of owned responses, and when their expiry was last set (`performance.now()`). */
  readonly #expiring = new Map<string, number>();
  #ops: Op[] = [];
  /** Shared responses with events to write, in the order their first one came. */
  #unwritten: Unwritten[] = [];
  /** Events in {@link #unwritten}. */
  #unwrittenEvents = 0;
  /** Writes queued since start, and how many of them Redis has taken. */
  #queued = 0;
  #stored = 0;
  readonly #storedWaiters: { at: number; resolve: () => void }[] = [];
  #flushScheduled = false;
  #flushSoon = false;
  #flushing = false;
  #downSince: number | undefined;
  #epoch = "";
  #closed = false;
  #backend: GatedBackend | undefined;
  #local: LocalSessions | undefined;
  #limits: LocalLimits | undefined;
  /** The other instances' counts per principal, as last read. */
  #elsewhere = new Map<string, { connections: number; inFlight: number }>();
  readonly #waiting = new Map<string, (answer: HandedAnswer | undefined) => void>();
  /** Take-overs of each session running here now (asked, preparing, or adopting late). */
  readonly #taking = new Map<string, number>();
  readonly #timers: NodeJS.Timeout[] = [];
  /**
   * Responses generated here whose session was handed over while they ran, and the session's
   * id: their continuation is written for that session when they end.
   */
  readonly #handedAway = new Map<string, string>();
  /**
   * Copies of responses a session taken over here was running, and the session's id: each
   * copy's end is shown once what continues it is loaded (`#follow`).
   */
  readonly #sessionCopies = new Map<string, string>();

  private constructor(options: FleetOptions, cmd: Redis, sub: Redis) {
    this.instanceId = options.instanceId ?? `i_${randomBytes(6).toString("hex")}`;
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.#keys = new FleetKeys(options.prefix ?? "hotline:");
    this.#address = options.address;
    this.#retentionMs = options.retentionMs ?? 3_600_000;
    this.#maxEvents = options.maxStreamEvents ?? 16_384;
    this.#logger = options.logger;
    this.#cmd = cmd;
    this.#sub = sub;
  }

  /**
   * Connects to Redis and joins the fleet. Rejects with a one-line Error when Redis cannot be
   * reached (nothing keeps retrying afterwards).
   */
  static async connect(options: FleetOptions): Promise<Fleet> {
    const cmd = newConnection(options.address);
    let cause: Error | undefined;
    const noteError = (error: Error) => (cause ??= error);
    cmd.on("error", noteError);
    try {
      await cmd.connect();
      await cmd.ping();
    } catch (error) {
      cmd.disconnect();
      throw new RedisUnreachableError(
        `cannot reach Redis at ${options.address.display}: ${(cause ?? (error as Error)).message}`,
      );
    }
    cmd.off("error", noteError);
    const sub = cmd.duplicate({ enableOfflineQueue: true });
    const fleet = new Fleet(options, cmd, sub);
    await fleet.#join();
    return fleet;
  }

  async #join(): Promise<void> {
    const epoch = randomBytes(8).toString("hex");
    await this.#cmd.set(this.#keys.epoch(), epoch, "NX");
    this.#epoch = (await this.#cmd.get(this.#keys.epoch())) ?? epoch;
    const spent = this.#keys.spent();
    this.#sub.on("message", (channel: string, message: string) => {
      if (channel === spent) this.#onSpent(message);
      else this.#onControl(message);
    });
    await this.#sub.subscribe(this.#keys.control(this.instanceId), spent);
    this.#cmd.on("ready", () => void this.#onReconnected());
    this.#cmd.on("error", (error: Error) => {
      this.#downSince ??= performance.now();
      this.#logger.debug({ err: error.message }, "redis connection error");
    });
    this.#sub.on("error", () => {});
    const every = (ms: number, fn: () => Promise<void> | void) => {
      const timer = setInterval(() => {
        void Promise.resolve(fn()).catch((error: unknown) =>
          this.#logger.debug({ err: (error as Error).message }, "fleet timer"),
        );
      }, ms);
      timer.unref();
      this.#timers.push(timer);
    };
    every(Math.max(50, Math.floor(this.leaseMs / 3)), () => this.#renew());
    every(Math.max(50, Math.floor(this.leaseMs / 2)), () => this.#reap());
    every(USAGE_INTERVAL_MS, () => this.#exchangeUsage());
  }

  /** Why new work is refused now (Redis unreachable), or undefined. */
  refusal(): string | undefined {
    if (this.#cmd.status === "ready" && this.#downSince === undefined) return undefined;
    return (
      `The shared response store (Redis at ${this.#address.display}) is unreachable; ` +
      "nothing was started. Retry."
    );
  }

  /** The backend whose generations this fleet can fail (set once, where the server is built). */
  useBackend(backend: GatedBackend): void {
    this.#backend = backend;
  }

  /** This instance's sessions and responses (set once, where the server is built). */
  useLocal(local: LocalSessions): void {
    this.#local = local;
  }

  /** Shares this instance's per-principal counts (set once, where the server is built). */
  useLimits(limits: LocalLimits): void {
    this.#limits = limits;
  }

  /** The other instances' counts, for {@link LocalLimits}' admission. */
  readonly usageElsewhere = {
    connections: (principal: string): number => this.#elsewhere.get(principal)?.connections ?? 0,
    inFlight: (principal: string): number => this.#elsewhere.get(principal)?.inFlight ?? 0,
  };

  /**
   * Publishes this instance's counts and reads the others' (one round trip each way), and
   * tells the others what each principal spent of its per-minute budgets here (pub/sub: an
   * instance charges it to its own buckets, so the buckets are the fleet's).
   */
  async #exchangeUsage(): Promise<void> {
    if (!this.#limits || this.#cmd.status !== "ready") return;
    const spent = this.#limits.drainSpent();
    if (spent.size > 0) {
      const message = {
        i: this.instanceId,
        s: [...spent].map(([p, s]) => [p, s.requests, s.tokens]),
      };
      // Lost when Redis is away: the others' buckets are then that much fuller (stated bound).
      this.#cmd.publish(this.#keys.spent(), JSON.stringify(message)).catch(() => {});
    }
    const mine = this.#keys.usage(this.instanceId);
    // One transaction: a reader never sees this instance's hash between the DEL and the HSET.
    const write = this.#cmd.multi().del(mine);
    const usage = this.#limits.usage();
    if (usage.size > 0) {
      const fields: Record<string, string> = {};
      for (const [principal, u] of usage) fields[principal] = `${u.connections} ${u.inFlight}`;
      write.hset(mine, fields).pexpire(mine, 5 * USAGE_INTERVAL_MS);
    }
    write.sadd(this.#keys.instances(), this.instanceId).smembers(this.#keys.instances());
    const results = (await write.exec()) ?? [];
    const others = ((results.at(-1)?.[1] as string[] | undefined) ?? []).filter(
      (id) => id !== this.instanceId,
    );
    const read = this.#cmd.pipeline();
    for (const id of others) read.hgetall(this.#keys.usage(id));
    const hashes = (await read.exec()) ?? [];
    const elsewhere = new Map<string, { connections: number; inFlight: number }>();
    const gone: string[] = [];
    hashes.forEach(([, value], i) => {
      const hash = (value ?? {}) as Record<string, string>;
      const entries = Object.entries(hash);
      if (entries.length === 0) gone.push(others[i]!);
      for (const [principal, counts] of entries) {
        const [c, f] = counts.split(" ").map(Number);
        const sum = elsewhere.get(principal) ?? { connections: 0, inFlight: 0 };
        sum.connections += c ?? 0;
        sum.inFlight += f ?? 0;
        elsewhere.set(principal, sum);
      }
    });
    this.#elsewhere = elsewhere;
    // An instance with nothing counted (idle, or dead and expired) leaves the set; it joins
    // again with its next non-empty write.
    if (gone.length > 0) await this.#cmd.srem(this.#keys.instances(), ...gone);
  }

  /** The hooks the responses service calls. */
  get observer(): ResponsesObserver {
    return {
      onStarted: (run) => this.#share(run),
      onFinished: (run, outcome) => this.#finished(run, outcome),
    };
  }

  // --- Responses this instance owns ----------------------------------------------------------

  added(run: ResponseRun, principal: string): void {
    this.#principals.set(run, principal);
  }

  #share(run: ResponseRun): void {
    const principal = this.#principals.get(run);
    if (principal === undefined || run instanceof RemoteRun || !shares(run)) return;
    const streamed = run.log.retained;
    this.#owned.set(run.id, { run, leased: false });
    this.#push({ kind: "start", run, principal, streamed });
    if (streamed) {
      // A retained log replays from its first event: nothing appended before now is missed.
      const unwritten: Unwritten = { id: run.id, events: [] };
      run.log.subscribe((entry) => {
        if (unwritten.events.length === 0) this.#unwritten.push(unwritten);
        unwritten.events.push(entry);
        this.#unwrittenEvents++;
        this.#queued++;
        if (!this.#overflowed()) this.#schedule(false);
      });
    }
  }

  #finished(run: ResponseRun, outcome: RunOutcome): void {
    if (!this.#owned.delete(run.id)) return;
    const principal = this.#principals.get(run);
    const handedTo = this.#handedAway.get(run.id);
    this.#handedAway.delete(run.id);
    if (outcome !== "failed" && principal !== undefined) {
      // Before the record's `d` flag (one connection, in order): an instance that reads the
      // record done finds the continuation too.
      const keys: string[] = [];
      if (run.params.store) keys.push(this.#keys.continuation(run.id));
      // Its session is held elsewhere now, and caches it there as it would have here.
      if (handedTo !== undefined) keys.push(this.#keys.sessionContinuation(handedTo, run.id));
      // Serialised only when written: every other hotline.v1 response (store: false, its
      // session here) ends with nothing to share but its end.
      const json = keys.length > 0 ? encodeContinuation(run, principal) : "";
      for (const key of keys) this.#push({ kind: "continuation", key, json });
    }
    this.#push({ kind: "finish", run });
  }

  #push(op: Op): void {
    this.#ops.push(op);
    this.#queued++;
    if (!this.#overflowed()) this.#schedule(true);
  }

  /** Past {@link MAX_BUFFERED_OPS} writes waiting: drops them and ends what this instance owns. */
  #overflowed(): boolean {
    if (this.#ops.length + this.#unwrittenEvents <= MAX_BUFFERED_OPS) return false;
    this.#dropUnwritten();
    this.#failOwned("lost the shared response store: too many writes waiting for Redis");
    return true;
  }

  /** Whether writes are waiting to be sent. */
  #writesWaiting(): boolean {
    return this.#ops.length > 0 || this.#unwritten.length > 0;
  }

  /** Forgets every write waiting; a waiter for them stops waiting (they will never be taken). */
  #dropUnwritten(): void {
    const dropped = this.#ops.length + this.#takeUnwritten().events;
    this.#ops = [];
    this.#settled(dropped);
  }

  /** Takes the events waiting: each response's batch, in {@link #unwritten}'s order. */
  #takeUnwritten(): { unwritten: Unwritten[]; batches: LoggedEvent[][]; events: number } {
    const unwritten = this.#unwritten;
    const batches = unwritten.map((u) => u.events);
    const events = this.#unwrittenEvents;
    for (const u of unwritten) u.events = [];
    this.#unwritten = [];
    this.#unwrittenEvents = 0;
    return { unwritten, batches, events };
  }

  /** Counts `n` more writes as no longer waiting, and resolves the waiters they release. */
  #settled(n: number): void {
    this.#stored += n;
    for (let i = this.#storedWaiters.length - 1; i >= 0; i--) {
      const waiter = this.#storedWaiters[i]!;
      if (waiter.at > this.#stored) continue;
      this.#storedWaiters.splice(i, 1);
      waiter.resolve();
    }
  }

  /**
   * A record, a token, a continuation, a response's end (`urgent`): written at the end of this
   * turn (another instance, or a `written()` waiter, needs it now). Events alone wait a few
   * ticks, to go out with the next ones.
   */
  #schedule(urgent: boolean): void {
    if (urgent) {
      if (this.#flushSoon) return;
      this.#flushSoon = true;
      setImmediate(() => {
        this.#flushSoon = false;
        void this.#flush();
      });
      return;
    }
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setTimeout(() => {
      this.#flushScheduled = false;
      void this.#flush();
    }, EVENTS_FLUSH_MS);
  }

  /** Sends the waiting writes (in one turn, on one connection); on failure keeps them, in order. */
  async #flush(): Promise<void> {
    if (this.#flushing || !this.#writesWaiting()) return;
    if (this.#cmd.status !== "ready") return;
    this.#flushing = true;
    const ops = this.#ops;
    this.#ops = [];
    // One stream entry per response per flush, holding every event it appended meanwhile: the
    // cost of sharing follows the responses and ticks, not the events (a tick emits a delta per
    // stream, and hotline.v1 keeps them all).
    const { unwritten, batches, events } = this.#takeUnwritten();
    const started: Owned[] = [];
    // In three parts, which keeps each response's order (record, events, continuation, end):
    // the records and tokens, then every response's new events in one script, then the ends.
    // All three go out in this turn, in this order, on one connection; a part with nothing to
    // send is left out, so most writes (events alone) are one command and no pipeline.
    const sent: Promise<unknown>[] = [];
    const records = ops.some(
      (op) => op.kind === "token" || op.kind === "holder" || op.kind === "start",
    );
    if (records) {
      const pipeline = this.#cmd.pipeline();
      for (const op of ops) {
        if (op.kind === "token") {
          const value = JSON.stringify({ s: op.session, p: op.principal });
          pipeline.set(this.#keys.token(op.token), value, "PX", this.#retentionMs);
          pipeline.set(this.#keys.holder(op.session), this.instanceId, "PX", this.#retentionMs);
        } else if (op.kind === "holder") {
          pipeline.set(this.#keys.holder(op.session), op.instance, "PX", this.#retentionMs);
        } else if (op.kind === "start") {
          const { run } = op;
          const record = this.#keys.record(run.id);
          pipeline.hset(record, {
            p: op.principal,
            o: this.instanceId,
            prof: run.profile,
            s: run.params.store ? "1" : "0",
            b: run.params.background ? "1" : "0",
            k: op.streamed ? "1" : "0",
            d: "0",
            c: run.params.clientRequestId ?? "",
            res: JSON.stringify(run.resource()),
          });
          pipeline.pexpire(record, this.#retentionMs);
          pipeline.set(this.#keys.lease(run.id), this.instanceId, "PX", this.leaseMs);
          pipeline.sadd(this.#keys.live(), run.id);
          const owned = this.#owned.get(run.id);
          if (owned) started.push(owned);
        }
      }
      sent.push(pipeline.exec().then(firstError));
    }
    if (batches.length > 0) {
      const now = performance.now();
      const keys: string[] = [];
      const parts: string[] = [];
      for (let i = 0; i < batches.length; i++) {
        const id = unwritten[i]!.id;
        keys.push(this.#keys.events(id));
        // The expiry is set at the first entry and again every half retention, not per entry.
        const expiredAt = this.#expiring.get(id);
        const renew = expiredAt === undefined || now - expiredAt > this.#retentionMs / 2;
        if (renew) this.#expiring.set(id, now);
        parts.push(packBatch(batches[i]!, renew ? this.#retentionMs : 0));
      }
      sent.push(
        this.#cmd.eval(APPEND_BATCHES, keys.length, ...keys, this.#maxEvents, packBatches(parts)),
      );
    }
    if (ops.some((op) => op.kind === "continuation" || op.kind === "finish")) {
      const pipeline = this.#cmd.pipeline();
      for (const op of ops) {
        if (op.kind === "continuation") {
          pipeline.set(op.key, op.json, "PX", this.#retentionMs);
        } else if (op.kind === "finish") {
          const { run } = op;
          const record = this.#keys.record(run.id);
          pipeline.hset(record, { d: "1", res: JSON.stringify(run.resource()) });
          pipeline.pexpire(record, this.#retentionMs);
          pipeline.del(this.#keys.lease(run.id));
          pipeline.srem(this.#keys.live(), run.id);
          if (this.#expiring.delete(run.id)) {
            pipeline.pexpire(this.#keys.events(run.id), this.#retentionMs);
          }
        }
      }
      sent.push(pipeline.exec().then(firstError));
    }
    // Every part settles before the next write, which may resend them all.
    const failed = (await Promise.allSettled(sent)).find((r) => r.status === "rejected");
    if (failed === undefined) {
      for (const owned of started) owned.leased = true;
      this.#downSince = undefined;
      this.#settled(ops.length + events);
    } else {
      // Kept for the reconnect; replayed in order, so the stream stays gapless.
      this.#downSince ??= performance.now();
      this.#ops = [...ops, ...this.#ops];
      this.#requeue(unwritten, batches, events);
      const reason = (failed.reason as Error).message;
      this.#logger.warn({ err: reason }, "fleet write failed; kept for retry");
    }
    this.#flushing = false;
    if (this.#cmd.status === "ready" && this.#downSince === undefined) {
      // Someone waits for these (a hand-over, a create shown once shared): now, not in 16 ms.
      if (this.#ops.length > 0 || (this.#unwritten.length > 0 && this.#storedWaiters.length > 0)) {
        this.#schedule(true);
      } else if (this.#unwritten.length > 0) {
        this.#schedule(false);
      }
    }
  }

  /** Puts a failed write's events back before those appended since, each stream in order. */
  #requeue(unwritten: Unwritten[], batches: LoggedEvent[][], events: number): void {
    const since = this.#unwritten;
    unwritten.forEach((u, i) => (u.events = [...batches[i]!, ...u.events]));
    this.#unwritten = [...unwritten, ...since.filter((u) => !unwritten.includes(u))];
    this.#unwrittenEvents += events;
  }

  /** Renews this instance's leases; a response whose lease was lost (reaped) is failed here. */
  async #renew(): Promise<void> {
    if (this.#downSince !== undefined) {
      // Cut off for longer than a lease: another instance may already have ended these
      // responses, and nothing of what they produce can be shared. End them truthfully.
      if (performance.now() - this.#downSince > this.leaseMs) {
        this.#failOwned(
          `lost the shared response store (Redis at ${this.#address.display}) for longer than ` +
            `the ${this.leaseMs} ms lease`,
        );
      }
      return;
    }
    const leased = [...this.#owned.values()].filter((o) => o.leased && !o.run.done);
    if (leased.length === 0) return;
    const keys = leased.map((o) => this.#keys.lease(o.run.id));
    const kept = (await this.#cmd.eval(
      RENEW_LEASES,
      keys.length,
      ...keys,
      this.instanceId,
      this.leaseMs,
    )) as number[];
    leased.forEach((owned, i) => {
      if (kept[i] === 0) this.#fail(owned.run, "lost its lease on this response");
    });
  }

  #failOwned(reason: string): void {
    for (const owned of [...this.#owned.values()]) this.#fail(owned.run, reason);
  }

  #fail(run: ResponseRun, reason: string): void {
    if (run.done) return;
    this.#logger.warn({ response: run.id, reason }, "fleet: ending a response");
    const failed = this.#backend?.fail(
      run.handle,
      `The server ${reason}; the response could not go on.`,
      run.inputTokenCount,
    );
    if (!failed) run.cancel("incomplete");
  }

  async #onReconnected(): Promise<void> {
    if (this.#closed) return;
    const epoch = await this.#cmd.get(this.#keys.epoch());
    if (epoch !== this.#epoch) {
      // Redis came back empty (restarted without persistence): every record, stream and
      // lease this instance wrote is gone, so what it still generates cannot be shared.
      this.#logger.warn("fleet: Redis lost its data; ending the responses it shared");
      await this.#cmd.set(this.#keys.epoch(), this.#epoch, "NX");
      this.#epoch = (await this.#cmd.get(this.#keys.epoch())) ?? this.#epoch;
      this.#downSince = undefined;
      this.#failOwned("lost the shared response store (Redis restarted empty)");
      // What was waiting (and the terminals just appended) belongs to records that are gone.
      this.#dropUnwritten();
      return;
    }
    this.#downSince = undefined;
    void this.#flush();
  }

  // --- Sessions ------------------------------------------------------------------------------

  issued(token: string, session: { id: string; principal: string }): void {
    this.#push({ kind: "token", token, session: session.id, principal: session.principal });
  }

  /**
   * Takes over the session another instance holds for `token`: asks its holder (pub/sub) to
   * hand the session over, which closes its connection as `session_replaced`, then holds a
   * copy of each response it names. Undefined when the token is unknown, not this principal's,
   * held here after all (a take-over that raced this one), or its holder does not answer (it
   * died: its responses are reaped; the resume starts afresh).
   *
   * A holder that answers it no longer holds the session while another instance is taking it
   * over, or whose key names another instance by then, means the session is moving (a client
   * that gave up on one resume and tried another): it is followed, for {@link MOVING_WAIT_MS}
   * at most. A holder that no longer holds it and is still named ended it (a discard): the
   * resume starts afresh at once.
   */
  async takeOver(token: string, principal: string): Promise<TakenSession | undefined> {
    const raw = await this.#cmd.get(this.#keys.token(token));
    if (raw === null) return undefined;
    const held = JSON.parse(raw) as { s: string; p: string };
    if (held.p !== principal) return undefined;
    this.#takingOne(held.s, +1);
    try {
      const deadline = performance.now() + MOVING_WAIT_MS;
      for (;;) {
        if (this.#local?.holds(token, principal)) return undefined;
        const holder = await this.#cmd.get(this.#keys.holder(held.s));
        const left = deadline - performance.now();
        if (holder === null || left <= 0) return undefined;
        if (holder === this.instanceId) {
          // Named here but not held: ended here, unless another take-over here brings it.
          if ((this.#taking.get(held.s) ?? 0) < 2) return undefined;
          await new Promise((resolve) => setTimeout(resolve, TAKE_OVER_RETRY_MS));
          continue;
        }
        const wait = Math.min(left, TAKE_OVER_WAIT_MS);
        const answer = await this.#askHandOff(holder, held.s, token, principal, wait);
        if (answer === undefined) return undefined;
        if (answer.session !== null) return await this.#takeHanded(answer, principal);
        const moved = answer.moving || (await this.#cmd.get(this.#keys.holder(held.s))) !== holder;
        if (!moved) return undefined;
        await new Promise((resolve) => setTimeout(resolve, TAKE_OVER_RETRY_MS));
      }
    } finally {
      this.#takingOne(held.s, -1);
    }
  }

  #takingOne(session: string, by: 1 | -1): void {
    const n = (this.#taking.get(session) ?? 0) + by;
    if (n > 0) this.#taking.set(session, n);
    else this.#taking.delete(session);
  }

  /** Asks `holder` to hand the session over; undefined when it does not answer in `waitMs`. */
  async #askHandOff(
    holder: string,
    session: string,
    token: string,
    principal: string,
    waitMs: number,
  ): Promise<HandedAnswer | undefined> {
    const nonce = randomBytes(8).toString("hex");
    const answered = new Promise<HandedAnswer | undefined>((resolve) => {
      this.#waiting.set(nonce, resolve);
      setTimeout(() => resolve(undefined), waitMs).unref();
    });
    const ask = { op: "takeover", session, token, principal, nonce, reply: this.instanceId };
    await this.#cmd.publish(this.#keys.control(holder), JSON.stringify(ask));
    const answer = await answered;
    this.#waiting.delete(nonce);
    return answer;
  }

  /**
   * A hand-over answered after its take-over stopped waiting: the holder gave the session up
   * and names this instance as its holder, so it is held here (else no instance would hold it
   * and every later resume would be `resume_expired`).
   */
  #adoptLate(answer: HandedAnswer): void {
    const session = answer.session!;
    this.#takingOne(session, +1);
    this.#takeHanded(answer, answer.principal)
      .then(
        (taken) => this.#local?.adopt(taken, answer.principal),
        (error: unknown) => {
          this.#logger.warn({ err: (error as Error).message }, "fleet: a late hand-over was lost");
        },
      )
      .finally(() => this.#takingOne(session, -1));
  }

  async #takeHanded(answer: HandedAnswer, principal: string): Promise<TakenSession> {
    const session = answer.session!;
    const cached = await this.#loadCached(session, answer.cached ?? [], principal);
    const responses: { run: ResponseRun; bodyKey: string | undefined }[] = [];
    const stillRunning: ResponseRun[] = [];
    for (const { responseId, bodyKey, running } of answer.responses) {
      await this.prepare(responseId, principal);
      const run = this.#local?.response(responseId, principal) ?? this.#copies.get(responseId);
      if (!run) continue;
      responses.push({ run, bodyKey: bodyKey ?? undefined });
      // Running when handed over: cached when it ends, as the holder would have (the session
      // caches one that ends from now on itself; this one ended meanwhile).
      const ended = running ? await this.#ended(run, session) : undefined;
      if (ended) cached.push({ lane: "", point: ended });
      else if (running) stillRunning.push(run);
    }
    // One still running when read above may have ended while the others were read: the session
    // that adopts it caches only the ends it sees come, so this one would never be cached (a
    // continuation of it here: previous_response_not_found). Cached now; nothing is awaited from
    // here to the adoption, so none ends in between unseen.
    for (const run of stillRunning) {
      const point = run.continuationPoint();
      if (point) cached.push({ lane: "", point });
    }
    return { id: session, tokens: answer.tokens, responses, cached };
  }

  /**
   * The cache a session had on the instance that handed it over, read back in order (each
   * point its holder wrote before answering): what is missing is not continued here.
   */
  async #loadCached(
    session: string,
    cached: readonly { id: string; lane: string }[],
    principal: string,
  ): Promise<LanePoint[]> {
    if (cached.length === 0) return [];
    const read = this.#cmd.pipeline();
    for (const { id } of cached) read.get(this.#keys.sessionContinuation(session, id));
    const replies = (await read.exec()) ?? [];
    const points: LanePoint[] = [];
    cached.forEach(({ id, lane }, i) => {
      const [error, json] = replies[i] ?? [null, null];
      if (error) throw error;
      const point = typeof json === "string" ? decodeContinuation(id, json, principal) : undefined;
      if (point) points.push({ lane, point });
    });
    return points;
  }

  /**
   * A response of a session taken over here that was running when handed over: the point a
   * continuation of it builds on when it has ended by now, else undefined (a copy's end is
   * then loaded before it is shown, `#follow`; a run of this instance's the session
   * caches itself).
   */
  async #ended(run: ResponseRun, session: string): Promise<ContinuationPoint | undefined> {
    if (!(run instanceof RemoteRun)) return run.continuationPoint();
    this.#sessionCopies.set(run.id, session);
    if (!run.done) return undefined;
    await this.#loadEnd(run, run.status === "failed");
    return run.continuationPoint();
  }

  /**
   * Loads what continues a copy of a session's response, written by its owner when it ended
   * (waiting for that write a while: the end can be read before it), into the copy.
   */
  async #loadEnd(copy: RemoteRun, failed: boolean): Promise<void> {
    const session = this.#sessionCopies.get(copy.id);
    this.#sessionCopies.delete(copy.id);
    if (session === undefined || failed) return;
    const key = this.#keys.sessionContinuation(session, copy.id);
    const loaded = await this.#awaitContinuation(key, copy.id, copy.record.principal);
    if (loaded) copy.continueFrom(loaded.point);
  }

  #handOff(ask: HandOffAsk): void {
    // Shared responses go on (the taker follows them); the others stop as on a discard.
    const shared = (run: ResponseRun): boolean => run instanceof RemoteRun || shares(run);
    const handed = this.#local?.handOff(ask.token, ask.principal, shared);
    if (handed) {
      // Written before the answer: once the taker shows the session, every token of it finds
      // the taker, whatever instance it is presented to next.
      this.#push({ kind: "holder", session: handed.id, instance: ask.reply });
      // The session's cache goes with it, so the taker continues what it could continue here,
      // `store: false` responses included (FLEET-1; RESP-13 allows the same session). Carried
      // rather than written for every response as it ends: that would cost every hotline.v1
      // response a write of its whole conversation for the rare take-over, and a taker reading
      // any response of the session would continue what its cache had dropped (RESP-12, a
      // capacity). Written to Redis rather than into the answer: a pub/sub message is no
      // place for conversations. Read at once by the taker (the retention is ample).
      for (const { point } of handed.cached) {
        const key = this.#keys.sessionContinuation(handed.id, point.id);
        this.#push({ kind: "continuation", key, json: encodeContinuation(point, ask.principal) });
      }
      // What it runs here ends after the snapshot: written for the session when it ends.
      for (const { responseId, running } of handed.responses) {
        if (running && this.#owned.has(responseId)) this.#handedAway.set(responseId, handed.id);
      }
    }
    const answer: HandedAnswer & { op: string; nonce: string } = {
      op: "handed",
      nonce: ask.nonce,
      session: handed?.id ?? null,
      moving: !handed && this.#taking.has(ask.session),
      tokens: handed?.tokens ?? [],
      principal: ask.principal,
      responses: (handed?.responses ?? []).map((r) => ({
        responseId: r.responseId,
        bodyKey: r.bodyKey ?? null,
        running: r.running,
      })),
      cached: (handed?.cached ?? []).map(({ lane, point }) => ({ id: point.id, lane })),
    };
    // The taker must not read the streams, nor a client the holder key, before what was
    // queued so far (the holder, the responses' last events) is written, even when a write is
    // in flight now: the answer waits for every queued write, not for the next one.
    const written = this.written(TAKE_OVER_WAIT_MS / 2);
    setImmediate(() => void this.#flush());
    void written.then(() => {
      this.#cmd.publish(this.#keys.control(ask.reply), JSON.stringify(answer)).catch(() => {});
    });
  }

  // --- Responses another instance owns --------------------------------------------------------

  /**
   * Makes this principal's response owned elsewhere answerable here (`get` finds it): reads
   * its record, copies its stream and, while it runs, follows it. No-op for a local response
   * or an unknown id.
   */
  async prepare(id: string, principal: string): Promise<void> {
    if (this.#owned.has(id) || this.#closed) return;
    const held = this.#copies.get(id);
    // A copy that ended, or one following its stream, is current.
    if (held && (held.done || held.record.streamed)) return;
    const fields = await this.#cmd.hgetall(this.#keys.record(id));
    if (fields.p === undefined || fields.p !== principal) return;
    // This instance's own response is answered locally, unless it forgot it: a `store: false`
    // one that ended while its session was held elsewhere is read back from its stream.
    if (fields.o === this.instanceId && this.#local?.response(id, principal)) return;
    const record: RemoteRecord = {
      id,
      principal,
      owner: fields.o ?? "",
      profile: (fields.prof ?? "http") as RunProfile,
      store: fields.s === "1",
      background: fields.b === "1",
      streamed: fields.k === "1",
      done: fields.d === "1",
      clientRequestId: fields.c ? fields.c : null,
      resource: JSON.parse(fields.res ?? "{}") as ResponseResource,
    };
    const copy = new RemoteRun(record, (run, as) => this.#routeStop(run, as));
    if (record.streamed) {
      const entries = await this.#cmd.xrange(this.#keys.events(id), "-", "+");
      let last = "0-0";
      for (const [streamId, values] of entries) {
        for (const entry of entriesOf(values)) copy.copy(entry);
        last = streamId;
      }
      if (!copy.done) this.#follow(copy, last);
    }
    this.#copies.set(id, copy);
    this.#forgetLater(copy);
  }

  /** Cancels a response owned elsewhere and waits (at most `waitMs`) for its terminal event. */
  async cancelRemote(id: string, principal: string, waitMs = 2000): Promise<void> {
    await this.prepare(id, principal);
    const copy = this.#copies.get(id);
    if (!copy || copy.done) return;
    const ended = new Promise<void>((resolve) => {
      if (!copy.record.streamed) {
        resolve();
        return;
      }
      copy.log.subscribe((entry) => {
        if (entry.terminal) resolve();
      }, copy.log.nextSequenceNumber - 1);
    });
    copy.cancel("incomplete");
    await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, waitMs).unref())]);
    if (!copy.record.streamed) {
      const res = await this.#cmd.hget(this.#keys.record(id), "res");
      if (res) copy.settle(JSON.parse(res) as ResponseResource);
    }
  }

  /**
   * Makes this principal's finished stored response generated elsewhere continuable here
   * (FLEET-7): undefined when there is nothing to load (a response of this instance, or one
   * loaded already), else a promise that resolves once it is loaded or known to be absent. A
   * binding awaits it before the create, which then finds it through {@link continuation}.
   */
  loadPrevious(id: string, principal: string): Promise<void> | undefined {
    if (this.#closed || this.#owned.has(id) || this.#continuations.has(id)) return undefined;
    const local = this.#local?.response(id, principal);
    if (local !== undefined && !(local instanceof RemoteRun)) return undefined;
    return this.#loadContinuation(id, principal).catch((error: unknown) => {
      // Unreadable: nothing is loaded, and {@link continuation} refuses it as retryable.
      this.#logger.debug({ err: (error as Error).message }, "fleet: continuation not loaded");
    });
  }

  async #loadContinuation(id: string, principal: string): Promise<void> {
    const loaded = await this.#awaitContinuation(this.#keys.continuation(id), id, principal);
    if (loaded) this.#continuations.set(id, { principal, point: loaded.point }, loaded.bytes);
  }

  /**
   * What continues response `id` of `principal`, read from `key` once its owner wrote it, with
   * its size; undefined when there is nothing to continue.
   */
  async #awaitContinuation(
    key: string,
    id: string,
    principal: string,
  ): Promise<{ point: ContinuationPoint; bytes: number } | undefined> {
    const deadline = performance.now() + CONTINUATION_WAIT_MS;
    for (;;) {
      const replies = (await this.#cmd
        .multi()
        .get(key)
        .hget(this.#keys.record(id), "p")
        .hget(this.#keys.record(id), "d")
        .exec()) as [Error | null, string | null][] | null;
      const [json, owner, done] = (replies ?? []).map(([error, value]) => {
        if (error) throw error;
        return value;
      });
      if (typeof json === "string") {
        const point = decodeContinuation(id, json, principal);
        return point && { point, bytes: json.length };
      }
      // Unknown, another principal's, or ended with nothing to continue (failed, store: false).
      if (owner !== principal || done === "1") return undefined;
      // Still running, or its end not yet written by its owner (an SSE or WebSocket client
      // can read the terminal event before the owner's next flush): wait for it, a while.
      if (performance.now() > deadline) return undefined;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /**
   * The continuation point {@link loadPrevious} loaded for this principal, if any. Throws a
   * retryable `server_error` while Redis is unreachable (FLEET-5): an unread continuation is
   * not an unknown one.
   */
  continuation(id: string, principal: string): ContinuationPoint | undefined {
    const loaded = this.#continuations.get(id);
    if (loaded) return loaded.principal === principal ? loaded.point : undefined;
    const refusal = this.refusal();
    if (refusal !== undefined) throw new ProtocolError("server_error", refusal);
    return undefined;
  }

  /**
   * Resolves once every write queued so far (a new response's record, its first events) is in
   * Redis, so an id this instance just answered is found on every other (FLEET-3), or after
   * `maxWaitMs` when Redis does not take them (the create was answered truthfully either way).
   */
  written(maxWaitMs = 1000): Promise<void> {
    const at = this.#queued;
    if (this.#stored >= at) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter = {
        at,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        const i = this.#storedWaiters.indexOf(waiter);
        if (i >= 0) this.#storedWaiters.splice(i, 1);
        resolve();
      }, maxWaitMs);
      timer.unref();
      this.#storedWaiters.push(waiter);
    });
  }

  /** Resolves once the start of `run`, shared by this instance, is in Redis; else undefined. */
  published(run: ResponseRun): Promise<void> | undefined {
    return this.#owned.has(run.id) ? this.written() : undefined;
  }

  /** Another instance's spending: charged to this instance's buckets. */
  #onSpent(message: string): void {
    let parsed: { i?: string; s?: [string, number, number][] };
    try {
      parsed = JSON.parse(message) as typeof parsed;
    } catch {
      return;
    }
    if (parsed.i === this.instanceId || !Array.isArray(parsed.s)) return;
    for (const [principal, requests, tokens] of parsed.s) {
      this.#limits?.spentElsewhere(principal, { requests, tokens });
    }
  }

  /** Whether `run` is a copy of a response another instance owns. */
  isCopy(run: unknown): boolean {
    return run instanceof RemoteRun;
  }

  get(id: string, principal: string, storedOnly = true): ResponseRun | undefined {
    const copy = this.#copies.get(id);
    if (!copy || copy.record.principal !== principal) return undefined;
    // RESP-13: a session's store:false response is held here for its resume, never shown.
    return !storedOnly || copy.record.store || copy.record.background ? copy : undefined;
  }

  /** FLEET-2: a cancel, a steer's cut or an interrupt received here, sent to the owner. */
  #routeStop(run: RemoteRun, as: RemoteStop): void {
    const message = JSON.stringify({ op: "cancel", id: run.id, as });
    this.#cmd.publish(this.#keys.control(run.record.owner), message).catch(() => {});
  }

  #onControl(message: string): void {
    let parsed: { op?: string; id?: string; as?: string } & Record<string, unknown>;
    try {
      parsed = JSON.parse(message) as typeof parsed;
    } catch {
      return;
    }
    if (parsed.op === "takeover") {
      this.#handOff(parsed as unknown as HandOffAsk);
      return;
    }
    if (parsed.op === "handed") {
      const answer = parsed as unknown as HandedAnswer & { nonce: string };
      const waiting = this.#waiting.get(answer.nonce);
      if (waiting) waiting(answer);
      else if (answer.session !== null) this.#adoptLate(answer);
      return;
    }
    if (parsed.op !== "cancel" || typeof parsed.id !== "string") return;
    const run = this.#owned.get(parsed.id)?.run;
    if (parsed.as === "interrupted") run?.interrupt();
    else if (parsed.as === "cancelled" || parsed.as === "steered") run?.cancel(parsed.as);
    else run?.cancel("incomplete");
  }

  /**
   * Follows a stream from `after` with a blocking XREAD on a connection of its own, until the
   * terminal event. Redis unreachable for longer than three leases (no instance can reap the
   * response meanwhile): the copy ends with `response.failed` of its own, so nobody waits on it.
   */
  #follow(copy: RemoteRun, after: string): void {
    const conn = this.#cmd.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: 0 });
    conn.on("error", () => {});
    this.#tails.add(conn);
    const key = this.#keys.events(copy.id);
    let cursor = after;
    let okAt = performance.now();
    const giveUpMs = 3 * this.leaseMs;
    const loop = async (): Promise<void> => {
      while (!copy.done && !this.#closed) {
        try {
          const result = await conn.xread("COUNT", 1024, "BLOCK", 1000, "STREAMS", key, cursor);
          okAt = performance.now();
          for (const [, entries] of result ?? []) {
            for (const [streamId, values] of entries) {
              cursor = streamId;
              for (const entry of entriesOf(values)) {
                // A taken-over session's response: its end is shown once continuable here.
                if (entry.terminal && this.#sessionCopies.has(copy.id)) {
                  await this.#endOf(copy, entry.type === "response.failed");
                }
                copy.copy(entry);
              }
            }
          }
        } catch {
          if (performance.now() - okAt > giveUpMs) {
            endCopy(copy, `lost the shared response store for ${giveUpMs} ms`);
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    };
    void loop().finally(() => {
      this.#tails.delete(conn);
      conn.disconnect();
    });
  }

  /** `#loadEnd`, which must not stop the copy's end: unread, it is not continued here. */
  async #endOf(copy: RemoteRun, failed: boolean): Promise<void> {
    await this.#loadEnd(copy, failed).catch((error: unknown) => {
      this.#logger.debug(
        { err: (error as Error).message },
        "fleet: session continuation not loaded",
      );
    });
  }

  /** A finished copy is dropped a while after its end (a later request reads Redis again). */
  #forgetLater(copy: RemoteRun): void {
    const forget = () => {
      const timer = setTimeout(() => {
        if (this.#copies.get(copy.id) === copy) this.#copies.delete(copy.id);
        this.#sessionCopies.delete(copy.id);
      }, 60_000);
      timer.unref();
    };
    if (copy.done || !copy.record.streamed) forget();
    else copy.log.subscribe((entry) => entry.terminal && forget(), copy.log.nextSequenceNumber - 1);
  }

  /**
   * Reaps responses whose owner stopped renewing its lease: each ends with `response.failed`
   * (`server_error`, retryable) after the last event its owner wrote. Any instance may run it;
   * the script makes exactly one of them succeed.
   */
  async #reap(): Promise<void> {
    if (this.#cmd.status !== "ready" || this.#downSince !== undefined) return;
    const ids = await this.#cmd.smembers(this.#keys.live());
    const others = ids.filter((id) => !this.#owned.has(id));
    if (others.length === 0) return;
    const check = this.#cmd.pipeline();
    for (const id of others) check.exists(this.#keys.lease(id));
    const exists = (await check.exec()) ?? [];
    for (const [i, id] of others.entries()) {
      if (exists[i]?.[1] === 1) continue;
      const fields = await this.#cmd.hgetall(this.#keys.record(id));
      if (fields.p === undefined) {
        await this.#cmd.srem(this.#keys.live(), id);
        continue;
      }
      const { error, failed, resource } = failedEvents(
        JSON.parse(fields.res ?? "{}") as ResponseResource,
        (fields.prof ?? "http") as RunProfile,
        `The instance that was generating this response stopped (its lease of ${this.leaseMs} ms expired); retry.`,
      );
      const n = (await this.#cmd.eval(
        REAP,
        4,
        this.#keys.lease(id),
        this.#keys.record(id),
        this.#keys.events(id),
        this.#keys.live(),
        id,
        error,
        failed,
        resource,
        this.#retentionMs,
        this.#maxEvents,
      )) as number;
      if (n >= 0) this.#logger.warn({ response: id, owner: fields.o }, "fleet: reaped response");
    }
  }

  /** Leaves the fleet: writes what is waiting, stops following, closes the connections. */
  async close(): Promise<void> {
    if (this.#closed) return;
    for (const timer of this.#timers) clearInterval(timer);
    // The terminal events of what shutdown just ended are waiting for this turn's flush.
    await new Promise((resolve) => setImmediate(resolve));
    for (let i = 0; i < 20 && (this.#writesWaiting() || this.#flushing); i++) {
      if (this.#cmd.status !== "ready") break;
      await this.#flush();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    this.#closed = true;
    for (const conn of this.#tails) conn.disconnect();
    this.#sub.disconnect();
    this.#cmd.disconnect();
  }
}

/**
 * Whether a run is shared: a stored or background response (any instance answers for it), and
 * every response of a hotline.v1 session, `store: false` included, since a resume of the same
 * session may reach any instance (FLEET-1; RESP-13 allows that resume and nothing else).
 */
function shares(run: ResponseRun): boolean {
  return run.params.store || run.params.background || run.profile === "hotline.v1";
}

/** A take-over's question to the instance named the session's holder. */
interface HandOffAsk {
  session: string;
  token: string;
  principal: string;
  nonce: string;
  /** The asking instance. */
  reply: string;
}

/** A holder's answer to a take-over. */
interface HandedAnswer {
  /** The session's id; null when the token resumes nothing there any more. */
  session: string | null;
  /** Not held here, but this instance is taking it over itself: ask again shortly. */
  moving: boolean;
  /** Every resume token of the session (the taker accepts each, as the holder did). */
  tokens: string[];
  /** The session's principal. */
  principal: string;
  /** What it held, and whether each was running (the taker caches those when they end). */
  responses: { responseId: string; bodyKey: string | null; running: boolean }[];
  /** Its cache, each lane's oldest first; the conversations are in Redis (`sc:` keys). */
  cached: { id: string; lane: string }[];
}

function newConnection(address: RedisAddress): Redis {
  return new Redis(address.url, {
    lazyConnect: true,
    // Fail fast instead of queueing: a create must be refused, not hang, while Redis is away.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: () => 250,
  });
}

/** The logged events of a stream entry. */
function entriesOf(values: string[]): LoggedEvent[] {
  const fields: Record<string, string> = {};
  for (let i = 0; i + 1 < values.length; i += 2) fields[values[i]!] = values[i + 1]!;
  return decodeEntry(fields);
}

/**
 * The terminal a lost response ends with, in its owner's framing: an `error` event first where
 * the profile numbers one (SSE, hotline.v1), then `response.failed`; both numbered -1 for the
 * reaper to renumber.
 */
function failedEvents(
  last: ResponseResource,
  profile: RunProfile,
  message: string,
): { error: string; failed: string; resource: string } {
  const resource: ResponseResource = {
    ...last,
    status: "failed",
    error: { code: "server_error", message },
  };
  const error =
    profile === "core"
      ? ""
      : JSON.stringify({
          type: "error",
          sequence_number: -1,
          error: { type: "server_error", code: "server_error", message, param: null },
        });
  const failed = JSON.stringify({
    type: "response.failed",
    response: resource,
    sequence_number: -1,
  });
  return { error, failed, resource: JSON.stringify(resource) };
}

/** Ends a copy whose stream cannot be read any more, truthfully and locally. */
function endCopy(copy: RemoteRun, reason: string): void {
  const n = copy.log.nextSequenceNumber;
  const { error, failed } = failedEvents(
    copy.resource(),
    copy.profile,
    `This server ${reason}; the response's outcome is unknown here. Retry.`,
  );
  if (error !== "") {
    copy.copy({
      sequenceNumber: n,
      type: "error",
      json: error.replace('"sequence_number":-1', `"sequence_number":${n}`),
      terminal: false,
    });
  }
  const m = error === "" ? n : n + 1;
  copy.copy({
    sequenceNumber: m,
    type: "response.failed",
    json: failed.replace('"sequence_number":-1', `"sequence_number":${m}`),
    terminal: true,
  });
}

/** A pipeline's first failed command's error, thrown (ioredis resolves a pipeline regardless). */
function firstError(results: [Error | null, unknown][] | null): void {
  const failed = results?.find(([error]) => error !== null)?.[0];
  if (failed) throw failed;
}
