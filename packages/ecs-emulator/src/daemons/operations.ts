import { validateTags } from '../model/taskDefinitions';
import { Cluster, Json } from '../model/types';
import { getCluster } from '../model/world';
import { errors } from '../protocol/errors';
import { Operation, OperationContext, paginate } from '../operations/common';
import { ts } from '../operations/serialize';
import { canonical } from '../operations/serviceInput';
import {
  activeDeployment,
  filledConfiguration,
  startDaemonDeployment,
} from './rollout';
import { serializeDaemon } from './serialize';
import {
  clusterDaemons,
  daemonArns,
  daemonErrors,
  findCapacityProvider,
  findDaemon,
  findDaemonTaskDefinition,
} from './state';
import { Daemon, DaemonRevision } from './types';

// CreateDaemon, UpdateDaemon, DeleteDaemon, DescribeDaemon and ListDaemons. "ECS Managed Daemons
// is only supported for Amazon ECS Managed Instances Capacity Providers."

const NAME_RE = /^[a-zA-Z0-9_-]{1,255}$/;
const CLIENT_TOKEN_RE = /^[\x21-\x7e]{1,36}$/;

function validateConfiguration(given: unknown): Json | undefined {
  if (given === undefined || given === null) return undefined;
  if (typeof given !== 'object') {
    throw errors.invalidParameter('deploymentConfiguration must be an object.');
  }
  const c = given as Json;
  if (
    c.drainPercent !== undefined &&
    (typeof c.drainPercent !== 'number' ||
      c.drainPercent < 0 ||
      c.drainPercent > 100)
  ) {
    throw errors.invalidParameter(
      'deploymentConfiguration.drainPercent must be between 0.0 and 100.0.',
    );
  }
  if (
    c.bakeTimeInMinutes !== undefined &&
    (!Number.isInteger(c.bakeTimeInMinutes) ||
      c.bakeTimeInMinutes < 0 ||
      c.bakeTimeInMinutes > 1440)
  ) {
    throw errors.invalidParameter(
      'deploymentConfiguration.bakeTimeInMinutes must be between 0 and 1440.',
    );
  }
  if (c.alarms?.enable && !c.alarms.alarmNames?.length) {
    throw errors.invalidParameter(
      'deploymentConfiguration.alarms.alarmNames must be specified when alarms are enabled.',
    );
  }
  return c;
}

/** capacityProviderArns → the ARNs of Managed Instances providers of the cluster. */
function validateProviders(
  ctx: OperationContext,
  cluster: Cluster,
  refs: unknown,
): string[] {
  if (!Array.isArray(refs) || refs.length === 0) {
    throw errors.invalidParameter(
      'capacityProviderArns can not be null or empty.',
    );
  }
  const out: string[] = [];
  for (const ref of refs) {
    const cp =
      typeof ref === 'string'
        ? findCapacityProvider(ctx.state, ref)
        : undefined;
    if (!cp) {
      throw errors.invalidParameter(
        `The specified capacity provider ${String(ref)} does not exist.`,
      );
    }
    if (cp.type !== 'MANAGED_INSTANCES') {
      throw errors.invalidParameter(
        'ECS Managed Daemons is only supported for Amazon ECS Managed Instances Capacity Providers.',
      );
    }
    if (cp.clusterName !== cluster.name) {
      throw errors.invalidParameter(
        `The capacity provider ${cp.name} is not associated with the cluster ${cluster.name}.`,
      );
    }
    if (!out.includes(cp.arn)) out.push(cp.arn);
  }
  return out;
}

function resolveTaskDefinition(ctx: OperationContext, ref: unknown) {
  if (typeof ref !== 'string' || ref === '') {
    throw errors.invalidParameter(
      'daemonTaskDefinitionArn can not be null or empty.',
    );
  }
  const td = findDaemonTaskDefinition(ctx.state, ref);
  if (!td) throw errors.invalidParameter('DaemonTaskDefinition not found.');
  if (td.status !== 'ACTIVE') {
    throw errors.invalidParameter('DaemonTaskDefinition is not ACTIVE.');
  }
  return td;
}

