import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  datadogEcs?: {
    /**
     * The catalog's ECS cluster resources. The owner and system keys of this section
     * (`ownerTag`, `systemTag`, `defaultOwner`) are declared by the datadog-ecs backend plugin,
     * which resolves them; this module reads `defaultOwner` only for a cluster whose summary names
     * no owner.
     */
    catalog?: {
      /**
       * When the entity provider `datadog-ecs-clusters` reads the inventory (`GET /clusters` of
       * the datadog-ecs backend) and updates the catalog.
       * @default { frequency: { minutes: 5 }, timeout: { minutes: 3 }, initialDelay: { seconds: 15 } }
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
  };
}
