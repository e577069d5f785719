/*
 * The shared table test of the Agent feature catalog: every detector runs over every row; each row
 * states the exact set of findings it must produce and the states of the features it is about.
 * The coverage checks at the end prove every feature has an "on" row and an "off" row, and every
 * finding has a row that triggers it and one that does not.
 */
import { EcsContainerDefinition, EcsTaskDefinition } from '../ecsTypes';
import { loadReference } from '../rendering/__fixtures__/referenceTaskDefinitions';
import {
  agentFeatureCatalog,
  collectFindings,
  detectAgentFeatures,
} from './catalog';
import {
  agentNotDaemonFinding,
  agentStandaloneTasksFinding,
  multipleAgentDaemonsFinding,
} from './clusterFindings';
import { detectApplicationFindings } from './applicationFindings';
import { AgentFeatureId, ContainerInstanceInfo, FeatureState } from './types';

// ---- building rows -------------------------------------------------------------------------------

type Mutation = (td: EcsTaskDefinition) => void;

const agentOf = (td: EcsTaskDefinition): EcsContainerDefinition =>
  td.containerDefinitions!.find(c => c.name === 'datadog-agent')!;

function build(
  base: EcsTaskDefinition,
  ...mutations: Mutation[]
): EcsTaskDefinition {
  const td = structuredClone(base);
  mutations.forEach(m => m(td));
  return td;
}

const env =
  (vars: Record<string, string | undefined>): Mutation =>
  td => {
    const agent = agentOf(td);
    for (const [name, value] of Object.entries(vars)) {
      const rest = (agent.environment ?? []).filter(e => e.name !== name);
      agent.environment =
        value === undefined ? rest : [...rest, { name, value }];
    }
  };

const port =
  (containerPort: number, protocol: 'tcp' | 'udp'): Mutation =>
  td => {
    const agent = agentOf(td);
    agent.portMappings = [
      ...(agent.portMappings ?? []),
      { containerPort, hostPort: containerPort, protocol },
    ];
  };

const mount =
  (
    name: string,
    hostPath: string,
    containerPath: string,
    readOnly?: boolean,
  ): Mutation =>
  td => {
    td.volumes = [
      ...(td.volumes ?? []),
      { name, host: { sourcePath: hostPath } },
    ];
    const agent = agentOf(td);
    agent.mountPoints = [
      ...(agent.mountPoints ?? []),
      { sourceVolume: name, containerPath, readOnly },
    ];
  };

const image =
  (ref: string): Mutation =>
  td => {
    agentOf(td).image = ref;
  };

const patchAgent =
  (fields: Partial<EcsContainerDefinition>): Mutation =>
  td => {
    Object.assign(agentOf(td), fields);
  };

const patchTask =
  (fields: Partial<EcsTaskDefinition>): Mutation =>
  td => {
    Object.assign(td, fields);
  };

const SECRET_ARN =
  'arn:aws:secretsmanager:us-east-1:123456789012:secret:dd-api-key-AbCdEf';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole';

const secretApiKey: Mutation = td => {
  env({ DD_API_KEY: undefined })(td);
  agentOf(td).secrets = [{ name: 'DD_API_KEY', valueFrom: SECRET_ARN }];
  td.executionRoleArn = ROLE_ARN;
};

const linuxRef = loadReference('datadog-agent-ecs.json');
const windowsRef = loadReference('datadog-agent-ecs-win.json');
/** The published Linux base with a Secrets Manager key and a pinned image: no findings at all. */
const clean = build(
  linuxRef,
  secretApiKey,
  image('public.ecr.aws/datadog/agent:7.60.0'),
);
const cleanWindows = build(
  windowsRef,
  secretApiKey,
  image('public.ecr.aws/datadog/agent:7.60.0'),
);

