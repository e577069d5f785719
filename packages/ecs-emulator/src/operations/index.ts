import {
  DescribeClusters,
  DescribeContainerInstances,
  DescribeTasks,
  ListClusters,
  ListContainerInstances,
  ListTasks,
} from './clusters';
import { Operation } from './common';
import {
  DescribeServiceDeployments,
  ListServiceDeployments,
} from './serviceDeployments';
import {
  CreateService,
  DescribeServices,
  ListServices,
  UpdateService,
} from './services';
import {
  DescribeTaskDefinition,
  ListTagsForResource,
  ListTaskDefinitionFamilies,
  ListTaskDefinitions,
  RegisterTaskDefinition,
} from './taskDefinitions';

/** Supported ECS operations by X-Amz-Target operation name. */
export const operations: Record<string, Operation> = {
  ListClusters,
  DescribeClusters,
  ListContainerInstances,
  DescribeContainerInstances,
  ListServices,
  DescribeServices,
  CreateService,
  UpdateService,
  ListTasks,
  DescribeTasks,
  RegisterTaskDefinition,
  DescribeTaskDefinition,
  ListTaskDefinitions,
  ListTaskDefinitionFamilies,
  ListTagsForResource,
  ListServiceDeployments,
  DescribeServiceDeployments,
};
