/*
 * The renderer against Datadog's published task definitions and the guide's feature overlays.
 *
 * Comparison is under the reference README's normalization: normalizeTaskDefinition (key order and
 * set-like array order irrelevant, `readOnly: null` ≡ absent), the Agent image's registry and tag,
 * and the API-key placeholder. Every other difference between a published file and the renderer is
 * a documented "known difference", applied to the published file explicitly in `KNOWN_DIFFERENCES`.
 */
import { EcsContainerDefinition, EcsTaskDefinition } from '../ecsTypes';
import { isAgentImage } from '../features/agentImage';
import { isApiKeyPlaceholder } from '../features/apiKey';
import { detectAgentFeatures } from '../features/catalog';
import {
  listReferenceFiles,
  loadReference,
  REFERENCE_FILES,
  ReferenceFile,
} from './__fixtures__/referenceTaskDefinitions';
import {
  DEFAULT_DATADOG_SITE,
  MANAGED_INSTANCES,
} from '../features/datadogDefaults';
import { normalizeTaskDefinition } from './normalize';
import {
  AgentFeatureToggles,
  RenderOptions,
  RenderValidationError,
} from './options';
import {
  renderAgentTaskDefinition,
  renderManagedDaemonTaskDefinition,
} from './render';
import {
  featuresFromDaemonTaskDefinition,
  featuresFromTaskDefinition,
  renderTargetOf,
} from './reverse';

// ---- normalization -------------------------------------------------------------------------------

/** The README's normalization: normalizeTaskDefinition + Agent image registry/tag + API-key placeholder. */
function comparable(td: EcsTaskDefinition): EcsTaskDefinition {
  const normalized = normalizeTaskDefinition(td);
  for (const c of normalized.containerDefinitions ?? []) {
    if (isAgentImage(c.image)) c.image = '<AGENT_IMAGE>';
    for (const e of c.environment ?? []) {
      if (e.name === 'DD_API_KEY' && isApiKeyPlaceholder(e.value))
        e.value = '<API_KEY>';
    }
  }
  return normalized;
}

const agentOf = (td: EcsTaskDefinition): EcsContainerDefinition =>
  td.containerDefinitions!.find(c => c.name === 'datadog-agent')!;

const placeholder = { source: 'placeholder' } as const;
const render = (
  options: Partial<RenderOptions> & Pick<RenderOptions, 'variant'>,
) =>
  renderAgentTaskDefinition({ features: {}, apiKey: placeholder, ...options });

// ---- the guide's overlays, applied to a published base file --------------------------------------

interface Overlay {
  env?: Record<string, string>;
  ports?: Array<{ containerPort: number; hostPort?: number; protocol: string }>;
  binds?: Array<{
    volume: string;
    hostPath: string;
    containerPath: string;
    readOnly?: boolean;
  }>;
  agent?: Partial<EcsContainerDefinition>;
  task?: Partial<EcsTaskDefinition>;
  extraContainers?: EcsContainerDefinition[];
}

function withOverlay(
  base: EcsTaskDefinition,
  overlay: Overlay,
): EcsTaskDefinition {
  const td = structuredClone(base);
  const agent = agentOf(td);
  for (const [name, value] of Object.entries(overlay.env ?? {})) {
    agent.environment = [...(agent.environment ?? []), { name, value }];
  }
  if (overlay.ports)
    agent.portMappings = [...(agent.portMappings ?? []), ...overlay.ports];
  for (const b of overlay.binds ?? []) {
    td.volumes = [
      ...(td.volumes ?? []),
      { host: { sourcePath: b.hostPath }, name: b.volume },
    ];
    agent.mountPoints = [
      ...(agent.mountPoints ?? []),
      {
        containerPath: b.containerPath,
        sourceVolume: b.volume,
        readOnly: b.readOnly,
      },
    ];
  }
  Object.assign(agent, overlay.agent);
  Object.assign(td, overlay.task);
  td.containerDefinitions!.push(...(overlay.extraContainers ?? []));
  return td;
}

const linuxBase = () => loadReference('datadog-agent-ecs.json');
const al1Base = () => loadReference('datadog-agent-ecs1.json');
const windowsBase = () => loadReference('datadog-agent-ecs-win.json');

// ---- known differences of the published files ----------------------------------------------------

/** Older files mark the base mounts read-only; the current base files write `readOnly: null`. */
function baseMountsNotReadOnly(td: EcsTaskDefinition) {
  for (const m of agentOf(td).mountPoints ?? []) {
    if (['docker_sock', 'cgroup', 'proc'].includes(m.sourceVolume ?? ''))
      delete m.readOnly;
  }
}
function removeEnv(td: EcsTaskDefinition, name: string) {
  const agent = agentOf(td);
  agent.environment = agent.environment?.filter(e => e.name !== name);
}
function addEnv(td: EcsTaskDefinition, name: string, value: string) {
  agentOf(td).environment!.push({ name, value });
}

type KnownDifferences = (published: EcsTaskDefinition) => void;

