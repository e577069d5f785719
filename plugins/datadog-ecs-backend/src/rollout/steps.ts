import { RolloutOperation } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { HeldLease, LeaseLostError } from './lease';
import { NullablePatch, RolloutRecord, RolloutStore } from './RolloutStore';

/*
 * What the write steps of both targets share (`execution.ts` for a DAEMON service,
 * `daemonExecution.ts` for a managed daemon): what a step returns, the error of a replay that finds
 * someone else's change, and the fenced write every step makes.
 */

/** What a step did: moved the record on, or waits for ECS (`note` says for what). */
export type StepResult =
  | { status: 'advanced' }
  | { status: 'waiting'; note: string };

/** The service (or daemon) changed while the rollout was interrupted in a way that cannot be told apart from its own write. */
export class SupersededError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SupersededError';
  }
}

/**
 * A write under the lease; throws {@link LeaseLostError} (and gives the claim up) once it is gone.
 * `markRolledBack`: the rollout a rollback undoes, marked in the same transaction.
 */
export async function writeUnderLease(
  store: Pick<RolloutStore, 'update'>,
  record: Pick<RolloutRecord, 'id'>,
  lease: HeldLease,
  patch: NullablePatch,
  markRolledBack?: string,
): Promise<void> {
  lease.check();
  const ok = await store.update(record.id, patch, lease.token, {
    markRolledBack,
  });
  if (!ok) {
    lease.lose('another replica holds it now, or it ended');
    throw new LeaseLostError(record.id, 'a write under it was refused');
  }
}

/** The tags a rollout's creating calls carry (tag on create: `ecs:TagResource` with `ecs:CreateAction`). */
export const MANAGED_BY_TAG = {
  key: 'managed-by',
  value: 'backstage-datadog-ecs',
} as const;

/** The tags of a definition a rollout registers: who manages it, and which rollout registered it. */
export const registrationTags = (rolloutId: string) => [
  { ...MANAGED_BY_TAG },
  { key: 'datadog-ecs-rollout', value: rolloutId },
];

/**
 * The register step both targets share: register the rendered definition when the family's latest
 * differs (after recording the pending write), and say whether this rollout registered what is now
 * the latest — also on a replay whose registration went through before a crash: the latest is then
 * the rendered one and appeared after the rollout was about to register it.
 */
export async function registerStep(options: {
  record: Pick<RolloutRecord, 'id' | 'pendingWrite'>;
  plan: { registerNeeded: boolean; latestArn?: string };
  operation: Extract<
    RolloutOperation,
    'RegisterTaskDefinition' | 'RegisterDaemonTaskDefinition'
  >;
  /** Records the pending write (a fenced write). */
  recordPending: (patch: NullablePatch) => Promise<void>;
  /** The registration call: the new revision's ARN. */
  register: () => Promise<string | undefined>;
  now: () => string;
}): Promise<{ arn?: string; registered: boolean }> {
  const { record, plan, operation } = options;
  const pending =
    record.pendingWrite?.operation === operation
      ? record.pendingWrite
      : undefined;
  if (!plan.registerNeeded) {
    return {
      arn: plan.latestArn,
      registered:
        !!pending &&
        !!plan.latestArn &&
        plan.latestArn !== pending.latestBefore,
    };
  }
  await options.recordPending({
    pendingWrite: {
      operation,
      latestBefore: plan.latestArn,
      at: options.now(),
    },
  });
  return { arn: await options.register(), registered: true };
}
