import {
  CreateServiceCommand,
  DescribeClustersCommand,
  ListServicesCommand,
} from '@aws-sdk/client-ecs';
import { advance, PROD, setupEmulator } from './__testUtils__/setup';
import { DEFAULT_TIMINGS } from './scheduler/common';

// ECS computes DescribeClusters' counts asynchronously: they lag behind creates and deletes,
// while the listings are current.
describe('DescribeClusters counts lag behind changes', () => {
  let ctx: Awaited<ReturnType<typeof setupEmulator>>;
  beforeAll(async () => {
    ctx = await setupEmulator();
  });
  afterAll(() => ctx.stop());

  const sandbox = async () =>
    (
      await ctx
        .client(PROD, 'us-east-1')
        .send(new DescribeClustersCommand({ clusters: ['sandbox'] }))
    ).clusters![0];

  it('shows a new DAEMON service in ListServices at once and in activeServicesCount after the interval', async () => {
    const ecs = ctx.client(PROD, 'us-east-1');
    const before = await sandbox();
    expect(before.activeServicesCount).toBe(0);
    expect(before.registeredContainerInstancesCount).toBeGreaterThan(0);
    const runningBefore = before.runningTasksCount;

    await ecs.send(
      new CreateServiceCommand({
        cluster: 'sandbox',
        serviceName: 'datadog-agent',
        taskDefinition: 'datadog-agent-task',
        schedulingStrategy: 'DAEMON',
      }),
    );
    const listed = await ecs.send(
      new ListServicesCommand({ cluster: 'sandbox' }),
    );
    expect(listed.serviceArns).toEqual([
      'arn:aws:ecs:us-east-1:111111111111:service/sandbox/datadog-agent',
    ]);
    // Within the interval the counts are the old ones.
    advance(ctx.emu, 1_000);
    expect((await sandbox()).activeServicesCount).toBe(0);
    expect((await sandbox()).runningTasksCount).toBe(runningBefore);

    // After the interval, they catch up.
    advance(ctx.emu, DEFAULT_TIMINGS.clusterCountsIntervalMs + 20_000);
    const after = await sandbox();
    expect(after.activeServicesCount).toBe(1);
    expect(after.registeredContainerInstancesCount).toBe(
      before.registeredContainerInstancesCount,
    );
  });

  it('serves live counts when the interval is 0', async () => {
    const live = await setupEmulator({
      timings: { clusterCountsIntervalMs: 0 },
    });
    try {
      const ecs = live.client(PROD, 'us-east-1');
      await ecs.send(
        new CreateServiceCommand({
          cluster: 'sandbox',
          serviceName: 'datadog-agent',
          taskDefinition: 'datadog-agent-task',
          schedulingStrategy: 'DAEMON',
        }),
      );
      const [c] = (
        await ecs.send(new DescribeClustersCommand({ clusters: ['sandbox'] }))
      ).clusters!;
      expect(c.activeServicesCount).toBe(1);
    } finally {
      await live.stop();
    }
  });
});
