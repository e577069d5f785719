import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config, ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { DEFAULT_CALLS_IN_FLIGHT } from '../aws/AwsEcsGateway';
import {
  apiKeySourceSchema,
  AWS_ACCOUNT_ID_PATTERN,
  AWS_REGION_PATTERN,
  DATADOG_SITES,
  DEFAULT_AGENT_FAMILY,
  ECS_NAME_PATTERN,
  IMAGE_TAG_PATTERN,
  MANAGED_INSTANCES,
  normalizeEntityRef,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';

/** One account-region to inventory. */
export interface InventoryLocation {
  accountId: string;
  region: string;
  name?: string;
  /** Cluster names to restrict to; all when undefined. */
  clusters?: string[];
  /** The owner (entity ref) of this location's clusters that carry no owner tag. */
  defaultOwner?: string;
}

/** `datadogEcs.catalog`: who owns a cluster, from AWS tags and config. */
export interface OwnershipConfig {
  /** The cluster tag whose value names the owner. */
  ownerTag: string;
  /** The cluster tag whose value names the system. */
  systemTag: string;
  /** The owner of clusters with neither an owner tag nor a location default. */
  defaultOwner?: string;
}

/** Where the Agent's API key comes from for one AWS account (`datadogEcs.rollout.apiKeys[]`). */
export type RolloutApiKeyConfig =
  | { accountId: string; source: 'secretsManager'; secretArn: string; executionRoleArn: string }
  | { accountId: string; source: 'plaintext'; plaintextApiKey: string };

/** `datadogEcs.rollout`, validated. */
export interface RolloutConfig {
  enabled: boolean;
  serviceName: string;
  family: string;
  imageTag: string;
  /** By account id. */
  apiKeys: Map<string, RolloutApiKeyConfig>;
  deploymentTimeoutMinutes: number;
  pollIntervalSeconds: number;
  /** How long a replica's claim of a rollout lasts unless renewed (renewed every third of it). */
  leaseSeconds: number;
  /** `datadogEcs.rollout.managedDaemon`: what the managed-daemon target (ECS Managed Instances) deploys. */
  managedDaemon: ManagedDaemonRolloutConfig;
}

/** `datadogEcs.rollout.managedDaemon`, validated. */
export interface ManagedDaemonRolloutConfig {
  /** The ECS Managed Daemon's name (default: `serviceName`). */
  daemonName: string;
  /** The daemon task definition family registered. */
  family: string;
  /** The Agent image tag deployed unless a request names another (Managed Instances need 7.77.0 or later). */
  imageTag: string;
}

/** The Agent image tag rollouts deploy unless the request names another: a pinned Agent 7 release. */
export const DEFAULT_ROLLOUT_IMAGE_TAG = '7.60.0';

/** The Agent image tag managed-daemon rollouts deploy unless told otherwise: the first release Datadog documents on ECS Managed Instances. */
export const DEFAULT_MANAGED_DAEMON_IMAGE_TAG = '7.77.0';

/** The datadog-ecs backend plugin's configuration, validated. */
export interface DatadogEcsConfig {
  locations: InventoryLocation[];
  ecsEndpoint?: string;
  /** EC2's endpoint as configured (the gateway falls back to `ecsEndpoint`). */
  ec2Endpoint?: string;
  site: string;
  agentImageRepositories: string[];
  agentTaskDefinitionFamilies: string[];
  refreshSchedule: SchedulerServiceTaskScheduleDefinition;
  refreshMinIntervalSeconds: number;
  locationConcurrency: number;
  clusterConcurrency: number;
  /** AWS requests on the wire at once per account-region (the gateway's limit). */
  callsInFlight: number;
  historyRetentionDays: number;
  rollout: RolloutConfig;
  ownership: OwnershipConfig;
}

const ACCOUNT_ID = AWS_ACCOUNT_ID_PATTERN;
const REGION = AWS_REGION_PATTERN;

function invalid(key: string, message: string): never {
  throw new InputError(`Invalid config at '${key}': ${message}`);
}

/** An owner entity ref from config (`payments` → `group:default/payments`), refused when malformed. */
function ownerRef(config: Config, key: string, fullKey: string): string | undefined {
  const value = config.getOptionalString(key);
  if (value === undefined) return undefined;
  const ref = normalizeEntityRef(value, 'group');
  if (!ref) {
    invalid(fullKey, `'${value}' is not an entity reference like group:default/payments or payments`);
  }
  return ref;
}

/** An AWS tag key (1–128 characters). */
function tagKey(config: Config, key: string, fallback: string): string {
  const value = config.getOptionalString(key) ?? fallback;
  if (value.trim().length === 0 || value.length > 128) {
    invalid(`datadogEcs.${key}`, `an AWS tag key has 1 to 128 characters, got '${value}'`);
  }
  return value;
}

function positiveInt(config: Config, key: string, fallback: number, max: number): number {
  const value = config.getOptionalNumber(key) ?? fallback;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    invalid(`datadogEcs.${key}`, `must be an integer from 1 to ${max}, got ${value}`);
  }
  return value;
}

