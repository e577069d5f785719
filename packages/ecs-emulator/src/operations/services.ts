import { arns } from '../model/ids';
import { validateTags } from '../model/taskDefinitions';
import { Cluster, Json, Service } from '../model/types';
import { getCluster, serviceNameOf } from '../model/world';
import { EcsError, errors } from '../protocol/errors';
import { launchTypeOf } from '../scheduler';
import {
  includeList,
  missing,
  Operation,
  OperationContext,
  paginate,
  stringList,
} from './common';
import { serializeService } from './serializeServices';
import {
  LAUNCH_TYPES,
  canonical,
  checkLaunchCompat,
  checkNetwork,
  deploymentConfiguration,
  resolveTaskDefinition,
} from './serviceInput';

const NAME_RE = /^[a-zA-Z0-9_-]{1,255}$/;

/** CreateService; `instant` places already-RUNNING tasks (fleet seeding). */
export function createService(
  ctx: OperationContext,
  input: Json,
  instant = false,
): { service: Service; cluster: Cluster } {
  const cluster = getCluster(ctx.state, input.cluster);
  const name = input.serviceName;
  if (typeof name !== 'string' || !NAME_RE.test(name)) {
    throw errors.invalidParameter(
      'Service name can be up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens.',
    );
  }
  const strategy = input.schedulingStrategy ?? 'REPLICA';
  if (strategy !== 'REPLICA' && strategy !== 'DAEMON') {
    throw errors.invalidParameter(`Invalid schedulingStrategy '${strategy}'.`);
  }
  if (
    input.launchType !== undefined &&
    !LAUNCH_TYPES.includes(input.launchType)
  ) {
    throw errors.invalidParameter(`Invalid launchType '${input.launchType}'.`);
  }
  if (input.launchType && input.capacityProviderStrategy?.length) {
    throw errors.invalidParameter(
      'Specifying both a launch type and capacity provider strategy is not supported.',
    );
  }
  const existing = cluster.services.get(name);
  const requestKey = canonical({ ...input, clientToken: undefined });
  // A deleted service keeps its name until it is INACTIVE (DeleteService: "If you attempt to
  // create a new service with the same name as an existing service in either ACTIVE or DRAINING
  // status, you receive an error").
  if (existing?.status === 'DRAINING') {
    throw errors.invalidParameter(
      'Unable to Start a service that is still Draining.',
    );
  }
  if (existing && existing.status !== 'INACTIVE') {
    if (
      input.clientToken &&
      existing.clientToken === input.clientToken &&
      existing.createRequestKey === requestKey
    ) {
      return { service: existing, cluster };
    }
    throw errors.invalidParameter('Creation of service was not idempotent.');
  }
  const td = resolveTaskDefinition(ctx, input.taskDefinition);
  const svcStub = {
    launchType: input.launchType,
    capacityProviderStrategy: input.capacityProviderStrategy,
  } as Service;
  const launchType = launchTypeOf(svcStub);
  checkLaunchCompat(td, launchType);
  checkNetwork(td, input.networkConfiguration);
  let desiredCount = 0;
  if (strategy === 'DAEMON') {
    if (input.desiredCount !== undefined && input.desiredCount !== null) {
      throw errors.invalidParameter(
        'The daemon scheduling strategy does not support a desired count for services.',
      );
    }
    if (launchType === 'FARGATE') {
      throw errors.invalidParameter(
        'The daemon scheduling strategy is not supported with the FARGATE launch type.',
      );
    }
    if (input.placementStrategy?.length) {
      throw errors.invalidParameter(
        'The daemon scheduling strategy does not support placement strategies.',
      );
    }
  } else {
    if (!Number.isInteger(input.desiredCount) || input.desiredCount < 0) {
      throw errors.invalidParameter(
        'desiredCount must be specified for a service using the REPLICA scheduling strategy.',
      );
    }
    desiredCount = input.desiredCount;
  }
  const svc: Service = {
    arn: arns.service(ctx.region, ctx.accountId, cluster.name, name),
    name,
    clusterName: cluster.name,
    status: 'ACTIVE',
    schedulingStrategy: strategy,
    launchType: input.capacityProviderStrategy?.length ? undefined : launchType,
    capacityProviderStrategy: input.capacityProviderStrategy,
    platformVersion:
      launchType === 'FARGATE' ? input.platformVersion ?? 'LATEST' : undefined,
    desiredCount,
    taskDefinition: td,
    deploymentConfiguration: deploymentConfiguration(
      strategy,
      input.deploymentConfiguration,
    ),
    networkConfiguration: input.networkConfiguration,
    placementConstraints: input.placementConstraints ?? [],
    placementStrategy: input.placementStrategy ?? [],
    loadBalancers: input.loadBalancers ?? [],
    serviceRegistries: input.serviceRegistries ?? [],
    healthCheckGracePeriodSeconds: input.healthCheckGracePeriodSeconds,
    propagateTags: input.propagateTags,
    enableECSManagedTags: Boolean(input.enableECSManagedTags),
    enableExecuteCommand: Boolean(input.enableExecuteCommand),
    roleArn: input.role,
    deployments: [],
    deploymentHistory: [],
    tasks: new Set(),
    allServiceDeployments: [],
    events: [],
    createdAt: ctx.now,
    createdBy: ctx.principalArn,
    tags: validateTags(input.tags),
    clientToken: input.clientToken,
    createRequestKey: requestKey,
    steady: false,
    placementFailures: new Map(),
  };
  cluster.services.set(name, svc);
  ctx.scheduler.newDeployment(cluster, svc, td, ctx.now);
  if (instant) {
    ctx.scheduler.reconcile(cluster, svc, ctx.now, true);
  }
  return { service: svc, cluster };
}