const sysprobeDifferences: KnownDifferences = td => {
  baseMountsNotReadOnly(td);
  // The sysprobe files write /host/proc/ with a trailing slash; the base files and guide use /host/proc.
  const proc = agentOf(td).mountPoints!.find(m => m.sourceVolume === 'proc')!;
  proc.containerPath = '/host/proc';
  // The current guide renamed DD_SYSTEM_PROBE_ENABLED to DD_SYSTEM_PROBE_NETWORK_ENABLED.
  removeEnv(td, 'DD_SYSTEM_PROBE_ENABLED');
  addEnv(td, 'DD_SYSTEM_PROBE_NETWORK_ENABLED', 'true');
};

/**
 * The Managed Instances daemon files leave two more placeholders to fill in: the family
 * (`<TASK_NAME>`) and the site (`<YOUR_DATADOG_SITE>`). Filled with what the renderer writes by
 * default; nothing else of these files differs.
 */
const managedInstancesPlaceholders: KnownDifferences = td => {
  expect(td.family).toBe('<TASK_NAME>');
  td.family = MANAGED_INSTANCES.defaultFamily;
  const site = agentOf(td).environment!.find(e => e.name === 'DD_SITE')!;
  expect(site.value).toBe('<YOUR_DATADOG_SITE>');
  site.value = DEFAULT_DATADOG_SITE;
};

/**
 * For each published file: the options that reproduce it and the documented differences to apply to
 * the published file first (what the current guide says instead).
 */
const REFERENCE_CASES: Record<
  ReferenceFile,
  {
    options: RenderOptions;
    knownDifferences?: KnownDifferences;
  }
> = {
  'datadog-agent-ecs.json': {
    options: { variant: 'linux', features: {}, apiKey: placeholder },
  },
  'datadog-agent-ecs1.json': {
    options: { variant: 'amazon-linux-1', features: {}, apiKey: placeholder },
  },
  'datadog-agent-ecs-win.json': {
    options: { variant: 'windows', features: {}, apiKey: placeholder },
  },
  'datadog-agent-ecs-logs.json': {
    // Its cgroup host path is Amazon Linux 1's, so the AL1 variant reproduces it; cpu 10 / memory 256
    // are the old sizes, passed as overrides.
    options: {
      variant: 'amazon-linux-1',
      features: { logs: true },
      cpu: 10,
      memory: 256,
      apiKey: { source: 'placeholder', placeholder: '<YOUR_API_KEY>' },
    },
    knownDifferences: td => {
      baseMountsNotReadOnly(td);
      // Legacy Agent 5-era variable, not in the guide.
      removeEnv(td, 'SD_BACKEND');
      // The file predates DD_SITE in the base files.
      addEnv(td, 'DD_SITE', 'datadoghq.com');
      // The current guide also mounts the container log files read-only.
      td.volumes!.push({
        host: { sourcePath: '/var/lib/docker/containers/' },
        name: 'containers_root',
      });
      agentOf(td).mountPoints!.push({
        containerPath: '/var/lib/docker/containers',
        sourceVolume: 'containers_root',
        readOnly: true,
      });
    },
  },
  'datadog-agent-sysprobe-ecs.json': {
    options: {
      variant: 'linux',
      features: { npm: true },
      cpu: 10,
      memory: 256,
      family: 'datadog-agent-task-lee',
      apiKey: placeholder,
    },
    knownDifferences: sysprobeDifferences,
  },
  'datadog-agent-sysprobe-ecs1.json': {
    options: {
      variant: 'amazon-linux-1',
      features: { npm: true },
      cpu: 10,
      memory: 256,
      family: 'datadog-agent-task-lee',
      apiKey: placeholder,
    },
    knownDifferences: sysprobeDifferences,
  },
  'datadog-agent-ecs-apm-uds.json': {
    options: {
      variant: 'linux',
      features: { apmSocket: true },
      apiKey: placeholder,
    },
    knownDifferences: td => {
      // The Agent creates its sockets in /var/run/datadog, so its mount must be writable; the newer
      // Managed Instances APM file uses readOnly false (read-only belongs on the application side).
      agentOf(td).mountPoints!.find(
        m => m.sourceVolume === 'dd-sockets',
      )!.readOnly = false;
    },
  },
  'datadog-agent-ecs-managed-instances-daemon.json': {
    // The managed-daemon target: containerd instead of the Docker socket (DD_CRI_SOCKET_PATH,
    // ECS_MANAGED_INSTANCES), read-only mounts, task-level cpu/memory strings instead of container
    // sizes (RegisterDaemonTaskDefinition).
    options: {
      target: 'managed-daemon',
      variant: 'linux',
      features: {},
      apiKey: placeholder,
    },
    knownDifferences: managedInstancesPlaceholders,
  },
  'datadog-agent-ecs-managed-instances-daemon-apm.json': {
    // The same plus the APM socket: the apmSocket overlay.
    options: {
      target: 'managed-daemon',
      variant: 'linux',
      features: { apmSocket: true },
      apiKey: placeholder,
    },
    knownDifferences: managedInstancesPlaceholders,
  },
};

