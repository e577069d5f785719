import {
  AgentServiceSummary,
  detectApplicationFindings,
  EcsTaskDefinition,
  EntityServiceCoverage,
  FeatureResult,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { Service, TaskDefinition } from '../../aws/EcsGateway';
import { ClusterObservation } from '../collect';
import { currentTaskDefinitionArn, isFargate } from './ecs';

/** An application service of the cluster, kept for entity pages. */
export type StoredServiceView = Omit<
  EntityServiceCoverage,
  'instances' | 'uncoveredTasks' | 'tasks' | 'found'
> & {
  /** Container instances its running tasks sit on (one entry per task). */
  taskInstanceArns: string[];
  fargateTasks: number;
};

/** The API view of an Agent service. */
export function agentServiceSummary(service: Service): AgentServiceSummary {
  const primary = service.deployments?.find(d => d.status === 'PRIMARY');
  return {
    serviceArn: service.serviceArn!,
    serviceName: service.serviceName!,
    schedulingStrategy: service.schedulingStrategy ?? 'REPLICA',
    launchType: service.launchType,
    status: service.status ?? 'UNKNOWN',
    desiredCount: service.desiredCount ?? 0,
    runningCount: service.runningCount ?? 0,
    pendingCount: service.pendingCount ?? 0,
    taskDefinitionArn: currentTaskDefinitionArn(service) ?? '',
    rolloutState: primary?.rolloutState,
  };
}

/**
 * The cluster's application services (not the Agent's, not INACTIVE) with where their tasks run and
 * the findings on their own definitions, given the Agent features the cluster has on.
 */
export function applicationServices(
  observation: ClusterObservation,
  agentServices: Service[],
  featureResults: FeatureResult[],
): StoredServiceView[] {
  const { taskDefinitions } = observation;
  const enabled = (id: FeatureResult['id']) =>
    featureResults.some(
      r => r.id === id && (r.state === 'on' || r.state === 'misconfigured'),
    );
  const agentFeaturesForApps = {
    apm: enabled('apm'),
    dogstatsd: enabled('dogstatsd'),
    logs: enabled('logs'),
  };
  return observation.services
    .filter(s => !agentServices.includes(s) && s.status !== 'INACTIVE')
    .map(service => {
      const defArn = currentTaskDefinitionArn(service);
      const def: TaskDefinition | undefined = defArn
        ? taskDefinitions[defArn]
        : undefined;
      const group = `service:${service.serviceName}`;
      const tasks = observation.tasks.filter(t => t.group === group);
      return {
        serviceArn: service.serviceArn!,
        serviceName: service.serviceName!,
        launchType:
          service.launchType ?? (isFargate(service) ? 'FARGATE' : undefined),
        taskDefinitionArn: defArn,
        findings: def
          ? detectApplicationFindings(
              def as EcsTaskDefinition,
              agentFeaturesForApps,
            )
          : [],
        taskInstanceArns: tasks
          .map(t => t.containerInstanceArn)
          .filter((a): a is string => Boolean(a)),
        fargateTasks: tasks.filter(isFargate).length,
      };
    });
}
