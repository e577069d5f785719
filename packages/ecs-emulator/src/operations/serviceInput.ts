import { TaskDefinition, Json } from '../model/types';
import { findTaskDefinition } from '../model/world';
import { errors } from '../protocol/errors';
import { OperationContext } from './common';

// What CreateService and UpdateService check and resolve in their input.

export const LAUNCH_TYPES = ['EC2', 'FARGATE', 'EXTERNAL'];

/** A stable key of a request (CreateService's idempotency check). */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value as Json)
      .sort()
      .filter(k => (value as Json)[k] !== undefined)
      .map(k => `${JSON.stringify(k)}:${canonical((value as Json)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export function resolveTaskDefinition(
  ctx: OperationContext,
  ref: unknown,
): TaskDefinition {
  if (typeof ref !== 'string' || ref === '') {
    throw errors.invalidParameter('TaskDefinition can not be blank.');
  }
  const td = findTaskDefinition(ctx.state, ref);
  if (!td) {
    throw errors.invalidParameter('TaskDefinition not found.');
  }
  if (td.status !== 'ACTIVE') {
    throw errors.invalidParameter('TaskDefinition is inactive');
  }
  return td;
}

export function checkLaunchCompat(td: TaskDefinition, launchType: string) {
  if (!td.compatibilities.includes(launchType)) {
    throw errors.invalidParameter(
      `Task definition does not support launch_type ${launchType}.`,
    );
  }
}

export function checkNetwork(
  td: TaskDefinition,
  networkConfiguration: Json | undefined,
) {
  const awsvpc = td.body.networkMode === 'awsvpc';
  if (awsvpc && !networkConfiguration?.awsvpcConfiguration) {
    throw errors.invalidParameter(
      "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
    );
  }
  if (!awsvpc && networkConfiguration) {
    throw errors.invalidParameter(
      'Network Configuration is not valid for the given networkMode of this task definition.',
    );
  }
  if (awsvpc) {
    const subnets = networkConfiguration!.awsvpcConfiguration.subnets;
    if (!Array.isArray(subnets) || subnets.length === 0) {
      throw errors.invalidParameter('subnets can not be empty.');
    }
  }
}

export function deploymentConfiguration(
  strategy: string,
  given: Json | undefined,
  base?: Json,
): Json {
  const daemon = strategy === 'DAEMON';
  const out: Json = {
    deploymentCircuitBreaker: { enable: false, rollback: false },
    maximumPercent: daemon ? 100 : 200,
    minimumHealthyPercent: daemon ? 0 : 100,
    ...(base ? structuredClone(base) : {}),
  };
  if (given) {
    for (const [k, v] of Object.entries(given)) {
      if (v !== undefined) out[k] = structuredClone(v);
    }
  }
  const { maximumPercent: max, minimumHealthyPercent: min } = out;
  if (!Number.isInteger(min) || min < 0 || min > 100) {
    throw errors.invalidParameter(
      'minimumHealthyPercent must be between 0 and 100.',
    );
  }
  if (!Number.isInteger(max) || max < 100 || max > 2000) {
    throw errors.invalidParameter(
      'maximumPercent must be between 100 and 2000.',
    );
  }
  const cb = out.deploymentCircuitBreaker;
  if (
    cb &&
    (typeof cb.enable !== 'boolean' || typeof cb.rollback !== 'boolean')
  ) {
    throw errors.invalidParameter(
      'deploymentCircuitBreaker requires both enable and rollback.',
    );
  }
  // ThresholdConfiguration: type and value, both required.
  // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ThresholdConfiguration.html
  const threshold = cb?.thresholdConfiguration;
  if (threshold !== undefined && threshold !== null) {
    if (!['COUNT', 'BOUNDED_PERCENT', 'UNBOUNDED_PERCENT'].includes(threshold.type)) {
      throw errors.invalidParameter(
        `Invalid thresholdConfiguration type '${threshold.type}': COUNT, BOUNDED_PERCENT or UNBOUNDED_PERCENT.`,
      );
    }
    if (!Number.isInteger(threshold.value) || threshold.value < 0) {
      throw errors.invalidParameter(
        'thresholdConfiguration value must be a non-negative integer.',
      );
    }
  }
  return out;
}
