import {
  CreateServiceCommand,
  DeleteServiceCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  ECSClient,
  InvalidParameterException,
  ListServicesCommand,
  ListTasksCommand,
  ServiceNotActiveException,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { advance, PROD, setupEmulator } from './__testUtils__/setup';
import { DEFAULT_TIMINGS } from './scheduler/common';

// DeleteService: ACTIVE → DRAINING (hidden from ListServices, still described) → INACTIVE once
// its tasks are STOPPING or STOPPED; the name cannot be reused while DRAINING.
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeleteService.html

describe('DeleteService and DRAINING services', () => {
  let ctx: Awaited<ReturnType<typeof setupEmulator>>;
  let ecs: ECSClient;
  beforeAll(async () => {
    ctx = await setupEmulator({ timings: { clusterCountsIntervalMs: 0 } });
    ecs = ctx.client(PROD, 'us-east-1');
  });
  afterAll(() => ctx.stop());

  const describe1 = async (service: string, cluster = 'prod-web') =>
    (
      await ecs.send(
        new DescribeServicesCommand({ cluster, services: [service] }),
      )
    ).services![0];
  const listed = async (cluster = 'prod-web') =>
    (await ecs.send(new ListServicesCommand({ cluster }))).serviceArns!.map(a =>
      a.split('/').pop(),
    );

  it('refuses to delete a REPLICA service scaled above 0 without force', async () => {
    const err = await ecs
      .send(
        new DeleteServiceCommand({
          cluster: 'prod-web',
          service: 'storefront',
        }),
      )
      .catch(e => e);
    expect(err).toBeInstanceOf(InvalidParameterException);
    expect(err.message).toBe(
      'The service cannot be stopped while it is scaled above 0.',
    );
    expect((await describe1('storefront')).status).toBe('ACTIVE');
  });

  it('deletes a DAEMON service without force: DRAINING while its tasks stop, then INACTIVE', async () => {
    const tasksBefore = (
      await ecs.send(
        new ListTasksCommand({
          cluster: 'prod-web',
          serviceName: 'datadog-agent',
        }),
      )
    ).taskArns!;
    expect(tasksBefore).toHaveLength(4);
    const out = await ecs.send(
      new DeleteServiceCommand({
        cluster: 'prod-web',
        service: 'datadog-agent',
      }),
    );
    expect(out.service).toMatchObject({ status: 'DRAINING', desiredCount: 0 });

    // Hidden from ListServices, still described; the name cannot be reused yet.
    expect(await listed()).not.toContain('datadog-agent');
    expect((await describe1('datadog-agent')).status).toBe('DRAINING');
    const [stats] = (
      await ecs.send(
        new DescribeClustersCommand({
          clusters: ['prod-web'],
          include: ['STATISTICS'],
        }),
      )
    ).clusters!;
    expect(stats.activeServicesCount).toBe(2);
    expect(stats.statistics).toEqual(
      expect.arrayContaining([{ name: 'drainingEC2ServiceCount', value: '1' }]),
    );
    const recreate = await ecs
      .send(
        new CreateServiceCommand({
          cluster: 'prod-web',
          serviceName: 'datadog-agent',
          taskDefinition: 'datadog-agent-task',
          schedulingStrategy: 'DAEMON',
        }),
      )
      .catch(e => e);
    expect(recreate).toBeInstanceOf(InvalidParameterException);
    expect(recreate.message).toBe(
      'Unable to Start a service that is still Draining.',
    );
    const update = await ecs
      .send(
        new UpdateServiceCommand({
          cluster: 'prod-web',
          service: 'datadog-agent',
          forceNewDeployment: true,
        }),
      )
      .catch(e => e);
    expect(update).toBeInstanceOf(ServiceNotActiveException);
    const again = await ecs
      .send(
        new DeleteServiceCommand({
          cluster: 'prod-web',
          service: 'datadog-agent',
        }),
      )
      .catch(e => e);
    expect(again).toBeInstanceOf(ServiceNotActiveException);

    // Its tasks stop (not replaced); then the service is INACTIVE.
    const running = await ecs.send(
      new ListTasksCommand({
        cluster: 'prod-web',
        serviceName: 'datadog-agent',
      }),
    );
    expect(running.taskArns).toEqual([]);
    advance(ctx.emu, 5_000);
    const inactive = await describe1('datadog-agent');
    expect(inactive.status).toBe('INACTIVE');
    expect(inactive.runningCount).toBe(0);
    const stopped = await ecs.send(
      new ListTasksCommand({
        cluster: 'prod-web',
        serviceName: 'datadog-agent',
        desiredStatus: 'STOPPED',
      }),
    );
    expect(stopped.taskArns!.sort()).toEqual([...tasksBefore].sort());
    const stillInactive = await ecs
      .send(
        new UpdateServiceCommand({
          cluster: 'prod-web',
          service: 'datadog-agent',
          forceNewDeployment: true,
        }),
      )
      .catch(e => e);
    expect(stillInactive).toBeInstanceOf(ServiceNotActiveException);

    // Once INACTIVE, the name can be used again.
    const created = await ecs.send(
      new CreateServiceCommand({
        cluster: 'prod-web',
        serviceName: 'datadog-agent',
        taskDefinition: 'datadog-agent-task',
        schedulingStrategy: 'DAEMON',
      }),
    );
    expect(created.service!.status).toBe('ACTIVE');
    expect(await listed()).toContain('datadog-agent');
  });

  it('deletes a REPLICA service with force, or once scaled to 0; INACTIVE services are forgotten later', async () => {
    const forced = await ecs.send(
      new DeleteServiceCommand({
        cluster: 'prod-web',
        service: 'storefront',
        force: true,
      }),
    );
    expect(forced.service!.status).toBe('DRAINING');
    await ecs.send(
      new UpdateServiceCommand({
        cluster: 'prod-web',
        service: 'checkout-api',
        desiredCount: 0,
      }),
    );
    const scaledDown = await ecs.send(
      new DeleteServiceCommand({
        cluster: 'prod-web',
        service: 'checkout-api',
      }),
    );
    expect(scaledDown.service!.status).toBe('DRAINING');
    const active = await ecs
      .send(
        new CreateServiceCommand({
          cluster: 'prod-web',
          serviceName: 'datadog-agent',
          taskDefinition: 'datadog-agent-task',
          schedulingStrategy: 'DAEMON',
        }),
      )
      .catch(e => e);
    expect(active.message).toBe('Creation of service was not idempotent.');

    advance(ctx.emu, 10_000);
    expect((await describe1('storefront')).status).toBe('INACTIVE');
    expect((await describe1('checkout-api')).status).toBe('INACTIVE');
    advance(ctx.emu, DEFAULT_TIMINGS.stoppedRetentionMs + 120_000);
    const gone = await ecs.send(
      new DescribeServicesCommand({
        cluster: 'prod-web',
        services: ['storefront'],
      }),
    );
    expect(gone.services).toEqual([]);
    expect(gone.failures).toEqual([
      {
        arn: 'arn:aws:ecs:us-east-1:111111111111:service/prod-web/storefront',
        reason: 'MISSING',
      },
    ]);
  });
});
