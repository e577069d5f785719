import { InstanceSpec, INSTANCE_TYPES } from '../model/instances';
import { validateTags } from '../model/taskDefinitions';
import { Cluster, Json, RegionState } from '../model/types';
import { getCluster } from '../model/world';
import { errors } from '../protocol/errors';
import {
  includeList,
  missing,
  Operation,
  paginate,
  stringList,
} from '../operations/common';
import {
  clusterDaemons,
  daemonArns,
  findCapacityProvider,
  regionDaemons,
} from './state';
import { CapacityProvider } from './types';

// CreateCapacityProvider and DescribeCapacityProviders: Auto Scaling group providers and Amazon
// ECS Managed Instances providers ("When you create a capacity provider with Amazon ECS Managed
// Instances, it becomes available only within the specified cluster"; CapacityProvider.cluster:
// "This is required for Managed instances"). FARGATE and FARGATE_SPOT are predefined.

const NAME_RE = /^[a-zA-Z0-9_-]{1,255}$/;

const PREDEFINED = ['FARGATE', 'FARGATE_SPOT'];

/** The instance ECS launches for a Managed Instances provider: the first allowed instance type it knows. */
function managedInstanceSpec(name: string, provider: Json): InstanceSpec {
  const allowed: unknown =
    provider.instanceLaunchTemplate?.instanceRequirements?.allowedInstanceTypes;
  const known = Array.isArray(allowed)
    ? allowed.find(t => typeof t === 'string' && INSTANCE_TYPES[t])
    : undefined;
  return {
    profile: 'managed-instances',
    capacityProviderName: name,
    ...(known ? { instanceType: known } : {}),
  };
}

function validateManagedInstances(p: Json) {
  if (typeof p.infrastructureRoleArn !== 'string' || !p.infrastructureRoleArn) {
    throw errors.invalidParameter(
      'managedInstancesProvider.infrastructureRoleArn must be specified.',
    );
  }
  const lt = p.instanceLaunchTemplate;
  if (!lt || typeof lt !== 'object') {
    throw errors.invalidParameter(
      'managedInstancesProvider.instanceLaunchTemplate must be specified.',
    );
  }
  if (
    typeof lt.ec2InstanceProfileArn !== 'string' ||
    !lt.ec2InstanceProfileArn
  ) {
    throw errors.invalidParameter(
      'instanceLaunchTemplate.ec2InstanceProfileArn must be specified.',
    );
  }
  const subnets = lt.networkConfiguration?.subnets;
  if (!Array.isArray(subnets) || subnets.length === 0) {
    throw errors.invalidParameter(
      'instanceLaunchTemplate.networkConfiguration.subnets can not be empty.',
    );
  }
}

/** CreateCapacityProvider (also used by fleet seeding). */
export function createCapacityProvider(
  state: RegionState,
  input: Json,
): CapacityProvider {
  const name = input.name;
  if (
    typeof name !== 'string' ||
    !NAME_RE.test(name) ||
    /^(aws|ecs|fargate)/i.test(name)
  ) {
    throw errors.client(
      'The specified capacity provider name is invalid. Up to 255 characters are allowed, including letters (upper and lowercase), numbers, underscores, and hyphens. The name cannot be prefixed with "aws", "ecs", or "fargate".',
    );
  }
  const mi = input.managedInstancesProvider;
  const asg = input.autoScalingGroupProvider;
  if (Boolean(mi) === Boolean(asg)) {
    throw errors.invalidParameter(
      'Specify either autoScalingGroupProvider or managedInstancesProvider.',
    );
  }
  const providers = regionDaemons(state).capacityProviders;
  if (providers.has(name)) {
    throw errors.client(
      'The specified capacity provider already exists. To change the configuration of an existing capacity provider, update the capacity provider.',
    );
  }
  const tags = validateTags(input.tags);
  let cluster: Cluster | undefined;
  let provider: Json;
  if (mi) {
    if (input.cluster === undefined) {
      throw errors.invalidParameter(
        'A cluster must be specified for a Managed Instances capacity provider.',
      );
    }
    cluster = getCluster(state, input.cluster);
    validateManagedInstances(mi);
    provider = { propagateTags: 'NONE', ...structuredClone(mi) };
  } else {
    if (
      typeof asg.autoScalingGroupArn !== 'string' ||
      !asg.autoScalingGroupArn
    ) {
      throw errors.invalidParameter(
        'autoScalingGroupProvider.autoScalingGroupArn must be specified.',
      );
    }
    provider = {
      managedTerminationProtection: 'DISABLED',
      managedDraining: 'ENABLED',
      ...structuredClone(asg),
      managedScaling: {
        status: 'DISABLED',
        targetCapacity: 100,
        minimumScalingStepSize: 1,
        maximumScalingStepSize: 10000,
        instanceWarmupPeriod: 300,
        ...asg.managedScaling,
      },
    };
  }
  const cp: CapacityProvider = {
    arn: daemonArns.capacityProvider(state, name),
    name,
    type: mi ? 'MANAGED_INSTANCES' : 'EC2_AUTOSCALING',
    clusterName: cluster?.name,
    status: 'ACTIVE',
    updateStatus: 'CREATE_COMPLETE',
    provider,
    tags,
    instanceSpec: mi
      ? managedInstanceSpec(name, mi)
      : { profile: 'al2023', capacityProviderName: name },
  };
  providers.set(name, cp);
  // A Managed Instances provider is the cluster's at once (PutClusterCapacityProviders is one of
  // CreateCapacityProvider's dependent actions).
  if (cluster) clusterDaemons(cluster).capacityProviders.push(name);
  return cp;
}

