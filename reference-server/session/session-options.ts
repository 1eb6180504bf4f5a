/**
 * What a {@link Session} is built from: its options, and the port of the transport it talks
 * through.
 */
import type { Profile } from "../../src/protocol/index.js";
import type { PrincipalLimits } from "../policy/limits.js";
import type { ConnectionCache } from "../responses/connection-cache.js";
import type { ResponsesService } from "../responses/service.js";
import type { SessionClock } from "./clock.js";
import type { ConnectionBudgets, HotlineConfig } from "./hotline-config.js";
import type { LaneCaches } from "./lane-caches.js";
import type { SessionRegistry } from "./registry.js";
import type { Session } from "./session.js";
import type { SteerLedger } from "./steer.js";
import type { TrackedResponses } from "./tracked-responses.js";

/** What a session needs from its transport. */
export interface SessionPort {
  /** Sends one serialised event (a text frame). */
  send(json: string): void;
  /** Closes the connection with a close code and reason. */
  close(code: number, reason: string): void;
  /** Bytes queued but not yet written (backpressure). */
  bufferedAmount(): number;
  /** Calls `fn` once the queued bytes were written. */
  onDrain(fn: () => void): void;
}

/** Default bound on a connection's waiting creates, all lanes together (RESP-30). */
export const DEFAULT_MAX_QUEUED_CREATES = 64;

/** Options of a {@link Session}. */
export interface SessionOptions {
  profile: Profile;
  service: ResponsesService;
  /** Who the connection authenticated as. */
  principal: string;
  /**
   * Limits and timings: a core session reads its age limit (`connectionMaxAgeMs`, TRANSPORT-15),
   * `highWaterBytes` (STREAM-15) and `maxInFlight` (16 across lanes, RESP-35) from it.
   */
  config: HotlineConfig;
  /** The time of its timers, its request budget and `server_time_ms`. */
  clock: SessionClock;
  /** hotline.v1: where resume tokens are issued and looked up. */
  registry?: SessionRegistry<Session>;
  /** Responses run at once (default `config.maxInFlight`, the limit `session.created` advertises). */
  maxInFlight?: number;
  /** Creates that may wait for their lane or a slot, all lanes together (RESP-30; default 64). */
  maxQueuedCreates?: number;
  /** The index of the responses held (default: a new one). */
  responses?: TrackedResponses;
  /** The connection's steers (default: a new ledger for the profile). */
  steers?: SteerLedger;
  /** The connection-local cache of the default lane (default: a new one). */
  cache?: ConnectionCache;
  /** The caches of the lanes (default: each named lane its own, beside `cache`). */
  laneCaches?: LaneCaches;
  /** Responses the default lane runs at once (core: 1, RESP-31; hotline.v1: `maxInFlight`). */
  defaultLaneConcurrency?: number;
  /** Per-principal limits, checked after the session's own (advertised with them). */
  limits?: PrincipalLimits;
  /** Called once when the session ends (discarded, or its core connection closed). */
  onClose?: (session: Session) => void;
  /** The binding's budgets, stated in `session.created` (SESSION-22). */
  budgets?: ConnectionBudgets;
  /** Its id (default: a new one; a fleet instance taking a session over keeps its id). */
  id?: string;
  /**
   * A fleet: loads a stored response another instance generated so a create can continue it
   * (FLEET-7); undefined when there is nothing to wait for. A steer's successor of such a
   * response waits for it (FLEET-2).
   */
  loadPrevious?: (id: string) => Promise<void> | undefined;
}

/** A response a session hands over to another instance of a fleet (see `Session.handOff`). */
export interface HandedResponse {
  readonly responseId: string;
  /** Canonical JSON of its create, for RESUME-11 on the instance that takes it. */
  readonly bodyKey: string | undefined;
  /**
   * Still running when handed over: the session that takes it caches it when it ends (one that
   * ended before is in the handed cache, or was not cached).
   */
  readonly running: boolean;
}
