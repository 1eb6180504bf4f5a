/**
 * One generation inside the scheduler: its spec, its mutable timing state, and the handle the
 * caller steers it with (the handle's methods forward to the scheduler).
 */
import type { OutputSource } from "./generator.js";
import type { InjectedError } from "./hints.js";
import type { TierName } from "./tiers.js";
import type { GenerationHandle, GenerationSink, GenerationState } from "./types.js";
import type { TokenIds } from "./token-ids.js";

/** What the backend facade hands the scheduler for one generation. */
export interface JobSpec {
  /** Concrete tier (after routing). */
  tier: TierName;
  /** Input context ids. */
  inputTokens: TokenIds;
  /** Conversation whose prefix-cache chain this extends. */
  conversationKey: string | undefined;
  /** false: prefill only. */
  generate: boolean;
  /** Seeds burst pacing. */
  seed: number;
  /** The output to stream. */
  output: OutputSource;
  /** Extra time before the first token (`sim.delay_ms`). */
  extraDelayMs: number;
  /** Failure to inject (`sim.error`). */
  injectedError: InjectedError | undefined;
  /** Event receiver. */
  sink: GenerationSink;
}

/** What a job's handle forwards to. */
export interface JobControl {
  /** Cancels the job. */
  cancel(job: Job): void;
  /** Pauses the job. */
  pause(job: Job): void;
  /** Resumes the job. */
  resume(job: Job): void;
}

let nextJobId = 1;

/** A generation's scheduling state; also its {@link GenerationHandle}. */
export class Job implements GenerationHandle {
  /** Backend-unique id. */
  readonly id = nextJobId++;
  /** Where it is in its life. */
  state: GenerationState = "queued";
  /** 1-based queue position while queued. */
  queuePosition: number | undefined;
  /** Whether a pause is in effect. */
  paused = false;
  /** When the current pause began (or admission, for a job paused while queued). */
  pausedAt = 0;
  /** Output tokens emitted. */
  generatedTokens = 0;
  /** Input tokens found in the prefix cache at admission. */
  cachedTokens = 0;
  /** Next deadline: end of prefill, then the next token. */
  dueAt = Number.POSITIVE_INFINITY;
  /** Earliest time its next delta may go out (the delta cadence; 0: at once). */
  flushAt = 0;
  /** When it got its slot. */
  admittedAt = 0;
  /** Prefill work (uncached tokens at the prefill rate), without floor or delay. */
  prefillWorkMs = 0;
  /** Whether prefill compute was already counted. */
  prefillCharged = false;

  /** Creates a queued job controlled by `control`. */
  constructor(
    readonly spec: JobSpec,
    readonly control: JobControl,
  ) {}

  /** Tier it runs on. */
  get tier(): TierName {
    return this.spec.tier;
  }

  /** See {@link GenerationHandle.cancel}. */
  cancel(): void {
    this.control.cancel(this);
  }

  /** See {@link GenerationHandle.pause}. */
  pause(): void {
    this.control.pause(this);
  }

  /** See {@link GenerationHandle.resume}. */
  resume(): void {
    this.control.resume(this);
  }
}
