import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config, ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { DATADOG_SITES } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';

/** One account-region to inventory. */
export interface InventoryLocation {
  accountId: string;
  region: string;
  name?: string;
  /** Cluster names to restrict to; all when undefined. */
  clusters?: string[];
}

/** The datadog-ecs backend plugin's configuration, validated. */
export interface DatadogEcsConfig {
  locations: InventoryLocation[];
  ecsEndpoint?: string;
  site: string;
  agentImageRepositories: string[];
  agentTaskDefinitionFamilies: string[];
  refreshSchedule: SchedulerServiceTaskScheduleDefinition;
  refreshMinIntervalSeconds: number;
  locationConcurrency: number;
  clusterConcurrency: number;
  historyRetentionDays: number;
}

const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

function invalid(key: string, message: string): never {
  throw new InputError(`Invalid config at '${key}': ${message}`);
}

function positiveInt(config: Config, key: string, fallback: number, max: number): number {
  const value = config.getOptionalNumber(key) ?? fallback;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    invalid(`datadogEcs.${key}`, `must be an integer from 1 to ${max}, got ${value}`);
  }
  return value;
}

/**
 * Reads and validates `datadogEcs`. Errors name the offending key, e.g.
 * `Invalid config at 'datadogEcs.locations[1].regions[0]': …`.
 */
export function readDatadogEcsConfig(root: Config): DatadogEcsConfig {
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
      });
    });
  });

  const ecsEndpoint = config.getOptionalString('ecsEndpoint');
  if (ecsEndpoint !== undefined) {
    try {
      const url = new URL(ecsEndpoint);
      if (!['http:', 'https:'].includes(url.protocol)) throw new Error();
    } catch {
      invalid('datadogEcs.ecsEndpoint', `'${ecsEndpoint}' is not an http(s) URL`);
    }
  }

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
    site,
    agentImageRepositories:
      config.getOptionalStringArray('agentDetection.imageRepositories') ?? [],
    agentTaskDefinitionFamilies:
      config.getOptionalStringArray('agentDetection.taskDefinitionFamilies') ?? [],
    refreshSchedule,
    refreshMinIntervalSeconds: positiveInt(config, 'refresh.minIntervalSeconds', 30, 86400),
    locationConcurrency: positiveInt(config, 'refresh.locationConcurrency', 4, 64),
    clusterConcurrency: positiveInt(config, 'refresh.clusterConcurrency', 4, 64),
    historyRetentionDays: positiveInt(config, 'history.retentionDays', 30, 3650),
  };
}
