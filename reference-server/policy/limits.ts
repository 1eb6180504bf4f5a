/**
 * Per-principal limits (one principal per bearer token, or `anonymous` on an open server):
 * WebSocket connections (and SSE replay streams), responses in flight across every session and the HTTP binding,
 * requests per minute and tokens per minute. The two rates are token buckets that refill
 * continuously; tokens are charged after the fact (input plus generated output of a finished
 * response), so a spent token budget refuses the next create until it refills.
 */
import { ProtocolError } from "../../src/protocol/index.js";
import type { ResponseRun } from "../responses/run.js";

/** Limits applied to each principal. Zero disables a limit. */
export interface PrincipalLimitsConfig {
  /** Open WebSocket connections and SSE replay streams (`GET /v1/responses/{id}?stream=true`). */
  connections: number;
  /** Responses in flight (WebSocket and HTTP, background included). */
  inFlight: number;
  /** Response creates per minute (token bucket, burst = the limit). */
  requestsPerMinute: number;
  /** Input plus output tokens per minute (token bucket, charged when a response ends). */
  tokensPerMinute: number;
}

/** Reference-server defaults: high enough never to bind a single developer. */
export const DEFAULT_PRINCIPAL_LIMITS: PrincipalLimitsConfig = {
  connections: 1024,
  inFlight: 1024,
  requestsPerMinute: 60_000,
  tokensPerMinute: 100_000_000,
};

/**
 * A create or connection refused by a per-principal limit (`rate_limit_exceeded`), with the
 * limit's `reset_ms`: the HTTP binding and the upgrade turn it into `Retry-After`.
 */
export class LimitExceeded extends ProtocolError {
  /** Milliseconds until the named limit's budget is restored (0: as soon as a slot frees). */
  readonly resetMs: number;

  /** The `rate_limit_exceeded` error for `message`, retryable after `resetMs`. */
  constructor(message: string, resetMs: number) {
    super("rate_limit_exceeded", message);
    this.resetMs = resetMs;
  }

  /** The HTTP `Retry-After` value: whole seconds, rounded up, at least 1. */
  get retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(this.resetMs / 1000));
  }
}

/** One advertised limit (the wire's `RateLimit`). */
export interface RateLimitState {
  name: string;
  limit: number;
  remaining: number;
  reset_ms: number;
}

/** A continuously refilling bucket of `capacity` per minute. */
export class TokenBucket {
  readonly capacity: number;
  readonly #perMs: number;
  readonly #now: () => number;
  #level: number;
  #at: number;

  /** A full bucket. */
  constructor(capacity: number, now: () => number = () => performance.now()) {
    this.capacity = capacity;
    this.#perMs = capacity / 60_000;
    this.#now = now;
    this.#level = capacity;
    this.#at = now();
  }