function checkEnum(value: unknown, field: string, allowed: string[]) {
  if (value !== undefined && !allowed.includes(value as string)) {
    throw errors.invalidParameter(`Invalid ${field} '${String(value)}'.`);
  }
}

function checkBoolean(input: Json, field: string) {
  if (input[field] !== undefined && typeof input[field] !== 'boolean') {
    throw errors.invalidParameter(`${field} must be a boolean.`);
  }
}

/** A revision: the daemon's configuration now, with the task definition it deploys. */
function newRevision(
  ctx: OperationContext,
  daemon: Daemon,
  td: ReturnType<typeof resolveTaskDefinition>,
  settings: Json,
): DaemonRevision {
  const rev: DaemonRevision = {
    arn: daemonArns.revision(
      daemon.cluster,
      daemon.name,
      ctx.world.ids.digits(19, 'daemon-revision'),
    ),
    daemon,
    taskDefinition: td,
    createdAt: ctx.now,
    critical: settings.critical ?? true,
    propagateTags: settings.propagateTags ?? 'NONE',
    enableECSManagedTags: Boolean(settings.enableECSManagedTags),
    enableExecuteCommand: Boolean(settings.enableExecuteCommand),
  };
  daemon.revisions.push(rev);
  return rev;
}

const summary = (daemon: Daemon, extra: Json = {}) => ({
  daemonArn: daemon.arn,
  status: daemon.status,
  createdAt: ts(daemon.createdAt),
  ...extra,
  deploymentArn: daemon.deployments[daemon.deployments.length - 1]?.arn,
});

/** CreateDaemon (also used by fleet seeding); returns the daemon and whether it is new. */
export function createDaemon(
  ctx: OperationContext,
  input: Json,
): { daemon: Daemon; created: boolean } {
  const name = input.daemonName;
  if (typeof name !== 'string' || !NAME_RE.test(name)) {
    throw errors.invalidParameter(
      'Daemon name can be up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens.',
    );
  }
  const cluster = getCluster(ctx.state, input.clusterArn);
  if (
    input.clientToken !== undefined &&
    (typeof input.clientToken !== 'string' ||
      !CLIENT_TOKEN_RE.test(input.clientToken))
  ) {
    throw errors.invalidParameter(
      'clientToken can be up to 36 ASCII characters in the range of 33-126.',
    );
  }
  const cs = clusterDaemons(cluster);
  const existing = cs.daemons.get(name);
  const requestKey = canonical({ ...input, clientToken: undefined });
  if (existing && !existing.deleted) {
    if (
      input.clientToken &&
      existing.clientToken === input.clientToken &&
      existing.requestKey === requestKey
    ) {
      return { daemon: existing, created: false };
    }
    if (existing.status === 'DELETE_IN_PROGRESS') {
      throw errors.invalidParameter(
        'Unable to create a daemon that is still being deleted.',
      );
    }
    throw errors.invalidParameter('Creation of daemon was not idempotent.');
  }
  const td = resolveTaskDefinition(ctx, input.daemonTaskDefinitionArn);
  const capacityProviderArns = validateProviders(
    ctx,
    cluster,
    input.capacityProviderArns,
  );
  const config = validateConfiguration(input.deploymentConfiguration);
  checkEnum(input.propagateTags, 'propagateTags', ['DAEMON', 'NONE']);
  for (const f of [
    'critical',
    'enableECSManagedTags',
    'enableExecuteCommand',
  ]) {
    checkBoolean(input, f);
  }
  const daemon: Daemon = {
    arn: daemonArns.daemon(cluster, name),
    name,
    cluster,
    status: 'ACTIVE',
    createdAt: ctx.now,
    updatedAt: ctx.now,
    capacityProviderArns,
    deploymentConfiguration: filledConfiguration(config),
    tags: validateTags(input.tags),
    clientToken: input.clientToken,
    requestKey,
    revisions: [],
    deployments: [],
    placements: new Map(),
  };
  const rev = newRevision(ctx, daemon, td, input);
  daemon.current = rev;
  cs.daemons.set(name, daemon);
  startDaemonDeployment(daemon, 'create', rev, ctx.now, ctx.world.ids);
  return { daemon, created: true };
}