/** Options of {@link readDatadogEcsConfig}. */
export interface ReadDatadogEcsConfigOptions {
  /**
   * The environment the backend runs in, `process.env.NODE_ENV` unless given. A plain-HTTP
   * `ecsEndpoint` or `ec2Endpoint` is accepted only in `development` (`backstage-cli package start`)
   * and `test` (Jest).
   */
  env?: string;
}

/**
 * The environments in which `datadogEcs.ecsEndpoint` and `datadogEcs.ec2Endpoint` may be plain-HTTP
 * URLs (the local ECS emulator).
 */
const DEVELOPMENT_ENVS: readonly string[] = ['development', 'test'];

/**
 * Reads an endpoint override (`ecsEndpoint`, `ec2Endpoint`): an http(s) URL, plain HTTP only in
 * development; errors name the key.
 */
function readEndpoint(
  config: Config,
  name: 'ecsEndpoint' | 'ec2Endpoint',
  env: string | undefined,
): string | undefined {
  const endpoint = config.getOptionalString(name);
  if (endpoint === undefined) return undefined;
  const key = `datadogEcs.${name}`;
  const service = name === 'ecsEndpoint' ? 'ECS' : 'EC2';
  let protocol: string | undefined;
  try {
    protocol = new URL(endpoint).protocol;
  } catch {
    // not a URL: reported below
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    invalid(key, `'${endpoint}' is not an http(s) URL`);
  }
  if (protocol === 'http:' && !(env !== undefined && DEVELOPMENT_ENVS.includes(env))) {
    invalid(
      key,
      `'${endpoint}' is plain HTTP, which is allowed only in development (NODE_ENV development or test; ` +
        `here ${env === undefined ? 'NODE_ENV is not set' : `NODE_ENV is '${env}'`}): ${service} calls would carry ` +
        'AWS session tokens and task definitions unencrypted, to what is most likely the local ECS emulator. ' +
        `Remove ${key} to use the regional AWS endpoints (e.g. \`${name}: null\` in ` +
        `app-config.production.yaml), or give an https:// endpoint such as a VPC or FIPS endpoint`,
    );
  }
  return endpoint;
}

/**
 * Reads and validates `datadogEcs`. Errors name the offending key, e.g.
 * `Invalid config at 'datadogEcs.locations[1].regions[0]': …`.
 */
export function readDatadogEcsConfig(
  root: Config,
  options: ReadDatadogEcsConfigOptions = {},
): DatadogEcsConfig {
  const env = options.env ?? process.env.NODE_ENV;
  const config = root.getOptionalConfig('datadogEcs') ?? new ConfigReader({}, 'datadogEcs');

  const locations: InventoryLocation[] = [];
  const seen = new Set<string>();
  (config.getOptionalConfigArray('locations') ?? []).forEach((location, i) => {
    const key = `datadogEcs.locations[${i}]`;
    const accountId = location.getString('accountId');
    if (!ACCOUNT_ID.test(accountId)) {
      invalid(`${key}.accountId`, `an AWS account id has 12 digits, got '${accountId}' (quote it in YAML)`);
    }
    const regions = location.getStringArray('regions');
    if (regions.length === 0) invalid(`${key}.regions`, 'list at least one region');
    regions.forEach((region, j) => {
      if (!REGION.test(region)) {
        invalid(`${key}.regions[${j}]`, `'${region}' is not an AWS region name like eu-west-1`);
      }
      const id = `${accountId}/${region}`;
      if (seen.has(id)) invalid(`${key}.regions[${j}]`, `${id} is configured twice`);
      seen.add(id);
      locations.push({
        accountId,
        region,
        name: location.getOptionalString('name'),
        clusters: location.getOptionalStringArray('clusters'),
        defaultOwner: ownerRef(location, 'defaultOwner', `${key}.defaultOwner`),
      });
    });
  });

  const ecsEndpoint = readEndpoint(config, 'ecsEndpoint', env);
  const ec2Endpoint = readEndpoint(config, 'ec2Endpoint', env);

  const site = config.getOptionalString('site') ?? 'datadoghq.com';
  if (!(DATADOG_SITES as readonly string[]).includes(site)) {
    invalid('datadogEcs.site', `'${site}' is not a Datadog site (one of ${DATADOG_SITES.join(', ')})`);
  }

  const refreshSchedule = config.has('refresh.schedule')
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(config.getConfig('refresh.schedule'))
    : {
        frequency: { minutes: 5 },
        timeout: { minutes: 4 },
        initialDelay: { seconds: 3 },
      };

  return {
    locations,
    ecsEndpoint,
    ec2Endpoint,
    site,
    agentImageRepositories:
      config.getOptionalStringArray('agentDetection.imageRepositories') ?? [],
    agentTaskDefinitionFamilies:
      config.getOptionalStringArray('agentDetection.taskDefinitionFamilies') ?? [],
    refreshSchedule,
    refreshMinIntervalSeconds: positiveInt(config, 'refresh.minIntervalSeconds', 30, 86400),
    locationConcurrency: positiveInt(config, 'refresh.locationConcurrency', 4, 64),
    clusterConcurrency: positiveInt(config, 'refresh.clusterConcurrency', 16, 64),
    callsInFlight: positiveInt(config, 'callsInFlight', DEFAULT_CALLS_IN_FLIGHT, 256),
    historyRetentionDays: positiveInt(config, 'history.retentionDays', 30, 3650),
    rollout: readRolloutConfig(config),
    ownership: {
      ownerTag: tagKey(config, 'catalog.ownerTag', 'owner'),
      systemTag: tagKey(config, 'catalog.systemTag', 'system'),
      defaultOwner: ownerRef(config, 'catalog.defaultOwner', 'datadogEcs.catalog.defaultOwner'),
    },
  };
}