  #refill(): void {
    const now = this.#now();
    this.#level = Math.min(this.capacity, this.#level + (now - this.#at) * this.#perMs);
    this.#at = now;
  }

  /** Takes `n` when at least `n` is left; false (nothing taken) otherwise. */
  take(n = 1): boolean {
    this.#refill();
    if (this.#level < n) return false;
    this.#level -= n;
    return true;
  }

  /** Whether anything is left (the token budget admits while positive). */
  positive(): boolean {
    this.#refill();
    return this.#level > 0;
  }

  /** Charges `n` even past empty (down to minus one capacity). */
  charge(n: number): void {
    this.#refill();
    this.#level = Math.max(-this.capacity, this.#level - n);
  }

  /** The wire view of this bucket. */
  state(name: string): RateLimitState {
    this.#refill();
    const level = Math.max(0, this.#level);
    return {
      name,
      limit: this.capacity,
      remaining: Math.floor(level),
      reset_ms: Math.ceil((this.capacity - this.#level) / this.#perMs),
    };
  }
}

class PrincipalState {
  connections = 0;
  inFlight = 0;
  /** Requests taken and tokens charged here since a fleet last read them ({@link PrincipalLimits.drainSpent}). */
  spentRequests = 0;
  spentTokens = 0;
  readonly requests: TokenBucket | undefined;
  readonly tokens: TokenBucket | undefined;

  constructor(config: PrincipalLimitsConfig) {
    this.requests =
      config.requestsPerMinute > 0 ? new TokenBucket(config.requestsPerMinute) : undefined;
    this.tokens = config.tokensPerMinute > 0 ? new TokenBucket(config.tokensPerMinute) : undefined;
  }

  get idle(): boolean {
    return (
      this.connections === 0 &&
      this.inFlight === 0 &&
      this.spentRequests === 0 &&
      this.spentTokens === 0 &&
      (this.requests?.state("").reset_ms ?? 0) === 0 &&
      (this.tokens?.state("").reset_ms ?? 0) === 0
    );
  }
}

/**
 * What other instances of a fleet count for a principal (reference-server/fleet/, `--redis`):
 * added to this process's own counts when a connection or create is admitted. Counts a few
 * hundred milliseconds old, so the limits hold across the fleet up to what starts meanwhile.
 */
export interface UsageElsewhere {
  connections(principal: string): number;
  inFlight(principal: string): number;
}

/** What a principal spent of its per-minute budgets in this process since the last read. */
export interface Spent {
  readonly requests: number;
  readonly tokens: number;
}

/** A principal's counts in this process (what a fleet publishes to the others). */
export interface LocalUsage {
  readonly connections: number;
  readonly inFlight: number;
}

/** Counts and budgets per principal; the bindings ask it before they start anything. */
export class PrincipalLimits {
  readonly config: PrincipalLimitsConfig;
  readonly #states = new Map<string, PrincipalState>();
  #elsewhere: UsageElsewhere | undefined;

  /** Creates the table (every principal starts with full budgets). */
  constructor(config: Partial<PrincipalLimitsConfig> = {}) {
    this.config = { ...DEFAULT_PRINCIPAL_LIMITS, ...config };
  }

  /** Counts the usage of other fleet instances too (default: this process is the server). */
  shareWith(elsewhere: UsageElsewhere): void {
    this.#elsewhere = elsewhere;
  }

  /** This process's non-zero counts per principal. */
  usage(): Map<string, LocalUsage> {
    const out = new Map<string, LocalUsage>();
    for (const [principal, state] of this.#states) {
      if (state.connections > 0 || state.inFlight > 0) {
        out.set(principal, { connections: state.connections, inFlight: state.inFlight });
      }
    }
    return out;
  }

  /**
   * What each principal spent here since the last call (requests taken, tokens charged), for a
   * fleet to tell the other instances; the counts start again from zero.
   */
  drainSpent(): Map<string, Spent> {
    const out = new Map<string, Spent>();
    for (const [principal, state] of this.#states) {
      if (state.spentRequests === 0 && state.spentTokens === 0) continue;
      out.set(principal, { requests: state.spentRequests, tokens: state.spentTokens });
      state.spentRequests = 0;
      state.spentTokens = 0;
    }
    return out;
  }

  /**
   * Charges what a principal spent on another fleet instance to its buckets here, so every
   * instance's buckets follow the whole fleet's spending (a few hundred milliseconds late).
   */
  spentElsewhere(principal: string, spent: Spent): void {
    const state = this.#state(principal);
    if (spent.requests > 0) state.requests?.charge(spent.requests);
    if (spent.tokens > 0) state.tokens?.charge(spent.tokens);
    this.#forgetIfIdle(principal);
  }

  #connections(principal: string, state: PrincipalState): number {
    return state.connections + (this.#elsewhere?.connections(principal) ?? 0);
  }

  #inFlight(principal: string, state: PrincipalState): number {
    return state.inFlight + (this.#elsewhere?.inFlight(principal) ?? 0);
  }

  #state(principal: string): PrincipalState {
    let state = this.#states.get(principal);
    if (!state) this.#states.set(principal, (state = new PrincipalState(this.config)));
    return state;
  }

  #forgetIfIdle(principal: string): void {
    const state = this.#states.get(principal);
    if (state?.idle) this.#states.delete(principal);
  }

  /**
   * Counts a new WebSocket connection; returns the error to refuse it with (HTTP 429 before
   * the upgrade) or a release function.
   */
  openConnection(principal: string): LimitExceeded | (() => void) {
    const state = this.#state(principal);
    const max = this.config.connections;
    if (max > 0 && this.#connections(principal, state) >= max) {
      return new LimitExceeded(
        `At most ${max} connections may be open per token (limit principal.connections).`,
        0,
      );
    }
    state.connections++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      state.connections--;
      this.#forgetIfIdle(principal);
    };
  }

  /**
   * Admits one response create: the in-flight count, the request bucket and the token bucket.
   * Returns the `rate_limit_exceeded` error to refuse it with, or undefined (one request
   * taken); call {@link track} with the run once it started.
   */
  admit(principal: string): LimitExceeded | undefined {
    const state = this.#state(principal);
    const c = this.config;
    if (c.inFlight > 0 && this.#inFlight(principal, state) >= c.inFlight) {
      return exceeded(`At most ${c.inFlight} responses may be in flight per token`, {
        name: "principal.in_flight",
        limit: c.inFlight,
        remaining: 0,
        reset_ms: 0,
      });
    }
    if (state.tokens && !state.tokens.positive()) {
      return exceeded(
        `The budget of ${c.tokensPerMinute} tokens per minute is spent`,
        state.tokens.state("principal.tokens"),
      );
    }
    if (state.requests && !state.requests.take()) {
      return exceeded(
        `The budget of ${c.requestsPerMinute} requests per minute is spent`,
        state.requests.state("principal.requests"),
      );
    }
    if (state.requests) state.spentRequests++;
    return undefined;
  }

  /** Counts a started run as in flight until it ends, then charges its tokens. */
  track(principal: string, run: ResponseRun): void {
    const state = this.#state(principal);
    state.inFlight++;
    void run.finished.then(() => {
      state.inFlight--;
      const usage = run.resource().usage as { input_tokens?: number; output_tokens?: number };
      const tokens = (usage?.input_tokens ?? 0) + (usage?.output_tokens ?? 0);
      if (state.tokens) {
        state.tokens.charge(tokens);
        state.spentTokens += tokens;
      }
      this.#forgetIfIdle(principal);
    });
  }

  /** The principal's limits as advertised in `session.created` and `rate_limits.updated`. */
  states(principal: string): RateLimitState[] {
    const state = this.#state(principal);
    const c = this.config;
    const out: RateLimitState[] = [];
    if (state.requests) out.push(state.requests.state("principal.requests"));
    if (state.tokens) out.push(state.tokens.state("principal.tokens"));
    if (c.inFlight > 0) {
      out.push({
        name: "principal.in_flight",
        limit: c.inFlight,
        remaining: Math.max(0, c.inFlight - this.#inFlight(principal, state)),
        reset_ms: 0,
      });
    }
    if (c.connections > 0) {
      out.push({
        name: "principal.connections",
        limit: c.connections,
        remaining: Math.max(0, c.connections - this.#connections(principal, state)),
        reset_ms: 0,
      });
    }
    return out;
  }
}

/**
 * The one admission path of every kind of work a principal starts (create over either
 * binding, prewarm, background): admits it against the principal's limits, starts it, and
 * counts it in flight until it ends. Throws the refusal (`rate_limit_exceeded`) or whatever
 * `start` throws; `admit: false` only counts it (a steer continues in the slot it freed, INT-11).
 */
export function startAdmitted(
  limits: PrincipalLimits | undefined,
  principal: string,
  start: () => ResponseRun,
  admit = true,
): ResponseRun {
  const refused = admit ? limits?.admit(principal) : undefined;
  if (refused) throw refused;
  const run = start();
  limits?.track(principal, run);
  return run;
}

function exceeded(message: string, limit: RateLimitState): LimitExceeded {
  const wait = limit.reset_ms > 0 ? `; retry in ${limit.reset_ms} ms` : "";
  return new LimitExceeded(`${message} (limit ${limit.name}${wait}).`, limit.reset_ms);
}