/** The parts a Managed Instances file shares with the DAEMON service's Linux rendering. */
function expectSharedParts(
  published: EcsTaskDefinition,
  options: RenderOptions,
) {
  const rendered = renderAgentTaskDefinition(options);
  const p = agentOf(published);
  const r = agentOf(rendered);
  expect({
    name: p.name,
    essential: p.essential,
    agentImage: isAgentImage(p.image),
  }).toEqual({
    name: r.name,
    essential: r.essential,
    agentImage: true,
  });
  expect(p.environment!.find(e => e.name === 'DD_API_KEY')).toEqual(
    r.environment!.find(e => e.name === 'DD_API_KEY'),
  );
  for (const volume of ['cgroup', 'proc']) {
    expect(published.volumes!.find(v => v.name === volume)).toEqual(
      rendered.volumes!.find(v => v.name === volume),
    );
    // Managed Instances mount these read-only, as the old files did; the paths are the guide's.
    expect(
      p.mountPoints!.find(m => m.sourceVolume === volume)?.containerPath,
    ).toBe(r.mountPoints!.find(m => m.sourceVolume === volume)?.containerPath);
  }
}

function expectManagedInstancesApmParts(published: EcsTaskDefinition) {
  expectSharedParts(published, {
    variant: 'linux',
    features: { apmSocket: true },
    apiKey: placeholder,
  });
  const rendered = render({ variant: 'linux', features: { apmSocket: true } });
  // The socket volume and mount are the apmSocket overlay's, readOnly false included.
  expect(published.volumes!.find(v => v.name === 'dd-sockets')).toEqual(
    rendered.volumes!.find(v => v.name === 'dd-sockets'),
  );
  expect(
    agentOf(published).mountPoints!.find(m => m.sourceVolume === 'dd-sockets'),
  ).toEqual(
    agentOf(rendered).mountPoints!.find(m => m.sourceVolume === 'dd-sockets'),
  );
}

describe('renderAgentTaskDefinition against every published file', () => {
  it('covers every file in the reference folder', () => {
    expect(listReferenceFiles()).toEqual([...REFERENCE_FILES].sort());
    expect(Object.keys(REFERENCE_CASES).sort()).toEqual(
      [...REFERENCE_FILES].sort(),
    );
  });

  it.each(REFERENCE_FILES.map(f => [f]))('%s', file => {
    const testCase = REFERENCE_CASES[file];
    const published = loadReference(file);
    testCase.knownDifferences?.(published);
    expect(comparable(renderAgentTaskDefinition(testCase.options))).toEqual(
      comparable(published),
    );
  });

  it('reproduces the base files without any known difference', () => {
    // Only the README's normalization applies to the three base files.
    expect(
      REFERENCE_CASES['datadog-agent-ecs.json'].knownDifferences,
    ).toBeUndefined();
    expect(
      REFERENCE_CASES['datadog-agent-ecs1.json'].knownDifferences,
    ).toBeUndefined();
    expect(
      REFERENCE_CASES['datadog-agent-ecs-win.json'].knownDifferences,
    ).toBeUndefined();
    const linux = render({ variant: 'linux' });
    expect(agentOf(linux).image).toBe('public.ecr.aws/datadog/agent:latest');
    expect(agentOf(linux).environment).toEqual([
      { name: 'DD_API_KEY', value: '<YOUR_DATADOG_API_KEY>' },
      { name: 'DD_SITE', value: 'datadoghq.com' },
    ]);
  });
});