const logsMounts: Mutation[] = [
  mount('pointdir', '/opt/datadog-agent/run', '/opt/datadog-agent/run', false),
  mount(
    'containers_root',
    '/var/lib/docker/containers/',
    '/var/lib/docker/containers',
    true,
  ),
];
const logsEnv = env({
  DD_LOGS_ENABLED: 'true',
  DD_LOGS_CONFIG_CONTAINER_COLLECT_ALL: 'true',
});
const npmCapabilities = patchAgent({
  linuxParameters: {
    capabilities: {
      add: [
        'SYS_ADMIN',
        'SYS_RESOURCE',
        'SYS_PTRACE',
        'NET_ADMIN',
        'NET_BROADCAST',
        'NET_RAW',
        'IPC_LOCK',
        'CHOWN',
      ],
    },
  },
});
const fipsSidecar: Mutation = td => {
  td.containerDefinitions!.push({
    name: 'fips-proxy',
    image: 'datadog/fips-proxy:1.1.3',
    essential: true,
    portMappings: [{ containerPort: 9803, protocol: 'tcp' }],
    environment: [
      { name: 'DD_FIPS_PORT_RANGE_START', value: '9803' },
      { name: 'DD_FIPS_LOCAL_ADDRESS', value: '127.0.0.1' },
    ],
  });
};
const fipsAgentEnv = env({
  DD_FIPS_ENABLED: 'true',
  DD_FIPS_PORT_RANGE_START: '9803',
  DD_FIPS_HTTPS: 'false',
});

const al = (
  amazonLinuxGeneration: 1 | 2 | 2023,
  count = 1,
): ContainerInstanceInfo[] =>
  Array.from({ length: count }, () => ({
    os: 'linux' as const,
    amazonLinuxGeneration,
  }));

/** The published files use an API-key placeholder and `latest`. */
const PUBLISHED = ['apiKey.placeholder', 'image.unpinned-latest'];

interface Row {
  name: string;
  taskDefinition: EcsTaskDefinition;
  expectedSite?: string;
  instances?: ContainerInstanceInfo[];
  /** The exact set of finding ids, across all features. */
  findings: string[];
  /** States of the features this row is about. */
  states: Partial<Record<AgentFeatureId, FeatureState>>;
}

