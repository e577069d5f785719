/*
 * ECS Managed Instances and ECS Managed Daemons fixtures for the inventory's unit tests: capacity
 * providers, daemons, daemon revisions and deployments shaped like DescribeCapacityProviders /
 * DescribeDaemon / DescribeDaemonRevisions / DescribeDaemonDeployments answers, and daemon task
 * definitions (DescribeDaemonTaskDefinition, and the task-definition shape collect.ts stores).
 */
import {
  CapacityProvider,
  DaemonDeployment,
  DaemonDetail,
  DaemonRevision,
  DaemonTaskDefinition,
  TaskDefinition,
} from '@aws-sdk/client-ecs';
import { ObservedDaemon } from '../managedInstances';
import { ACCOUNT, agentTaskDefinition, CLUSTER, REGION } from './ecs';

const PREFIX = `arn:aws:ecs:${REGION}:${ACCOUNT}`;

export const capacityProviderArn = (name: string) =>
  `${PREFIX}:capacity-provider/${name}`;
export const daemonArn = (name = 'datadog-agent', clusterName = CLUSTER) =>
  `${PREFIX}:daemon/${clusterName}/${name}`;
export const daemonRevisionArn = (id: string, daemon = 'datadog-agent') =>
  `${PREFIX}:daemon-revision/${CLUSTER}/${daemon}/${id}`;
export const daemonDeploymentArn = (id: string, daemon = 'datadog-agent') =>
  `${PREFIX}:daemon-deployment/${CLUSTER}/${daemon}/${id}`;
export const daemonTaskDefinitionArn = (family: string, revision: number) =>
  `${PREFIX}:daemon-task-definition/${family}:${revision}`;

/** A capacity provider as DescribeCapacityProviders answers (Managed Instances by default). */
export function capacityProvider(
  name: string,
  type: 'MANAGED_INSTANCES' | 'EC2_AUTOSCALING' = 'MANAGED_INSTANCES',
  overrides: Partial<CapacityProvider> = {},
): CapacityProvider {
  return {
    capacityProviderArn: capacityProviderArn(name),
    name,
    status: 'ACTIVE',
    type,
    ...(type === 'MANAGED_INSTANCES'
      ? {
          managedInstancesProvider: {
            infrastructureRoleArn: `arn:aws:iam::${ACCOUNT}:role/ecsInfrastructureRole`,
          },
        }
      : {
          autoScalingGroupProvider: {
            autoScalingGroupArn: `arn:aws:autoscaling:${REGION}:${ACCOUNT}:autoScalingGroup:1:autoScalingGroupName/${name}`,
          },
        }),
    ...overrides,
  };
}

/**
 * The Agent's daemon task definition as collect.ts stores it (task-definition shape, under its
 * daemon ARN), modelled on Datadog's Managed Instances daemon file: containerd socket,
 * DD_CRI_SOCKET_PATH, ECS_MANAGED_INSTANCES, cpu 256 / memory 512.
 */
export function agentDaemonDefinition(
  opts: { family?: string; revision?: number; image?: string } = {},
): TaskDefinition {
  const family = opts.family ?? 'datadog-agent-daemon';
  const revision = opts.revision ?? 1;
  const base = agentTaskDefinition({
    family,
    revision,
    image: opts.image ?? 'public.ecr.aws/datadog/agent:7.77.0',
    environment: {
      DD_SITE: 'datadoghq.com',
      ECS_MANAGED_INSTANCES: 'true',
      DD_CRI_SOCKET_PATH: '/var/run/containerd/containerd.sock',
    },
  });
  const agent = base.containerDefinitions![0];
  return {
    taskDefinitionArn: daemonTaskDefinitionArn(family, revision),
    family,
    revision,
    cpu: '256',
    memory: '512',
    containerDefinitions: [
      {
        ...agent,
        portMappings: undefined,
        mountPoints: [
          {
            containerPath: '/var/run/containerd/containerd.sock',
            sourceVolume: 'containerd_sock',
            readOnly: true,
          },
        ],
      },
    ],
    volumes: [
      {
        name: 'containerd_sock',
        host: { sourcePath: '/var/run/containerd/containerd.sock' },
      },
    ],
  };
}

