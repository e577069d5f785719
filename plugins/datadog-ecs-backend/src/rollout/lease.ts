import { LoggerService } from '@backstage/backend-plugin-api';
import { LeaseToken, RolloutStore } from './RolloutStore';

/** Thrown when this replica's claim of a rollout's lease is gone: the work stops, touching nothing. */
export class LeaseLostError extends Error {
  constructor(id: string, why: string) {
    super(`Lost the lease of rollout ${id}: ${why}`);
    this.name = 'LeaseLostError';
  }
}

/**
 * This replica's claim of one rollout's lease while it works on it: the token every write carries,
 * renewed in the background (every third of its duration) while calls are in flight, and a signal
 * that aborts once the claim is gone — renewal refused (another replica claimed it, it was cancelled
 * or finished), or not renewed within the lease's duration (the database unreachable: then another
 * replica may take it, so this one must stop).
 */
export class HeldLease {
  private readonly controller = new AbortController();
  private lostError?: LeaseLostError;
  private timer?: ReturnType<typeof setInterval>;
  private renewedAt: number;

  constructor(
    readonly id: string,
    readonly token: LeaseToken,
    private readonly store: Pick<RolloutStore, 'renewLease'>,
    private readonly logger: LoggerService,
    private readonly now: () => number = Date.now,
  ) {
    this.renewedAt = now();
  }

  /** Aborts once the claim is gone. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get lost(): boolean {
    return this.controller.signal.aborted;
  }

  /** Starts renewing in the background. */
  start(): this {
    const every = Math.max(10, Math.floor(this.token.ttlMs / 3));
    this.timer = setInterval(() => void this.renew(), every);
    this.timer.unref?.();
    return this;
  }

  /** Stops renewing (the work ended). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Renews now; false (and the signal aborted) once the claim is gone. */
  async renew(): Promise<boolean> {
    if (this.lost) return false;
    try {
      if (await this.store.renewLease(this.id, this.token)) {
        this.renewedAt = this.now();
        return true;
      }
      this.lose('another replica holds it now, or it ended');
    } catch (error) {
      if (this.now() - this.renewedAt >= this.token.ttlMs) {
        this.lose(`not renewed within ${this.token.ttlMs} ms (${error})`);
      }
    }
    return !this.lost;
  }

  /** Gives the claim up here: the work stops at its next step. */
  lose(why: string): void {
    if (this.lost) return;
    this.stop();
    this.logger.info(`Rollout ${this.id}: stopping, ${why}`);
    this.lostError = new LeaseLostError(this.id, why);
    this.controller.abort(this.lostError);
  }

  /** Throws {@link LeaseLostError} once the claim is gone. */
  check(): void {
    if (this.lostError) throw this.lostError;
  }
}