const rows: Row[] = [
  // -- published files ---------------------------------------------------------------------------
  {
    name: 'published Linux base',
    taskDefinition: linuxRef,
    findings: PUBLISHED,
    states: {
      core: 'on',
      apiKey: 'misconfigured',
      site: 'on',
      image: 'on',
      tags: 'off',
      apm: 'off',
      dogstatsd: 'off',
      logs: 'off',
      process: 'off',
      npm: 'off',
      resourceTags: 'off',
      healthCheck: 'off',
      ecsAnywhere: 'off',
      fipsProxy: 'not-applicable',
    },
  },
  {
    name: 'published Amazon Linux 1 base on Amazon Linux 1 instances',
    taskDefinition: loadReference('datadog-agent-ecs1.json'),
    instances: al(1, 2),
    findings: PUBLISHED,
    states: { core: 'on', ecsAnywhere: 'not-applicable' },
  },
  {
    name: 'Amazon Linux 1 cgroup path on Amazon Linux 2 instances',
    taskDefinition: loadReference('datadog-agent-ecs1.json'),
    instances: al(2),
    findings: [...PUBLISHED, 'core.cgroup-path-mismatch'],
    states: { core: 'misconfigured' },
  },
  {
    name: 'modern cgroup path on a fleet with an Amazon Linux 1 instance',
    taskDefinition: linuxRef,
    instances: [...al(2023), ...al(1)],
    findings: [...PUBLISHED, 'core.cgroup-path-mismatch'],
    states: { core: 'misconfigured' },
  },
  {
    name: 'modern cgroup path on Amazon Linux 2023',
    taskDefinition: clean,
    instances: al(2023, 3),
    findings: [],
    states: { core: 'on' },
  },
  {
    name: 'published Windows base',
    taskDefinition: windowsRef,
    findings: PUBLISHED,
    states: { core: 'on' },
  },
  {
    name: 'Windows Agent with 256 CPU units',
    taskDefinition: build(cleanWindows, patchAgent({ cpu: 256 })),
    findings: ['core.windows-cpu-below-512'],
    states: { core: 'misconfigured' },
  },
  {
    name: 'published logs file (old edition: cpu 10, no containers_root, no DD_SITE)',
    taskDefinition: loadReference('datadog-agent-ecs-logs.json'),
    findings: [
      ...PUBLISHED,
      'core.cpu-10-units-or-fewer',
      'logs.missing-containers-root-mount',
    ],
    states: { core: 'on', logs: 'misconfigured', site: 'on' },
  },
  {
    name: 'published logs file (no DD_SITE) for an EU organization',
    taskDefinition: loadReference('datadog-agent-ecs-logs.json'),
    expectedSite: 'datadoghq.eu',
    findings: [
      ...PUBLISHED,
      'core.cpu-10-units-or-fewer',
      'logs.missing-containers-root-mount',
      'site.missing-defaults-to-us1',
    ],
    states: { site: 'misconfigured' },
  },
  {
    name: 'published sysprobe file (legacy variable)',
    taskDefinition: loadReference('datadog-agent-sysprobe-ecs.json'),
    findings: [
      ...PUBLISHED,
      'core.cpu-10-units-or-fewer',
      'npm.legacy-variable',
    ],
    states: { npm: 'on' },
  },
  {
    name: 'published Amazon Linux 1 sysprobe file',
    taskDefinition: loadReference('datadog-agent-sysprobe-ecs1.json'),
    instances: al(1),
    findings: [
      ...PUBLISHED,
      'core.cpu-10-units-or-fewer',
      'npm.legacy-variable',
    ],
    states: { npm: 'on', core: 'on' },
  },
  {
    name: 'published APM socket file',
    taskDefinition: loadReference('datadog-agent-ecs-apm-uds.json'),
    findings: PUBLISHED,
    states: { apm: 'on', dogstatsd: 'on' },
  },
  {
    name: 'published Managed Instances daemon (site placeholder)',
    taskDefinition: loadReference(
      'datadog-agent-ecs-managed-instances-daemon.json',
    ),
    findings: [...PUBLISHED, 'site.unknown'],
    states: { core: 'on', site: 'misconfigured' },
  },
  // -- core ------------------------------------------------------------------------------------
  {
    name: 'clean Linux definition',
    taskDefinition: clean,
    expectedSite: 'datadoghq.com',
    findings: [],
    states: { core: 'on', apiKey: 'on', site: 'on', image: 'on' },
  },
  {
    name: 'no Agent container',
    taskDefinition: {
      family: 'web',
      containerDefinitions: [{ name: 'web', image: 'nginx:1.27' }],
    },
    findings: ['core.no-agent-container'],
    states: {
      core: 'off',
      apiKey: 'not-applicable',
      site: 'not-applicable',
      image: 'not-applicable',
      tags: 'not-applicable',
      apm: 'not-applicable',
      dogstatsd: 'not-applicable',
      logs: 'not-applicable',
      process: 'not-applicable',
      npm: 'not-applicable',
      resourceTags: 'not-applicable',
      healthCheck: 'not-applicable',
      ecsAnywhere: 'not-applicable',
      fipsProxy: 'not-applicable',
    },
  },
  {
    name: 'Agent on a private mirror, found by container name',
    taskDefinition: build(
      clean,
      image('registry.example.com/mirror/dd:7.60.0'),
    ),
    findings: [],
    states: { core: 'on' },
  },
  {
    name: 'awsvpc network mode',
    taskDefinition: build(clean, patchTask({ networkMode: 'awsvpc' })),
    findings: ['core.awsvpc-network-mode'],
    states: { core: 'misconfigured' },
  },
  {
    name: 'awsvpc network mode with Agent 6.9',
    taskDefinition: build(
      clean,
      patchTask({ networkMode: 'awsvpc' }),
      image('datadog/agent:6.9.0'),
    ),
    findings: ['core.awsvpc-network-mode', 'core.awsvpc-agent-too-old'],
    states: { core: 'misconfigured' },
  },
  // -- API key ---------------------------------------------------------------------------------
  {
    name: 'plaintext API key',
    taskDefinition: build(
      clean,
      td => {
        delete agentOf(td).secrets;
      },
      env({ DD_API_KEY: '0123456789abcdef0123456789abcdef' }),
    ),
    findings: ['apiKey.plaintext'],
    states: { apiKey: 'misconfigured' },
  },
  {
    name: 'API key secret without an execution role',
    taskDefinition: build(clean, patchTask({ executionRoleArn: undefined })),
    findings: ['apiKey.secret-without-execution-role'],
    states: { apiKey: 'misconfigured' },
  },
  {
    name: 'no API key',
    taskDefinition: build(clean, td => {
      delete agentOf(td).secrets;
    }),
    findings: ['apiKey.missing'],
    states: { apiKey: 'off' },
  },
  // -- site --------------------------------------------------------------------------------------
  {
    name: 'DD_SITE missing, organization on US1',
    taskDefinition: build(clean, env({ DD_SITE: undefined })),
    expectedSite: 'datadoghq.com',
    findings: [],
    states: { site: 'on' },
  },
  {
    name: 'DD_SITE differs from the organization site',
    taskDefinition: clean,
    expectedSite: 'datadoghq.eu',
    findings: ['site.mismatch'],
    states: { site: 'misconfigured' },
  },
  {
    name: 'DD_SITE not a Datadog site',
    taskDefinition: build(clean, env({ DD_SITE: 'datadoghq.co' })),
    findings: ['site.unknown'],
    states: { site: 'misconfigured' },
  },
  // -- image and tags --------------------------------------------------------------------------
  {
    name: 'Agent 5 image tag',
    taskDefinition: build(clean, image('datadog/agent:5.32.0')),
    findings: ['image.unsupported-major'],
    states: { image: 'misconfigured' },
  },
  {
    name: 'image pinned by digest',
    taskDefinition: build(
      clean,
      image(`public.ecr.aws/datadog/agent@sha256:${'a'.repeat(64)}`),
    ),
    findings: [],
    states: { image: 'on' },
  },
  {
    name: 'DD_TAGS key:value pairs',
    taskDefinition: build(clean, env({ DD_TAGS: 'env:prod team:payments' })),
    findings: [],
    states: { tags: 'on' },
  },
  {
    name: 'DD_TAGS with a bare value',
    taskDefinition: build(clean, env({ DD_TAGS: 'env:prod payments' })),
    findings: ['tags.not-key-value'],
    states: { tags: 'on' },
  },
  // -- APM -------------------------------------------------------------------------------------
  {
    name: 'APM as the guide documents it',
    taskDefinition: build(
      clean,
      port(8126, 'tcp'),
      env({ DD_APM_ENABLED: 'true', DD_APM_NON_LOCAL_TRAFFIC: 'true' }),
    ),
    findings: [],
    states: { apm: 'on' },
  },
  {
    name: 'APM port without DD_APM_NON_LOCAL_TRAFFIC on Agent 7.17',
    taskDefinition: build(
      clean,
      image('datadog/agent:7.17.0'),
      port(8126, 'tcp'),
      env({ DD_APM_ENABLED: 'true' }),
    ),
    findings: ['apm.port-without-non-local-traffic'],
    states: { apm: 'misconfigured' },
  },
  {
    name: 'APM port without DD_APM_NON_LOCAL_TRAFFIC on Agent 7.60 (accepted by default)',
    taskDefinition: build(
      clean,
      port(8126, 'tcp'),
      env({ DD_APM_ENABLED: 'true' }),
    ),
    findings: [],
    states: { apm: 'on' },
  },
  {
    name: 'APM non-local traffic without the port mapping',
    taskDefinition: build(
      clean,
      env({ DD_APM_ENABLED: 'true', DD_APM_NON_LOCAL_TRAFFIC: 'true' }),
    ),
    findings: ['apm.non-local-traffic-without-port'],
    states: { apm: 'misconfigured' },
  },
  {
    name: 'APM explicitly disabled',
    taskDefinition: build(clean, env({ DD_APM_ENABLED: 'false' })),
    findings: [],
    states: { apm: 'off' },
  },
  // -- DogStatsD -------------------------------------------------------------------------------
  {
    name: 'DogStatsD as the guide documents it',
    taskDefinition: build(
      clean,
      port(8125, 'udp'),
      env({ DD_DOGSTATSD_NON_LOCAL_TRAFFIC: 'true' }),
    ),
    findings: [],
    states: { dogstatsd: 'on' },
  },
  {
    name: 'DogStatsD port without non-local traffic',
    taskDefinition: build(clean, port(8125, 'udp')),
    findings: ['dogstatsd.port-without-non-local-traffic'],
    states: { dogstatsd: 'misconfigured' },
  },
  {
    name: 'DogStatsD non-local traffic without the port',
    taskDefinition: build(
      clean,
      env({ DD_DOGSTATSD_NON_LOCAL_TRAFFIC: 'true' }),
    ),
    findings: ['dogstatsd.non-local-traffic-without-port'],
    states: { dogstatsd: 'misconfigured' },
  },
  {
    name: 'DogStatsD disabled',
    taskDefinition: build(clean, env({ DD_USE_DOGSTATSD: 'false' })),
    findings: [],
    states: { dogstatsd: 'off' },
  },
  // -- logs ------------------------------------------------------------------------------------
  {
    name: 'Linux logs as the current guide documents them',
    taskDefinition: build(clean, logsEnv, ...logsMounts),
    findings: [],
    states: { logs: 'on' },
  },
  {
    name: 'Linux logs without pointdir',
    taskDefinition: build(clean, logsEnv, logsMounts[1]),
    findings: ['logs.missing-pointdir-mount'],
    states: { logs: 'misconfigured' },
  },
  {
    name: 'Linux logs without collect-all',
    taskDefinition: build(
      clean,
      env({ DD_LOGS_ENABLED: 'true' }),
      ...logsMounts,
    ),
    findings: ['logs.container-collect-all-off'],
    states: { logs: 'on' },
  },
  {
    name: 'Windows logs with the Windows pointdir',
    taskDefinition: build(
      cleanWindows,
      logsEnv,
      mount(
        'pointdir',
        'c:\\programdata\\datadog\\run',
        'c:\\programdata\\datadog\\run',
        false,
      ),
    ),
    findings: [],
    states: { logs: 'on' },
  },
  {
    name: 'Windows logs without pointdir',
    taskDefinition: build(cleanWindows, logsEnv),
    findings: ['logs.missing-pointdir-mount'],
    states: { logs: 'misconfigured' },
  },
  // -- process -----------------------------------------------------------------------------------
  {
    name: 'process collection with /etc/passwd',
    taskDefinition: build(
      clean,
      env({ DD_PROCESS_AGENT_ENABLED: 'true' }),
      mount('passwd', '/etc/passwd', '/etc/passwd', true),
    ),
    findings: [],
    states: { process: 'on' },
  },
  {
    name: 'process collection without /etc/passwd',
    taskDefinition: build(clean, env({ DD_PROCESS_AGENT_ENABLED: 'true' })),
    findings: ['process.missing-passwd-mount'],
    states: { process: 'on' },
  },
  {
    name: 'Windows process collection (no passwd needed)',
    taskDefinition: build(
      cleanWindows,
      env({ DD_PROCESS_AGENT_ENABLED: 'true' }),
    ),
    findings: [],
    states: { process: 'on' },
  },
  // -- NPM ---------------------------------------------------------------------------------------
  {
    name: 'NPM as the current guide documents it',
    taskDefinition: build(
      clean,
      env({ DD_SYSTEM_PROBE_NETWORK_ENABLED: 'true' }),
      npmCapabilities,
      mount('debug', '/sys/kernel/debug', '/sys/kernel/debug'),
    ),
    findings: [],
    states: { npm: 'on' },
  },
  {
    name: 'NPM without capabilities or debugfs',
    taskDefinition: build(
      clean,
      env({ DD_SYSTEM_PROBE_NETWORK_ENABLED: 'true' }),
    ),
    findings: ['npm.missing-capabilities', 'npm.missing-debug-mount'],
    states: { npm: 'misconfigured' },
  },
  {
    name: 'NPM on Windows',
    taskDefinition: build(
      cleanWindows,
      env({ DD_SYSTEM_PROBE_NETWORK_ENABLED: 'true' }),
    ),
    findings: ['npm.windows-unsupported'],
    states: { npm: 'misconfigured' },
  },
  // -- resource tags ---------------------------------------------------------------------------
  {
    name: 'resource tags on Agent 7.60',
    taskDefinition: build(
      clean,
      env({ DD_ECS_COLLECT_RESOURCE_TAGS_EC2: 'true' }),
    ),
    findings: [],
    states: { resourceTags: 'on' },
  },
  {
    name: 'resource tags on Agent 6.17 (minimum)',
    taskDefinition: build(
      clean,
      image('datadog/agent:6.17.0'),
      env({ DD_ECS_COLLECT_RESOURCE_TAGS_EC2: 'true' }),
    ),
    findings: [],
    states: { resourceTags: 'on' },
  },
  {
    name: 'resource tags on Agent 7.16',
    taskDefinition: build(
      clean,
      image('datadog/agent:7.16.1-jmx'),
      env({ DD_ECS_COLLECT_RESOURCE_TAGS_EC2: 'true' }),
    ),
    findings: ['resourceTags.agent-too-old'],
    states: { resourceTags: 'misconfigured' },
  },
  // -- health check ----------------------------------------------------------------------------
  {
    name: 'the guide health check',
    taskDefinition: build(
      clean,
      patchAgent({
        healthCheck: {
          command: ['CMD-SHELL', 'agent health'],
          retries: 3,
          timeout: 5,
          interval: 30,
          startPeriod: 15,
        },
      }),
    ),
    findings: [],
    states: { healthCheck: 'on' },
  },
  {
    name: 'a custom health check',
    taskDefinition: build(
      clean,
      patchAgent({ healthCheck: { command: ['CMD-SHELL', 'exit 0'] } }),
    ),
    findings: ['healthCheck.unexpected-command'],
    states: { healthCheck: 'on' },
  },
  // -- ECS Anywhere ----------------------------------------------------------------------------
  {
    name: 'ECS Anywhere compatible',
    taskDefinition: build(
      clean,
      patchTask({ requiresCompatibilities: ['EXTERNAL'] }),
    ),
    instances: [{ os: 'linux', external: true }],
    findings: [],
    states: { ecsAnywhere: 'on' },
  },
  {
    name: 'ECS Anywhere instances, EC2-only definition',
    taskDefinition: clean,
    instances: [...al(2), { os: 'linux', external: true }],
    findings: ['ecsAnywhere.external-instances-without-compatibility'],
    states: { ecsAnywhere: 'misconfigured' },
  },
  // -- FIPS proxy ------------------------------------------------------------------------------
  {
    name: 'FIPS proxy as the guide documents it',
    taskDefinition: build(
      clean,
      env({ DD_SITE: 'ddog-gov.com' }),
      fipsAgentEnv,
      fipsSidecar,
    ),
    findings: [],
    states: { fipsProxy: 'on' },
  },
  {
    name: 'government site without the FIPS proxy',
    taskDefinition: build(clean, env({ DD_SITE: 'ddog-gov.com' })),
    findings: ['fipsProxy.government-site-without-proxy'],
    states: { fipsProxy: 'off' },
  },
  {
    name: 'FIPS proxy on a commercial site',
    taskDefinition: build(clean, fipsAgentEnv, fipsSidecar),
    findings: ['fipsProxy.non-government-site'],
    states: { fipsProxy: 'misconfigured' },
  },
  {
    name: 'FIPS proxy on Windows',
    taskDefinition: build(
      cleanWindows,
      env({ DD_SITE: 'ddog-gov.com' }),
      fipsAgentEnv,
      fipsSidecar,
    ),
    findings: ['fipsProxy.windows-unsupported'],
    states: { fipsProxy: 'misconfigured' },
  },
  {
    name: 'DD_FIPS_ENABLED without the sidecar',
    taskDefinition: build(
      clean,
      env({ DD_SITE: 'ddog-gov.com' }),
      fipsAgentEnv,
    ),
    findings: ['fipsProxy.missing-sidecar'],
    states: { fipsProxy: 'misconfigured' },
  },
  {
    name: 'FIPS sidecar the Agent does not use',
    taskDefinition: build(clean, env({ DD_SITE: 'ddog-gov.com' }), fipsSidecar),
    findings: ['fipsProxy.agent-not-using-proxy'],
    states: { fipsProxy: 'misconfigured' },
  },
];

