import {
  ClusterSummary,
  CoverageState,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { appService, storedCluster, summaryOf } from './__fixtures__/stored';
import { entityCoverage, parseEcsArn } from './entityCoverage';
import { ClusterWithServices } from './SnapshotStore';

describe('parseEcsArn', () => {
  it('parses a long service ARN', () => {
    expect(
      parseEcsArn(
        'arn:aws:ecs:us-east-1:111111111111:service/prod-web/checkout-api',
      ),
    ).toEqual({
      region: 'us-east-1',
      accountId: '111111111111',
      resource: 'service',
      clusterName: 'prod-web',
      serviceName: 'checkout-api',
    });
  });

  it('parses a short (old format) service ARN, without a cluster', () => {
    expect(
      parseEcsArn('arn:aws:ecs:eu-west-1:111111111111:service/payments-api'),
    ).toEqual({
      region: 'eu-west-1',
      accountId: '111111111111',
      resource: 'service',
      serviceName: 'payments-api',
    });
  });

  it('parses a cluster ARN, in other partitions too, and trims', () => {
    expect(
      parseEcsArn(
        ' arn:aws:ecs:us-east-1:222222222222:cluster/staging-fargate ',
      ),
    ).toEqual({
      region: 'us-east-1',
      accountId: '222222222222',
      resource: 'cluster',
      clusterName: 'staging-fargate',
    });
    expect(
      parseEcsArn('arn:aws-us-gov:ecs:us-gov-west-1:111111111111:cluster/gov')
        ?.clusterName,
    ).toBe('gov');
  });

  it.each([
    'arn:aws:ecs:us-east-1:111111111111:task/prod-web/abc',
    'arn:aws:ecs:us-east-1:1111:service/prod-web/x',
    'arn:aws:ec2:us-east-1:111111111111:instance/i-1',
    'arn:aws:ecs:us-east-1:111111111111:cluster/a/b',
    'arn:aws:ecs:us-east-1:111111111111:service/a/b/c',
    'prod-web',
    '',
  ])('rejects %j', arn => {
    expect(parseEcsArn(arn)).toBeUndefined();
  });
});

describe('entityCoverage', () => {
  const webArn = (id: string) =>
    `arn:aws:ecs:us-east-1:111111111111:container-instance/prod-web/${id}`;
  const payArn = (id: string) =>
    `arn:aws:ecs:eu-west-1:111111111111:container-instance/prod-eu-payments/${id}`;
  const prodWeb = storedCluster({
    clusterName: 'prod-web',
    instanceStates: [
      { id: 'a', state: 'covered' },
      { id: 'b', state: 'covered' },
    ],
    services: [
      appService('checkout-api', [webArn('a'), webArn('b'), webArn('b')]),
      appService('storefront', [webArn('a')], {
        findings: [
          {
            id: 'application.log-driver-bypasses-agent',
            severity: 'warning',
            title: 't',
            explanation: 'e',
            remedy: 'r',
          },
        ],
      }),
    ],
  });
  const payments = storedCluster({
    region: 'eu-west-1',
    clusterName: 'prod-eu-payments',
    instanceStates: [
      { id: 'p1', state: 'missing' },
      { id: 'p2', state: 'covered' },
    ],
    services: [
      appService('payments-api', [payArn('p1'), payArn('p1'), payArn('p2')]),
    ],
  });
  const clusters: ClusterWithServices[] = [prodWeb, payments].map(c => ({
    summary: summaryOf(c),
    services: c.services,
  }));
  const states = (summary: ClusterSummary) => {
    const stored = [prodWeb, payments].find(
      c => c.details.clusterName === summary.clusterName,
    )!;
    return new Map<string, { instanceId: string; state: CoverageState }>(
      stored.details.instances.map(i => [
        i.containerInstanceArn,
        { instanceId: i.instanceId, state: i.state },
      ]),
    );
  };
  const run = (serviceArns: string[], clusterArns: string[] = []) =>
    entityCoverage({
      entityRef: 'component:default/x',
      serviceArns,
      clusterArns,
      clusters,
      instanceStates: states,
      snapshotTakenAt: '2026-01-15T10:00:00.000Z',
    });

  it('a service on an uncovered cluster: its instances and the tasks on uncovered ones', () => {
    const result = run([
      'arn:aws:ecs:eu-west-1:111111111111:service/prod-eu-payments/payments-api',
    ]);
    expect(result.unmatched).toEqual([]);
    expect(result.snapshotTakenAt).toBe('2026-01-15T10:00:00.000Z');
    expect(result.clusters).toHaveLength(1);
    expect(result.clusters[0].cluster.clusterName).toBe('prod-eu-payments');
    expect(result.clusters[0].services).toEqual([
      expect.objectContaining({
        serviceName: 'payments-api',
        found: true,
        tasks: 3,
        uncoveredTasks: 2,
        instances: [
          {
            containerInstanceArn: payArn('p1'),
            instanceId: 'i-p1',
            state: 'missing',
          },
          {
            containerInstanceArn: payArn('p2'),
            instanceId: 'i-p2',
            state: 'covered',
          },
        ],
      }),
    ]);
    expect(result.clusters[0].services[0]).not.toHaveProperty(
      'taskInstanceArns',
    );
    expect(result.clusters[0].services[0]).not.toHaveProperty('fargateTasks');
  });

  it('two services of one cluster share its entry; findings are passed on', () => {
    const result = run([
      'arn:aws:ecs:us-east-1:111111111111:service/prod-web/checkout-api',
      'arn:aws:ecs:us-east-1:111111111111:service/prod-web/storefront',
    ]);
    expect(result.clusters).toHaveLength(1);
    expect(
      result.clusters[0].services.map(s => [
        s.serviceName,
        s.tasks,
        s.uncoveredTasks,
      ]),
    ).toEqual([
      ['checkout-api', 3, 0],
      ['storefront', 1, 0],
    ]);
    expect(result.clusters[0].services[1].findings.map(f => f.id)).toEqual([
      'application.log-driver-bypasses-agent',
    ]);
  });

  it('finds a short service ARN on any cluster of its account and region', () => {
    const result = run([
      'arn:aws:ecs:us-east-1:111111111111:service/storefront',
    ]);
    expect(result.unmatched).toEqual([]);
    expect(result.clusters[0].cluster.clusterName).toBe('prod-web');
  });

  it('a cluster ARN gives the cluster without services', () => {
    const result = run(
      [],
      ['arn:aws:ecs:us-east-1:111111111111:cluster/prod-web'],
    );
    expect(result.clusters).toEqual([
      { cluster: summaryOf(prodWeb), services: [] },
    ]);
  });

  it('explains every ARN it cannot match', () => {
    const result = run(
      [
        'arn:aws:ecs:us-east-1:111111111111:service/prod-web/nope',
        'arn:aws:ecs:ap-south-1:111111111111:service/prod-web/checkout-api',
        'arn:aws:ecs:us-east-1:111111111111:cluster/prod-web',
        'not-an-arn',
      ],
      [
        'arn:aws:ecs:us-east-1:999999999999:cluster/elsewhere',
        'arn:aws:ecs:us-east-1:111111111111:service/prod-web/x',
      ],
    );
    expect(result.clusters).toEqual([]);
    expect(result.unmatched).toEqual([
      {
        arn: 'arn:aws:ecs:us-east-1:999999999999:cluster/elsewhere',
        reason:
          'No such cluster in the inventory (is its account and region configured?)',
      },
      {
        arn: 'arn:aws:ecs:us-east-1:111111111111:service/prod-web/x',
        reason: 'Not an ECS cluster ARN',
      },
      {
        arn: 'arn:aws:ecs:us-east-1:111111111111:service/prod-web/nope',
        reason: 'No such service on the cluster in the inventory',
      },
      {
        arn: 'arn:aws:ecs:ap-south-1:111111111111:service/prod-web/checkout-api',
        reason:
          'No such cluster in the inventory (is its account and region configured?)',
      },
      {
        arn: 'arn:aws:ecs:us-east-1:111111111111:cluster/prod-web',
        reason: 'Not an ECS service ARN',
      },
      { arn: 'not-an-arn', reason: 'Not an ECS service ARN' },
    ]);
  });

  it('an instance missing from the cluster view counts as missing', () => {
    const result = entityCoverage({
      entityRef: 'component:default/x',
      serviceArns: [
        'arn:aws:ecs:us-east-1:111111111111:service/prod-web/checkout-api',
      ],
      clusterArns: [],
      clusters,
      instanceStates: () => new Map(),
    });
    expect(
      result.clusters[0].services[0].instances.map(i => [
        i.instanceId,
        i.state,
      ]),
    ).toEqual([
      ['a', 'missing'],
      ['b', 'missing'],
    ]);
    expect(result.clusters[0].services[0].uncoveredTasks).toBe(3);
  });
});
