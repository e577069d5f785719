import { parseEcsArn } from '../model/ids';
import { Json, RegionState } from '../model/types';
import { AuthorizationRequest } from '../iam/policy';
import { findDaemonTaskDefinition, regionDaemons } from './state';

// What ECS authorizes for the capacity provider and daemon operations, per the Service
// Authorization Reference ("Actions, resources, and condition keys for Amazon Elastic Container
// Service"):
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html
// - CreateDaemon → daemon* (arn:…:daemon/<cluster>/<name>), dependent ecs:TagResource and
//   iam:PassRole (iam:PassedToService ecs-tasks.amazonaws.com, the daemon task definition's roles);
//   UpdateDaemon → daemon*, dependent iam:PassRole; DeleteDaemon, DescribeDaemon,
//   ListDaemonDeployments → daemon*;
// - DescribeDaemonDeployments → daemon* and daemon-deployment*
//   (…:daemon-deployment/<cluster>/<daemon>/<id>); DescribeDaemonRevisions → daemon* and
//   daemon-revision* (…:daemon-revision/<cluster>/<daemon>/<id>);
// - RegisterDaemonTaskDefinition → daemon-task-definition* (the revision it will create),
//   dependent ecs:TagResource and iam:PassRole; DescribeDaemonTaskDefinition,
//   DeleteDaemonTaskDefinition → daemon-task-definition*;
// - ListDaemons, ListDaemonTaskDefinitions → no resource type (`*`);
// - CreateCapacityProvider → capacity-provider*, dependent ecs:PutClusterCapacityProviders,
//   ecs:TagResource and iam:PassRole (ecs.amazonaws.com: the infrastructure role);
//   DescribeCapacityProviders → capacity-provider*.

const ECS_TASKS = 'ecs-tasks.amazonaws.com';
const ECS = 'ecs.amazonaws.com';

export interface DaemonScope {
  resources: string[];
  /** The resource tagged on creation (tag-on-create). */
  created?: string;
  passed: Array<{ role: string; service: string }>;
  /** Dependent actions other than ecs:TagResource and iam:PassRole. */
  extra: AuthorizationRequest[];
}

const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' ? v : undefined;

/** The authorization scope of a daemon or capacity provider operation; undefined for the others. */
export function daemonAuthorizationScope(
  operation: string,
  input: Json,
  state: RegionState,
  context: Json,
): DaemonScope | undefined {
  const ecsArn = (path: string) =>
    `arn:aws:ecs:${state.region}:${state.accountId}:${path}`;
  const clusterName = (ref: unknown) => {
    const r = str(ref) ?? 'default';
    return r.startsWith('arn:') ? parseEcsArn(r)?.parts[0] ?? r : r;
  };
  const taskDefinitionArn = (ref: unknown) => {
    const r = str(ref);
    if (!r) return '*';
    const td = findDaemonTaskDefinition(state, r);
    if (td) return td.arn;
    return r.startsWith('arn:') ? r : ecsArn(`daemon-task-definition/${r}`);
  };
  const rolesOf = (ref: unknown) => {
    const r = str(ref);
    const td = r ? findDaemonTaskDefinition(state, r) : undefined;
    return td ? taskRoles(td.body) : [];
  };
  const under = (arns: unknown, type: string) => {
    const list = Array.isArray(arns)
      ? arns.filter((x): x is string => typeof x === 'string' && x !== '')
      : [];
    if (!list.length) return ['*'];
    const out: string[] = [];
    for (const arn of list) {
      const p = parseEcsArn(arn);
      if (p?.resourceType === type && p.parts.length === 3) {
        const daemon = ecsArn(`daemon/${p.parts[0]}/${p.parts[1]}`);
        if (!out.includes(daemon)) out.push(daemon);
      }
      out.push(arn);
    }
    return out;
  };
  const scope = (
    resources: string[],
    more: Partial<DaemonScope> = {},
  ): DaemonScope => ({ resources, passed: [], extra: [], ...more });

  switch (operation) {
    case 'RegisterDaemonTaskDefinition': {
      const family = str(input.family);
      const next =
        (family && regionDaemons(state).taskDefinitions.get(family)?.length) ||
        0;
      const created = family
        ? ecsArn(`daemon-task-definition/${family}:${next + 1}`)
        : '*';
      return scope([created], { created, passed: taskRoles(input) });
    }
    case 'DescribeDaemonTaskDefinition':
    case 'DeleteDaemonTaskDefinition':
      return scope([taskDefinitionArn(input.daemonTaskDefinition)]);
    case 'CreateDaemon': {
      const name = str(input.daemonName);
      const created = name
        ? ecsArn(`daemon/${clusterName(input.clusterArn)}/${name}`)
        : '*';
      return scope([created], {
        created,
        passed: rolesOf(input.daemonTaskDefinitionArn),
      });
    }
    case 'UpdateDaemon':
      return scope([str(input.daemonArn) ?? '*'], {
        passed: rolesOf(input.daemonTaskDefinitionArn),
      });
    case 'DeleteDaemon':
    case 'DescribeDaemon':
    case 'ListDaemonDeployments':
      return scope([str(input.daemonArn) ?? '*']);
    case 'DescribeDaemonDeployments':
      return scope(under(input.daemonDeploymentArns, 'daemon-deployment'));
    case 'DescribeDaemonRevisions':
      return scope(under(input.daemonRevisionArns, 'daemon-revision'));
    case 'CreateCapacityProvider': {
      const created = ecsArn(`capacity-provider/${str(input.name) ?? '*'}`);
      const mi = input.managedInstancesProvider;
      const role = str(mi?.infrastructureRoleArn);
      const extra: AuthorizationRequest[] =
        mi && input.cluster !== undefined
          ? [
              {
                action: 'ecs:PutClusterCapacityProviders',
                resource: str(input.cluster)?.startsWith('arn:')
                  ? input.cluster
                  : ecsArn(`cluster/${clusterName(input.cluster)}`),
                context,
              },
            ]
          : [];
      return scope([created], {
        created,
        extra,
        passed: role ? [{ role, service: ECS }] : [],
      });
    }
    case 'DescribeCapacityProviders': {
      const refs = Array.isArray(input.capacityProviders)
        ? input.capacityProviders.filter(
            (x: unknown): x is string => typeof x === 'string' && x !== '',
          )
        : [];
      return scope(
        refs.length
          ? refs.map((r: string) =>
              r.startsWith('arn:') ? r : ecsArn(`capacity-provider/${r}`),
            )
          : ['*'],
      );
    }
    default:
      return undefined;
  }
}

function taskRoles(holder: Json) {
  const out: Array<{ role: string; service: string }> = [];
  for (const field of ['taskRoleArn', 'executionRoleArn']) {
    const r = str(holder?.[field]);
    if (r) out.push({ role: r, service: ECS_TASKS });
  }
  return out;
}
