/**
 * What Amazon ECS authorizes for a request: the action on the resources the
 * request names, plus the dependent actions ECS checks (ecs:TagResource for
 * tag-on-create, iam:PassRole for roles handed to ECS).
 *
 * Resource types per action follow the Service Authorization Reference,
 * "Actions, resources, and condition keys for Amazon Elastic Container
 * Service":
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html
 * e.g. DescribeClusters → cluster*, ListContainerInstances → cluster*,
 * DescribeContainerInstances / ListTasks → container-instance*,
 * DescribeServices / CreateService / UpdateService / ListServiceDeployments →
 * service*, DescribeServiceDeployments → service-deployment*, DescribeTasks →
 * task*, RegisterTaskDefinition → task-definition*, RunTask / StartTask →
 * task-definition*; ListClusters, ListServices, ListTaskDefinitions,
 * ListTaskDefinitionFamilies and DescribeTaskDefinition have no resource type
 * and are evaluated against `*` (AWS reports e.g. "… ecs:ListClusters on
 * resource: *"). Where the emulator cannot name the resource (no container
 * instance in ListTasks, ids ECS has not generated yet), it uses `*` too.
 */
import { daemonAuthorizationScope } from '../daemons/iam';
import { findTaskDefinition } from '../model/world';
import { parseEcsArn } from '../model/ids';
import { Json, RegionState } from '../model/types';
import { AuthorizationRequest } from './policy';

/**
 * Tag-on-create actions. When `tags` is non-empty, ECS also authorizes
 * ecs:TagResource (with the `ecs:CreateAction` condition key set to the
 * operation); it is "only evaluated if tags are applied during the
 * resource-creating action", so a request without tags needs no TagResource.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/supported-iam-actions-tagging.html
 *
 * `propagateTags` and `enableECSManagedTags` are not tags "specified in the
 * request", and the page above does not list them as triggering the check,
 * so they do not require ecs:TagResource here.
 *
 * @public
 */
export const TAG_ON_CREATE_ACTIONS = [
  'CreateCapacityProvider',
  'CreateCluster',
  'CreateDaemon',
  'CreateService',
  'CreateTaskSet',
  'RegisterContainerInstance',
  'RegisterDaemonTaskDefinition',
  'RegisterTaskDefinition',
  'RunTask',
  'StartTask',
];

/** Principal a passed role is handed to (the `iam:PassedToService` key). */
const ECS_TASKS = 'ecs-tasks.amazonaws.com';
const ECS = 'ecs.amazonaws.com';

export interface EcsRequestScope {
  accountId: string;
  region: string;
  /** The account/region state (to resolve task definitions and next revisions). */
  state: RegionState;
}

const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' ? v : undefined;

/**
 * The authorization requests ECS makes for one API call, in order: the
 * operation's action on each resource it names, then ecs:TagResource on the
 * resource being created (tag-on-create), then iam:PassRole on each role.
 */