/** Every finding id a detector can raise. */
const ALL_FINDING_IDS = [
  'core.no-agent-container',
  'core.awsvpc-network-mode',
  'core.awsvpc-agent-too-old',
  'core.cgroup-path-mismatch',
  'core.windows-cpu-below-512',
  'core.cpu-10-units-or-fewer',
  'apiKey.plaintext',
  'apiKey.placeholder',
  'apiKey.secret-without-execution-role',
  'apiKey.missing',
  'site.mismatch',
  'site.missing-defaults-to-us1',
  'site.unknown',
  'image.unpinned-latest',
  'image.unsupported-major',
  'tags.not-key-value',
  'apm.port-without-non-local-traffic',
  'apm.non-local-traffic-without-port',
  'dogstatsd.port-without-non-local-traffic',
  'dogstatsd.non-local-traffic-without-port',
  'logs.missing-pointdir-mount',
  'logs.missing-containers-root-mount',
  'logs.container-collect-all-off',
  'process.missing-passwd-mount',
  'npm.missing-capabilities',
  'npm.missing-debug-mount',
  'npm.windows-unsupported',
  'npm.legacy-variable',
  'resourceTags.agent-too-old',
  'healthCheck.unexpected-command',
  'ecsAnywhere.external-instances-without-compatibility',
  'fipsProxy.non-government-site',
  'fipsProxy.windows-unsupported',
  'fipsProxy.missing-sidecar',
  'fipsProxy.agent-not-using-proxy',
  'fipsProxy.government-site-without-proxy',
];

