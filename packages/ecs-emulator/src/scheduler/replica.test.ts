import {
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { demoFleetPerTest, describeService } from '../__testUtils__/scheduler';

describe('scheduler: REPLICA services over simulated time', () => {
  const env = demoFleetPerTest();

  it('rolls a REPLICA service within minimumHealthyPercent / maximumPercent', async () => {
    const { ctx, use1 } = env;
    const current = (
      await use1.send(
        new DescribeTaskDefinitionCommand({ taskDefinition: 'checkout-api' }),
      )
    ).taskDefinition!;
    const td = (
      await use1.send(
        new RegisterTaskDefinitionCommand({
          family: 'checkout-api',
          containerDefinitions: current.containerDefinitions!.map(c => ({
            ...c,
            image: 'checkout-api:1.15.0',
          })),
        }),
      )
    ).taskDefinition!;
    await use1.send(
      new UpdateServiceCommand({
        cluster: 'prod-web',
        service: 'checkout-api',
        taskDefinition: td.taskDefinitionArn,
      }),
    );
    ctx.emu.control.advance(1_000);
    let svc = await describeService(use1, 'prod-web', 'checkout-api');
    // max 200%: 4 new tasks start while the 4 old keep running (min 100%)
    expect(svc.deployments![0].pendingCount).toBe(4);
    expect(svc.deployments![1].runningCount).toBe(4);
    ctx.emu.control.advance(30_000);
    svc = await describeService(use1, 'prod-web', 'checkout-api');
    expect(svc.deployments).toHaveLength(1);
    expect(svc.deployments![0]).toMatchObject({
      rolloutState: 'COMPLETED',
      runningCount: 4,
    });
  });
});
