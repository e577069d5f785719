import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CancelRolloutRequest,
  ClusterRef,
  Rollout,
  RolloutListResponse,
  RolloutPreview,
  RolloutRequest,
  StartRolloutRequest,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { Request } from 'express';
import { StartResult } from './audit';
import { actorOf } from './common';
import {
  createRolloutParts,
  RolloutParts,
  RolloutServiceOptions,
} from './parts';

export { actorOf } from './common';
export type { RolloutParts, RolloutServiceOptions } from './parts';

/**
 * Previews, starts, follows and rolls back Agent daemon rollouts (a DAEMON service, or an ECS
 * Managed Daemon on Managed Instances: the record's `target`). Every state a rollout goes through
 * is in the database, so any replica serves it and a replica that restarts (or another one, once the
 * lease expires) follows it to its end.
 *
 * A facade: each operation is one part's (`parts.ts` wires them) — authorisation
 * (`authorization.ts`), the snapshot-based plan and preview (`planning.ts`), the start
 * (`starting.ts`), running each rollout to its end under a fenced lease (`runner.ts`: the ECS write
 * steps in `execution.ts`, the polls in `following.ts`), cancels (`cancel.ts`), rollbacks (`rollback.ts`, rules in `rollbackRules.ts`), the history
 * (`history.ts`) and the audit events (`audit.ts`).
 */
export class RolloutService {
  private readonly parts: RolloutParts;

  /** From today's options (the default parts), or from the parts themselves. */
  constructor(options: RolloutServiceOptions | { parts: RolloutParts }) {
    this.parts =
      'parts' in options ? options.parts : createRolloutParts(options);
  }

  /** Lease duration (`datadogEcs.rollout.leaseSeconds`). */
  get leaseTtlMs(): number {
    return this.parts.lease.ttlMs;
  }

  async authorizeRead(credentials: BackstageCredentials): Promise<void> {
    await this.parts.authorizer.authorizeRead(credentials);
  }

  /** What a rollout would do, from the inventory's snapshot (no AWS call); needs the read permission. */
  async preview(
    ref: ClusterRef,
    request: RolloutRequest,
    credentials: BackstageCredentials,
    httpRequest?: Request,
  ): Promise<RolloutPreview> {
    const { audit, authorizer, planner } = this.parts;
    return audit.preview(
      { ref, actor: actorOf(credentials), httpRequest },
      request,
      async () => {
        await authorizer.authorizeRead(credentials);
        return planner.preview(ref, request);
      },
    );
  }

  /**
   * Starts a rollout (see `starting.ts`): `created` is false when the client token returned an
   * existing rollout.
   */
  async start(
    ref: ClusterRef,
    request: StartRolloutRequest,
    credentials: BackstageCredentials,
    httpRequest?: Request,
  ): Promise<StartResult> {
    const actor = actorOf(credentials);
    return this.parts.audit.start({ ref, actor, httpRequest }, request, () =>
      this.parts.starter.start(ref, request, credentials, actor),
    );
  }

  /**
   * Rolls a finished rollout back (see `rollback.ts`): UpdateService (a managed daemon's
   * UpdateDaemon) to the revision it replaced, tracked as a new rollout of kind `rollback`; 409
   * when a rule refuses.
   */
  async rollback(
    ref: ClusterRef,
    id: string,
    credentials: BackstageCredentials,
    httpRequest?: Request,
  ): Promise<Rollout> {
    const actor = actorOf(credentials);
    return this.parts.audit.rollback({ ref, actor, httpRequest }, id, () =>
      this.parts.rollbacks.rollback(ref, id, credentials, actor),
    );
  }

  /**
   * Cancels a pending or in-progress rollout (see `cancel.ts`): stops following it and frees the
   * cluster; with `rollback`, ECS first stops the deployment and rolls the service back.
   */
  async cancel(
    id: string,
    request: CancelRolloutRequest,
    credentials: BackstageCredentials,
    httpRequest?: Request,
  ): Promise<Rollout> {
    const actor = actorOf(credentials);
    return this.parts.audit.cancel(
      { actor, httpRequest },
      id,
      !!request.rollback,
      () => this.parts.cancels.cancel(id, request, credentials, actor),
    );
  }

  async get(id: string, credentials: BackstageCredentials): Promise<Rollout> {
    return this.parts.history.get(id, credentials);
  }

  async list(
    ref: ClusterRef,
    credentials: BackstageCredentials,
  ): Promise<RolloutListResponse> {
    return this.parts.history.list(ref, credentials);
  }

  /**
   * Picks up unfinished rollouts whose lease is free or expired (at start, and periodically): this
   * replica takes the lease and follows them to their end.
   */
  async resumeUnfinished(): Promise<void> {
    await this.parts.runner.resumeUnfinished();
  }

  /** Stops following and gives the leases up so that another replica (or this one, restarted) resumes at once. */
  async shutdown(): Promise<void> {
    await this.parts.runner.shutdown();
  }

  /** Resolves once every rollout this replica follows has finished (tests). */
  async idle(): Promise<void> {
    await this.parts.runner.idle();
  }
}
