import {
  CreateServiceCommand,
  DescribeServiceDeploymentsCommand,
  ListServiceDeploymentsCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import {
  demoFleetPerTest,
  describeService,
  registerAgent,
  tasksOf,
} from '../__testUtils__/scheduler';
import { circuitBreakerThreshold } from './circuitBreaker';

describe('scheduler: the deployment circuit breaker over simulated time', () => {
  const env = demoFleetPerTest();

  it('fails a rollout in sandbox (unpullable image) through the circuit breaker', async () => {
    const { ctx, use1 } = env;
    const td = await registerAgent(use1, use1);
    await use1.send(
      new CreateServiceCommand({
        cluster: 'sandbox',
        serviceName: 'datadog-agent',
        taskDefinition: td.taskDefinitionArn,
        schedulingStrategy: 'DAEMON',
        deploymentConfiguration: {
          deploymentCircuitBreaker: { enable: true, rollback: true },
        },
      }),
    );
    ctx.emu.control.advance(60_000);
    const svc = await describeService(use1, 'sandbox', 'datadog-agent');
    expect(svc.deployments![0]).toMatchObject({
      status: 'PRIMARY',
      rolloutState: 'FAILED',
      rolloutStateReason:
        'ECS deployment circuit breaker: tasks failed to start.',
      runningCount: 0,
    });
    expect(svc.deployments![0].failedTasks).toBeGreaterThanOrEqual(3);
    expect(svc.events![0].message).toBe(
      `(service datadog-agent) (deployment ${
        svc.deployments![0].id
      }) deployment failed: tasks failed to start.`,
    );
    const stopped = await tasksOf(use1, 'sandbox', 'datadog-agent', 'STOPPED');
    expect(stopped.length).toBe(svc.deployments![0].failedTasks);
    const t = stopped[0];
    expect(t.lastStatus).toBe('STOPPED');
    expect(t.stopCode).toBe('TaskFailedToStart');
    expect(t.stoppedReason).toMatch(
      /^CannotPullContainerError: pull image manifest has been retried \d+ time\(s\): failed to resolve ref public\.ecr\.aws\/datadog\/agent:7\.60\.0: /,
    );
    expect(t.containers![0].reason).toBe(t.stoppedReason);
    expect(t.containers![0].lastStatus).toBe('STOPPED');
    // the stalled deployment launches nothing more
    const before = svc.deployments![0].failedTasks;
    ctx.emu.control.advance(60_000);
    expect(
      (await describeService(use1, 'sandbox', 'datadog-agent')).deployments![0]
        .failedTasks,
    ).toBe(before);
    const sds = await use1.send(
      new ListServiceDeploymentsCommand({
        cluster: 'sandbox',
        service: 'datadog-agent',
      }),
    );
    expect(sds.serviceDeployments![0]).toMatchObject({
      status: 'ROLLBACK_FAILED',
    });
  });

  it('rolls back to the last completed deployment when the circuit breaker trips', async () => {
    const { ctx, use1 } = env;
    const good = (
      await use1.send(
        new RegisterTaskDefinitionCommand({
          family: 'sandbox-app',
          containerDefinitions: [
            { name: 'app', image: 'busybox:1.36', memory: 128 },
          ],
        }),
      )
    ).taskDefinition!;
    await use1.send(
      new CreateServiceCommand({
        cluster: 'sandbox',
        serviceName: 'app',
        taskDefinition: good.taskDefinitionArn,
        desiredCount: 2,
        deploymentConfiguration: {
          deploymentCircuitBreaker: { enable: true, rollback: true },
        },
      }),
    );
    ctx.emu.control.advance(20_000);
    const first = await describeService(use1, 'sandbox', 'app');
    expect(first.deployments![0].rolloutState).toBe('COMPLETED');
    const bad = (
      await use1.send(
        new RegisterTaskDefinitionCommand({
          family: 'sandbox-app',
          containerDefinitions: [
            { name: 'app', image: 'datadog/agent:7', memory: 128 },
          ],
        }),
      )
    ).taskDefinition!;
    await use1.send(
      new UpdateServiceCommand({
        cluster: 'sandbox',
        service: 'app',
        taskDefinition: bad.taskDefinitionArn,
      }),
    );
    ctx.emu.control.advance(120_000);
    const svc = await describeService(use1, 'sandbox', 'app');
    expect(svc.taskDefinition).toBe(good.taskDefinitionArn);
    expect(svc.deployments).toHaveLength(1);
    expect(svc.deployments![0]).toMatchObject({
      rolloutState: 'COMPLETED',
      runningCount: 2,
    });
    expect(svc.deployments![0].id).toBe(first.deployments![0].id);
    expect(
      svc.events!.some(e =>
        /deployment failed: tasks failed to start\.$/.test(e.message!),
      ),
    ).toBe(true);
    // the rollback kept the original tasks
    expect(
      svc.events!.some(e => e.message!.includes('has stopped 2 running tasks')),
    ).toBe(false);
    const sds = await use1.send(
      new ListServiceDeploymentsCommand({ cluster: 'sandbox', service: 'app' }),
    );
    expect(sds.serviceDeployments!.map(d => d.status)).toEqual([
      'ROLLBACK_SUCCESSFUL',
      'SUCCESSFUL',
    ]);
    const detail = await use1.send(
      new DescribeServiceDeploymentsCommand({
        serviceDeploymentArns: [
          sds.serviceDeployments![0].serviceDeploymentArn!,
        ],
      }),
    );
    expect(detail.serviceDeployments![0].rollback?.reason).toBe(
      'ECS deployment circuit breaker: tasks failed to start.',
    );
    expect(detail.serviceDeployments![0].deploymentCircuitBreaker?.status).toBe(
      'TRIGGERED',
    );
  });
});

// ServiceDeploymentCircuitBreaker.threshold: "a minimum threshold of 3 and a maximum threshold of
// 200 … 0.5 * desired task count" (rounded up here).
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceDeploymentCircuitBreaker.html
describe('circuit breaker threshold', () => {
  it('is min(200, max(3, ceil(0.5 × desiredCount)))', () => {
    expect(
      [0, 1, 6, 7, 10, 399, 400, 1000].map(n => circuitBreakerThreshold(n)),
    ).toEqual([3, 3, 3, 4, 5, 200, 200, 200]);
  });

  // ThresholdConfiguration: percentages of the desired count (BOUNDED_PERCENT between 3 and 200),
  // or a COUNT. https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ThresholdConfiguration.html
  it('follows thresholdConfiguration', () => {
    const of = (type: string, value: number) => (n: number) =>
      circuitBreakerThreshold(n, { type, value });
    expect([1, 10, 1000].map(of('BOUNDED_PERCENT', 50))).toEqual([3, 5, 200]);
    expect([1, 10, 1000].map(of('BOUNDED_PERCENT', 100))).toEqual([3, 10, 200]);
    expect([1, 10, 1000].map(of('UNBOUNDED_PERCENT', 50))).toEqual([1, 5, 500]);
    expect([1, 10, 1000].map(of('COUNT', 1))).toEqual([1, 1, 1]);
  });
});