export const CreateDaemon: Operation = (ctx, input) => {
  const { daemon } = createDaemon(ctx, input);
  // The initial deployment's ARN, also when an idempotent retry returns the existing daemon.
  return { ...summary(daemon), deploymentArn: daemon.deployments[0].arn };
};

export const UpdateDaemon: Operation = (ctx, input) => {
  const daemon = findDaemon(ctx.state, input.daemonArn);
  if (daemon.status !== 'ACTIVE') throw daemonErrors.notActive();
  const td = resolveTaskDefinition(ctx, input.daemonTaskDefinitionArn);
  const capacityProviderArns = validateProviders(
    ctx,
    daemon.cluster,
    input.capacityProviderArns,
  );
  const config = validateConfiguration(input.deploymentConfiguration);
  checkEnum(input.propagateTags, 'propagateTags', ['DAEMON', 'NONE']);
  for (const f of [
    'critical',
    'enableECSManagedTags',
    'enableExecuteCommand',
  ]) {
    checkBoolean(input, f);
  }
  // What the request leaves out stays as the current revision has it.
  const prev = daemon.revisions[daemon.revisions.length - 1];
  const settings: Json = {
    critical: input.critical ?? prev.critical,
    propagateTags: input.propagateTags ?? prev.propagateTags,
    enableECSManagedTags:
      input.enableECSManagedTags ?? prev.enableECSManagedTags,
    enableExecuteCommand:
      input.enableExecuteCommand ?? prev.enableExecuteCommand,
  };
  daemon.capacityProviderArns = [...new Set([...capacityProviderArns])];
  daemon.deploymentConfiguration = filledConfiguration(
    config,
    daemon.deploymentConfiguration,
  );
  daemon.updatedAt = ctx.now;
  const rev = newRevision(ctx, daemon, td, settings);
  startDaemonDeployment(daemon, 'update', rev, ctx.now, ctx.world.ids);
  return summary(daemon, { updatedAt: ts(daemon.updatedAt) });
};

/**
 * DeleteDaemon: DELETE_IN_PROGRESS while a deployment replaces its instances with instances
 * without it ("Amazon ECS drains existing container instances and provisions new instances
 * without the deleted daemon"); then it is gone.
 */
export const DeleteDaemon: Operation = (ctx, input) => {
  const daemon = findDaemon(ctx.state, input.daemonArn);
  if (daemon.status !== 'ACTIVE') throw daemonErrors.notActive();
  daemon.status = 'DELETE_IN_PROGRESS';
  daemon.updatedAt = ctx.now;
  startDaemonDeployment(daemon, 'delete', undefined, ctx.now, ctx.world.ids);
  return summary(daemon, { updatedAt: ts(daemon.updatedAt) });
};

export const DescribeDaemon: Operation = (ctx, input) => {
  const daemon = findDaemon(ctx.state, input.daemonArn);
  const d = activeDeployment(daemon);
  let goal = daemon.status === 'ACTIVE' ? daemon.current : undefined;
  if (d) goal = d.goal;
  return { daemon: serializeDaemon(daemon, goal) };
};

export const ListDaemons: Operation = (ctx, input) => {
  const cluster = getCluster(ctx.state, input.clusterArn);
  let providers: string[] | undefined;
  if (input.capacityProviderArns !== undefined) {
    if (!Array.isArray(input.capacityProviderArns)) {
      throw errors.invalidParameter(
        'capacityProviderArns must be a list of strings.',
      );
    }
    providers = input.capacityProviderArns.map(
      (ref: unknown) =>
        (typeof ref === 'string' &&
          findCapacityProvider(ctx.state, ref)?.arn) ||
        String(ref),
    );
  }
  const list = [...clusterDaemons(cluster).daemons.values()]
    .filter(d => !d.deleted)
    .filter(
      d =>
        !providers?.length ||
        d.capacityProviderArns.some(arn => providers!.includes(arn)),
    )
    .sort((a, b) => a.createdAt - b.createdAt);
  const { page, nextToken } = paginate(list, input, {
    defaultMax: 100,
    max: 100,
  });
  return {
    daemonSummariesList: page.map(d => ({
      daemonArn: d.arn,
      status: d.status,
      createdAt: ts(d.createdAt),
      updatedAt: ts(d.updatedAt),
    })),
    nextToken,
  };
};
