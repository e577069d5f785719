/* ECS Managed Instances: the Agent as a managed daemon (containerd, ECS_MANAGED_INSTANCES, 7.77+, sizes). */
import { loadReference } from '../../rendering/__fixtures__/referenceTaskDefinitions';
import {
  agentOf,
  build,
  clean,
  cleanManagedDaemon,
  env,
  FeatureRows,
  image,
  mount,
  Mutation,
  patchAgent,
  patchTask,
  PUBLISHED,
  Row,
} from '../__fixtures__/rows';

/** Drops the containerd socket's volume and mount. */
const withoutContainerdSocket: Mutation = td => {
  td.volumes = td.volumes?.filter(v => v.name !== 'containerd_sock');
  const agent = agentOf(td);
  agent.mountPoints = agent.mountPoints?.filter(
    m => m.sourceVolume !== 'containerd_sock',
  );
};

const rows: Row[] = [
  {
    name: 'published Managed Instances daemon file',
    taskDefinition: loadReference(
      'datadog-agent-ecs-managed-instances-daemon.json',
    ),
    managedDaemon: true,
    findings: [...PUBLISHED, 'site.unknown'],
    states: { managedInstances: 'on', core: 'on', apm: 'off', logs: 'off' },
  },
  {
    name: 'published Managed Instances daemon file with the APM socket',
    taskDefinition: loadReference(
      'datadog-agent-ecs-managed-instances-daemon-apm.json',
    ),
    findings: [...PUBLISHED, 'site.unknown'],
    states: { managedInstances: 'on', apm: 'on', dogstatsd: 'on' },
  },
  {
    name: 'clean managed daemon (Secrets Manager key, site, Agent 7.77.0)',
    taskDefinition: cleanManagedDaemon,
    managedDaemon: true,
    expectedSite: 'datadoghq.com',
    findings: [],
    states: { managedInstances: 'on', apiKey: 'on', site: 'on', image: 'on' },
  },
  {
    name: 'a DAEMON service definition is not a managed daemon’s',
    taskDefinition: clean,
    findings: [],
    states: { managedInstances: 'not-applicable' },
  },
  {
    name: 'the Managed Instances file told it is a DAEMON service’s',
    taskDefinition: cleanManagedDaemon,
    managedDaemon: false,
    findings: [],
    states: { managedInstances: 'not-applicable' },
  },
  {
    name: 'managed daemon with Agent 7.76',
    taskDefinition: build(
      cleanManagedDaemon,
      image('public.ecr.aws/datadog/agent:7.76.2'),
    ),
    managedDaemon: true,
    findings: ['managedInstances.agent-too-old'],
    states: { managedInstances: 'misconfigured' },
  },
  {
    name: 'managed daemon with Agent 6.60',
    taskDefinition: build(cleanManagedDaemon, image('datadog/agent:6.60.0')),
    managedDaemon: true,
    findings: ['managedInstances.agent-too-old'],
    states: { managedInstances: 'misconfigured' },
  },
  {
    name: 'managed daemon with Agent 7.77.1-jmx',
    taskDefinition: build(
      cleanManagedDaemon,
      image('public.ecr.aws/datadog/agent:7.77.1-jmx'),
    ),
    managedDaemon: true,
    findings: [],
    states: { managedInstances: 'on' },
  },
  {
    name: 'managed daemon without ECS_MANAGED_INSTANCES',
    taskDefinition: build(
      cleanManagedDaemon,
      env({ ECS_MANAGED_INSTANCES: undefined }),
    ),
    managedDaemon: true,
    findings: ['managedInstances.missing-managed-instances-env'],
    states: { managedInstances: 'misconfigured' },
  },
  {
    name: 'managed daemon with ECS_MANAGED_INSTANCES=false',
    taskDefinition: build(
      cleanManagedDaemon,
      env({ ECS_MANAGED_INSTANCES: 'false' }),
    ),
    managedDaemon: true,
    findings: ['managedInstances.missing-managed-instances-env'],
    states: { managedInstances: 'misconfigured' },
  },
  {
    name: 'managed daemon without DD_CRI_SOCKET_PATH',
    taskDefinition: build(
      cleanManagedDaemon,
      env({ DD_CRI_SOCKET_PATH: undefined }),
    ),
    managedDaemon: true,
    findings: ['managedInstances.cri-socket-path'],
    states: { managedInstances: 'misconfigured' },
  },
  {
    name: 'managed daemon whose DD_CRI_SOCKET_PATH is the host path of another mount point',
    taskDefinition: build(
      cleanManagedDaemon,
      withoutContainerdSocket,
      mount(
        'containerd_sock',
        '/var/run/containerd/containerd.sock',
        '/host/run/containerd/containerd.sock',
        true,
      ),
    ),
    managedDaemon: true,
    findings: ['managedInstances.cri-socket-path'],
    states: { managedInstances: 'misconfigured' },
  },
  {
    name: 'managed daemon without the containerd socket mount',
    taskDefinition: build(cleanManagedDaemon, withoutContainerdSocket),
    managedDaemon: true,
    findings: ['managedInstances.missing-containerd-socket-mount'],
    states: { managedInstances: 'misconfigured' },
  },
  {
    name: 'a DAEMON service definition deployed as a managed daemon',
    taskDefinition: build(
      clean,
      patchAgent({ cpu: undefined, memory: undefined }),
    ),
    managedDaemon: true,
    findings: [
      'managedInstances.missing-managed-instances-env',
      'managedInstances.missing-containerd-socket-mount',
      'managedInstances.cri-socket-path',
      'managedInstances.docker-socket',
      'managedInstances.agent-too-old',
      'managedInstances.cpu-below-minimum',
      'managedInstances.memory-below-minimum',
    ],
    states: { managedInstances: 'misconfigured', core: 'on' },
  },
  {
    name: 'managed daemon with task cpu 128 and memory 256',
    taskDefinition: build(
      cleanManagedDaemon,
      patchTask({ cpu: '128', memory: '256' }),
    ),
    managedDaemon: true,
    findings: [
      'managedInstances.cpu-below-minimum',
      'managedInstances.memory-below-minimum',
    ],
    states: { managedInstances: 'misconfigured' },
  },
  {
    name: 'managed daemon sized as 0.5 vCPU and 1 GB',
    taskDefinition: build(
      cleanManagedDaemon,
      patchTask({ cpu: '0.5 vCPU', memory: '1 GB' }),
    ),
    managedDaemon: true,
    findings: [],
    states: { managedInstances: 'on' },
  },
  {
    name: 'managed daemon sized on its container (cpu 256, memory 512)',
    taskDefinition: build(
      cleanManagedDaemon,
      patchTask({ cpu: undefined, memory: undefined }),
      patchAgent({ cpu: 256, memory: 512 }),
    ),
    managedDaemon: true,
    findings: [],
    states: { managedInstances: 'on' },
  },
];

export const featureRows: FeatureRows = {
  feature: 'managedInstances',
  findingIds: [
    'managedInstances.agent-too-old',
    'managedInstances.missing-managed-instances-env',
    'managedInstances.cri-socket-path',
    'managedInstances.missing-containerd-socket-mount',
    'managedInstances.docker-socket',
    'managedInstances.cpu-below-minimum',
    'managedInstances.memory-below-minimum',
  ],
  rows,
};
