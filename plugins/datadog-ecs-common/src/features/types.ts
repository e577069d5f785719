import { EcsTaskDefinition } from '../ecsTypes';
import type { DetectorIdOf } from './module';
import type { BUILTIN_FEATURES } from './registry';

/**
 * Identifies one entry of the Agent feature catalog: the id of every built-in feature module with a
 * detector (`core`, `apiKey`, `site`, `image`, `tags`, `apm`, `dogstatsd`, `logs`, `process`, `npm`,
 * `resourceTags`, `healthCheck`, `ecsAnywhere`, `managedInstances`, `fipsProxy`), derived from the
 * feature registry.
 *
 * @public
 */
export type AgentFeatureId = DetectorIdOf<(typeof BUILTIN_FEATURES)[number]>;

/**
 * How a feature looks in a task definition: `misconfigured` means it is meant to be on but a warning
 * or critical finding says it does not (fully) work; `not-applicable` means it cannot apply here
 * (for example no Agent container at all).
 *
 * @public
 */
export type FeatureState = 'on' | 'off' | 'misconfigured' | 'not-applicable';

/**
 * How urgent a finding is.
 *
 * @public
 */
export type FindingSeverity = 'critical' | 'warning' | 'info';

/**
 * Something worth telling a user about an Agent (or application) configuration, with the guide's remedy.
 *
 * @public
 */
export interface Finding<FeatureId extends string = AgentFeatureId> {
  /** Stable identifier, `<feature>.<problem>`, e.g. `dogstatsd.port-without-non-local-traffic`. */
  id: string;
  severity: FindingSeverity;
  feature?: FeatureId;
  title: string;
  /** Plain English: what is wrong and what it costs. */
  explanation: string;
  /** The guide's remedy, concretely: which variable, mount or setting to add. */
  remedy: string;
}

/**
 * The outcome of one feature detector.
 *
 * @public
 */
export interface FeatureResult<FeatureId extends string = AgentFeatureId> {
  id: FeatureId;
  title: string;
  state: FeatureState;
  /** Plain English: what the Agent collects (or does not) because of this feature's configuration. */
  summary: string;
  findings: Finding<FeatureId>[];
  details?: Record<string, string>;
}

/**
 * Where a container instance's Amazon Linux generation comes from:
 *
 * - `ami`: the name of its AMI (`ecs.ami-id`, read with EC2 DescribeImages), e.g.
 *   `amzn2-ami-ecs-hvm-…` → 2. An AMI that is not Amazon Linux (Bottlerocket) gives no generation:
 *   the Linux variant fits it;
 * - `attribute`: the custom container-instance attribute `datadog.amazon-linux-generation`, which
 *   wins when set;
 * - `unknown`: neither tells (a custom AMI, an AMI the account cannot read, DescribeImages not
 *   allowed). Never guessed from the Docker version.
 *
 * @public
 */
export type AmazonLinuxGenerationSource = 'ami' | 'attribute' | 'unknown';

/**
 * What is known about one container instance of the cluster the task definition runs on.
 *
 * @public
 */
export interface ContainerInstanceInfo {
  os: 'linux' | 'windows';
  /** Amazon Linux 1, 2 or 2023, when the instance runs Amazon Linux and its generation is known. */
  amazonLinuxGeneration?: 1 | 2 | 2023;
  /**
   * Where the generation comes from (see `InstanceCoverage.amazonLinuxGenerationSource`):
   * `unknown` for a Linux EC2 instance whose generation nothing tells. Absent where no generation
   * applies, or when not recorded.
   */
  amazonLinuxGenerationSource?: AmazonLinuxGenerationSource;
  /** An ECS Anywhere (EXTERNAL) instance. */
  external?: boolean;
}

/**
 * The input of every feature detector.
 *
 * @public
 */
export interface DetectionInput {
  taskDefinition: EcsTaskDefinition;
  /** The Datadog site the organization uses (e.g. `datadoghq.eu`); site findings need it. */
  expectedSite?: string;
  /** The cluster's container instances, when known. */
  instances?: ContainerInstanceInfo[];
  /** Extra Agent image repositories (private mirrors) besides the well-known ones. */
  extraAgentRepositories?: string[];
  /**
   * The definition is a daemon task definition of ECS Managed Daemons (`DescribeDaemonTaskDefinition`),
   * so it runs on ECS Managed Instances. When absent, a definition whose Agent sets
   * `ECS_MANAGED_INSTANCES=true` is read as one (Datadog's published Managed Instances files do);
   * `false` says it is not (a task definition of a DAEMON service).
   */
  managedDaemon?: boolean;
}

/**
 * The detection part of an Agent feature module (see `AgentFeatureModule`).
 *
 * @public
 */
export interface FeatureDetector<FeatureId extends string = AgentFeatureId> {
  id: FeatureId;
  title: string;
  description: string;
  detect(input: DetectionInput): FeatureResult<FeatureId>;
}