describe('the managed-daemon target against the Managed Instances files', () => {
  const files = [
    'datadog-agent-ecs-managed-instances-daemon.json',
    'datadog-agent-ecs-managed-instances-daemon-apm.json',
  ] as const;

  it.each(files.map(f => [f]))(
    '%s: exactly, image and API-key placeholder included, but for its two placeholders',
    file => {
      const published = loadReference(file);
      managedInstancesPlaceholders(published);
      const rendered = renderAgentTaskDefinition(REFERENCE_CASES[file].options);
      // Only normalizeTaskDefinition (key order, set-like arrays): the same image and placeholder.
      expect(normalizeTaskDefinition(rendered)).toEqual(
        normalizeTaskDefinition(published),
      );
      expect(agentOf(rendered).image).toBe(
        'public.ecr.aws/datadog/agent:latest',
      );
    },
  );

  it('fills only the family and site placeholders of the published files', () => {
    for (const file of files) {
      const published = loadReference(file);
      const filled = loadReference(file);
      managedInstancesPlaceholders(filled);
      const withoutPlaceholders = (td: EcsTaskDefinition) => {
        const copy = structuredClone(td);
        delete copy.family;
        agentOf(copy).environment = agentOf(copy).environment!.filter(
          e => e.name !== 'DD_SITE',
        );
        return copy;
      };
      expect(withoutPlaceholders(filled)).toEqual(
        withoutPlaceholders(published),
      );
      expect(filled.family).toBe('datadog-agent-daemon');
    }
  });

  it('is what RegisterDaemonTaskDefinition takes: no container sizes, ports, network mode or compatibilities', () => {
    const td = renderManagedDaemonTaskDefinition({
      variant: 'linux',
      features: { apmSocket: true, healthCheck: true, process: true },
      apiKey: placeholder,
    });
    expect(Object.keys(td).sort()).toEqual([
      'containerDefinitions',
      'cpu',
      'family',
      'memory',
      'volumes',
    ]);
    expect(td.cpu).toBe('256');
    expect(td.memory).toBe('512');
    const agent = td.containerDefinitions[0];
    expect(agent).not.toHaveProperty('cpu');
    expect(agent).not.toHaveProperty('memory');
    expect(agent).not.toHaveProperty('portMappings');
    // Every host mount read-only but the socket directory the Agent writes its sockets in.
    expect(agent.mountPoints!.map(m => [m.sourceVolume, m.readOnly])).toEqual([
      ['containerd_sock', true],
      ['cgroup', true],
      ['proc', true],
      ['passwd', true],
      ['dd-sockets', false],
    ]);
    expect(agent.healthCheck?.command).toEqual(['CMD-SHELL', 'agent health']);
  });

  it('sizes the daemon task, references a secret with the execution role, names a family', () => {
    const td = renderManagedDaemonTaskDefinition({
      variant: 'linux',
      features: {},
      cpu: 512,
      memory: 1024,
      family: 'dd-agent-daemon',
      tags: ['env:prod'],
      image: { tag: '7.77.0' },
      apiKey: {
        source: 'secretsManager',
        secretArn:
          'arn:aws:secretsmanager:us-east-1:123456789012:secret:dd-api-key-AbCdEf',
        executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
      },
    });
    expect(td).toMatchObject({
      family: 'dd-agent-daemon',
      cpu: '512',
      memory: '1024',
      executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
    });
    const agent = td.containerDefinitions[0];
    expect(agent.image).toBe('public.ecr.aws/datadog/agent:7.77.0');
    expect(agent.secrets).toEqual([
      {
        name: 'DD_API_KEY',
        valueFrom:
          'arn:aws:secretsmanager:us-east-1:123456789012:secret:dd-api-key-AbCdEf',
      },
    ]);
    expect(agent.environment).toEqual([
      { name: 'DD_SITE', value: 'datadoghq.com' },
      { name: 'DD_TAGS', value: 'env:prod' },
      { name: 'ECS_MANAGED_INSTANCES', value: 'true' },
      {
        name: 'DD_CRI_SOCKET_PATH',
        value: '/var/run/containerd/containerd.sock',
      },
    ]);
  });

  it('keeps the Linux base’s cgroup and proc volumes and container paths', () => {
    for (const file of files) {
      expectSharedParts(loadReference(file), {
        variant: 'linux',
        features: {},
        apiKey: placeholder,
      });
    }
    expectManagedInstancesApmParts(
      loadReference('datadog-agent-ecs-managed-instances-daemon-apm.json'),
    );
    expect(files).toHaveLength(2);
  });
});