describe('agent feature catalog', () => {
  it('contains every detector exactly once', () => {
    const ids = agentFeatureCatalog.map(d => d.id);
    const expected: AgentFeatureId[] = [
      'core',
      'apiKey',
      'site',
      'image',
      'tags',
      'apm',
      'dogstatsd',
      'logs',
      'process',
      'npm',
      'resourceTags',
      'healthCheck',
      'ecsAnywhere',
      'fipsProxy',
    ];
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...expected].sort());
    for (const detector of agentFeatureCatalog) {
      expect(detector.title).not.toBe('');
      expect(detector.description).not.toBe('');
    }
  });

  it.each(rows.map(r => [r.name, r] as const))('%s', (_name, row) => {
    const results = detectAgentFeatures({
      taskDefinition: row.taskDefinition,
      expectedSite: row.expectedSite,
      instances: row.instances,
    });
    expect(results.map(r => r.id)).toEqual(agentFeatureCatalog.map(d => d.id));
    const findingIds = results.flatMap(r => r.findings.map(f => f.id));
    expect([...findingIds].sort()).toEqual([...row.findings].sort());
    const states = Object.fromEntries(
      Object.keys(row.states).map(id => [
        id,
        results.find(r => r.id === id)!.state,
      ]),
    );
    expect(states).toEqual(row.states);
    for (const result of results) {
      expect(result.summary).not.toBe('');
      for (const finding of result.findings) {
        // Findings belong to their feature and carry the guide's remedy.
        expect(finding.feature).toBe(result.id);
        expect(finding.id.startsWith(`${result.id}.`)).toBe(true);
        expect(finding.remedy).not.toBe('');
        expect(finding.explanation).not.toBe('');
      }
    }
  });

  it('has rows where every feature is on and where it is off', () => {
    for (const { id } of agentFeatureCatalog) {
      const states = rows.map(r => r.states[id]).filter(Boolean);
      expect({
        id,
        on: states.some(s => s === 'on' || s === 'misconfigured'),
      }).toEqual({ id, on: true });
      expect({
        id,
        off: states.some(s => s === 'off' || s === 'not-applicable'),
      }).toEqual({ id, off: true });
    }
  });

  it('has a row that triggers every finding and one that does not', () => {
    for (const id of ALL_FINDING_IDS) {
      expect({
        id,
        triggered: rows.some(r => r.findings.includes(id)),
      }).toEqual({ id, triggered: true });
      expect({ id, quiet: rows.some(r => !r.findings.includes(id)) }).toEqual({
        id,
        quiet: true,
      });
    }
    const raised = new Set(rows.flatMap(r => r.findings));
    expect([...raised].sort()).toEqual([...ALL_FINDING_IDS].sort());
  });

  it('orders collected findings by severity', () => {
    const results = detectAgentFeatures({
      taskDefinition: loadReference('datadog-agent-ecs-logs.json'),
    });
    expect(collectFindings(results).map(f => f.severity)).toEqual([
      'critical',
      'warning',
      'info',
      'info',
    ]);
  });
});