/** What DescribeDaemonTaskDefinition answers for `def` (an {@link agentDaemonDefinition}). */
export function describedDaemonTaskDefinition(
  def: TaskDefinition,
): DaemonTaskDefinition {
  return {
    daemonTaskDefinitionArn: def.taskDefinitionArn,
    family: def.family,
    revision: def.revision,
    cpu: def.cpu,
    memory: def.memory,
    status: 'ACTIVE',
    containerDefinitions:
      def.containerDefinitions as DaemonTaskDefinition['containerDefinitions'],
    volumes: def.volumes as DaemonTaskDefinition['volumes'],
  };
}

/** A daemon revision (DescribeDaemonRevisions); `id` is the last part of its ARN. */
export function daemonRevision(
  id: string,
  taskDefinition: string,
  opts: { daemon?: string; critical?: boolean; createdAt?: Date } = {},
): DaemonRevision {
  const daemon = opts.daemon ?? 'datadog-agent';
  return {
    daemonRevisionArn: daemonRevisionArn(id, daemon),
    daemonArn: daemonArn(daemon),
    daemonTaskDefinitionArn: taskDefinition,
    createdAt: opts.createdAt ?? new Date('2026-01-15T09:00:00Z'),
    ...(opts.critical !== undefined ? { critical: opts.critical } : {}),
  };
}

/** One of a daemon's current revisions, on capacity providers (name → running, without). */
export interface CurrentRevisionSpec {
  id: string;
  providers: Record<string, { running?: number; withoutDaemon?: number }>;
}

/** A daemon (DescribeDaemon) with these current revisions. */
export function daemonDetail(
  name: string,
  currentRevisions: CurrentRevisionSpec[],
  overrides: Partial<DaemonDetail> = {},
): DaemonDetail {
  return {
    daemonArn: daemonArn(name),
    status: 'ACTIVE',
    currentRevisions: currentRevisions.map(r => {
      const providers = Object.entries(r.providers);
      return {
        arn: daemonRevisionArn(r.id, name),
        capacityProviders: providers.map(([cp, n]) => ({
          arn: capacityProviderArn(cp),
          runningCount: n.running ?? 0,
          withoutDaemonCount: n.withoutDaemon ?? 0,
        })),
        totalRunningCount: providers.reduce(
          (sum, [, n]) => sum + (n.running ?? 0),
          0,
        ),
        totalWithoutDaemonCount: providers.reduce(
          (sum, [, n]) => sum + (n.withoutDaemon ?? 0),
          0,
        ),
      };
    }),
    createdAt: new Date('2026-01-15T08:00:00Z'),
    updatedAt: new Date('2026-01-15T09:00:00Z'),
    ...overrides,
  };
}

/** A daemon deployment (DescribeDaemonDeployments) moving to `target` (a revision id). */
export function daemonDeployment(
  id: string,
  target: string,
  opts: { daemon?: string } & Partial<DaemonDeployment> = {},
): DaemonDeployment {
  const { daemon = 'datadog-agent', ...overrides } = opts;
  return {
    daemonDeploymentArn: daemonDeploymentArn(id, daemon),
    status: 'SUCCESSFUL',
    targetDaemonRevision: { arn: daemonRevisionArn(target, daemon) },
    createdAt: new Date('2026-01-15T09:00:00Z'),
    ...overrides,
  };
}

/**
 * One Agent managed daemon as observeManagedInstances returns it: one current revision running
 * `taskDefinition` on `providers` (each with `running` tasks, 1 unless given), its deployment
 * targeting that revision.
 */
export function observedAgentDaemon(opts: {
  name?: string;
  taskDefinition: string;
  providers: string[];
  critical?: boolean;
  running?: number;
  withoutDaemon?: number;
  deploymentStatus?: DaemonDeployment['status'];
  status?: DaemonDetail['status'];
}): ObservedDaemon {
  const name = opts.name ?? 'datadog-agent';
  const deploymentArn = daemonDeploymentArn('dep1', name);
  return {
    daemon: daemonDetail(
      name,
      [
        {
          id: 'rev1',
          providers: Object.fromEntries(
            opts.providers.map(p => [
              p,
              { running: opts.running ?? 1, withoutDaemon: opts.withoutDaemon },
            ]),
          ),
        },
      ],
      { deploymentArn, ...(opts.status ? { status: opts.status } : {}) },
    ),
    revisions: [
      daemonRevision('rev1', opts.taskDefinition, {
        daemon: name,
        critical: opts.critical,
      }),
    ],
    deployment: daemonDeployment('dep1', 'rev1', {
      daemon: name,
      status: opts.deploymentStatus ?? 'SUCCESSFUL',
    }),
  };
}