const ECS_NAME = ECS_NAME_PATTERN;
const IMAGE_TAG = IMAGE_TAG_PATTERN;

function rolloutNumber(config: Config, key: string, fallback: number, max: number): number {
  const value = config.getOptionalNumber(key) ?? fallback;
  if (!Number.isFinite(value) || value <= 0 || value > max) {
    invalid(`datadogEcs.rollout.${key}`, `must be a number greater than 0 and at most ${max}, got ${value}`);
  }
  return value;
}

/** Reads `datadogEcs.rollout`; errors name the key, e.g. `datadogEcs.rollout.apiKeys[0].secretArn`. */
function readRolloutConfig(config: Config): RolloutConfig {
  const rollout = config.getOptionalConfig('rollout') ?? new ConfigReader({}, 'datadogEcs.rollout');
  const name = (key: string, fallback: string, pattern: RegExp, what: string) => {
    const value = rollout.getOptionalString(key) ?? fallback;
    if (!pattern.test(value)) invalid(`datadogEcs.rollout.${key}`, `'${value}' is not ${what}`);
    return value;
  };
  const apiKeys = new Map<string, RolloutApiKeyConfig>();
  (rollout.getOptionalConfigArray('apiKeys') ?? []).forEach((entry, i) => {
    const key = `datadogEcs.rollout.apiKeys[${i}]`;
    const accountId = entry.getString('accountId');
    if (!ACCOUNT_ID.test(accountId)) {
      invalid(`${key}.accountId`, `an AWS account id has 12 digits, got '${accountId}' (quote it in YAML)`);
    }
    if (apiKeys.has(accountId)) invalid(`${key}.accountId`, `${accountId} is configured twice`);
    const secretArn = entry.getOptionalString('secretArn');
    const executionRoleArn = entry.getOptionalString('executionRoleArn');
    const plaintextApiKey = entry.getOptionalString('plaintextApiKey');
    if (plaintextApiKey !== undefined) {
      if (secretArn !== undefined || executionRoleArn !== undefined) {
        invalid(key, 'give either secretArn and executionRoleArn, or plaintextApiKey (development only), not both');
      }
      if (!plaintextApiKey.trim()) invalid(`${key}.plaintextApiKey`, 'must not be empty');
      apiKeys.set(accountId, { accountId, source: 'plaintext', plaintextApiKey });
      return;
    }
    if (secretArn === undefined) invalid(`${key}.secretArn`, 'missing (or give plaintextApiKey for development)');
    if (executionRoleArn === undefined) {
      invalid(`${key}.executionRoleArn`, 'missing: the task execution role that may read the secret');
    }
    const parsed = apiKeySourceSchema.safeParse({ source: 'secretsManager', secretArn, executionRoleArn });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      invalid(`${key}.${String(issue.path[0] ?? 'secretArn')}`, issue.message);
    }
    apiKeys.set(accountId, { accountId, source: 'secretsManager', secretArn, executionRoleArn });
  });
  const serviceName = name('serviceName', 'datadog-agent', ECS_NAME, 'an ECS service name (letters, digits, - and _)');
  return {
    enabled: rollout.getOptionalBoolean('enabled') ?? false,
    serviceName,
    family: name('family', DEFAULT_AGENT_FAMILY, ECS_NAME, 'a task-definition family (letters, digits, - and _)'),
    imageTag: name('imageTag', DEFAULT_ROLLOUT_IMAGE_TAG, IMAGE_TAG, 'a valid image tag'),
    apiKeys,
    deploymentTimeoutMinutes: rolloutNumber(rollout, 'deploymentTimeoutMinutes', 30, 24 * 60),
    pollIntervalSeconds: rolloutNumber(rollout, 'pollIntervalSeconds', 5, 300),
    leaseSeconds: rolloutNumber(rollout, 'leaseSeconds', 30, 600),
    managedDaemon: {
      daemonName: name('managedDaemon.daemonName', serviceName, ECS_NAME, 'a daemon name (letters, digits, - and _)'),
      family: name('managedDaemon.family', MANAGED_INSTANCES.defaultFamily, ECS_NAME, 'a daemon task definition family (letters, digits, - and _)'),
      imageTag: name('managedDaemon.imageTag', DEFAULT_MANAGED_DAEMON_IMAGE_TAG, IMAGE_TAG, 'a valid image tag'),
    },
  };
}
