import {
  DescribeClusters,
  DescribeContainerInstances,
  DescribeTasks,
  ListClusters,
  ListContainerInstances,
  ListTasks,
} from './clusters';
import { daemonOperations } from '../daemons';
import { Operation } from './common';
import {
  DescribeServiceDeployments,
  ListServiceDeployments,
  StopServiceDeployment,
} from './serviceDeployments';
import {
  CreateService,
  DeleteService,
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
import { StartTask, StopTask } from './tasks';

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
  DeleteService,
  ListTasks,
  DescribeTasks,
  StartTask,
  StopTask,
  RegisterTaskDefinition,
  DescribeTaskDefinition,
  ListTaskDefinitions,
  ListTaskDefinitionFamilies,
  ListTagsForResource,
  ListServiceDeployments,
  DescribeServiceDeployments,
  StopServiceDeployment,
  // Capacity providers and ECS Managed Daemons (daemons/).
  ...daemonOperations,
};
