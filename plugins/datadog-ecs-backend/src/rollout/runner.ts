import { LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import { RolloutFailureKind } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { EcsGateway } from '../aws/EcsGateway';
import { classifyAwsError } from '../aws/errors';
import { RolloutConfig } from '../config/config';
import { refKey, RolloutLease } from './common';
import { RolloutExecutor } from './execution';
import { deadlineOf, RolloutFollower } from './following';
import { HeldLease, LeaseLostError } from './lease';
import { LeaseToken, RolloutRecord, RolloutStore } from './RolloutStore';

export interface RolloutRunnerDeps {
  store: Pick<
    RolloutStore,
    | 'get'
    | 'update'
    | 'listUnfinished'
    | 'claimLease'
    | 'releaseLease'
    | 'renewLease'
  >;
  gateway: EcsGateway;
  rollout: Pick<
    RolloutConfig,
    'deploymentTimeoutMinutes' | 'pollIntervalSeconds'
  >;
  executor: Pick<RolloutExecutor, 'advance'>;
  follower: Pick<RolloutFollower, 'poll' | 'fail'>;
  logger: LoggerService;
  lease: RolloutLease;
  now?: () => number;
}

const unfinished = (record: RolloutRecord | undefined) =>
  !!record && (record.status === 'pending' || record.status === 'in-progress');

/** How a failed step is handled: retried (until the deadline), or the rollout fails now. */
export function classifyStepError(error: unknown): {
  permanent: boolean;
  kind: RolloutFailureKind;
  reason: string;
} {
  const e = error as Error;
  const reason = `${e?.name ?? 'Error'}: ${e?.message ?? String(error)}`.slice(
    0,
    2000,
  );
  const aws = classifyAwsError(error);
  // AWS answered and will answer the same (AccessDenied, ClusterNotFound, ServiceNotFound,
  // InvalidParameter, …): failing now says why; waiting for the deadline would not.
  if (aws.fromAws && !aws.retryable)
    return { permanent: true, kind: 'aws-error', reason };
  // This plugin's refusals (no API key, a rule of the guide, a REPLICA service of that name).
  const name = isError(error) ? error.name : '';
  if (
    [
      'InputError',
      'ConflictError',
      'NotAllowedError',
      'NotFoundError',
      'SupersededError',
      'RenderValidationError',
    ].includes(name)
  ) {
    return {
      permanent: true,
      kind: name === 'SupersededError' ? 'superseded' : 'unknown',
      reason,
    };
  }
  // Throttling, the network, a server-side fault, the database: tried again on the next tick.
  return { permanent: false, kind: 'unknown', reason };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

/**
 * Runs rollouts to their end, one executor per rollout: in this process (a rollout is registered as
 * running before anything is awaited, and the resume task skips it), and across replicas (a claim of
 * its lease — refused while any replica, this one included, holds it — under a fencing token every
 * write carries; the lease renewed in the background while calls are in flight; losing it stops the
 * work without touching the record or the lock).
 *
 * Each tick re-reads the record and first checks its deadline (`deadlineAt`, set at start), whatever
 * ECS answered before; a tick that is still running when the deadline passes is abandoned and the
 * rollout failed as timed out. Then the next write step (`execution.ts`) or one poll
 * (`following.ts`). A step that fails with an error AWS will repeat (AccessDenied, ClusterNotFound,
 * ServiceNotFound, …) fails the rollout with the reason; throttling, network and server errors are
 * retried every `pollIntervalSeconds` until the deadline.
 */
export class RolloutRunner {
  private readonly running = new Map<
    string,
    { done: Promise<void>; held: HeldLease }
  >();
  private readonly stopping = new AbortController();

  constructor(private readonly deps: RolloutRunnerDeps) {}

  private now() {
    return this.deps.now?.() ?? Date.now();
  }

  /** Whether this process runs the rollout now. */
  isRunning(id: string): boolean {
    return this.running.has(id);
  }

  /**
   * Runs a rollout whose lease this replica holds (`token`, from its insert or a claim) to its end,
   * in the background, unless it runs here already. Resolves once its deployment started, it waits
   * for ECS, or it ended — what a start or rollback answers with.
   */
  begin(id: string, token: LeaseToken): Promise<void> {
    if (this.running.has(id) || this.stopping.signal.aborted)
      return Promise.resolve();
    const held = new HeldLease(
      id,
      token,
      this.deps.store,
      this.deps.logger,
    ).start();
    let settle!: () => void;
    const settled = new Promise<void>(resolve => {
      settle = resolve;
    });
    const done = this.run(id, held, settle)
      .catch(error =>
        this.deps.logger.error(`Running rollout ${id} failed: ${error}`),
      )
      .finally(() => {
        held.stop();
        settle();
        this.running.delete(id);
      });
    this.running.set(id, { done, held });
    return settled;
  }

  /** Stops running a rollout here (it was cancelled): its lease is gone already. */
  stop(id: string, why: string): void {
    this.running.get(id)?.held.lose(why);
  }

  /**
   * Picks up unfinished rollouts whose lease is free or expired (at start, and periodically): this
   * replica claims the lease and runs them to their end. Those past their deadline fail at once.
   */
  async resumeUnfinished(): Promise<void> {
    const { store, logger, lease } = this.deps;
    if (this.stopping.signal.aborted) return;
    for (const record of await store.listUnfinished()) {
      if (this.running.has(record.id) || this.stopping.signal.aborted) continue;
      const token = await store.claimLease(record.id, lease.owner, lease.ttlMs);
      if (!token) continue;
      logger.info(
        `Resuming rollout ${record.id} to ${refKey(record.cluster)} (${
          record.status
        }, step ${record.step}, claim ${token.epoch})`,
      );
      void this.begin(record.id, token);
    }
  }

  /** Stops running and gives the leases up so that another replica (or this one, restarted) resumes at once. */
  async shutdown(): Promise<void> {
    this.stopping.abort();
    const runs = [...this.running.entries()];
    await Promise.allSettled(runs.map(([, r]) => r.done));
    for (const [id, { held }] of runs) {
      await this.deps.store.releaseLease(id, held.token).catch(() => {});
    }
  }

  /** Resolves once every rollout this replica runs has ended (tests). */
  async idle(): Promise<void> {
    while (this.running.size)
      await Promise.allSettled([...this.running.values()].map(r => r.done));
  }

  private async run(
    id: string,
    held: HeldLease,
    settle: () => void,
  ): Promise<void> {
    const { store, logger } = this.deps;
    const signal = AbortSignal.any([held.signal, this.stopping.signal]);
    const pollMs = this.deps.rollout.pollIntervalSeconds * 1000;
    let lastError: string | undefined;
    while (!signal.aborted) {
      const record = await store.get(id);
      if (!unfinished(record)) return;
      if (
        record!.leaseOwner !== held.token.owner ||
        record!.leaseEpoch !== held.token.epoch
      ) {
        held.lose('another replica holds it now');
        return;
      }
      if (record!.step === 'deployed') settle();
      const left =
        deadlineOf(record!, this.deps.rollout.deploymentTimeoutMinutes) -
        this.now();
      let result: 'advanced' | 'waiting' | 'finished' | 'deadline';
      try {
        result =
          left <= 0 ? 'deadline' : await this.tickUntil(record!, held, left);
      } catch (error) {
        if (error instanceof LeaseLostError || held.lost) return;
        const c = classifyStepError(error);
        if (c.permanent) {
          logger.warn(`Rollout ${id} failed: ${c.reason}`);
          await this.fail(record!, held, c.kind, c.reason);
          return;
        }
        lastError = c.reason;
        logger.warn(
          `Rollout ${id}: ${c.reason} (retrying every ${
            pollMs / 1000
          } s until its deadline)`,
        );
        await this.note(
          record!,
          held,
          `Retrying after an error: ${c.reason}`,
        ).catch(() => {});
        result = 'waiting';
      }
      if (result === 'deadline') {
        // The record as the abandoned tick may have left it.
        const now = (await store.get(id)) ?? record!;
        if (!unfinished(now) || now.leaseEpoch !== held.token.epoch) return;
        await this.fail(
          now,
          held,
          'timeout',
          timeoutWords(now, this.deps.rollout, lastError),
        );
        return;
      }
      if (result === 'finished') return;
      if (result === 'waiting') {
        settle();
        await sleep(pollMs, signal);
      } else {
        lastError = undefined;
      }
    }
  }

  /** One tick, abandoned when the deadline passes first. */
  private async tickUntil(
    record: RolloutRecord,
    held: HeldLease,
    leftMs: number,
  ): Promise<'advanced' | 'waiting' | 'finished' | 'deadline'> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<'deadline'>(resolve => {
      timer = setTimeout(() => resolve('deadline'), leftMs);
    });
    const tick = this.tick(record, held);
    tick.catch(() => {}); // an abandoned tick's failure is nobody's
    try {
      return await Promise.race([tick, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async tick(
    record: RolloutRecord,
    held: HeldLease,
  ): Promise<'advanced' | 'waiting' | 'finished'> {
    const api = await this.deps.gateway.forLocation(
      record.cluster.accountId,
      record.cluster.region,
    );
    if (record.status === 'pending' || record.step !== 'deployed') {
      const step = await this.deps.executor.advance(api, record, held);
      if (step.status === 'advanced') return 'advanced';
      await this.note(record, held, step.note);
      return 'waiting';
    }
    return (await this.deps.follower.poll(api, record, held))
      ? 'waiting'
      : 'finished';
  }

  /** Says on the record what a rollout in progress waits for, under the lease. */
  private async note(
    record: RolloutRecord,
    held: HeldLease,
    note: string,
  ): Promise<void> {
    held.check();
    if (record.note === note) return;
    if (!(await this.deps.store.update(record.id, { note }, held.token))) {
      held.lose('another replica holds it now, or it ended');
      throw new LeaseLostError(record.id, 'a write under it was refused');
    }
  }

  private async fail(
    record: RolloutRecord,
    held: HeldLease,
    kind: RolloutFailureKind,
    reason: string,
  ): Promise<void> {
    try {
      await this.deps.follower.fail(record, held, kind, reason);
    } catch (error) {
      if (!(error instanceof LeaseLostError)) throw error;
    }
  }
}

/** Why a rollout timed out: how far it got, and the error it was retrying, if any. */
function timeoutWords(
  record: RolloutRecord,
  rollout: Pick<RolloutConfig, 'deploymentTimeoutMinutes'>,
  lastError: string | undefined,
): string {
  const done = record.instances.filter(
    i => i.state === 'healthy' || i.state === 'running',
  ).length;
  const where =
    record.step === 'deployed'
      ? `${done}/${record.instances.length} instance(s) done`
      : 'its deployment never started';
  const waiting = record.note ? ` ${record.note}` : '';
  return `The rollout did not finish within ${
    rollout.deploymentTimeoutMinutes
  } minute(s) of its start (datadogEcs.rollout.deploymentTimeoutMinutes); ${where}.${
    lastError ? ` The last attempt failed: ${lastError}.` : ''
  }${waiting}`;
}
