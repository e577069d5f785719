import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  /** Configuration of the datadog-ecs backend plugin. */
  datadogEcs?: {
    /**
     * The AWS accounts and regions to inventory. Credentials for each account come from the `aws`
     * section (`@backstage/integration-aws-node`: main account, a role per account, external id).
     */
    locations?: Array<{
      /** The 12-digit AWS account id. */
      accountId: string;
      /** Regions to inventory in this account, e.g. `[us-east-1, eu-west-1]`. */
      regions: string[];
      /** A display name for the account, e.g. `production`. */
      name?: string;
      /** Only these clusters (names); all clusters of the account-region when absent. */
      clusters?: string[];
    }>;
    /**
     * Send every ECS call to this endpoint instead of AWS's regional endpoints — how the embedded
     * default reaches the local ECS emulator. Never set in production.
     */
    ecsEndpoint?: string;
    /** The Datadog site the Agents should report to; a different `DD_SITE` is a finding. @default datadoghq.com */
    site?: string;
    /** How the Datadog Agent is recognised in task definitions. */
    agentDetection?: {
      /**
       * Image repositories that hold the Agent besides the well-known ones
       * (`public.ecr.aws/datadog/agent`, `gcr.io/datadoghq/agent`, `datadog/agent`, …), e.g. a private mirror.
       */
      imageRepositories?: string[];
      /** Task-definition families that always count as the Agent, whatever their image. */
      taskDefinitionFamilies?: string[];
    };
    /** The inventory refresh. */
    refresh?: {
      /** When the refresh task runs. @default { frequency: { minutes: 5 }, timeout: { minutes: 4 }, initialDelay: { seconds: 3 } } */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /** The least time between two refreshes requested with `POST /refresh`, in seconds. @default 30 */
      minIntervalSeconds?: number;
      /** Account-regions inventoried at once. @default 4 */
      locationConcurrency?: number;
      /** Clusters of one account-region inventoried at once. @default 4 */
      clusterConcurrency?: number;
    };
    /** Coverage history kept for the charts. */
    history?: {
      /** Days of coverage history to keep. @default 30 */
      retentionDays?: number;
    };
  };
}
