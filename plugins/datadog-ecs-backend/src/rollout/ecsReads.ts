import {
  ClusterRef,
  EcsTaskDefinition,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { EcsLocationApi, TaskDefinition } from '../aws/EcsGateway';
import {
  isRegisterNeeded,
  latestRevisionArn,
  serviceTarget,
  ServiceTarget,
} from './plan';

/** What the ECS reads before a rollout say (or, for a preview, what the snapshot says they would). */
export interface Plan {
  rendered: EcsTaskDefinition;
  latestArn?: string;
  registerNeeded: boolean;
  target: ServiceTarget;
}

/** The service of that name on the cluster, as ECS describes it (undefined when there is none). */
export async function describeService(
  api: EcsLocationApi,
  ref: ClusterRef,
  serviceName: string,
) {
  const [service] = await api.describeServices(ref.clusterName, [serviceName]);
  return service;
}

/** The family's latest revision, by the cheapest read the gateway offers. */
export async function latestOfFamily(
  api: EcsLocationApi,
  family: string,
): Promise<TaskDefinition | undefined> {
  if (api.latestTaskDefinitionArn) {
    const arn = await api.latestTaskDefinitionArn(family);
    return arn ? api.describeTaskDefinition(arn) : undefined;
  }
  if (api.listTaskDefinitionArns) {
    const arn = latestRevisionArn(
      await api.listTaskDefinitionArns(family),
      family,
    );
    return arn ? api.describeTaskDefinition(arn) : undefined;
  }
  // A gateway without ListTaskDefinitions: DescribeTaskDefinition by family gives the latest.
  try {
    return await api.describeTaskDefinition(family);
  } catch {
    return undefined;
  }
}

/** The plan from ECS itself: the family's latest revision and the service, read now. */
export async function readPlan(
  api: EcsLocationApi,
  ref: ClusterRef,
  input: { rendered: EcsTaskDefinition; serviceName: string; family: string },
): Promise<Plan> {
  const { rendered, serviceName, family } = input;
  const [latest, service] = await Promise.all([
    latestOfFamily(api, family),
    describeService(api, ref, serviceName),
  ]);
  return {
    rendered,
    latestArn: latest?.taskDefinitionArn,
    registerNeeded: isRegisterNeeded(
      rendered,
      latest as EcsTaskDefinition | undefined,
    ),
    target: serviceTarget(serviceName, service),
  };
}
