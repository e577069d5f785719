import { AuditorService } from '@backstage/backend-plugin-api';
import {
  ClusterRef,
  Rollout,
  RolloutPreview,
  RolloutRequest,
  StartRolloutRequest,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { Request } from 'express';
import { refKey } from './common';

/** The auditor events of the rollout operations. */
export type RolloutEventId =
  | 'rollout'
  | 'rollout-preview'
  | 'rollout-rollback'
  | 'rollout-cancel';

/** Runs one audited operation: `success` with the result's meta, or `fail` with the error. */
export async function audited<T>(
  auditor: Pick<AuditorService, 'createEvent'>,
  options: {
    eventId: RolloutEventId;
    severityLevel: 'low' | 'medium' | 'high' | 'critical';
    request?: Request;
    meta: Record<string, any>;
  },
  fn: () => Promise<{ value: T; meta?: Record<string, any>; failure?: Error }>,
): Promise<T> {
  const event = await auditor.createEvent(options);
  try {
    const { value, meta, failure } = await fn();
    if (failure)
      await event.fail({ error: failure, ...(meta ? { meta } : {}) });
    else await event.success(meta ? { meta } : undefined);
    return value;
  } catch (error) {
    await event.fail({ error: error as Error });
    throw error;
  }
}

/** Who asked what about which cluster: the meta every rollout event starts with. */
export interface AuditContext {
  ref: ClusterRef;
  actor: string;
  httpRequest?: Request;
}

/** What a start returns: the rollout, and whether this request created it. */
export type StartResult = { rollout: Rollout; created: boolean };

/**
 * The audit events of the rollout operations (`rollout-preview`, `rollout`, `rollout-rollback`,
 * `rollout-cancel`): what each records before it runs, and what it adds once it ran.
 */
export class RolloutAudit {
  constructor(private readonly auditor: Pick<AuditorService, 'createEvent'>) {}

  preview(
    context: AuditContext,
    request: RolloutRequest,
    run: () => Promise<RolloutPreview>,
  ): Promise<RolloutPreview> {
    const meta = { entityRef: request.entityRef ?? null };
    return this.event(context, 'rollout-preview', 'low', meta, async () => {
      const value = await run();
      return {
        value,
        meta: {
          target: value.target ?? 'daemon-service',
          registerNeeded: value.registerNeeded,
          calls: value.calls.map(c => c.operation),
        },
      };
    });
  }

  /** A rollout recorded whose ECS calls failed: the response is the failed rollout, the event a failure. */
  start(
    context: AuditContext,
    request: StartRolloutRequest,
    run: () => Promise<StartResult>,
  ): Promise<StartResult> {
    const meta = {
      entityRef: request.entityRef ?? null,
      clientToken: request.clientToken ?? null,
    };
    return this.event(context, 'rollout', 'high', meta, async () => {
      const value = await run();
      return {
        value,
        meta: {
          rolloutId: value.rollout.id,
          target: value.rollout.target ?? 'daemon-service',
          status: value.rollout.status,
          created: value.created,
          oldRevision: value.rollout.oldRevision ?? null,
          newRevision: value.rollout.newRevision ?? null,
        },
        failure:
          value.created && value.rollout.status === 'failed'
            ? Object.assign(
                new Error(value.rollout.failureReason ?? 'The rollout failed'),
                { name: 'RolloutFailedError' },
              )
            : undefined,
      };
    });
  }

  rollback(
    context: AuditContext,
    rollbackOf: string,
    run: () => Promise<Rollout>,
  ): Promise<Rollout> {
    return this.event(
      context,
      'rollout-rollback',
      'high',
      { rollbackOf },
      async () => {
        const value = await run();
        return {
          value,
          meta: { rolloutId: value.id, newRevision: value.newRevision ?? null },
        };
      },
    );
  }

  /**
   * A cancel: the rollout (its cluster is known once it is read) and whether ECS was asked to roll
   * the deployment back.
   */
  cancel(
    context: Omit<AuditContext, 'ref'>,
    rolloutId: string,
    rollback: boolean,
    run: () => Promise<Rollout>,
  ): Promise<Rollout> {
    return audited(
      this.auditor,
      {
        eventId: 'rollout-cancel',
        severityLevel: 'high',
        request: context.httpRequest,
        meta: { actor: context.actor, rolloutId, rollback },
      },
      async () => {
        const value = await run();
        return {
          value,
          meta: { cluster: refKey(value.cluster), status: value.status },
        };
      },
    );
  }

  /** One event: the cluster and the actor, then the operation's own meta. */
  private event<T>(
    context: AuditContext,
    eventId: RolloutEventId,
    severityLevel: 'low' | 'high',
    meta: Record<string, any>,
    fn: () => Promise<{
      value: T;
      meta?: Record<string, any>;
      failure?: Error;
    }>,
  ): Promise<T> {
    return audited(
      this.auditor,
      {
        eventId,
        severityLevel,
        request: context.httpRequest,
        meta: { cluster: refKey(context.ref), actor: context.actor, ...meta },
      },
      fn,
    );
  }
}