export function ecsAuthorizationRequests(
  operation: string,
  input: Json,
  scope: EcsRequestScope,
): AuthorizationRequest[] {
  const { accountId, region, state } = scope;
  const ecsArn = (path: string) => `arn:aws:ecs:${region}:${accountId}:${path}`;
  const clusterName = (): string => {
    const ref = str(input.cluster) ?? 'default';
    if (!ref.startsWith('arn:')) return ref;
    const p = parseEcsArn(ref);
    return p?.parts[0] ?? ref.slice(ref.lastIndexOf('/') + 1);
  };
  const clusterArn = (ref: unknown = input.cluster) => {
    const r = str(ref) ?? 'default';
    return r.startsWith('arn:') ? r : ecsArn(`cluster/${r}`);
  };
  /** `<type>/<cluster>/<id>` ARN for an id or name (ARNs are kept). */
  const inCluster = (type: string, ref: unknown) => {
    const r = str(ref);
    if (!r) return '*';
    return r.startsWith('arn:') ? r : ecsArn(`${type}/${clusterName()}/${r}`);
  };
  const list = (v: unknown, map: (x: string) => string): string[] => {
    const items = Array.isArray(v)
      ? v.filter((x): x is string => typeof x === 'string' && x !== '')
      : [];
    return items.length ? items.map(map) : ['*'];
  };
  const taskDefinitionArn = (ref: unknown) => {
    const r = str(ref);
    if (!r) return '*';
    const td = findTaskDefinition(state, r);
    if (td) return td.arn;
    return r.startsWith('arn:') ? r : ecsArn(`task-definition/${r}`);
  };
  const nextTaskDefinitionArn = () => {
    const family = str(input.family);
    if (!family) return '*';
    const revision = (state.taskDefinitions.get(family)?.length ?? 0) + 1;
    return ecsArn(`task-definition/${family}:${revision}`);
  };
  const roleArn = (ref: string) =>
    ref.startsWith('arn:')
      ? ref
      : `arn:aws:iam::${accountId}:role/${ref.replace(/^\/+/, '')}`;

  let resources: string[];
  let created: string | undefined; // resource tagged on creation
  const passed: Array<{ role: string; service: string }> = [];
  const extra: AuthorizationRequest[] = []; // other dependent actions
  const passTaskRoles = (holder: unknown) => {
    if (!holder || typeof holder !== 'object') return;
    const h = holder as Json;
    for (const field of ['taskRoleArn', 'executionRoleArn']) {
      const r = str(h[field]);
      if (r) passed.push({ role: r, service: ECS_TASKS });
    }
  };

  switch (operation) {
    case 'DescribeClusters':
      resources = Array.isArray(input.clusters)
        ? list(input.clusters, r => clusterArn(r))
        : [clusterArn('default')];
      break;
    case 'ListContainerInstances':
    case 'ListAttributes':
    case 'DeleteCluster':
    case 'UpdateCluster':
    case 'UpdateClusterSettings':
    case 'PutClusterCapacityProviders':
    case 'DeregisterContainerInstance':
      resources = [clusterArn()];
      break;
    case 'CreateCluster':
      created = ecsArn(`cluster/${str(input.clusterName) ?? 'default'}`);
      resources = [created];
      break;
    case 'RegisterContainerInstance':
      resources = [clusterArn()];
      created = '*'; // the container instance id is generated by ECS
      break;
    case 'DescribeContainerInstances':
      resources = list(input.containerInstances, r =>
        inCluster('container-instance', r),
      );
      break;
    case 'ListTasks':
      resources = [inCluster('container-instance', input.containerInstance)];
      break;
    case 'DescribeTasks':
      resources = list(input.tasks, r => inCluster('task', r));
      break;
    case 'StopTask':
      resources = [inCluster('task', input.task)];
      break;
    case 'DescribeServices':
      resources = list(input.services, r => inCluster('service', r));
      break;
    case 'CreateService': {
      created = inCluster('service', input.serviceName);
      resources = [created];
      // The role ECS uses for the load balancer.
      const role = str(input.role);
      if (role) passed.push({ role, service: ECS });
      break;
    }
    case 'UpdateService':
    case 'DeleteService':
    case 'ListServiceDeployments':
      resources = [inCluster('service', input.service)];
      break;
    case 'DescribeServiceDeployments':
      resources = list(input.serviceDeploymentArns, r => r);
      break;
    case 'StopServiceDeployment':
      resources = [str(input.serviceDeploymentArn) ?? '*'];
      break;
    case 'RegisterTaskDefinition':
      created = nextTaskDefinitionArn();
      resources = [created];
      passTaskRoles(input);
      break;
    case 'RunTask':
    case 'StartTask': {
      resources = [taskDefinitionArn(input.taskDefinition)];
      created = '*'; // the task id is generated by ECS
      // "If your scheduled tasks require the use of the task execution role,
      // a task role, or a task role override, then you must add iam:PassRole
      // permissions for each …"
      // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/CWE_IAM_role.html
      const ref = str(input.taskDefinition);
      const td = ref ? findTaskDefinition(state, ref) : undefined;
      if (td) passTaskRoles(td.body);
      passTaskRoles(input.overrides);
      break;
    }
    case 'CreateTaskSet':
      resources = ['*'];
      created = '*'; // the task set id is generated by ECS
      break;
    case 'ListTagsForResource':
    case 'TagResource':
    case 'UntagResource':
      resources = [str(input.resourceArn) ?? '*'];
      break;
    default: {
      // Capacity providers and daemons: daemons/iam.ts. ListClusters, ListServices,
      // ListTaskDefinitions, ListTaskDefinitionFamilies, DescribeTaskDefinition, …: `*`.
      const daemon = daemonAuthorizationScope(operation, input, state, {
        'aws:RequestedRegion': region,
      });
      resources = daemon?.resources ?? ['*'];
      created = daemon?.created;
      passed.push(...(daemon?.passed ?? []));
      extra.push(...(daemon?.extra ?? []));
    }
  }

  const context = { 'aws:RequestedRegion': region };
  const out: AuthorizationRequest[] = resources.map(resource => ({
    action: `ecs:${operation}`,
    resource,
    context,
  }));
  out.push(...extra);
  if (
    created !== undefined &&
    TAG_ON_CREATE_ACTIONS.includes(operation) &&
    Array.isArray(input.tags) &&
    input.tags.length > 0
  ) {
    out.push({
      action: 'ecs:TagResource',
      resource: created,
      context: { ...context, 'ecs:CreateAction': operation },
    });
  }
  const seen = new Set<string>();
  for (const p of passed) {
    const arn = roleArn(p.role);
    if (seen.has(arn)) continue;
    seen.add(arn);
    // iam:PassRole is a dependent action of RegisterTaskDefinition,
    // CreateService, RunTask and StartTask (Service Authorization Reference).
    // Missing it, ECS answers AccessDeniedException "User: … is not authorized
    // to perform: iam:PassRole on resource: arn:aws:iam::…:role/… because no
    // identity-based policy allows the iam:PassRole action" (HTTP 400), as
    // reported e.g. in github.com/wellcomecollection/platform/issues/374
    // (RegisterTaskDefinition), github.com/ministryofjustice/
    // modernisation-platform/pull/8443 (RegisterTaskDefinition) and
    // github.com/keidarcy/e1s/issues/429 (UpdateService, StatusCode: 400).
    out.push({
      action: 'iam:PassRole',
      resource: arn,
      context: { ...context, 'iam:PassedToService': p.service },
    });
  }
  return out;
}
