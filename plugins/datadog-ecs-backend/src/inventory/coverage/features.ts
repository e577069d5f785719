import {
  agentHealthUnknownFinding,
  agentNotDaemonFinding,
  agentStandaloneTasksFinding,
  CHIP_FEATURE_IDS,
  collectFindings,
  detectAgentFeatures,
  EcsTaskDefinition,
  FeatureChip,
  FeatureResult,
  Finding,
  FindingSeverity,
  managedDaemonsNotInventoriedFinding,
  managedDaemonsUnreadableFinding,
  multipleAgentDaemonsFinding,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import {
  AmiImages,
  Service,
  Task,
  TaskDefinition,
} from '../../aws/EcsGateway';
import { AgentDetection } from '../collect';
import { isDaemonTaskDefinitionArn } from '../managedInstances';
import { revisionOf } from './ecs';
import { instanceInfo, InventoriedInstance } from '../instances';

/** The features shown as chips on cluster cards, in this order (the feature registry's chips). */
const CHIP_FEATURES: readonly FeatureResult['id'][] = CHIP_FEATURE_IDS;

const SEVERITY_RANK: Record<FindingSeverity, number> = {
  critical: 0,
  warning: 1,
  info: 2,
};

const bySeverity = (a: Finding, b: Finding) =>
  SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity];

/** The chips of a cluster card: each of {@link CHIP_FEATURES} detected, with its worst finding. */
export function chipsOf(results: FeatureResult[]): FeatureChip[] {
  return CHIP_FEATURES.flatMap(id => {
    const result = results.find(r => r.id === id);
    if (!result) return [];
    const top = [...result.findings].sort(bySeverity)[0];
    return [
      {
        id,
        title: result.title,
        state: result.state,
        topFinding: top?.title,
        findingCount: result.findings.length,
      },
    ];
  });
}

/** The Agent features of the definition the cluster shows (none without one), on its instances. */
export function agentFeatureResults(
  featureDef: TaskDefinition | undefined,
  instances: InventoriedInstance[],
  context: { expectedSite: string; detection: AgentDetection },
  images?: AmiImages,
): FeatureResult[] {
  const infos = instances
    .map(i => instanceInfo(i, images))
    .filter((i): i is NonNullable<typeof i> => Boolean(i));
  return featureDef
    ? detectAgentFeatures({
        taskDefinition: featureDef as EcsTaskDefinition,
        expectedSite: context.expectedSite,
        instances: infos,
        extraAgentRepositories: context.detection.imageRepositories,
        // A daemon task definition runs as an ECS Managed Daemon, on Managed Instances.
        managedDaemon: isDaemonTaskDefinitionArn(
          featureDef.taskDefinitionArn ?? '',
        ),
      })
    : [];
}

/**
 * On a cluster where a DAEMON service and a managed daemon both run the Agent (EC2 and Managed
 * Instances capacity), the findings of the definition the cluster does not show, each titled with
 * the definition it is about, unless the shown definition has the same finding.
 */
export function otherHalfFindings(
  shown: FeatureResult[],
  other: FeatureResult[],
  otherRevision: string,
): Finding[] {
  const shownIds = new Set(collectFindings(shown).map(f => f.id));
  return collectFindings(other)
    .filter(f => !shownIds.has(f.id))
    .map(f => ({ ...f, title: `${otherRevision}: ${f.title}` }));
}

/**
 * The cluster's findings, worst first: how the Agent is deployed (several daemons, REPLICA
 * services, standalone tasks) and whether its health is known, then the features' findings; and
 * their counts by severity.
 */
export function clusterFindings(parts: {
  daemons: Service[];
  nonDaemonAgentServices: Service[];
  standaloneAgentTasks: Task[];
  /** Instances (EC2 ids) whose Agent runs under a health check still UNKNOWN past its grace. */
  healthUnknownInstances?: string[];
  /** What the cluster's AMIs say (or could not say) about its instances' Amazon Linux generation. */
  amiFindings?: Finding[];
  /** Daemon task definitions (ECS Managed Daemons) of the cluster's tasks, not inventoried yet. */
  daemonTaskDefinitionArns?: string[];
  /** Why the cluster's capacity providers or managed daemons could not be read. */
  managedInstancesError?: string;
  /** Findings of the other half of a mixed cluster (see {@link otherHalfFindings}). */
  otherFindings?: Finding[];
  featureResults: FeatureResult[];
}): { findings: Finding[]; findingCounts: Record<FindingSeverity, number> } {
  const deployment: Finding[] = [];
  if (parts.daemons.length > 1) {
    deployment.push(
      multipleAgentDaemonsFinding(parts.daemons.map(s => s.serviceName!)),
    );
  }
  for (const service of parts.nonDaemonAgentServices) {
    deployment.push(
      agentNotDaemonFinding(
        service.serviceName!,
        service.schedulingStrategy ?? 'REPLICA',
      ),
    );
  }
  if (parts.standaloneAgentTasks.length > 0) {
    deployment.push(
      agentStandaloneTasksFinding(parts.standaloneAgentTasks.length),
    );
  }
  if (parts.healthUnknownInstances?.length) {
    deployment.push(agentHealthUnknownFinding(parts.healthUnknownInstances));
  }
  deployment.push(...(parts.amiFindings ?? []));
  if (parts.daemonTaskDefinitionArns?.length) {
    deployment.push(
      managedDaemonsNotInventoriedFinding(
        parts.daemonTaskDefinitionArns.map(revisionOf),
      ),
    );
  }
  if (parts.managedInstancesError) {
    deployment.push(managedDaemonsUnreadableFinding(parts.managedInstancesError));
  }
  const findings = [
    ...deployment,
    ...collectFindings(parts.featureResults),
    ...(parts.otherFindings ?? []),
  ].sort(bySeverity);
  const findingCounts: Record<FindingSeverity, number> = {
    critical: 0,
    warning: 0,
    info: 0,
  };
  for (const finding of findings) findingCounts[finding.severity] += 1;
  return { findings, findingCounts };
}
