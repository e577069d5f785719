/*
 * What the rows of the shared table test are made of: a row is a task definition (built from a
 * published file with the mutations below), the exact set of findings every detector together must
 * raise on it, and the states of the features it is about. Each feature folder's `rows.ts` exports
 * its rows as `featureRows`; `__testUtils__/harness.ts` checks them.
 */
import { EcsContainerDefinition, EcsTaskDefinition } from '../../ecsTypes';
import { loadReference } from '../../rendering/__fixtures__/referenceTaskDefinitions';
import { ContainerInstanceInfo, FeatureState } from '../types';

// ---- building rows -------------------------------------------------------------------------------

export type Mutation = (td: EcsTaskDefinition) => void;

export const agentOf = (td: EcsTaskDefinition): EcsContainerDefinition =>
  td.containerDefinitions!.find(c => c.name === 'datadog-agent')!;

export function build(
  base: EcsTaskDefinition,
  ...mutations: Mutation[]
): EcsTaskDefinition {
  const td = structuredClone(base);
  mutations.forEach(m => m(td));
  return td;
}

export const env =
  (vars: Record<string, string | undefined>): Mutation =>
  td => {
    const agent = agentOf(td);
    for (const [name, value] of Object.entries(vars)) {
      const rest = (agent.environment ?? []).filter(e => e.name !== name);
      agent.environment =
        value === undefined ? rest : [...rest, { name, value }];
    }
  };

export const port =
  (containerPort: number, protocol: 'tcp' | 'udp'): Mutation =>
  td => {
    const agent = agentOf(td);
    agent.portMappings = [
      ...(agent.portMappings ?? []),
      { containerPort, hostPort: containerPort, protocol },
    ];
  };

export const mount =
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

export const image =
  (ref: string): Mutation =>
  td => {
    agentOf(td).image = ref;
  };

export const patchAgent =
  (fields: Partial<EcsContainerDefinition>): Mutation =>
  td => {
    Object.assign(agentOf(td), fields);
  };

export const patchTask =
  (fields: Partial<EcsTaskDefinition>): Mutation =>
  td => {
    Object.assign(td, fields);
  };

const SECRET_ARN =
  'arn:aws:secretsmanager:us-east-1:123456789012:secret:dd-api-key-AbCdEf';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole';

export const secretApiKey: Mutation = td => {
  env({ DD_API_KEY: undefined })(td);
  agentOf(td).secrets = [{ name: 'DD_API_KEY', valueFrom: SECRET_ARN }];
  td.executionRoleArn = ROLE_ARN;
};

export const linuxRef = loadReference('datadog-agent-ecs.json');
export const windowsRef = loadReference('datadog-agent-ecs-win.json');
/** The published Linux base with a Secrets Manager key and a pinned image: no findings at all. */
export const clean = build(
  linuxRef,
  secretApiKey,
  image('public.ecr.aws/datadog/agent:7.60.0'),
);
export const cleanWindows = build(
  windowsRef,
  secretApiKey,
  image('public.ecr.aws/datadog/agent:7.60.0'),
);

/** Datadog's published Managed Instances daemon file, with a Secrets Manager key, a site and Agent 7.77. */
export const cleanManagedDaemon = build(
  loadReference('datadog-agent-ecs-managed-instances-daemon.json'),
  secretApiKey,
  env({ DD_SITE: 'datadoghq.com' }),
  image('public.ecr.aws/datadog/agent:7.77.0'),
  patchTask({ family: 'datadog-agent-daemon' }),
);

export const al = (
  amazonLinuxGeneration: 1 | 2 | 2023,
  count = 1,
): ContainerInstanceInfo[] =>
  Array.from({ length: count }, () => ({
    os: 'linux' as const,
    amazonLinuxGeneration,
  }));

/** The published files use an API-key placeholder and `latest`. */
export const PUBLISHED = ['apiKey.placeholder', 'image.unpinned-latest'];

// ---- rows ----------------------------------------------------------------------------------------

export interface Row {
  name: string;
  taskDefinition: EcsTaskDefinition;
  expectedSite?: string;
  instances?: ContainerInstanceInfo[];
  /** The definition is a managed daemon's (DescribeDaemonTaskDefinition); see `DetectionInput`. */
  managedDaemon?: boolean;
  /** The exact set of finding ids, across all features. */
  findings: string[];
  /** States of the features this row is about (any feature of the registry). */
  states: Partial<Record<string, FeatureState>>;
}

/** One feature folder's rows: what `<feature>/rows.ts` exports as `featureRows`. */
export interface FeatureRows {
  /** The feature module's id (its folder's name). */
  feature: string;
  /** Every finding id the feature's detector can raise (none for a feature without a detector). */
  findingIds: string[];
  rows: Row[];
}
