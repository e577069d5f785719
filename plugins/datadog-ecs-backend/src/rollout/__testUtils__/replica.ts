/*
 * One backend replica in its own process, for the tests that kill replicas (SIGKILL) mid-rollout
 * (`src/rollout/replicas.postgres.test.ts`). Run with Backstage's node transform:
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs src/rollout/__testUtils__/replica.ts
 *
 * Configured by the environment variable DDECS_REPLICA (JSON, see ReplicaOptions). Prints one JSON
 * line per log entry on stdout, `READY <port>` once it serves, and `PAUSED <point>` when its ECS
 * calls reach the kill point it was given — where it then waits forever, for the test to kill it.
 */
import {
  coreServices,
  createServiceFactory,
  LoggerService,
  RootLoggerService,
} from '@backstage/backend-plugin-api';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { JsonObject } from '@backstage/types';
import { AddressInfo } from 'node:net';
import { AwsEcsGateway } from '../../aws/AwsEcsGateway';
import { EcsGateway, EcsLocationApi } from '../../aws/EcsGateway';
import { ecsGatewayServiceRef } from '../../aws/ecsGatewayService';
import { readDatadogEcsConfig } from '../../config/config';
import { startBackend } from '../../__testUtils__/integration';

/** Where a replica stops in the middle of a rollout's ECS write calls. */
export type KillPoint =
  /** Recorded, its reads done and its registration about to be made. */
  | 'before-register'
  /** RegisterTaskDefinition answered; not recorded yet. */
  | 'after-register'
  /** The registration recorded; CreateService / UpdateService about to be made. */
  | 'before-deploy'
  /** CreateService / UpdateService answered; not recorded yet. */
  | 'after-deploy';

export interface ReplicaOptions {
  replicaId: string;
  emulatorUrl: string;
  /** `backend.database`. */
  database: JsonObject;
  /** `datadogEcs.rollout` keys. */
  rollout?: Record<string, unknown>;
  /** Other `datadogEcs` keys. */
  datadogEcs?: Record<string, unknown>;
  pause?: KillPoint;
}

const options: ReplicaOptions = JSON.parse(process.env.DDECS_REPLICA ?? '{}');

function print(line: string) {
  process.stdout.write(`${line}\n`);
}

function stdoutLogger(fields: Record<string, unknown> = {}): RootLoggerService {
  const log = (level: string) => (message: string, meta?: unknown) => {
    const m = meta instanceof Error ? { error: String(meta) } : meta;
    print(
      JSON.stringify({
        level,
        message,
        replica: options.replicaId,
        ...fields,
        ...(m as object),
      }),
    );
  };
  return {
    error: log('error'),
    warn: log('warn'),
    info: log('info'),
    debug: () => {},
    child: meta => stdoutLogger({ ...fields, ...meta }) as LoggerService,
  };
}

const hang = (point: KillPoint) => {
  print(`PAUSED ${point}`);
  return new Promise<never>(() => {});
};

/** The gateway, stopping for good at the kill point. */
function pausing(
  gateway: EcsGateway,
  pause: KillPoint | undefined,
): EcsGateway {
  if (!pause) return gateway;
  const wrap = (api: EcsLocationApi): EcsLocationApi =>
    new Proxy(api, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function') return value;
        let write: 'register' | 'deploy' | undefined;
        if (prop === 'registerTaskDefinition') write = 'register';
        else if (prop === 'createService' || prop === 'updateService')
          write = 'deploy';
        if (!write) return value.bind(target);
        return async (...args: unknown[]) => {
          if (pause === `before-${write}`) return hang(pause);
          const result = await value.apply(target, args);
          if (pause === `after-${write}`) return hang(pause);
          return result;
        };
      },
    });
  return {
    forLocation: async (accountId, region) =>
      wrap(await gateway.forLocation(accountId, region)),
  };
}

async function main() {
  const gatewayFactory = createServiceFactory({
    service: ecsGatewayServiceRef,
    deps: { config: coreServices.rootConfig },
    async factory({ config }) {
      const { ecsEndpoint } = readDatadogEcsConfig(config);
      return pausing(
        new AwsEcsGateway({
          credentialsManager: DefaultAwsCredentialsManager.fromConfig(config),
          endpoint: ecsEndpoint,
        }),
        options.pause,
      );
    },
  });
  const loggerFactory = createServiceFactory({
    service: coreServices.rootLogger,
    deps: {},
    factory: () => stdoutLogger(),
  });
  const backend = await startBackend(
    { url: options.emulatorUrl },
    {
      dbDir: '',
      database: options.database,
      rollout: options.rollout,
      datadogEcs: options.datadogEcs,
      // The real scheduler (the test backend's runs nothing periodically): its tasks in the
      // shared database, each global task run by one replica per period.
      features: [gatewayFactory, loggerFactory, schedulerServiceFactory],
    },
  );
  const { port } = backend.server.address() as AddressInfo;
  print(`READY ${port}`);
}

main().catch(error => {
  print(`FAILED ${error?.stack ?? error}`);
  process.exit(1);
});