describe('feature overlays as the guide describes them', () => {
  const cases: Array<[string, RenderOptions, EcsTaskDefinition]> = [
    [
      // "APM receives traces on port 8126 over TCP … configure a hostPort"; DD_APM_ENABLED and
      // DD_APM_NON_LOCAL_TRAFFIC "if you use Agent v7.17 or lower" (harmless later).
      'APM',
      { variant: 'linux', features: { apm: true }, apiKey: placeholder },
      withOverlay(linuxBase(), {
        ports: [{ hostPort: 8126, protocol: 'tcp', containerPort: 8126 }],
        env: { DD_APM_ENABLED: 'true', DD_APM_NON_LOCAL_TRAFFIC: 'true' },
      }),
    ],
    [
      // "add in host port mapping for 8125/udp and set the environment variable
      // DD_DOGSTATSD_NON_LOCAL_TRAFFIC to true"
      'DogStatsD',
      { variant: 'linux', features: { dogstatsd: true }, apiKey: placeholder },
      withOverlay(linuxBase(), {
        ports: [{ hostPort: 8125, protocol: 'udp', containerPort: 8125 }],
        env: { DD_DOGSTATSD_NON_LOCAL_TRAFFIC: 'true' },
      }),
    ],
    [
      // Log collection (Linux): DD_LOGS_ENABLED, DD_LOGS_CONFIG_CONTAINER_COLLECT_ALL, pointdir at
      // /opt/datadog-agent/run (readOnly false); the current guide adds containers_root read-only.
      'logs (Linux)',
      { variant: 'linux', features: { logs: true }, apiKey: placeholder },
      withOverlay(linuxBase(), {
        env: {
          DD_LOGS_ENABLED: 'true',
          DD_LOGS_CONFIG_CONTAINER_COLLECT_ALL: 'true',
        },
        binds: [
          {
            volume: 'pointdir',
            hostPath: '/opt/datadog-agent/run',
            containerPath: '/opt/datadog-agent/run',
            readOnly: false,
          },
          {
            volume: 'containers_root',
            hostPath: '/var/lib/docker/containers/',
            containerPath: '/var/lib/docker/containers',
            readOnly: true,
          },
        ],
      }),
    ],
    [
      // Log collection (Windows): the same variables, pointdir at c:\programdata\datadog\run.
      'logs (Windows)',
      { variant: 'windows', features: { logs: true }, apiKey: placeholder },
      withOverlay(windowsBase(), {
        env: {
          DD_LOGS_ENABLED: 'true',
          DD_LOGS_CONFIG_CONTAINER_COLLECT_ALL: 'true',
        },
        binds: [
          {
            volume: 'pointdir',
            hostPath: 'c:\\programdata\\datadog\\run',
            containerPath: 'c:\\programdata\\datadog\\run',
            readOnly: false,
          },
        ],
      }),
    ],
    [
      // Process collection (Linux): DD_PROCESS_AGENT_ENABLED and /etc/passwd read-only ← volume passwd.
      'process (Linux)',
      { variant: 'linux', features: { process: true }, apiKey: placeholder },
      withOverlay(linuxBase(), {
        env: { DD_PROCESS_AGENT_ENABLED: 'true' },
        binds: [
          {
            volume: 'passwd',
            hostPath: '/etc/passwd',
            containerPath: '/etc/passwd',
            readOnly: true,
          },
        ],
      }),
    ],
    [
      // Process collection (Windows): only DD_PROCESS_AGENT_ENABLED.
      'process (Windows)',
      { variant: 'windows', features: { process: true }, apiKey: placeholder },
      withOverlay(windowsBase(), { env: { DD_PROCESS_AGENT_ENABLED: 'true' } }),
    ],
    [
      // Network performance monitoring: /sys/kernel/debug ← debug, DD_SYSTEM_PROBE_NETWORK_ENABLED,
      // the eight capabilities and requiresCompatibilities ["EC2"].
      'NPM',
      { variant: 'linux', features: { npm: true }, apiKey: placeholder },
      withOverlay(linuxBase(), {
        env: { DD_SYSTEM_PROBE_NETWORK_ENABLED: 'true' },
        binds: [
          {
            volume: 'debug',
            hostPath: '/sys/kernel/debug',
            containerPath: '/sys/kernel/debug',
          },
        ],
        agent: {
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
        },
        task: { requiresCompatibilities: ['EC2'] },
      }),
    ],
    [
      // Resource tag collection: DD_ECS_COLLECT_RESOURCE_TAGS_EC2=true (Agent 6.17+/7.17+).
      'resource tags',
      {
        variant: 'amazon-linux-1',
        features: { resourceTags: true },
        apiKey: placeholder,
      },
      withOverlay(al1Base(), {
        env: { DD_ECS_COLLECT_RESOURCE_TAGS_EC2: 'true' },
      }),
    ],
    [
      // "To add an Agent health check": retries 3, CMD-SHELL agent health, timeout 5, interval 30, startPeriod 15.
      'health check',
      {
        variant: 'linux',
        features: { healthCheck: true },
        apiKey: placeholder,
      },
      withOverlay(linuxBase(), {
        agent: {
          healthCheck: {
            retries: 3,
            command: ['CMD-SHELL', 'agent health'],
            timeout: 5,
            interval: 30,
            startPeriod: 15,
          },
        },
      }),
    ],
    [
      // "To deploy on an ECS Anywhere cluster, add "requiresCompatibilities": ["EXTERNAL"]".
      'ECS Anywhere',
      { variant: 'linux', external: true, features: {}, apiKey: placeholder },
      withOverlay(linuxBase(), {
        task: { requiresCompatibilities: ['EXTERNAL'] },
      }),
    ],
    [
      // ECS Anywhere applies to every base file; the guide does not exclude Windows.
      'ECS Anywhere (Windows)',
      { variant: 'windows', external: true, features: {}, apiKey: placeholder },
      withOverlay(windowsBase(), {
        task: { requiresCompatibilities: ['EXTERNAL'] },
      }),
    ],
    [
      // FIPS proxy for Datadog for Government: the fips-proxy sidecar (ports 9803-9818/tcp,
      // DD_FIPS_PORT_RANGE_START, DD_FIPS_LOCAL_ADDRESS, essential) and DD_FIPS_ENABLED,
      // DD_FIPS_PORT_RANGE_START, DD_FIPS_HTTPS on the Agent.
      'FIPS proxy',
      {
        variant: 'linux',
        site: 'ddog-gov.com',
        features: { fipsProxy: true },
        apiKey: placeholder,
      },
      withOverlay(linuxBase(), {
        // The whole environment, because the government site replaces DD_SITE.
        agent: {
          environment: [
            { name: 'DD_API_KEY', value: '<YOUR_DATADOG_API_KEY>' },
            { name: 'DD_SITE', value: 'ddog-gov.com' },
            { name: 'DD_FIPS_ENABLED', value: 'true' },
            { name: 'DD_FIPS_PORT_RANGE_START', value: '9803' },
            { name: 'DD_FIPS_HTTPS', value: 'false' },
          ],
        },
        extraContainers: [
          {
            name: 'fips-proxy',
            image: 'datadog/fips-proxy:1.1.3',
            portMappings: Array.from({ length: 16 }, (_, i) => ({
              containerPort: 9803 + i,
              protocol: 'tcp',
            })),
            essential: true,
            environment: [
              { name: 'DD_FIPS_PORT_RANGE_START', value: '9803' },
              { name: 'DD_FIPS_LOCAL_ADDRESS', value: '127.0.0.1' },
            ],
          },
        ],
      }),
    ],
  ];

  it.each(cases)('%s', (_name, options, expected) => {
    expect(comparable(renderAgentTaskDefinition(options))).toEqual(
      comparable(expected),
    );
  });

  it('keeps the fips-proxy image tag exact', () => {
    const td = render({
      variant: 'linux',
      site: 'ddog-gov.com',
      features: { fipsProxy: true },
      fipsProxyImageTag: '1.1.5',
    });
    expect(td.containerDefinitions![1].image).toBe('datadog/fips-proxy:1.1.5');
  });
});

