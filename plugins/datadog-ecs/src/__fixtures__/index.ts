/*
 * Realistic API responses for tests and the dev app, built with the common package's own renderer
 * and feature detectors so their feature results and findings are the real ones.
 */
import {
  AgentEvent,
  ClusterDetails,
  ClusterSummary,
  ClustersResponse,
  CoverageCounts,
  CoveragePoint,
  CoverageState,
  EcsTaskDefinition,
  EntityCoverageResponse,
  FeatureChip,
  FeatureResult,
  Finding,
  FindingSeverity,
  InstanceCoverage,
  LocationStatus,
  ManagedDaemonSummary,
  collectFindings,
  detectAgentFeatures,
  renderAgentTaskDefinition,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';

export const NOW = '2025-06-02T12:00:00.000Z';
const minutesAgo = (m: number) =>
  new Date(Date.parse(NOW) - m * 60_000).toISOString();

export const PROD = {
  accountId: '111111111111',
  region: 'us-east-1',
  name: 'Production',
};
export const PROD_WEST = {
  accountId: '111111111111',
  region: 'us-west-2',
  name: 'Production',
};
export const STAGING = {
  accountId: '222222222222',
  region: 'eu-west-1',
  name: 'Staging',
};
export const SANDBOX = {
  accountId: '333333333333',
  region: 'ap-southeast-2',
  name: 'Sandbox',
};

function agentTaskDefinition(
  revision: number,
  features: { apm?: boolean; logs?: boolean } = {},
) {
  const td: EcsTaskDefinition = renderAgentTaskDefinition({
    variant: 'linux',
    features: {
      apm: features.apm ?? false,
      logs: features.logs ?? false,
      dogstatsd: true,
    },
    apiKey: {
      source: 'secretsManager',
      secretArn:
        'arn:aws:secretsmanager:us-east-1:111111111111:secret:datadog-api-key',
      executionRoleArn: 'arn:aws:iam::111111111111:role/ecsTaskExecutionRole',
    },
    image: { tag: '7.64.1' },
  });
  return {
    ...td,
    taskDefinitionArn: `arn:aws:ecs:us-east-1:111111111111:task-definition/${td.family}:${revision}`,
    revision,
  };
}

function chipsOf(results: FeatureResult[]): FeatureChip[] {
  const rank: Record<FindingSeverity, number> = {
    critical: 0,
    warning: 1,
    info: 2,
  };
  return results.map(r => {
    const top = [...r.findings].sort(
      (a, b) => rank[a.severity] - rank[b.severity],
    )[0];
    return {
      id: r.id,
      title: r.title,
      state: r.state,
      topFinding: top?.title,
      findingCount: r.findings.length,
    };
  });
}

function countFindings(findings: Finding[]): Record<FindingSeverity, number> {
  const counts: Record<FindingSeverity, number> = {
    critical: 0,
    warning: 0,
    info: 0,
  };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

function countsOf(instances: InstanceCoverage[]): CoverageCounts {
  const by = (s: CoverageState) => instances.filter(i => i.state === s).length;
  const running = instances.filter(
    i => i.agentTask?.lastStatus === 'RUNNING',
  ).length;
  return {
    instances: instances.length,
    desired: instances.length,
    running,
    healthy: instances.filter(i => i.agentTask?.healthStatus === 'HEALTHY')
      .length,
    upToDate: instances.filter(i => i.agentTask?.upToDate).length,
    covered: by('covered'),
    pending: by('pending'),
    unhealthy: by('unhealthy'),
    stopped: by('stopped'),
    missing: by('missing'),
  };
}

const worst = (instances: InstanceCoverage[]): CoverageState => {
  const order: CoverageState[] = [
    'missing',
    'stopped',
    'unhealthy',
    'pending',
    'covered',
  ];
  return (
    order.find(s => instances.some(i => i.state === s)) ?? 'not-applicable'
  );
};

let instanceSeq = 0;
function instance(
  clusterName: string,
  state: CoverageState,
  overrides: Partial<InstanceCoverage> = {},
  revision = 'datadog-agent-task:7',
): InstanceCoverage {
  instanceSeq++;
  const id = `i-0${(0xabc000 + instanceSeq).toString(16)}${instanceSeq}ef`;
  const ciArn = `arn:aws:ecs:us-east-1:111111111111:container-instance/${clusterName}/${instanceSeq
    .toString(16)
    .padStart(32, '0')}`;
  const base: InstanceCoverage = {
    containerInstanceArn: ciArn,
    instanceId: id,
    instanceType: 'm6i.large',
    availabilityZone: 'us-east-1a',
    os: 'linux',
    osFamily: 'LINUX',
    amazonLinuxGeneration: 2023,
    amazonLinuxGenerationSource: 'ami',
    amiId: 'ami-0c7a4976cb6e06ff5',
    amiName: 'al2023-ami-ecs-hvm-2023.0.20241115-kernel-6.1-x86_64',
    external: false,
    status: 'ACTIVE',
    agentConnected: true,
    state,
  };
  const task = (
    lastStatus: string,
    healthStatus: string,
    extra: object = {},
  ) => ({
    taskArn: `arn:aws:ecs:us-east-1:111111111111:task/${clusterName}/${instanceSeq}abc`,
    lastStatus,
    desiredStatus: lastStatus === 'STOPPED' ? 'STOPPED' : 'RUNNING',
    healthStatus,
    taskDefinitionArn: `arn:aws:ecs:us-east-1:111111111111:task-definition/${revision}`,
    revision,
    serviceName: 'datadog-agent',
    startedAt: minutesAgo(600),
    upToDate: revision === 'datadog-agent-task:7',
    ...extra,
  });
  switch (state) {
    case 'covered':
      base.agentTask = task('RUNNING', 'HEALTHY');
      break;
    case 'pending':
      base.agentTask = task('PENDING', 'UNKNOWN');
      base.reason = {
        code: 'task-starting',
        message: 'The Agent task is starting (PENDING).',
      };
      break;
    case 'unhealthy':
      base.agentTask = task('RUNNING', 'UNHEALTHY');
      base.reason = {
        code: 'health-check-failing',
        message: 'The Agent container’s health check (`agent health`) fails.',
        evidence: 'Task failed container health checks.',
      };
      break;
    case 'stopped':
      base.agentTask = task('STOPPED', 'UNKNOWN', {
        stoppedAt: minutesAgo(20),
        stoppedReason: 'Essential container in task exited',
        exitCode: 137,
      });
      base.reason = {
        code: 'task-stopped',
        message:
          'The Agent task stopped: essential container exited with code 137 (out of memory).',
        evidence: 'Essential container in task exited',
      };
      break;
    case 'missing':
      base.reason = {
        code: 'insufficient-memory',
        message:
          'ECS could not place the Agent task: the instance has too little free memory.',
        evidence:
          '(service datadog-agent) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance 5f1e2d) has insufficient memory available.',
      };
      break;
    default:
      base.reason = {
        code: 'fargate',
        message: 'Fargate: the Agent runs as a sidecar.',
      };
  }
  return { ...base, ...overrides };
}

function history(points: Array<[number, number, number]>): CoveragePoint[] {
  return points.map(([m, instances, covered]) => ({
    at: minutesAgo(m),
    instances,
    covered,
    coveragePercent: instances ? Math.floor((covered / instances) * 100) : null,
  }));
}

interface ClusterSpec {
  location: { accountId: string; region: string; name: string };
  clusterName: string;
  instances: InstanceCoverage[];
  features?: { apm?: boolean; logs?: boolean };
  noAgent?: boolean;
  fargateOnly?: boolean;
  events?: AgentEvent[];
  extraFindings?: Finding[];
  history?: CoveragePoint[];
  refreshedMinutesAgo?: number;
}

function cluster(spec: ClusterSpec): ClusterDetails {
  const { accountId, region, name } = spec.location;
  const td =
    spec.noAgent || spec.fargateOnly
      ? undefined
      : agentTaskDefinition(7, spec.features);
  const featureResults = td ? detectAgentFeatures({ taskDefinition: td }) : [];
  const findings = [
    ...collectFindings(featureResults),
    ...(spec.extraFindings ?? []),
  ];
  const counts = countsOf(spec.instances);
  const revisions = [
    ...new Set(
      spec.instances.flatMap(i => (i.agentTask ? [i.agentTask.revision] : [])),
    ),
  ];
  return {
    accountId,
    region,
    clusterName: spec.clusterName,
    clusterArn: `arn:aws:ecs:${region}:${accountId}:cluster/${spec.clusterName}`,
    locationName: name,
    status: 'ACTIVE',
    state: spec.fargateOnly ? 'not-applicable' : worst(spec.instances),
    counts,
    coveragePercent: counts.instances
      ? Math.floor((counts.covered / counts.instances) * 100)
      : null,
    fargateOnly: spec.fargateOnly ?? false,
    agentServices: td
      ? [
          {
            serviceArn: `arn:aws:ecs:${region}:${accountId}:service/${spec.clusterName}/datadog-agent`,
            serviceName: 'datadog-agent',
            schedulingStrategy: 'DAEMON',
            launchType: 'EC2',
            status: 'ACTIVE',
            desiredCount: counts.instances,
            runningCount: counts.running,
            pendingCount: counts.pending,
            taskDefinitionArn: td.taskDefinitionArn!,
            rolloutState: 'COMPLETED',
          },
        ]
      : [],
    agentRevisions: revisions,
    currentRevision: td ? 'datadog-agent-task:7' : undefined,
    outdatedInstances: spec.instances.filter(
      i => i.agentTask && !i.agentTask.upToDate,
    ).length,
    features: chipsOf(featureResults),
    findingCounts: countFindings(findings),
    refreshedAt: minutesAgo(spec.refreshedMinutesAgo ?? 5),
    instances: spec.instances,
    featureResults,
    findings,
    events: spec.events ?? [],
    taskDefinitions: td ? [td] : [],
    history: spec.history ?? [],
  };
}

/** Every instance runs a healthy, current Agent. */
export const coveredCluster = cluster({
  location: PROD,
  clusterName: 'prod-web',
  features: { apm: true, logs: true },
  instances: [
    instance('prod-web', 'covered'),
    instance('prod-web', 'covered', { availabilityZone: 'us-east-1b' }),
    instance('prod-web', 'covered', { availabilityZone: 'us-east-1c' }),
  ],
  history: history([
    [1440, 3, 2],
    [720, 3, 3],
    [60, 3, 3],
  ]),
});

/** 3 of 5 covered: two instances lack memory for the Agent, one Agent runs an old revision. */
export const partialCluster = cluster({
  location: PROD,
  clusterName: 'prod-batch',
  instances: [
    instance('prod-batch', 'covered'),
    instance('prod-batch', 'covered', {}, 'datadog-agent-task:6'),
    instance('prod-batch', 'covered'),
    instance('prod-batch', 'missing', { instanceType: 't3.small' }),
    instance('prod-batch', 'missing', {
      instanceType: 't3.small',
      availabilityZone: 'us-east-1b',
    }),
  ],
  events: [
    {
      id: 'ev-1',
      createdAt: minutesAgo(12),
      message:
        '(service datadog-agent) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance 5f1e2d) has insufficient memory available.',
      serviceName: 'datadog-agent',
      keywords: ['insufficient memory'],
    },
    {
      id: 'ev-2',
      createdAt: minutesAgo(90),
      message: '(service datadog-agent) has reached a steady state.',
      serviceName: 'datadog-agent',
      keywords: [],
    },
  ],
  history: history([
    [2880, 5, 5],
    [1440, 5, 4],
    [720, 5, 3],
    [60, 5, 3],
  ]),
});

/** No Agent daemon at all. */
export const noAgentCluster = cluster({
  location: STAGING,
  clusterName: 'staging-api',
  noAgent: true,
  instances: [
    instance('staging-api', 'missing', {
      reason: {
        code: 'no-agent-daemon',
        message: 'No Datadog Agent daemon service runs on this cluster.',
      },
    }),
    instance('staging-api', 'missing', {
      reason: {
        code: 'no-agent-daemon',
        message: 'No Datadog Agent daemon service runs on this cluster.',
      },
    }),
  ],
});

/**
 * Instances on a custom AMI whose name says nothing, and one whose AMI the account cannot read:
 * their Amazon Linux generation is unknown (Docker 19.03 says nothing either).
 */
export const customAmiCluster: ClusterDetails = {
  ...cluster({
    location: PROD,
    clusterName: 'prod-custom-ami',
    noAgent: true,
    instances: [
      instance('prod-custom-ami', 'missing', {
        amazonLinuxGeneration: undefined,
        amazonLinuxGenerationSource: 'unknown',
        amiId: 'ami-0a1b2c3d4e5f60718',
        amiName: 'acme-golden-ecs-2024-11-01',
      }),
      instance('prod-custom-ami', 'missing', {
        amazonLinuxGeneration: undefined,
        amazonLinuxGenerationSource: 'unknown',
        amiId: 'ami-0fedcba9876543210',
        amiName: undefined,
      }),
    ],
  }),
  amazonLinuxGenerationUnknown: 2,
};

/** Only Fargate tasks: a daemon does not apply. */
export const fargateCluster = cluster({
  location: STAGING,
  clusterName: 'staging-fargate',
  fargateOnly: true,
  instances: [],
});

/** A cluster whose calls failed in the latest refresh. */
export const failingCluster: ClusterSummary = {
  ...cluster({
    location: PROD_WEST,
    clusterName: 'legacy-west',
    instances: [],
    noAgent: true,
  }),
  state: 'missing',
  error: {
    kind: 'access-denied',
    name: 'AccessDeniedException',
    message:
      'User is not authorized to perform: ecs:ListContainerInstances on legacy-west',
    at: minutesAgo(5),
  },
};

/** One instance in each coverage state (and an ECS Anywhere one), for the cluster page. */
export const everyStateCluster = cluster({
  location: PROD,
  clusterName: 'prod-mixed',
  instances: [
    instance('prod-mixed', 'covered'),
    instance('prod-mixed', 'pending'),
    instance('prod-mixed', 'unhealthy'),
    instance('prod-mixed', 'stopped'),
    instance('prod-mixed', 'missing'),
    instance('prod-mixed', 'covered', {
      instanceId: 'mi-0123456789abcdef0',
      external: true,
      instanceType: undefined,
      availabilityZone: undefined,
      amazonLinuxGeneration: undefined,
      amazonLinuxGenerationSource: undefined,
      amiId: undefined,
      amiName: undefined,
      osFamily: 'LINUX',
    }),
  ],
  history: history([
    [1440, 6, 6],
    [720, 6, 4],
    [60, 6, 2],
  ]),
});

/** An instance of an ECS Managed Instances capacity provider (ECS manages its operating system). */
function managedInstance(
  clusterName: string,
  provider: string,
  state: CoverageState,
  overrides: Partial<InstanceCoverage> = {},
): InstanceCoverage {
  const i = instance(
    clusterName,
    state,
    {
      instanceType: 'm7i.large',
      amazonLinuxGeneration: undefined,
      amazonLinuxGenerationSource: undefined,
      amiId: undefined,
      amiName: undefined,
      capacity: { kind: 'managed-instances', capacityProviderName: provider },
      ...overrides,
    },
    'datadog-agent-daemon:3',
  );
  return i.agentTask
    ? {
        ...i,
        agentTask: { ...i.agentTask, serviceName: undefined, upToDate: true },
      }
    : i;
}

const asg = (provider: string): Partial<InstanceCoverage> => ({
  capacity: { kind: 'ec2-asg', capacityProviderName: provider },
});

/** The managed daemon datadog-agent of a cluster, on the given capacity providers. */
export function managedDaemonOf(
  c: { accountId: string; region: string; clusterName: string },
  overrides: Partial<ManagedDaemonSummary> = {},
): ManagedDaemonSummary {
  const arn = (kind: string, name: string) =>
    `arn:aws:ecs:${c.region}:${c.accountId}:${kind}/${name}`;
  return {
    daemonArn: arn('daemon', `${c.clusterName}/datadog-agent`),
    daemonName: 'datadog-agent',
    status: 'ACTIVE',
    critical: true,
    revision: 'datadog-agent-daemon:3',
    taskDefinitionArn: arn('daemon-task-definition', 'datadog-agent-daemon:3'),
    capacityProviders: [],
    runningCount: 0,
    withoutDaemonCount: 0,
    ...overrides,
  };
}

/** Managed Instances only, and no managed daemon: the Agent runs nowhere. */
export const managedInstancesCluster: ClusterDetails = {
  ...cluster({
    location: PROD,
    clusterName: 'prod-managed',
    noAgent: true,
    instances: [1, 2, 3].map(() =>
      managedInstance('prod-managed', 'prod-managed-mi', 'missing', {
        reason: {
          code: 'no-managed-daemon',
          message:
            'No Datadog Agent managed daemon runs on the capacity provider prod-managed-mi.',
        },
      }),
    ),
  }),
  agentScheduling: {
    mode: 'none',
    daemonServices: [],
    managedDaemons: [],
    otherServices: [],
    standaloneTasks: 0,
    startedBy: [],
  },
  managedInstancesCapacityProviders: [
    {
      name: 'prod-managed-mi',
      arn: 'arn:aws:ecs:us-east-1:111111111111:capacity-provider/prod-managed-mi',
      status: 'ACTIVE',
      instances: 3,
    },
  ],
  managedDaemons: [],
};

const hybridRef = { ...PROD, clusterName: 'prod-hybrid' };

/**
 * A mixed cluster: an Auto Scaling group served by the DAEMON service datadog-agent, and Managed
 * Instances served by a managed daemon that is not critical (one instance runs without it), whose
 * deployment is under way.
 */
export const hybridCluster: ClusterDetails = {
  ...cluster({
    location: PROD,
    clusterName: 'prod-hybrid',
    features: { apm: true },
    instances: [
      instance('prod-hybrid', 'covered', asg('prod-hybrid-asg')),
      instance('prod-hybrid', 'covered', asg('prod-hybrid-asg')),
      managedInstance('prod-hybrid', 'prod-hybrid-mi', 'covered'),
      managedInstance('prod-hybrid', 'prod-hybrid-mi', 'covered'),
      managedInstance('prod-hybrid', 'prod-hybrid-mi', 'missing', {
        reason: {
          code: 'without-daemon',
          message:
            'The instance runs without the managed daemon datadog-agent, which is not critical.',
        },
      }),
    ],
  }),
  agentScheduling: {
    mode: 'mixed',
    daemonServices: ['datadog-agent'],
    managedDaemons: ['datadog-agent'],
    otherServices: [],
    standaloneTasks: 0,
    startedBy: [],
  },
  managedInstancesCapacityProviders: [
    {
      name: 'prod-hybrid-mi',
      arn: 'arn:aws:ecs:us-east-1:111111111111:capacity-provider/prod-hybrid-mi',
      status: 'ACTIVE',
      instances: 3,
    },
  ],
  managedDaemons: [
    managedDaemonOf(hybridRef, {
      critical: false,
      capacityProviders: [
        {
          arn: 'arn:aws:ecs:us-east-1:111111111111:capacity-provider/prod-hybrid-mi',
          name: 'prod-hybrid-mi',
          runningCount: 2,
          withoutDaemonCount: 1,
        },
      ],
      runningCount: 2,
      withoutDaemonCount: 1,
      currentDeployment: {
        arn: 'arn:aws:ecs:us-east-1:111111111111:daemon-deployment/prod-hybrid/datadog-agent/Xk3Lm9Pq2Rs4Tu6V',
        status: 'IN_PROGRESS',
        drainPercent: 25,
        bakeTimeInMinutes: 5,
        instances: { running: 2, withoutDaemon: 1, draining: 1 },
        circuitBreaker: { status: 'MONITORING', failureCount: 0, threshold: 3 },
        startedAt: minutesAgo(8),
      },
    }),
  ],
};

export function summaryOf(
  details: ClusterDetails | ClusterSummary,
): ClusterSummary {
  const {
    instances: _i,
    featureResults: _f,
    findings: _fi,
    events: _e,
    taskDefinitions: _t,
    history: _h,
    ...summary
  } = details as ClusterDetails;
  return summary;
}

export const locations: LocationStatus[] = [
  { ...PROD, clusterCount: 2, refreshedAt: minutesAgo(5) },
  { ...PROD_WEST, clusterCount: 1, refreshedAt: minutesAgo(5) },
  { ...STAGING, clusterCount: 2, refreshedAt: minutesAgo(5) },
  {
    ...SANDBOX,
    clusterCount: 0,
    error: {
      kind: 'credentials',
      name: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
      at: minutesAgo(5),
    },
  },
];

export function clustersResponse(
  clusters: ClusterSummary[] = [
    coveredCluster,
    partialCluster,
    noAgentCluster,
    fargateCluster,
    failingCluster,
  ].map(summaryOf),
  overrides: Partial<ClustersResponse> = {},
): ClustersResponse {
  const instances = clusters.reduce((n, c) => n + c.counts.instances, 0);
  const covered = clusters.reduce((n, c) => n + c.counts.covered, 0);
  return {
    clusters,
    locations,
    snapshotTakenAt: minutesAgo(5),
    refresh: {
      running: false,
      finishedAt: minutesAgo(5),
      nextAllowedAt: minutesAgo(-5),
    },
    totals: {
      clusters: clusters.length,
      instances,
      covered,
      coveragePercent: instances
        ? Math.floor((covered / instances) * 100)
        : null,
    },
    ...overrides,
  };
}

export const emptyClustersResponse: ClustersResponse = {
  clusters: [],
  locations: [],
  refresh: { running: false },
  totals: { clusters: 0, instances: 0, covered: 0, coveragePercent: null },
};

/** Application findings as `detectApplicationFindings` words them. */
export const applicationFindings: Finding[] = [
  {
    id: 'application.log-driver-bypasses-agent',
    severity: 'warning',
    feature: 'logs',
    title: 'Logs bypass the Agent',
    explanation:
      'The container web logs with the awslogs driver, so the Datadog Agent never sees its logs.',
    remedy:
      'Use the default json-file log driver (or remove logConfiguration) so the Agent collects the logs.',
  },
  {
    id: 'application.agent-host-missing',
    severity: 'warning',
    feature: 'apm',
    title: 'DD_AGENT_HOST is not set',
    explanation:
      'The tracer sends traces to localhost, where no Agent listens on EC2.',
    remedy:
      'Set DD_AGENT_HOST to the instance’s private IP (from the EC2 metadata endpoint) in the entry point.',
  },
];

const serviceArn = (c: ClusterSummary, name: string) =>
  `arn:aws:ecs:${c.region}:${c.accountId}:service/${c.clusterName}/${name}`;

/** A service whose tasks all sit on covered instances. */
export const coveredEntity: EntityCoverageResponse = {
  entityRef: 'component:default/web',
  snapshotTakenAt: minutesAgo(5),
  unmatched: [],
  clusters: [
    {
      cluster: summaryOf(coveredCluster),
      services: [
        {
          serviceArn: serviceArn(coveredCluster, 'web'),
          serviceName: 'web',
          found: true,
          launchType: 'EC2',
          instances: coveredCluster.instances.map(i => ({
            instanceId: i.instanceId,
            containerInstanceArn: i.containerInstanceArn,
            state: i.state,
          })),
          uncoveredTasks: 0,
          tasks: 3,
          findings: [],
        },
      ],
    },
  ],
};

/** A service with tasks on uncovered instances, application findings, and an ARN nowhere to be found. */
export const uncoveredEntity: EntityCoverageResponse = {
  entityRef: 'component:default/batch',
  snapshotTakenAt: minutesAgo(5),
  unmatched: [
    {
      arn: 'arn:aws:ecs:sa-east-1:444444444444:service/other/batch',
      reason:
        'No configured location covers account 444444444444 in sa-east-1.',
    },
  ],
  clusters: [
    {
      cluster: summaryOf(partialCluster),
      services: [
        {
          serviceArn: serviceArn(partialCluster, 'batch'),
          serviceName: 'batch',
          found: true,
          launchType: 'EC2',
          instances: partialCluster.instances.slice(2).map(i => ({
            instanceId: i.instanceId,
            containerInstanceArn: i.containerInstanceArn,
            state: i.state,
          })),
          uncoveredTasks: 4,
          tasks: 6,
          findings: applicationFindings,
        },
      ],
    },
  ],
};
