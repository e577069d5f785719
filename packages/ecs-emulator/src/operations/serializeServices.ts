import { circuitBreakerThreshold, launchTypeOf } from '../scheduler';
import {
  Deployment,
  Json,
  Service,
  ServiceDeploymentRecord,
} from '../model/types';
import { clean, ts } from './serialize';

// Services, their deployments and service deployments, as ECS returns them.

export function serializeDeployment(d: Deployment, svc: Service): Json {
  return clean({
    id: d.id,
    status: d.status,
    taskDefinition: d.taskDefinition.arn,
    desiredCount: d.desiredCount,
    pendingCount: d.pendingCount,
    runningCount: d.runningCount,
    failedTasks: d.failedTasks,
    createdAt: ts(d.createdAt),
    updatedAt: ts(d.updatedAt),
    launchType: d.launchType,
    platformVersion: launchTypeOf(svc) === 'FARGATE' ? 'LATEST' : undefined,
    platformFamily: launchTypeOf(svc) === 'FARGATE' ? 'Linux' : undefined,
    capacityProviderStrategy: svc.capacityProviderStrategy,
    networkConfiguration: svc.networkConfiguration,
    rolloutState: d.rolloutState,
    rolloutStateReason: d.rolloutStateReason,
  });
}

export function serializeService(
  svc: Service,
  clusterArn: string,
  include: string[],
): Json {
  let running = 0;
  let pending = 0;
  for (const d of svc.deployments) {
    running += d.runningCount;
    pending += d.pendingCount;
  }
  return clean({
    serviceArn: svc.arn,
    serviceName: svc.name,
    clusterArn,
    loadBalancers: svc.loadBalancers,
    serviceRegistries: svc.serviceRegistries,
    status: svc.status,
    desiredCount: svc.desiredCount,
    runningCount: running,
    pendingCount: pending,
    launchType: svc.launchType,
    capacityProviderStrategy: svc.capacityProviderStrategy,
    platformVersion: svc.platformVersion,
    platformFamily: launchTypeOf(svc) === 'FARGATE' ? 'Linux' : undefined,
    taskDefinition: svc.taskDefinition.arn,
    deploymentConfiguration: svc.deploymentConfiguration,
    deployments: svc.deployments.map(d => serializeDeployment(d, svc)),
    roleArn: svc.roleArn,
    events: svc.events.map(e => ({
      id: e.id,
      createdAt: ts(e.createdAt),
      message: e.message,
    })),
    createdAt: ts(svc.createdAt),
    // "The ARN of the current service deployment": the latest one ECS started for the service.
    currentServiceDeployment: svc.allServiceDeployments.at(-1)?.arn,
    placementConstraints: svc.placementConstraints,
    placementStrategy: svc.placementStrategy,
    networkConfiguration: svc.networkConfiguration,
    healthCheckGracePeriodSeconds: svc.healthCheckGracePeriodSeconds,
    schedulingStrategy: svc.schedulingStrategy,
    deploymentController: { type: 'ECS' },
    tags: include.includes('TAGS') ? svc.tags : undefined,
    createdBy: svc.createdBy,
    enableECSManagedTags: svc.enableECSManagedTags,
    propagateTags: svc.propagateTags ?? 'NONE',
    enableExecuteCommand: svc.enableExecuteCommand,
    availabilityZoneRebalancing:
      svc.schedulingStrategy === 'REPLICA' ? 'DISABLED' : undefined,
  });
}

function revisionSummary(arn: string, d: Deployment) {
  return {
    arn,
    requestedTaskCount: d.desiredCount,
    runningTaskCount: d.runningCount,
    pendingTaskCount: d.pendingCount,
  };
}

export function serializeServiceDeployment(sd: ServiceDeploymentRecord): Json {
  const target = sd.target;
  return clean({
    serviceDeploymentArn: sd.arn,
    serviceArn: sd.serviceArn,
    clusterArn: sd.clusterArn,
    createdAt: ts(sd.createdAt),
    startedAt: ts(sd.startedAt),
    finishedAt: ts(sd.finishedAt),
    stoppedAt: ts(sd.stoppedAt),
    updatedAt: ts(sd.updatedAt),
    sourceServiceRevisions: sd.sourceRevisions.map(s =>
      revisionSummary(s.arn, s.deployment),
    ),
    targetServiceRevision: revisionSummary(target.serviceRevisionArn, target),
    status: sd.status,
    statusReason: sd.statusReason,
    deploymentConfiguration: sd.deploymentConfiguration,
    rollback: sd.rollback
      ? {
          reason: sd.rollback.reason,
          startedAt: ts(sd.rollback.startedAt),
          serviceRevisionArn: sd.rollback.serviceRevisionArn,
        }
      : undefined,
    deploymentCircuitBreaker:
      sd.circuitBreakerStatus === 'DISABLED'
        ? { status: 'DISABLED', failureCount: 0, threshold: 0 }
        : {
            status: sd.circuitBreakerStatus,
            failureCount: target.failedTasks,
            threshold: circuitBreakerThreshold(
              target.desiredCount,
              sd.deploymentConfiguration?.deploymentCircuitBreaker
                ?.thresholdConfiguration,
            ),
          },
  });
}

export function serializeServiceDeploymentBrief(
  sd: ServiceDeploymentRecord,
): Json {
  return clean({
    serviceDeploymentArn: sd.arn,
    serviceArn: sd.serviceArn,
    clusterArn: sd.clusterArn,
    startedAt: ts(sd.startedAt),
    createdAt: ts(sd.createdAt),
    finishedAt: ts(sd.finishedAt),
    targetServiceRevisionArn: sd.target.serviceRevisionArn,
    status: sd.status,
    statusReason: sd.statusReason,
  });
}