describe('base options', () => {
  it('references a Secrets Manager secret with the execution role', () => {
    const td = render({
      variant: 'linux',
      apiKey: {
        source: 'secretsManager',
        secretArn:
          'arn:aws:secretsmanager:us-east-1:123456789012:secret:dd-api-key-AbCdEf',
        executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
      },
    });
    expect(agentOf(td).environment!.map(e => e.name)).toEqual(['DD_SITE']);
    expect(agentOf(td).secrets).toEqual([
      {
        name: 'DD_API_KEY',
        valueFrom:
          'arn:aws:secretsmanager:us-east-1:123456789012:secret:dd-api-key-AbCdEf',
      },
    ]);
    expect(td.executionRoleArn).toBe(
      'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
    );
  });

  it('renders a plaintext key (development only), site, tags, image and family', () => {
    const td = render({
      variant: 'linux',
      apiKey: { source: 'plaintext', value: 'abc123' },
      site: 'datadoghq.eu',
      tags: ['env:prod', 'team:payments'],
      image: { repository: 'gcr.io/datadoghq/agent', tag: '7.60.0' },
      family: 'dd-agent',
    });
    expect(td.family).toBe('dd-agent');
    expect(agentOf(td).image).toBe('gcr.io/datadoghq/agent:7.60.0');
    expect(agentOf(td).environment).toEqual([
      { name: 'DD_API_KEY', value: 'abc123' },
      { name: 'DD_SITE', value: 'datadoghq.eu' },
      { name: 'DD_TAGS', value: 'env:prod team:payments' },
    ]);
    // Our own detectors flag it, so the preview says so.
    const apiKey = detectAgentFeatures({ taskDefinition: td }).find(
      r => r.id === 'apiKey',
    )!;
    expect(apiKey.findings.map(f => f.id)).toEqual(['apiKey.plaintext']);
  });
});

const refusedBase = { apiKey: placeholder, features: {} };

/** What the managed-daemon target refuses: the platform, the Agent version, the sizes, the toggles. */
function managedDaemonRefusals(): Array<[string, RenderOptions, string]> {
  const md = {
    ...refusedBase,
    target: 'managed-daemon',
    variant: 'linux',
  } as const;
  return [
    [
      'a managed daemon on Windows',
      { ...md, variant: 'windows' },
      'managed-daemon-linux-only',
    ],
    [
      'a managed daemon for Amazon Linux 1',
      { ...md, variant: 'amazon-linux-1' },
      'managed-daemon-linux-only',
    ],
    [
      'a managed daemon on ECS Anywhere',
      { ...md, external: true },
      'managed-daemon-ecs-anywhere',
    ],
    [
      'a managed daemon of Agent 7.76.0',
      { ...md, image: { tag: '7.76.0' } },
      'managed-daemon-agent-version',
    ],
    [
      'a managed daemon of Agent 6.99.0',
      { ...md, image: { tag: '6.99.0' } },
      'managed-daemon-agent-version',
    ],
    [
      'a managed daemon of 128 CPU units',
      { ...md, cpu: 128 },
      'managed-daemon-resources-minimum',
    ],
    [
      'a managed daemon of 256 MiB',
      { ...md, memory: 256 },
      'managed-daemon-resources-minimum',
    ],
    [
      'APM over 8126/tcp on a managed daemon',
      { ...md, features: { apm: true } },
      'apm-managed-instances',
    ],
    [
      'DogStatsD over 8125/udp on a managed daemon',
      { ...md, features: { dogstatsd: true } },
      'dogstatsd-managed-instances',
    ],
    [
      'logs on a managed daemon',
      { ...md, features: { logs: true } },
      'logs-managed-instances',
    ],
    [
      'NPM on a managed daemon',
      { ...md, features: { npm: true } },
      'npm-managed-instances',
    ],
    [
      'the FIPS proxy on a managed daemon',
      { ...md, site: 'ddog-gov.com', features: { fipsProxy: true } },
      'fips-proxy-managed-instances',
    ],
    [
      'an unknown target',
      { ...md, target: 'sidecar' as never },
      'invalid-options',
    ],
  ];
}
const REFUSED: Array<[string, RenderOptions, string]> = [
  [
    'NPM on Windows',
    { ...refusedBase, variant: 'windows', features: { npm: true } },
    'npm-linux-only',
  ],
  [
    'NPM with ECS Anywhere',
    {
      ...refusedBase,
      variant: 'linux',
      external: true,
      features: { npm: true },
    },
    'npm-ecs-anywhere',
  ],
  [
    'FIPS proxy on Windows',
    {
      ...refusedBase,
      variant: 'windows',
      site: 'ddog-gov.com',
      features: { fipsProxy: true },
    },
    'fips-proxy-linux-only',
  ],
  [
    'FIPS proxy on a commercial site',
    { ...refusedBase, variant: 'linux', features: { fipsProxy: true } },
    'fips-proxy-government-site',
  ],
  [
    'APM socket on Windows',
    { ...refusedBase, variant: 'windows', features: { apmSocket: true } },
    'apm-socket-linux-only',
  ],
  [
    'resource tags on Agent 7.16',
    {
      ...refusedBase,
      variant: 'linux',
      image: { tag: '7.16.0' },
      features: { resourceTags: true },
    },
    'resource-tags-agent-version',
  ],
  [
    'resource tags on Agent 6.16',
    {
      ...refusedBase,
      variant: 'linux',
      image: { tag: '6.16.0-jmx' },
      features: { resourceTags: true },
    },
    'resource-tags-agent-version',
  ],
  [
    'Windows with 256 CPU units',
    { ...refusedBase, variant: 'windows', cpu: 256 },
    'windows-cpu-minimum',
  ],
  ...managedDaemonRefusals(),
  [
    'an unknown site',
    { ...refusedBase, variant: 'linux', site: 'datadoghq.co' as never },
    'invalid-options',
  ],
  [
    'a tag with spaces',
    { ...refusedBase, variant: 'linux', tags: ['env: prod'] },
    'invalid-options',
  ],
  [
    'a secret that is not an ARN',
    {
      ...refusedBase,
      variant: 'linux',
      apiKey: {
        source: 'secretsManager',
        secretArn: 'dd-key',
        executionRoleArn: 'arn:aws:iam::123456789012:role/x',
      },
    },
    'invalid-options',
  ],
];

