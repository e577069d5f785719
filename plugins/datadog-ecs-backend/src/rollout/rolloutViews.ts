import {
  Rollout,
  RolloutSummary,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { revisionOf } from './plan';
import { RolloutRecord } from './rolloutRows';

/** The API view of a record. */
export function toSummary(
  r: RolloutRecord,
  canRollback: boolean,
): RolloutSummary {
  const counts = {
    total: r.instances.length,
    done: r.instances.filter(
      i => i.state === 'healthy' || i.state === 'running',
    ).length,
    failed: r.instances.filter(i => i.state === 'failed').length,
    skipped: r.instances.filter(i => i.state === 'skipped').length,
  };
  const summary: RolloutSummary = {
    id: r.id,
    kind: r.kind,
    cluster: r.cluster,
    status: r.status,
    createdBy: r.createdBy,
    source: r.source,
    createdAt: r.createdAt,
    serviceName: r.serviceName,
    target: r.target ?? 'daemon-service',
    createdService: r.createdService,
    registered: r.registered,
    instanceCounts: counts,
    canRollback,
  };
  if (r.daemonArn) summary.daemonArn = r.daemonArn;
  if (r.rollbackOf) summary.rollbackOf = r.rollbackOf;
  if (r.rolledBackBy) summary.rolledBackBy = r.rolledBackBy;
  if (r.entityRef) summary.entityRef = r.entityRef;
  if (r.finishedAt) {
    summary.finishedAt = r.finishedAt;
    summary.durationSeconds = Math.round(
      (new Date(r.finishedAt).getTime() - new Date(r.createdAt).getTime()) /
        1000,
    );
  }
  if (r.oldTaskDefinitionArn) {
    summary.oldTaskDefinitionArn = r.oldTaskDefinitionArn;
    summary.oldRevision = revisionOf(r.oldTaskDefinitionArn);
  }
  if (r.newTaskDefinitionArn) {
    summary.newTaskDefinitionArn = r.newTaskDefinitionArn;
    summary.newRevision = revisionOf(r.newTaskDefinitionArn);
  }
  if (r.options) {
    summary.options = r.options;
    summary.features = r.options.features;
  }
  if (r.deployment) {
    const { createdAt: _createdAt, ...deployment } = r.deployment;
    summary.deployment = deployment;
  }
  if (r.failureKind) summary.failureKind = r.failureKind;
  if (r.failureReason) summary.failureReason = r.failureReason;
  if (r.note) summary.note = r.note;
  if (r.cancelledBy) summary.cancelledBy = r.cancelledBy;
  if (r.deadlineAt) summary.deadlineAt = r.deadlineAt;
  return summary;
}

/** The API view of a record with its instances and events. */
export function toRollout(r: RolloutRecord, canRollback: boolean): Rollout {
  return {
    ...toSummary(r, canRollback),
    instances: r.instances,
    events: r.events,
    updatedAt: r.updatedAt,
  };
}
