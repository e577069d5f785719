/**
 * Links to the AWS Management Console (the ECS console, "v2") for clusters, services, tasks,
 * container instances and task definitions. Pure functions: from ARNs, or from a region and
 * names. The console's host depends on the partition (commercial, China, GovCloud), taken from
 * the ARN's partition or the region's prefix. Partitions without a public console (the ISO
 * partitions) and malformed input give `undefined`: no link rather than a wrong one.
 */

/**
 * The partitions whose console has a public address.
 *
 * @public
 */
export type AwsConsolePartition = 'aws' | 'aws-cn' | 'aws-us-gov';

const CONSOLE_HOSTS: Record<AwsConsolePartition, string> = {
  aws: 'console.aws.amazon.com',
  'aws-cn': 'console.amazonaws.cn',
  'aws-us-gov': 'console.amazonaws-us-gov.com',
};

// "us-east-1", "cn-north-1", "us-gov-west-1", "eu-central-2", "ap-southeast-5".
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/**
 * The partition of a region by its prefix; `undefined` for an ISO region or a malformed one.
 *
 * @public
 */
export function partitionOfRegion(
  region: string,
): AwsConsolePartition | undefined {
  if (!REGION.test(region)) return undefined;
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-iso')) return undefined;
  return 'aws';
}

/**
 * `https://<region>.<console host>/ecs/v2` for a region (and the ARN's partition when known; it
 * must agree with the region's).
 */
function ecsConsoleBase(
  region: string,
  partition?: string,
): string | undefined {
  const fromRegion = partitionOfRegion(region);
  if (!fromRegion) return undefined;
  if (partition !== undefined && partition !== fromRegion) return undefined;
  return `https://${region}.${CONSOLE_HOSTS[fromRegion]}/ecs/v2`;
}

const seg = (s: string) => encodeURIComponent(s);

function withRegion(base: string, path: string, region: string): string {
  return `${base}${path}?region=${seg(region)}`;
}

/**
 * Where a resource lives; `partition` only when it came from an ARN.
 *
 * @public
 */
export interface ConsoleLocation {
  region: string;
  partition?: string;
}

/**
 * A cluster's page (its services tab).
 *
 * @public
 */
export function ecsClusterConsoleUrl(
  ref: ConsoleLocation & { clusterName: string },
): string | undefined {
  const base = ecsConsoleBase(ref.region, ref.partition);
  if (!base || !ref.clusterName) return undefined;
  return withRegion(
    base,
    `/clusters/${seg(ref.clusterName)}/services`,
    ref.region,
  );
}

/**
 * A service's health tab.
 *
 * @public
 */
export function ecsServiceConsoleUrl(
  ref: ConsoleLocation & { clusterName: string; serviceName: string },
): string | undefined {
  const base = ecsConsoleBase(ref.region, ref.partition);
  if (!base || !ref.clusterName || !ref.serviceName) return undefined;
  return withRegion(
    base,
    `/clusters/${seg(ref.clusterName)}/services/${seg(ref.serviceName)}/health`,
    ref.region,
  );
}

/**
 * A task's configuration tab.
 *
 * @public
 */
export function ecsTaskConsoleUrl(
  ref: ConsoleLocation & { clusterName: string; taskId: string },
): string | undefined {
  const base = ecsConsoleBase(ref.region, ref.partition);
  if (!base || !ref.clusterName || !ref.taskId) return undefined;
  return withRegion(
    base,
    `/clusters/${seg(ref.clusterName)}/tasks/${seg(ref.taskId)}/configuration`,
    ref.region,
  );
}

/**
 * A container instance's page (the cluster's infrastructure tab).
 *
 * @public
 */
export function ecsContainerInstanceConsoleUrl(
  ref: ConsoleLocation & { clusterName: string; containerInstanceId: string },
): string | undefined {
  const base = ecsConsoleBase(ref.region, ref.partition);
  if (!base || !ref.clusterName || !ref.containerInstanceId) return undefined;
  return withRegion(
    base,
    `/clusters/${seg(ref.clusterName)}/infrastructure/container-instances/${seg(
      ref.containerInstanceId,
    )}`,
    ref.region,
  );
}

/**
 * A task definition revision's containers tab.
 *
 * @public
 */
export function ecsTaskDefinitionConsoleUrl(
  ref: ConsoleLocation & { family: string; revision: number | string },
): string | undefined {
  const base = ecsConsoleBase(ref.region, ref.partition);
  const revision = String(ref.revision);
  if (!base || !ref.family || !/^\d+$/.test(revision)) return undefined;
  return withRegion(
    base,
    `/task-definitions/${seg(ref.family)}/${revision}/containers`,
    ref.region,
  );
}

/**
 * The parts of an ECS ARN. `resource` is everything after the resource type's `/`.
 *
 * @public
 */
export interface EcsArnParts {
  partition: string;
  region: string;
  accountId: string;
  resourceType: string;
  resource: string;
}

/**
 * Splits `arn:<partition>:ecs:<region>:<account>:<type>/<resource>`; `undefined` otherwise.
 *
 * @public
 */
export function parseEcsArn(arn: string): EcsArnParts | undefined {
  const m = /^arn:(aws[a-z-]*):ecs:([a-z0-9-]+):(\d{12}):([a-z-]+)\/(.+)$/.exec(
    arn,
  );
  if (!m) return undefined;
  return {
    partition: m[1],
    region: m[2],
    accountId: m[3],
    resourceType: m[4],
    resource: m[5],
  };
}

/**
 * The console link for an ECS ARN: a cluster, a service, a task, a container instance or a task
 * definition. Services, tasks and container instances in the old ARN format (without the
 * cluster's name) need `clusterName`.
 *
 * @public
 */
export function ecsConsoleUrlForArn(
  arn: string,
  opts: { clusterName?: string } = {},
): string | undefined {
  const parts = parseEcsArn(arn);
  if (!parts) return undefined;
  const { partition, region, resourceType, resource } = parts;
  const names = resource.split('/');
  // New format: <cluster>/<id>; old format: <id>.
  const inCluster = () => {
    if (names.length === 2) return { clusterName: names[0], id: names[1] };
    if (names.length === 1 && opts.clusterName) {
      return { clusterName: opts.clusterName, id: names[0] };
    }
    return undefined;
  };
  const loc = { region, partition };
  switch (resourceType) {
    case 'cluster':
      return names.length === 1
        ? ecsClusterConsoleUrl({ ...loc, clusterName: names[0] })
        : undefined;
    case 'task-definition': {
      const m = /^([A-Za-z0-9_-]+):(\d+)$/.exec(resource);
      return m
        ? ecsTaskDefinitionConsoleUrl({ ...loc, family: m[1], revision: m[2] })
        : undefined;
    }
    case 'service': {
      const r = inCluster();
      return r
        ? ecsServiceConsoleUrl({ ...loc, ...r, serviceName: r.id })
        : undefined;
    }
    case 'task': {
      const r = inCluster();
      return r ? ecsTaskConsoleUrl({ ...loc, ...r, taskId: r.id }) : undefined;
    }
    case 'container-instance': {
      const r = inCluster();
      return r
        ? ecsContainerInstanceConsoleUrl({
            ...loc,
            ...r,
            containerInstanceId: r.id,
          })
        : undefined;
    }
    default:
      return undefined;
  }
}