describe('rules', () => {
  const renderError = (options: RenderOptions): unknown => {
    try {
      renderAgentTaskDefinition(options);
    } catch (e) {
      return e;
    }
    return undefined;
  };
  const base = { apiKey: placeholder, features: {} };

  it.each<[string, RenderOptions, string]>(REFUSED)(
    'refuses %s',
    (_name, options, rule) => {
      const error = renderError(options);
      expect(error).toBeInstanceOf(RenderValidationError);
      expect(error).toBeInstanceOf(Error);
      expect((error as RenderValidationError).rule).toBe(rule);
      expect((error as RenderValidationError).message).toContain(
        `rule ${rule}`,
      );
      // An InputError, so Backstage's error handler answers 400.
      expect((error as Error).name).toBe('InputError');
    },
  );

  it.each<[string, RenderOptions]>([
    [
      'resource tags on Agent 7.17',
      {
        ...base,
        variant: 'linux',
        image: { tag: '7.17.0' },
        features: { resourceTags: true },
      },
    ],
    [
      'resource tags on latest',
      { ...base, variant: 'linux', features: { resourceTags: true } },
    ],
    ['Windows with 512 CPU units', { ...base, variant: 'windows', cpu: 512 }],
    ['Linux with 10 CPU units', { ...base, variant: 'linux', cpu: 10 }],
    [
      'Windows with ECS Anywhere',
      { ...base, variant: 'windows', external: true },
    ],
    [
      'a managed daemon of Agent 7.77.0 with the socket, processes, resource tags and the health check',
      {
        ...base,
        target: 'managed-daemon',
        variant: 'linux',
        image: { tag: '7.77.0' },
        features: {
          apmSocket: true,
          process: true,
          resourceTags: true,
          healthCheck: true,
        },
      },
    ],
    [
      'a managed daemon of Agent 8.0.0, 512 CPU units and 1024 MiB',
      {
        ...base,
        target: 'managed-daemon',
        variant: 'linux',
        image: { tag: '8.0.0' },
        cpu: 512,
        memory: 1024,
      },
    ],
    [
      'a managed daemon of latest (not pinned: the image detector says so)',
      { ...base, target: 'managed-daemon', variant: 'linux' },
    ],
  ])('allows %s', (_name, options) => {
    expect(() => renderAgentTaskDefinition(options)).not.toThrow();
  });
});

