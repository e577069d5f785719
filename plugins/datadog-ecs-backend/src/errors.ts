import { ConflictError, CustomErrorBase } from '@backstage/errors';
import { ApiErrorFields } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';

/*
 * Errors whose fields reach the client: Backstage's error middleware serializes an error's own
 * enumerable properties into the body's `error` (and answers with its `statusCode`, else the status
 * of its name). The field names are -common's `ApiErrorFields`, which clients read with
 * `errorFieldsOf`.
 */

/** 409: the cluster already has an active rollout; `activeRolloutId` says which, when known. */
export class ActiveRolloutError
  extends ConflictError
  implements Pick<ApiErrorFields, 'activeRolloutId' | 'reason'>
{
  readonly activeRolloutId?: string;
  readonly reason = 'active-rollout';

  constructor(active?: { rolloutId: string; createdBy: string; createdAt: string }) {
    super(
      active
        ? `The cluster already has an active rollout: ${active.rolloutId}, started by ${active.createdBy} at ${active.createdAt}`
        : 'The cluster already has an active rollout',
    );
    if (active) this.activeRolloutId = active.rolloutId;
  }
}

/**
 * 409 with a `reason` a client can act on: `service-draining`, `not-rollbackable`,
 * `rollout-finished`, `ecs-refused` (see `ApiErrorFields.reason`).
 */
export class RolloutConflictError
  extends ConflictError
  implements Required<Pick<ApiErrorFields, 'reason'>>
{
  constructor(
    readonly reason:
      | 'service-draining'
      | 'not-rollbackable'
      | 'rollout-finished'
      | 'ecs-refused',
    message: string,
  ) {
    super(message);
  }
}

/** 409: a service of the daemon's name is DRAINING; ECS cannot create it again until it is INACTIVE. */
export class ServiceDrainingError extends RolloutConflictError {
  constructor(serviceName: string) {
    super(
      'service-draining',
      `The service ${serviceName} is DRAINING (deleted, its tasks still stopping): ECS cannot create a service of that name again until it is INACTIVE. Try again once it is, or set datadogEcs.rollout.serviceName to another name`,
    );
  }
}

/** 429 with `retryAfterSeconds` and `nextAllowedAt` (and the `Retry-After` header, see http.ts). */
export class TooManyRequestsError
  extends CustomErrorBase
  implements Required<Pick<ApiErrorFields, 'retryAfterSeconds' | 'nextAllowedAt'>>
{
  name = 'TooManyRequestsError' as const;
  readonly statusCode = 429;
  readonly retryAfterSeconds: number;
  readonly nextAllowedAt: string;

  constructor(message: string, nextAllowedAt: Date, now: Date) {
    super(message);
    this.nextAllowedAt = nextAllowedAt.toISOString();
    this.retryAfterSeconds = Math.max(1, Math.ceil((nextAllowedAt.getTime() - now.getTime()) / 1000));
  }
}