export const CreateService: Operation = (ctx, input) => {
  const { service, cluster } = createService(ctx, input);
  return { service: serializeService(service, cluster.arn, ['TAGS']) };
};

/** A service by name or ARN, DRAINING and INACTIVE ones included (ServiceNotFoundException when unknown). */
function anyService(cluster: Cluster, ref: unknown): Service {
  if (typeof ref !== 'string' || ref === '') {
    throw errors.invalidParameter('service must be specified.');
  }
  const name = serviceNameOf(cluster, ref);
  const svc = name ? cluster.services.get(name) : undefined;
  if (!svc) throw errors.serviceNotFound();
  return svc;
}

const notActive = () =>
  new EcsError('ServiceNotActiveException', 'Service was not ACTIVE.');

export const UpdateService: Operation = (ctx, input) => {
  const cluster = getCluster(ctx.state, input.cluster);
  // DRAINING and INACTIVE (deleted) services answer ServiceNotActiveException.
  const svc = anyService(cluster, input.service);
  if (svc.status !== 'ACTIVE') throw notActive();
  let td = svc.taskDefinition;
  if (input.taskDefinition !== undefined) {
    td = resolveTaskDefinition(ctx, input.taskDefinition);
  }
  if (input.launchType !== undefined) {
    throw errors.invalidParameter('launchType can not be updated.');
  }
  checkLaunchCompat(td, launchTypeOf(svc));
  const networkConfiguration =
    input.networkConfiguration ?? svc.networkConfiguration;
  checkNetwork(td, networkConfiguration);
  if (input.desiredCount !== undefined && input.desiredCount !== null) {
    if (svc.schedulingStrategy === 'DAEMON') {
      throw errors.invalidParameter(
        'The daemon scheduling strategy does not support a desired count for services.',
      );
    }
    if (!Number.isInteger(input.desiredCount) || input.desiredCount < 0) {
      throw errors.invalidParameter(
        'desiredCount must be a non-negative integer.',
      );
    }
  }
  if (input.placementStrategy?.length && svc.schedulingStrategy === 'DAEMON') {
    throw errors.invalidParameter(
      'The daemon scheduling strategy does not support placement strategies.',
    );
  }
  const newConfig = input.deploymentConfiguration
    ? deploymentConfiguration(
        svc.schedulingStrategy,
        input.deploymentConfiguration,
        svc.deploymentConfiguration,
      )
    : svc.deploymentConfiguration;
  // All validation passed: apply.
  if (input.desiredCount !== undefined && input.desiredCount !== null) {
    svc.desiredCount = input.desiredCount;
    svc.steady = false;
  }
  svc.deploymentConfiguration = newConfig;
  const networkChanged =
    input.networkConfiguration !== undefined &&
    JSON.stringify(input.networkConfiguration) !==
      JSON.stringify(svc.networkConfiguration);
  svc.networkConfiguration = networkConfiguration;
  if (input.placementConstraints)
    svc.placementConstraints = input.placementConstraints;
  if (input.placementStrategy) svc.placementStrategy = input.placementStrategy;
  if (input.healthCheckGracePeriodSeconds !== undefined)
    svc.healthCheckGracePeriodSeconds = input.healthCheckGracePeriodSeconds;
  if (input.enableExecuteCommand !== undefined)
    svc.enableExecuteCommand = Boolean(input.enableExecuteCommand);
  if (input.enableECSManagedTags !== undefined)
    svc.enableECSManagedTags = Boolean(input.enableECSManagedTags);
  if (input.propagateTags !== undefined)
    svc.propagateTags = input.propagateTags;
  const primary = svc.deployments[0];
  if (
    td !== primary?.taskDefinition ||
    input.forceNewDeployment === true ||
    networkChanged ||
    input.placementConstraints !== undefined
  ) {
    ctx.scheduler.newDeployment(cluster, svc, td, ctx.now);
  } else if (primary) {
    primary.desiredCount = svc.desiredCount;
  }
  return { service: serializeService(svc, cluster.arn, []) };
};