describe('rendered definitions pass the catalog and round-trip their toggles', () => {
  const togglesFor = (
    variant: RenderOptions['variant'],
  ): Array<keyof AgentFeatureToggles> =>
    variant === 'windows'
      ? ['apm', 'dogstatsd', 'logs', 'process', 'resourceTags', 'healthCheck']
      : [
          'apm',
          'dogstatsd',
          'logs',
          'process',
          'npm',
          'resourceTags',
          'healthCheck',
          'fipsProxy',
          'apmSocket',
        ];
  const combos: Array<[string, RenderOptions]> = [];
  for (const variant of ['linux', 'amazon-linux-1', 'windows'] as const) {
    const toggles = togglesFor(variant);
    const allOn = Object.fromEntries(toggles.map(t => [t, true]));
    for (const features of [{}, ...toggles.map(t => ({ [t]: true })), allOn]) {
      const gov = 'fipsProxy' in features;
      combos.push([
        `${variant} ${Object.keys(features).join('+') || 'base'}`,
        {
          variant,
          features,
          site: gov ? 'ddog-gov.com' : 'datadoghq.com',
          image: { tag: '7.60.0' },
          apiKey: {
            source: 'secretsManager',
            secretArn:
              'arn:aws:secretsmanager:us-east-1:123456789012:secret:dd-AbCdEf',
            executionRoleArn:
              'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
          },
        },
      ]);
    }
  }

  it.each(combos)('%s', (_name, options) => {
    const td = renderAgentTaskDefinition(options);
    const results = detectAgentFeatures({
      taskDefinition: td,
      expectedSite: options.site,
    });
    expect(results.flatMap(r => r.findings.map(f => f.id))).toEqual([]);
    const expected = { ...featuresFromTaskDefinition({}), ...options.features };
    expect(featuresFromTaskDefinition(td)).toEqual(expected);
  });

  // A managed daemon: the toggles that apply on Managed Instances, alone and together.
  const daemonToggles: Array<keyof AgentFeatureToggles> = [
    'process',
    'resourceTags',
    'healthCheck',
    'apmSocket',
  ];
  const daemonCombos: Array<[string, RenderOptions]> = [
    {},
    ...daemonToggles.map(t => ({ [t]: true })),
    Object.fromEntries(daemonToggles.map(t => [t, true])),
  ].map(features => [
    `managed daemon ${Object.keys(features).join('+') || 'base'}`,
    {
      target: 'managed-daemon',
      variant: 'linux',
      features,
      image: { tag: '7.77.0' },
      apiKey: {
        source: 'secretsManager',
        secretArn:
          'arn:aws:secretsmanager:us-east-1:123456789012:secret:dd-AbCdEf',
        executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
      },
    },
  ]);

  it.each(daemonCombos)('%s', (_name, options) => {
    const td = renderAgentTaskDefinition(options);
    const results = detectAgentFeatures({
      taskDefinition: td,
      expectedSite: 'datadoghq.com',
      managedDaemon: true,
    });
    expect(results.flatMap(r => r.findings.map(f => f.id))).toEqual([]);
    expect(results.find(r => r.id === 'managedInstances')?.state).toBe('on');
    const expected = { ...featuresFromTaskDefinition({}), ...options.features };
    expect(featuresFromDaemonTaskDefinition(td)).toEqual(expected);
    // Read without being told, the definition says it is a managed daemon's.
    expect(featuresFromTaskDefinition(td)).toEqual(expected);
  });
});

describe('reading a managed daemon’s definition back', () => {
  it('reads the published files: nothing, then the APM socket', () => {
    const off = featuresFromTaskDefinition({});
    expect(
      featuresFromDaemonTaskDefinition(
        loadReference('datadog-agent-ecs-managed-instances-daemon.json'),
      ),
    ).toEqual(off);
    expect(
      featuresFromDaemonTaskDefinition(
        loadReference('datadog-agent-ecs-managed-instances-daemon-apm.json'),
      ),
    ).toEqual({ ...off, apmSocket: true });
  });

  it('leaves off what a managed daemon cannot render, so the form starts from options it takes', () => {
    const td = loadReference('datadog-agent-ecs-managed-instances-daemon.json');
    agentOf(td).environment!.push(
      { name: 'DD_LOGS_ENABLED', value: 'true' },
      { name: 'DD_APM_ENABLED', value: 'true' },
      { name: 'DD_PROCESS_AGENT_ENABLED', value: 'true' },
    );
    const features = featuresFromDaemonTaskDefinition(td);
    expect(features).toMatchObject({ logs: false, apm: false, process: true });
    // Without ECS_MANAGED_INSTANCES the same definition reads as a DAEMON service's: they are on.
    td.containerDefinitions![0].environment =
      td.containerDefinitions![0].environment!.filter(
        e => e.name !== 'ECS_MANAGED_INSTANCES',
      );
    expect(featuresFromTaskDefinition(td)).toMatchObject({
      logs: true,
      apm: true,
    });
    // …and re-rendering what was read back is allowed.
    expect(() =>
      renderAgentTaskDefinition({
        target: 'managed-daemon',
        variant: 'linux',
        features,
        apiKey: placeholder,
      }),
    ).not.toThrow();
  });

  it('tells the render target of a definition', () => {
    expect(
      renderTargetOf(
        loadReference('datadog-agent-ecs-managed-instances-daemon.json'),
      ),
    ).toBe('managed-daemon');
    expect(renderTargetOf(linuxBase())).toBe('daemon-service');
    expect(renderTargetOf(linuxBase(), { managedDaemon: true })).toBe(
      'managed-daemon',
    );
    expect(
      renderTargetOf(
        loadReference('datadog-agent-ecs-managed-instances-daemon.json'),
        { managedDaemon: false },
      ),
    ).toBe('daemon-service');
    expect(renderTargetOf({}, { managedDaemon: true })).toBe('managed-daemon');
  });
});