export function serializeCapacityProvider(
  cp: CapacityProvider,
  include: string[] = ['TAGS'],
): Json {
  const out: Json = {
    capacityProviderArn: cp.arn,
    name: cp.name,
    status: cp.status,
    type: cp.type,
    updateStatus: cp.updateStatus,
    tags: include.includes('TAGS') ? cp.tags : undefined,
  };
  if (cp.clusterName) out.cluster = cp.clusterName;
  if (cp.type === 'MANAGED_INSTANCES') {
    out.managedInstancesProvider = structuredClone(cp.provider);
  } else {
    out.autoScalingGroupProvider = structuredClone(cp.provider);
  }
  if (!out.tags) delete out.tags;
  return out;
}

export const CreateCapacityProvider: Operation = (ctx, input) => ({
  capacityProvider: serializeCapacityProvider(
    createCapacityProvider(ctx.state, input),
  ),
});

const predefined = (state: RegionState, name: string): Json => ({
  capacityProviderArn: daemonArns.capacityProvider(state, name),
  name,
  status: 'ACTIVE',
  type: name,
  tags: [],
});

export const DescribeCapacityProviders: Operation = (ctx, input) => {
  const include = includeList(input, ['TAGS']);
  const refs = stringList(input, 'capacityProviders', { max: 100 });
  const providers = regionDaemons(ctx.state).capacityProviders;
  let names: string[];
  if (input.cluster !== undefined) {
    const cluster = getCluster(ctx.state, input.cluster);
    names = [...clusterDaemons(cluster).capacityProviders];
  } else {
    names = [...PREDEFINED, ...providers.keys()];
  }
  const capacityProviders: Json[] = [];
  const failures: Json[] = [];
  const describe = (name: string) => {
    if (PREDEFINED.includes(name)) return predefined(ctx.state, name);
    const cp = providers.get(name);
    return cp ? serializeCapacityProvider(cp, include) : undefined;
  };
  if (refs.length) {
    for (const ref of refs) {
      const name = PREDEFINED.includes(ref)
        ? ref
        : findCapacityProvider(ctx.state, ref)?.name;
      const out = name && names.includes(name) ? describe(name) : undefined;
      if (out) capacityProviders.push(out);
      else {
        failures.push(
          missing(ref, n => daemonArns.capacityProvider(ctx.state, n)),
        );
      }
    }
    return { capacityProviders, failures };
  }
  const { page, nextToken } = paginate(names, input, {
    defaultMax: 10,
    max: 10,
  });
  for (const name of page) {
    const out = describe(name);
    if (out) capacityProviders.push(out);
  }
  return { capacityProviders, failures, nextToken };
};

/**
 * The instance spec of a joining instance: a Managed Instances provider's when it names one
 * (the control API's `instances/join` with a `capacityProviderName`), else as given.
 */
export function instanceSpecFor(
  state: RegionState,
  spec: InstanceSpec,
): InstanceSpec {
  const cp = spec.capacityProviderName
    ? findCapacityProvider(state, spec.capacityProviderName)
    : undefined;
  return cp?.type === 'MANAGED_INSTANCES'
    ? { ...cp.instanceSpec, ...spec }
    : spec;
}
