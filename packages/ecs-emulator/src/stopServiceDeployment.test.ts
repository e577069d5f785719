import {
  ConflictException,
  CreateServiceCommand,
  DescribeServiceDeploymentsCommand,
  ECSClient,
  InvalidParameterException,
  ServiceDeploymentNotFoundException,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import {
  demoFleetPerTest,
  describeService,
  registerAgent,
} from './__testUtils__/scheduler';

// StopServiceDeployment and the service deployment states it moves through; the service's
// currentServiceDeployment; the circuit breaker's thresholdConfiguration.
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_StopServiceDeployment.html
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/stop-service-deployment.html
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ThresholdConfiguration.html

const sdOf = async (client: ECSClient, arn: string) =>
  (
    await client.send(
      new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }),
    )
  ).serviceDeployments![0];

describe('StopServiceDeployment', () => {
  const env = demoFleetPerTest();

  /** prod-web's Agent daemon (revision 1, steady) updated to a new revision: its deployment runs. */
  async function updating() {
    const { use1 } = env;
    const before = await describeService(use1, 'prod-web', 'datadog-agent');
    const td = await registerAgent(
      use1,
      use1,
      'public.ecr.aws/datadog/agent:7.61.0',
    );
    const { service } = await use1.send(
      new UpdateServiceCommand({
        cluster: 'prod-web',
        service: 'datadog-agent',
        taskDefinition: td.taskDefinitionArn,
        deploymentConfiguration: {
          deploymentCircuitBreaker: { enable: true, rollback: true },
        },
      }),
    );
    return { before, td, service: service! };
  }

  it('names the current service deployment on the service (after UpdateService and in DescribeServices)', async () => {
    const { use1 } = env;
    const { before, service } = await updating();
    expect(before.currentServiceDeployment).toMatch(
      /^arn:aws:ecs:us-east-1:111111111111:service-deployment\/prod-web\/datadog-agent\//,
    );
    expect(service.currentServiceDeployment).toMatch(/service-deployment/);
    expect(service.currentServiceDeployment).not.toBe(
      before.currentServiceDeployment,
    );
    const described = await describeService(use1, 'prod-web', 'datadog-agent');
    expect(described.currentServiceDeployment).toBe(
      service.currentServiceDeployment,
    );
    expect(await sdOf(use1, service.currentServiceDeployment!)).toMatchObject({
      status: 'IN_PROGRESS',
    });
  });

  it('ROLLBACK: ROLLBACK_REQUESTED, then the previous revision again (ROLLBACK_IN_PROGRESS → ROLLBACK_SUCCESSFUL)', async () => {
    const { ctx, use1 } = env;
    const { before, service } = await updating();
    const arn = service.currentServiceDeployment!;
    // Part of the way: some instances run the new revision.
    ctx.emu.control.advance(15_000);
    const out = await use1.send(
      new StopServiceDeploymentCommand({
        serviceDeploymentArn: arn,
        stopType: 'ROLLBACK',
      }),
    );
    expect(out.serviceDeploymentArn).toBe(arn);
    expect((await sdOf(use1, arn)).status).toBe('ROLLBACK_REQUESTED');
    // Stopping again continues the rollback.
    await use1.send(
      new StopServiceDeploymentCommand({ serviceDeploymentArn: arn }),
    );

    ctx.emu.control.advance(1_000);
    const rolling = await sdOf(use1, arn);
    expect(rolling.status).toBe('ROLLBACK_IN_PROGRESS');
    expect(rolling.rollback?.reason).toBe(
      'ECS deployment stopped by a StopServiceDeployment request.',
    );
    const svc = await describeService(use1, 'prod-web', 'datadog-agent');
    expect(svc.taskDefinition).toBe(before.taskDefinition);
    expect(svc.deployments![0]).toMatchObject({
      status: 'PRIMARY',
      taskDefinition: before.taskDefinition,
      rolloutState: 'IN_PROGRESS',
    });
    expect(
      svc.deployments!.find(d => d.taskDefinition !== before.taskDefinition),
    ).toMatchObject({ status: 'ACTIVE', rolloutState: 'FAILED' });

    ctx.emu.control.advance(180_000);
    expect((await sdOf(use1, arn)).status).toBe('ROLLBACK_SUCCESSFUL');
    const after = await describeService(use1, 'prod-web', 'datadog-agent');
    expect(after.deployments).toHaveLength(1);
    expect(after.deployments![0]).toMatchObject({
      taskDefinition: before.taskDefinition,
      rolloutState: 'COMPLETED',
    });

    // Finished: it can no longer be stopped.
    const err = await use1
      .send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn }))
      .catch(e => e);
    expect(err).toBeInstanceOf(ConflictException);
  });

  it('ROLLBACK of the deployment that created the service: nothing to return to, ROLLBACK_FAILED', async () => {
    const { ctx, use1 } = env;
    const td = await registerAgent(use1, use1);
    const { service } = await use1.send(
      new CreateServiceCommand({
        cluster: 'sandbox',
        serviceName: 'datadog-agent',
        taskDefinition: td.taskDefinitionArn,
        schedulingStrategy: 'DAEMON',
      }),
    );
    const arn = service!.currentServiceDeployment!;
    await use1.send(
      new StopServiceDeploymentCommand({ serviceDeploymentArn: arn }),
    );
    ctx.emu.control.advance(1_000);
    expect(await sdOf(use1, arn)).toMatchObject({
      status: 'ROLLBACK_FAILED',
      statusReason: 'There is no previous service revision to roll back to.',
    });
  });

  it('ABORT: STOP_REQUESTED, then STOPPED where it is', async () => {
    const { ctx, use1 } = env;
    const { service } = await updating();
    const arn = service.currentServiceDeployment!;
    await use1.send(
      new StopServiceDeploymentCommand({
        serviceDeploymentArn: arn,
        stopType: 'ABORT',
      }),
    );
    expect((await sdOf(use1, arn)).status).toBe('STOP_REQUESTED');
    ctx.emu.control.advance(1_000);
    expect(await sdOf(use1, arn)).toMatchObject({ status: 'STOPPED' });
  });

  it('refuses an unknown deployment and a bad stop type', async () => {
    const { use1 } = env;
    const missing = await use1
      .send(
        new StopServiceDeploymentCommand({
          serviceDeploymentArn:
            'arn:aws:ecs:us-east-1:111111111111:service-deployment/prod-web/datadog-agent/nope',
        }),
      )
      .catch(e => e);
    expect(missing).toBeInstanceOf(ServiceDeploymentNotFoundException);
    const { service } = await updating();
    const bad = await use1
      .send(
        new StopServiceDeploymentCommand({
          serviceDeploymentArn: service.currentServiceDeployment!,
          stopType: 'LATER' as any,
        }),
      )
      .catch(e => e);
    expect(bad).toBeInstanceOf(InvalidParameterException);
  });
});

