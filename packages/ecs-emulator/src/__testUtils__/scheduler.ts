import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { PROD, setupEmulator } from './setup';

// Helpers of the scheduler's tests (src/scheduler/*.test.ts).

type EmulatorTestContext = Awaited<ReturnType<typeof setupEmulator>>;

/**
 * Starts the demo fleet (manual clock) before each test and stops it after;
 * the returned object holds that test's emulator and clients (read it inside
 * the test).
 */
export function demoFleetPerTest() {
  const env = {} as {
    ctx: EmulatorTestContext;
    use1: ECSClient;
    euw1: ECSClient;
  };
  beforeEach(async () => {
    env.ctx = await setupEmulator();
    env.use1 = env.ctx.client(PROD, 'us-east-1');
    env.euw1 = env.ctx.client(PROD, 'eu-west-1');
  });
  afterEach(() => env.ctx.stop());
  return env;
}

export async function describeService(
  client: ECSClient,
  cluster: string,
  service: string,
) {
  const out = await client.send(
    new DescribeServicesCommand({ cluster, services: [service] }),
  );
  return out.services![0];
}

export async function tasksOf(
  client: ECSClient,
  cluster: string,
  serviceName: string,
  desiredStatus: 'RUNNING' | 'STOPPED' = 'RUNNING',
) {
  const arns = (
    await client.send(
      new ListTasksCommand({ cluster, serviceName, desiredStatus }),
    )
  ).taskArns!;
  if (arns.length === 0) return [];
  return (await client.send(new DescribeTasksCommand({ cluster, tasks: arns })))
    .tasks!;
}

/** Registers the current agent revision in an account/region from prod-web's definition. */
export async function registerAgent(
  source: ECSClient,
  target: ECSClient,
  image?: string,
) {
  const td = (
    await source.send(
      new DescribeTaskDefinitionCommand({
        taskDefinition: 'datadog-agent-task:1',
        include: ['TAGS'],
      }),
    )
  ).taskDefinition!;
  const containerDefinitions = td.containerDefinitions!.map(c =>
    image ? { ...c, image } : c,
  );
  const out = await target.send(
    new RegisterTaskDefinitionCommand({
      family: 'datadog-agent-task',
      containerDefinitions,
      volumes: td.volumes,
      networkMode: td.networkMode,
      executionRoleArn: td.executionRoleArn,
      requiresCompatibilities: td.requiresCompatibilities,
    }),
  );
  return out.taskDefinition!;
}
