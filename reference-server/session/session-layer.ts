/**
 * What hotline.v1 adds around responses (spec/session.md), as state and values: the session's
 * defaults and the prewarms that prefill them (SESSION-6 to SESSION-8, SESSION-21), its own
 * request budget and the rate limits it advertises (SESSION-17, SESSION-18), and the
 * `Session` object, `session.updated`, `session.pong` and `session.going_away` it sends. The
 * session decides when; this file says what.
 */
import type {
  RateLimitsUpdatedEvent,
  Session as SessionObject,
  SessionCreatedEvent,
  SessionDefaults,
  SessionGoingAwayEvent,
  SessionPongEvent,
  SessionResumedEvent,
  SessionUpdatedEvent,
} from "../../src/protocol/index.js";
import { ProtocolError } from "../../src/protocol/index.js";
import type { PrincipalLimits, RateLimitState } from "../policy/limits.js";
import { contextTokens, EMPTY_CONTEXT, type TokenIds } from "../responses/render.js";
import type { ResponseRun } from "../responses/run.js";
import type { ResponsesService } from "../responses/service.js";
import type { SessionClock } from "./clock.js";
import { prewarmBody } from "./create-bodies.js";
import {
  advertisedLimits,
  type ConnectionBudgets,
  HOTLINE_FEATURES,
  HOTLINE_VERSION,
  type HotlineConfig,
} from "./hotline-config.js";
import { RequestBudget } from "./request-budget.js";
import type { GoingAwayReason } from "./session-timers.js";
import type { Tracked } from "./tracked-responses.js";

/** What the layer reads of its session. */
export interface SessionLayerOptions {
  id: string;
  principal: string;
  service: ResponsesService;
  config: HotlineConfig;
  clock: SessionClock;
  limits?: PrincipalLimits | undefined;
  budgets?: ConnectionBudgets | undefined;
}

/** The hotline.v1 session layer of one session. */
export class SessionLayer {
  /** Session defaults applied to creates that omit a field (SESSION-7). */
  defaults: SessionDefaults = { model: null, instructions: null, tools: [], service_tier: "auto" };
  /** The resume token last issued (`session.created`, `.resumed`, `.going_away`). */
  resumeToken = "";
  /** The session's own request budget (`requests`, ERR-16). */
  readonly budget: RequestBudget;
  /** Prefills of `session.update {prewarm: true}` still running: in flight like responses. */
  readonly prewarms = new Set<ResponseRun>();
  readonly #o: SessionLayerOptions;

  /** Creates the layer with the default defaults. */
  constructor(options: SessionLayerOptions) {
    this.#o = options;
    this.budget = new RequestBudget(options.config.requestsPerMinute, options.clock);
  }

  /** The session's own `requests` limit, then the principal's (ERR-16, SESSION-17). */
  rateLimits(): RateLimitState[] {
    return [this.budget.state(), ...(this.#o.limits?.states(this.#o.principal) ?? [])];
  }

  /** SESSION-17: the rate limits at the start of a response. */
  rateLimitsEvent(responseId: string): RateLimitsUpdatedEvent {
    return { type: "rate_limits.updated", rate_limits: this.rateLimits(), response_id: responseId };
  }

  /** The `Session` object (SESSION-2). */
  sessionObject(): SessionObject {
    return {
      id: this.#o.id,
      protocol: "hotline.v1",
      version: HOTLINE_VERSION,
      resume_token: this.resumeToken,
      limits: advertisedLimits(this.#o.config, this.rateLimits(), this.#o.budgets),
      features: [...HOTLINE_FEATURES],
      defaults: this.defaults,
    };
  }

  /** SESSION-1: `session.created`, or `session.resumed` listing the responses held (RESUME-6). */
  first(held?: Iterable<Tracked>): SessionCreatedEvent | SessionResumedEvent {
    const session = this.sessionObject();
    if (!held) return { type: "session.created", session };
    const responses = [...held].map((t) => ({
      response_id: t.run.id,
      status: t.run.status,
      last_sequence_number: t.run.log.nextSequenceNumber - 1,
    }));
    return { type: "session.resumed", session, responses };
  }

  /** `session.updated`, with the prewarm's cached tokens when it prewarmed `tokens`. */
  updated(tokens?: TokenIds): SessionUpdatedEvent {
    if (tokens === undefined) return { type: "session.updated", session: this.sessionObject() };
    const cached = tokens.length === 0 ? 0 : this.#o.service.cachedTokens(tokens);
    return {
      type: "session.updated",
      session: this.sessionObject(),
      prewarm: { cached_tokens: cached },
    };
  }

  /** SESSION-11: the answer to a ping. */
  pong(nonce: SessionPongEvent["nonce"]): SessionPongEvent {
    return { type: "session.pong", nonce, server_time_ms: this.#o.clock.wallNow() };
  }

  /** SESSION-13: the notice before a close, with the fresh resume token. */
  goingAway(reason: GoingAwayReason, deadlineMs: number): SessionGoingAwayEvent {
    return {
      type: "session.going_away",
      reason,
      deadline_ms: Math.max(0, Math.round(deadlineMs)),
      resume_token: this.resumeToken,
    };
  }

  /** The tokens a prewarm of `d` prefills (none: nothing to run). */
  prewarmTokens(d: SessionDefaults): TokenIds {
    return contextTokens(d.instructions, EMPTY_CONTEXT);
  }

  /**
   * SESSION-8: starts the prefill of `d` (admitted by the session first, SESSION-21), counted
   * in flight until it ends; or the error that refused it.
   */
  startPrewarm(d: SessionDefaults): ResponseRun | ProtocolError {
    try {
      const run = this.#o.service.create(prewarmBody(d), {
        profile: "hotline.v1",
        principal: this.#o.principal,
      });
      this.#o.limits?.track(this.#o.principal, run);
      this.prewarms.add(run);
      void run.finished.then(() => this.prewarms.delete(run));
      return run;
    } catch (error) {
      return error instanceof ProtocolError
        ? error
        : new ProtocolError("server_error", (error as Error).message);
    }
  }
}