describe('the circuit breaker’s thresholdConfiguration', () => {
  const env = demoFleetPerTest();

  it('COUNT: trips after that many failed tasks, and reports that threshold', async () => {
    const { ctx, use1 } = env;
    const td = await registerAgent(use1, use1);
    const { service } = await use1.send(
      new CreateServiceCommand({
        cluster: 'sandbox',
        serviceName: 'datadog-agent',
        taskDefinition: td.taskDefinitionArn,
        schedulingStrategy: 'DAEMON',
        deploymentConfiguration: {
          deploymentCircuitBreaker: {
            enable: true,
            rollback: false,
            thresholdConfiguration: { type: 'COUNT', value: 1 },
          },
        },
      }),
    );
    const arn = service!.currentServiceDeployment!;
    ctx.emu.control.advance(60_000);
    const sd = await sdOf(use1, arn);
    expect(sd.deploymentCircuitBreaker).toMatchObject({
      status: 'TRIGGERED',
      threshold: 1,
    });
    expect(sd.status).toBe('STOPPED');
    const svc = await describeService(use1, 'sandbox', 'datadog-agent');
    // The unpullable image fails every task; one failure was enough.
    expect(svc.deployments![0]).toMatchObject({ rolloutState: 'FAILED' });
    expect(svc.deployments![0].failedTasks).toBeLessThan(3);
  });

  it('refuses a threshold without a valid type', async () => {
    const { use1 } = env;
    const td = await registerAgent(use1, use1);
    const err = await use1
      .send(
        new CreateServiceCommand({
          cluster: 'sandbox',
          serviceName: 'datadog-agent',
          taskDefinition: td.taskDefinitionArn,
          schedulingStrategy: 'DAEMON',
          deploymentConfiguration: {
            deploymentCircuitBreaker: {
              enable: true,
              rollback: false,
              thresholdConfiguration: { type: 'SOME' as any, value: 1 },
            },
          },
        }),
      )
      .catch(e => e);
    expect(err).toBeInstanceOf(InvalidParameterException);
  });
});