describe('application findings', () => {
  const app = (
    fields: Partial<EcsContainerDefinition> = {},
    task: Partial<EcsTaskDefinition> = {},
  ): EcsTaskDefinition => ({
    family: 'payments',
    containerDefinitions: [{ name: 'api', image: 'payments:1.2.3', ...fields }],
    ...task,
  });
  const all = { apm: true, dogstatsd: true, logs: true };
  const none = { apm: false, dogstatsd: false, logs: false };
  const withHost = {
    environment: [{ name: 'DD_AGENT_HOST', value: '10.0.0.12' }],
  };

  it.each([
    ['a well-behaved app', app(withHost), all, []],
    [
      'awslogs while the Agent collects logs',
      app({ ...withHost, logConfiguration: { logDriver: 'awslogs' } }),
      all,
      ['application.log-driver-bypasses-agent'],
    ],
    [
      'awslogs while the Agent does not collect logs',
      app({ ...withHost, logConfiguration: { logDriver: 'awslogs' } }),
      { ...all, logs: false },
      [],
    ],
    [
      'json-file is read by the Agent',
      app({ ...withHost, logConfiguration: { logDriver: 'json-file' } }),
      all,
      [],
    ],
    [
      'no DD_AGENT_HOST with APM on',
      app(),
      { ...none, apm: true },
      ['application.agent-host-missing'],
    ],
    [
      'no DD_AGENT_HOST with DogStatsD on',
      app(),
      { ...none, dogstatsd: true },
      ['application.agent-host-missing'],
    ],
    [
      'no DD_AGENT_HOST, neither APM nor DogStatsD',
      app(),
      { ...none, logs: true },
      [],
    ],
    [
      'DD_AGENT_HOST exported in the entry point (the guide’s Java example)',
      app({
        entryPoint: [
          'sh',
          '-c',
          'export DD_AGENT_HOST=$(curl http://169.254.169.254/latest/meta-data/local-ipv4); java -jar app.jar',
        ],
      }),
      all,
      [],
    ],
    [
      'awsvpc app with APM on',
      app(withHost, { networkMode: 'awsvpc' }),
      all,
      ['application.awsvpc-network-mode'],
    ],
    [
      'awsvpc app without APM or DogStatsD',
      app(withHost, { networkMode: 'awsvpc' }),
      none,
      [],
    ],
  ])('%s', (_name, taskDefinition, features, expected) => {
    expect(
      detectApplicationFindings(taskDefinition, features).map(f => f.id),
    ).toEqual(expected);
  });

  it('ignores the Agent container itself', () => {
    expect(detectApplicationFindings(linuxRef, all)).toEqual([]);
  });
});

describe('cluster findings', () => {
  it('names the services and counts', () => {
    const findings = [
      multipleAgentDaemonsFinding(['datadog-agent', 'dd-agent-old']),
      agentNotDaemonFinding('datadog-agent', 'REPLICA'),
      agentStandaloneTasksFinding(3),
    ];
    expect(findings.map(f => f.id)).toEqual([
      'cluster.multiple-agent-daemons',
      'cluster.agent-not-daemon',
      'cluster.agent-standalone-tasks',
    ]);
    expect(findings[0].explanation).toContain('dd-agent-old');
    expect(findings[1].explanation).toContain('REPLICA');
    expect(findings[2].explanation).toContain('3 Agent task(s)');
  });
});
