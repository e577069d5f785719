/**
 * A local Amazon ECS API endpoint (AWS JSON 1.1, plus EC2 DescribeImages over
 * the EC2 Query API) for development, demos, tests and benchmarks.
 *
 * @packageDocumentation
 */

import { AddressInfo } from 'node:net';
import { EmulatorControl } from './control';
import { EmulatorCore, EmulatorOptions } from './emulator';
import { createEmulatorServer } from './server';

export type { ClockOptions } from './clock';
export type {
  AwsService,
  EmulatorOptions,
  InstanceTarget,
  InstanceAction,
  Credential,
  AccessDenial,
} from './emulator';
export type {
  PolicyDocument,
  PolicyStatement,
  PolicyEffect,
  PolicyCondition,
  AuthorizationRequest,
  Decision,
} from './iam/policy';
export {
  PolicyValidationError,
  validatePolicyDocument,
  evaluatePolicy,
} from './iam/policy';
export { TAG_ON_CREATE_ACTIONS } from './iam/ecs';
export { EmulatorCore } from './emulator';
export { EmulatorControl } from './control';
export type {
  FaultOptions,
  ThrottleOptions,
  BucketConfig,
  Counters,
  OperationCounter,
} from './protocol/faults';
export { DEFAULT_READ_BUCKET } from './protocol/faults';
export type { InstanceSpec, InstanceProfile } from './model/instances';
export type { Timings } from './scheduler';
export { DEFAULT_TIMINGS } from './scheduler';
export {
  demoFleet,
  scaleFleet,
  SCALE_BIG_CLUSTER,
  resolveFleet,
  DEMO_ACCOUNTS,
  DEMO_CREDENTIALS,
  DEMO_READONLY_CREDENTIALS,
  DEMO_GOLDEN_AMI,
  DEMO_GOLDEN_AMI_OWNER,
} from './fleets';
export type {
  FleetRef,
  FleetSpec,
  FleetAccount,
  FleetAccessKey,
  FleetCluster,
  FleetService,
  FleetTaskDefinition,
  FleetImage,
  FleetStartTask,
  FleetCapacityProvider,
  FleetDaemon,
  FleetDaemonTaskDefinition,
} from './fleets';
export type { Ec2Image, EcsOptimizedAmi } from './ec2/catalog';
export type { Json, Tag } from './model/types';
export {
  AMAZON_ECS_AMI_OWNER,
  AMAZON_WINDOWS_AMI_OWNER,
  ECS_OPTIMIZED_AMIS,
  ecsOptimizedAmiId,
} from './ec2/catalog';

/** @public */
export interface StartEcsEmulatorOptions extends EmulatorOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
}

/**
 * Configuration for `new ECSClient(...)` from `@aws-sdk/client-ecs` (and `new EC2Client(...)`: the endpoint answers DescribeImages).
 *
 * @public
 */
export interface EcsClientConfig {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  maxAttempts?: number;
  retryMode?: string;
}

/** @public */
export interface EcsEmulator {
  /** Base URL, e.g. http://127.0.0.1:4566 */
  url: string;
  port: number;
  control: EmulatorControl;
  core: EmulatorCore;
  /** Access key of an account of the fleet (first key by default). */
  credentials(accountId?: string): {
    accessKeyId: string;
    secretAccessKey: string;
  };
  /** ECSClient configuration for an account and region of the fleet. */
  clientConfig(opts?: {
    accountId?: string;
    region?: string;
    accessKeyId?: string;
    maxAttempts?: number;
    retryMode?: 'standard' | 'adaptive' | 'legacy';
  }): EcsClientConfig;
  stop(): Promise<void>;
}

/**
 * Starts an emulator on a local port (manual clock by default).
 *
 * @public
 */
export async function startEcsEmulator(
  options: StartEcsEmulatorOptions = {},
): Promise<EcsEmulator> {
  const core = new EmulatorCore(options);
  const server = createEmulatorServer(core);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let urlHost = host.includes(':') ? `[${host}]` : host;
  if (host === '0.0.0.0' || host === '::') urlHost = '127.0.0.1';
  const url = `http://${urlHost}:${port}`;
  let timer: NodeJS.Timeout | undefined;
  if (core.clock.mode === 'realtime') {
    timer = setInterval(() => core.sync(), 250);
    timer.unref();
  }
  const credentials = (accountId?: string) => {
    const account = accountId
      ? core.fleet.accounts.find(a => a.accountId === accountId)
      : core.fleet.accounts[0];
    if (!account)
      throw new Error(
        `Account ${accountId} is not part of fleet ${core.fleet.name}`,
      );
    const key = account.accessKeys[0];
    return {
      accessKeyId: key.accessKeyId,
      secretAccessKey: key.secretAccessKey ?? 'emulator',
    };
  };
  return {
    url,
    port,
    core,
    control: new EmulatorControl(core),
    credentials,
    clientConfig(opts = {}) {
      let creds = credentials(opts.accountId);
      if (opts.accessKeyId) {
        const c = core.credentials.get(opts.accessKeyId);
        creds = {
          accessKeyId: opts.accessKeyId,
          secretAccessKey: c?.secretAccessKey ?? 'emulator',
        };
      }
      const config: EcsClientConfig = {
        endpoint: url,
        region: opts.region ?? core.fleet.clusters[0]?.region ?? 'us-east-1',
        credentials: creds,
      };
      if (opts.maxAttempts !== undefined) config.maxAttempts = opts.maxAttempts;
      if (opts.retryMode !== undefined) config.retryMode = opts.retryMode;
      return config;
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        if (timer) clearInterval(timer);
        server.close(err => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
