import { AdaptiveRetryStrategy } from '@smithy/core/retry';

/** What the SDK's retry strategy tells its rate limiter of an answer (`{}` for a success). */
interface Answer {
  errorType?: string;
}

/** Throttles closer together than this measure nothing (one call more or less is too much). */
const MIN_MEASURED_MS = 250;

/** How fast the pace climbs between throttles. */
const GROWTH_PER_SECOND = 1.05;

/** Options of {@link OperationPacer}; the clock and the timer are for tests. */
export interface OperationPacerOptions {
  /** The slowest pace, in calls per second, however hard ECS throttles (default 0.5). */
  minRate?: number;
  /** How far back successes count for the rate ECS lets through, in ms (default 1000). */
  windowMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * The pace of one operation in one account-region, as ECS's token bucket for it lets calls
 * through (ECS throttles per account, region and operation: a bucket of `burst` tokens refilled at
 * a sustained rate). Unpaced until ECS throttles a call; the bucket is empty then, and the pace
 * becomes the calls that succeeded over the last second (the burst included: too high). At a
 * later throttle the bucket is empty again, so the calls that succeeded since the previous one
 * came at its refill rate: the pace comes down to that, by half at most (one call more or less
 * weighs much in a short interval), each call taking the next free moment in order. Between
 * throttles the pace climbs 5% a second (by the clock, so a slow pace recovers as fast as a quick
 * one), until ECS throttles again and it is measured anew.
 *
 * A rate limiter for the SDK's `AdaptiveRetryStrategy`, in place of its `DefaultRateLimiter`: that
 * one measures the sending rate in half-second steps and starts at 0, so a burst throttled in the
 * first half-second paces the client at its minimum of 0.5 calls per second, recovering over
 * seconds (against a bucket refilled at 5 per second, a tenth of what it allows).
 */
export class OperationPacer {
  private rate: number | undefined;
  private nextAt = 0;
  private grownAt = 0;
  /** Successes so far. */
  private succeeded = 0;
  /** The last throttle the pace was measured at, and the successes then. */
  private lastThrottle: { at: number; succeeded: number } | undefined;
  /** When the calls of the last `windowMs` succeeded. */
  private readonly successes: number[] = [];
  private readonly minRate: number;
  private readonly windowMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: OperationPacerOptions = {}) {
    this.minRate = options.minRate ?? 0.5;
    this.windowMs = options.windowMs ?? 1000;
    this.now = options.now ?? (() => performance.now());
    this.sleep =
      options.sleep ?? (ms => new Promise(resolve => setTimeout(resolve, ms)));
  }

  /** Calls per second, or undefined while unpaced. */
  get pace(): number | undefined {
    return this.rate;
  }

  /** Waits for this call's moment (none while unpaced). */
  async getSendToken(): Promise<void> {
    if (this.rate === undefined) return;
    const now = this.now();
    const at = Math.max(now, this.nextAt);
    this.nextAt = at + 1000 / this.rate;
    if (at > now) await this.sleep(at - now);
  }

  updateClientSendingRate(answer?: Answer): void {
    const now = this.now();
    while (this.successes.length && this.successes[0] <= now - this.windowMs) {
      this.successes.shift();
    }
    if (answer?.errorType === 'THROTTLING') {
      const since = this.lastThrottle;
      const interval = since ? now - since.at : Infinity;
      if (this.rate === undefined || interval > this.windowMs * 3) {
        // The first throttle, or the first in a while: what succeeded over the last second (a
        // burst included, so too high; the next throttle measures the refill alone).
        this.rate = Math.max(
          this.minRate,
          Math.min(
            this.rate ?? Infinity,
            (this.successes.length * 1000) / this.windowMs,
          ),
        );
        this.lastThrottle = { at: now, succeeded: this.succeeded };
      } else if (interval >= Math.max(1000 / this.rate, MIN_MEASURED_MS)) {
        // Empty then and empty now, not long apart (so not full in between, wasting its
        // refill): what succeeded in between came at the refill rate. Throttled while sending at
        // the pace, the pace was too high: it comes down, by half at most (a few unlucky answers
        // do not stall the operation).
        const measured =
          ((this.succeeded - since!.succeeded) * 1000) / interval;
        this.rate = Math.max(
          this.minRate,
          this.rate / 2,
          Math.min(this.rate, measured),
        );
        this.lastThrottle = { at: now, succeeded: this.succeeded };
      }
      // Otherwise throttled together with the last one, too soon after it to measure anything.
      this.grownAt = now;
      // The bucket is empty now: nothing goes before its next token.
      this.nextAt = Math.max(this.nextAt, now + 1000 / this.rate);
      return;
    }
    if (answer?.errorType) return; // other errors say nothing of the bucket
    this.succeeded += 1;
    this.successes.push(now);
    if (this.rate !== undefined) {
      // By the clock, not per call: a slow pace recovers as fast.
      this.rate *= GROWTH_PER_SECOND ** ((now - this.grownAt) / 1000);
    }
    this.grownAt = now;
  }
}

type Backoff = NonNullable<
  NonNullable<ConstructorParameters<typeof AdaptiveRetryStrategy>[1]>['backoff']
>;

/**
 * The window a throttled call's retry is spread over. The SDK's own throttling base is 1 s (its
 * 2026 retry behaviour; 500 ms before), its transient one 50 ms (100 ms before): a base from this
 * value on is a throttle's.
 */
export const THROTTLE_RETRY_WINDOW_MS = 500;
const MAX_RETRY_DELAY_MS = 20_000;

/**
 * The SDK's jittered exponential backoff (a random delay up to base × 2^retry) for transient
 * errors; for a throttle, a random delay within {@link THROTTLE_RETRY_WINDOW_MS} whatever the
 * retry, not the SDK's doubling 1 s base: the retry also waits for its {@link OperationPacer},
 * which each throttle has slowed down, so a doubling backoff only added idle time (up to 4 s at
 * the third retry) where a refresh's last calls were throttled.
 */
export class PacedBackoff implements Backoff {
  private base = 0;
  private throttle = false;

  setDelayBase(delay: number) {
    // The SDK sets its throttling base before a throttle's retry, its transient one otherwise.
    this.throttle = delay >= THROTTLE_RETRY_WINDOW_MS;
    this.base = delay;
  }

  computeNextBackoffDelay(retry: number): number {
    const window = this.throttle
      ? THROTTLE_RETRY_WINDOW_MS
      : this.base * 2 ** retry;
    return Math.floor(Math.random() * Math.min(window, MAX_RETRY_DELAY_MS));
  }
}

/**
 * The SDK's adaptive retry strategy (retries with jittered backoff, its retry quota) paced by an
 * {@link OperationPacer} and backing off as {@link PacedBackoff}: one per client, and the gateway
 * has a client per operation.
 */
export function pacedRetryStrategy(
  maxAttempts: number,
  options?: OperationPacerOptions,
): AdaptiveRetryStrategy {
  return new AdaptiveRetryStrategy(maxAttempts, {
    rateLimiter: new OperationPacer(options),
    backoff: new PacedBackoff(),
  });
}