/**
 * DeleteService: the service goes DRAINING while its tasks stop, then INACTIVE
 * (scheduler/draining.ts). A REPLICA service must be scaled to 0 first unless
 * `force`; a DAEMON service needs no `force` ("It's only necessary to use this
 * if the service uses the REPLICA scheduling strategy").
 */
export const DeleteService: Operation = (ctx, input) => {
  const cluster = getCluster(ctx.state, input.cluster);
  const svc = anyService(cluster, input.service);
  if (svc.status !== 'ACTIVE') throw notActive();
  if (input.force !== undefined && typeof input.force !== 'boolean') {
    throw errors.invalidParameter('force must be a boolean.');
  }
  if (
    svc.schedulingStrategy === 'REPLICA' &&
    svc.desiredCount > 0 &&
    input.force !== true
  ) {
    throw errors.invalidParameter(
      'The service cannot be stopped while it is scaled above 0.',
    );
  }
  ctx.scheduler.deleteService(svc, ctx.now);
  return { service: serializeService(svc, cluster.arn, []) };
};

export const DescribeServices: Operation = (ctx, input) => {
  const cluster = getCluster(ctx.state, input.cluster);
  const include = includeList(input, ['TAGS']);
  const refs = stringList(input, 'services', { required: true, max: 10 });
  const services: Json[] = [];
  const failures: Json[] = [];
  for (const ref of refs) {
    const name = serviceNameOf(cluster, ref);
    const svc = name ? cluster.services.get(name) : undefined;
    if (svc) {
      services.push(serializeService(svc, cluster.arn, include));
    } else {
      failures.push(
        missing(ref, short =>
          arns.service(ctx.region, ctx.accountId, cluster.name, short),
        ),
      );
    }
  }
  return { services, failures };
};

export const ListServices: Operation = (ctx, input) => {
  const cluster = getCluster(ctx.state, input.cluster);
  if (
    input.launchType !== undefined &&
    !LAUNCH_TYPES.includes(input.launchType)
  ) {
    throw errors.invalidParameter(`Invalid launchType '${input.launchType}'.`);
  }
  if (
    input.schedulingStrategy !== undefined &&
    !['REPLICA', 'DAEMON'].includes(input.schedulingStrategy)
  ) {
    throw errors.invalidParameter(
      `Invalid schedulingStrategy '${input.schedulingStrategy}'.`,
    );
  }
  // DRAINING services are "no longer visible in the console or in the ListServices API
  // operation" (DeleteService); DescribeServices still returns them, and INACTIVE ones for a while.
  const list = [...cluster.services.values()]
    .filter(s => s.status === 'ACTIVE')
    .filter(s => !input.launchType || launchTypeOf(s) === input.launchType)
    .filter(
      s =>
        !input.schedulingStrategy ||
        s.schedulingStrategy === input.schedulingStrategy,
    )
    .map(s => s.arn);
  const { page, nextToken } = paginate(list, input, {
    defaultMax: 10,
    max: 100,
  });
  return { serviceArns: page, nextToken };
};
