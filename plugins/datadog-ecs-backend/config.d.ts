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
      /**
       * The owner of this location's clusters that carry no owner tag, as an entity ref
       * (`group:default/platform`, or `platform` for a group in the default namespace).
       */
      defaultOwner?: string;
    }>;
    /**
     * Who owns each cluster, for the catalog's `ecs-cluster` resources, the cluster cards and the
     * rollout permission: from AWS tags on the cluster (data the platform team controls), never
     * from a service's annotations.
     */
    catalog?: {
      /** The cluster tag whose value is the owner's entity ref (`payments` means `group:default/payments`). @default owner */
      ownerTag?: string;
      /** The cluster tag whose value is the system's entity ref. @default system */
      systemTag?: string;
      /** The owner of clusters with neither an owner tag nor a location `defaultOwner`. */
      defaultOwner?: string;
    };
    /**
     * Send every ECS call to this endpoint instead of AWS's regional endpoints — how the embedded
     * default reaches the local ECS emulator (`http://localhost:4510`). A plain-HTTP URL is refused
     * (the plugin does not start) unless `NODE_ENV` is `development` (`backstage-cli package start`)
     * or `test`; an HTTPS endpoint, e.g. a VPC or FIPS endpoint such as
     * `https://ecs-fips.us-east-1.amazonaws.com`, is accepted everywhere. Leave unset in production
     * (`app-config.production.yaml` sets it to `null` to unset the demo value).
     */
    ecsEndpoint?: string;
    /**
     * Send the EC2 calls (DescribeImages, which reads the instances' AMIs) to this endpoint instead
     * of AWS's regional endpoints. When unset, `ecsEndpoint` serves them too (the development
     * endpoint serves every AWS client the plugin creates: the local emulator answers EC2 as well);
     * set it when `ecsEndpoint` is an ECS-only endpoint such as a VPC or FIPS endpoint, e.g.
     * `https://ec2-fips.us-east-1.amazonaws.com`. Validated like `ecsEndpoint`: plain HTTP only in
     * development. Leave unset in production (`app-config.production.yaml` sets it to `null`).
     */
    ec2Endpoint?: string;
    /**
     * AWS requests (ECS and EC2) on the wire at once per account-region, whatever sends them
     * (refreshes and rollouts); the others wait their turn, a rollout's writes before any read.
     * Retries waiting for their backoff and calls paced after ECS throttled their operation hold
     * no slot. With
     * `refresh.locationConcurrency` it bounds what a refresh asks of AWS at once. @default 12
     */
    callsInFlight?: number;
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
      /**
       * Clusters of one account-region inventoried at once (each holds its raw answers until its
       * pass ends); their calls share the account-region's `callsInFlight`. @default 16
       */
      clusterConcurrency?: number;
    };
    /** Rolling Datadog's documented Agent daemon out to clusters (see the README). */
    rollout?: {
      /** The switch: rollouts (and the `rollout` action) are refused unless true. Previews always work. @default false */
      enabled?: boolean;
      /** The ECS service the daemon runs as. @default datadog-agent */
      serviceName?: string;
      /** The task-definition family registered. @default datadog-agent-task */
      family?: string;
      /** The Agent image tag deployed unless a request names another. @default 7.60.0 */
      imageTag?: string;
      /**
       * The Datadog API key per AWS account. Never sent by the browser: a rollout to an account not
       * listed here is refused. Either a Secrets Manager (or SSM) ARN with the task execution role that
       * may read it (rendered as `secrets[].valueFrom` and `executionRoleArn`), or, for development
       * only, a plaintext key (rendered into `DD_API_KEY`, readable by anyone who may describe the
       * task definition).
       */
      apiKeys?: Array<{
        /** The 12-digit AWS account id. */
        accountId: string;
        /** ARN of the secret holding the API key. */
        secretArn?: string;
        /** ARN of the task execution role that may read `secretArn`. */
        executionRoleArn?: string;
        /**
         * Development only: the API key itself.
         * @visibility secret
         */
        plaintextApiKey?: string;
      }>;
      /** A deployment not finished after this many minutes is marked failed (timeout). @default 30 */
      deploymentTimeoutMinutes?: number;
      /** How often a rollout in progress is polled, in seconds. @default 5 */
      pollIntervalSeconds?: number;
      /**
       * How long a replica's claim of a rollout lasts unless renewed (it is renewed every third of
       * it while the rollout runs); once it expires, another replica's resume task (which runs this
       * often) takes the rollout over. @default 30
       */
      leaseSeconds?: number;
      /**
       * The managed-daemon target: the Agent as an ECS Managed Daemon on the Managed Instances
       * capacity providers of a cluster (RegisterDaemonTaskDefinition, CreateDaemon / UpdateDaemon).
       */
      managedDaemon?: {
        /** The daemon's name. @default the rollout's serviceName (datadog-agent) */
        daemonName?: string;
        /** The daemon task definition family registered. @default datadog-agent-daemon */
        family?: string;
        /**
         * The Agent image tag deployed unless a request names another; Datadog documents the Agent
         * on ECS Managed Instances from 7.77.0. @default 7.77.0
         */
        imageTag?: string;
      };
    };
    /** Coverage history kept for the charts. */
    history?: {
      /** Days of coverage history to keep. @default 30 */
      retentionDays?: number;
    };
  };
}
