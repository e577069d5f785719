import {
  agentTaskDefinition,
  AMIS,
  CONTEXT,
  instance,
  observation,
  service,
  task,
} from '../__fixtures__/ecs';
import { buildClusterView } from './cluster';
import { amazonLinuxGenerationFindings, imagesErrorWords } from './amis';

const AGENT = agentTaskDefinition();
const CUSTOM_AMI = 'ami-0a1b2c3d4e5f60718';

/** A cluster whose instances all run the Agent daemon (cgroup volume /sys/fs/cgroup/). */
function agentCluster(
  instances: ReturnType<typeof instance>[],
  more: Partial<Parameters<typeof observation>[0]> = {},
) {
  return observation({
    instances,
    services: [
      service('datadog-agent', AGENT.taskDefinitionArn!, {
        strategy: 'DAEMON',
        desiredCount: instances.length,
      }),
    ],
    tasks: instances.map(i =>
      task(`t-${i.ec2InstanceId}`, AGENT.taskDefinitionArn!, {
        on: i.containerInstanceArn!.split('/').pop()!,
        group: 'service:datadog-agent',
      }),
    ),
    taskDefinitions: [AGENT],
    ...more,
  });
}

describe('the Amazon Linux generation in a cluster view', () => {
  it('Amazon Linux 2 with Docker 19.03 is Amazon Linux 2 (from its AMI): no cgroup finding', () => {
    const view = buildClusterView(
      agentCluster([
        instance('a', { kind: 'al2', dockerVersion: '19.03.13-ce' }),
        instance('b', { kind: 'al2', dockerVersion: '18.09.9-ce' }),
      ]),
      CONTEXT,
    ).details;
    expect(view.instances.map(i => i.amazonLinuxGeneration)).toEqual([2, 2]);
    expect(view.instances[0]).toMatchObject({
      amiId: AMIS.al2.id,
      amiName: AMIS.al2.name,
      amazonLinuxGenerationSource: 'ami',
    });
    expect(view.amazonLinuxGenerationUnknown).toBe(0);
    const ids = view.findings.map(f => f.id);
    expect(ids).not.toContain('core.cgroup-path-mismatch');
    expect(ids).not.toContain('cluster.amazon-linux-generation-unknown');
  });

  it('Amazon Linux 1 from its AMI: the cgroup path of the modern definition is flagged', () => {
    const view = buildClusterView(
      agentCluster([instance('a', { kind: 'al1' })]),
      CONTEXT,
    ).details;
    expect(view.instances[0].amazonLinuxGeneration).toBe(1);
    expect(view.findings.map(f => f.id)).toContain('core.cgroup-path-mismatch');
  });

  it('a custom AMI: generation unknown, counted, an info finding naming the instances and the AMI; nothing guessed', () => {
    const view = buildClusterView(
      agentCluster(
        [
          instance('a', { kind: 'al2', attributes: { 'ecs.ami-id': CUSTOM_AMI } }),
          instance('b', { kind: 'al1', attributes: { 'ecs.ami-id': CUSTOM_AMI } }),
          instance('c', { kind: 'al2023' }),
          instance('w', { kind: 'windows' }),
        ],
        {
          images: {
            [CUSTOM_AMI]: { imageId: CUSTOM_AMI, name: 'acme-golden-ecs-2024-11-01' },
            [AMIS.al2023.id]: { imageId: AMIS.al2023.id, name: AMIS.al2023.name },
          },
        },
      ),
      CONTEXT,
    ).details;
    expect(
      view.instances.map(i => [i.instanceId, i.amazonLinuxGeneration, i.amazonLinuxGenerationSource]),
    ).toEqual([
      ['i-a', undefined, 'unknown'],
      ['i-b', undefined, 'unknown'],
      ['i-c', 2023, 'ami'],
      ['i-w', undefined, undefined],
    ]);
    expect(view.amazonLinuxGenerationUnknown).toBe(2);
    const finding = view.findings.find(
      f => f.id === 'cluster.amazon-linux-generation-unknown',
    );
    expect(finding?.severity).toBe('info');
    expect(finding?.explanation).toContain('2 instance(s) (i-a, i-b)');
    expect(finding?.explanation).toContain(
      `acme-golden-ecs-2024-11-01 (${CUSTOM_AMI})`,
    );
    // Unknown instances are not checked against the cgroup path, even the Docker 19 one.
    expect(view.findings.map(f => f.id)).not.toContain('core.cgroup-path-mismatch');
    expect(view.findingCounts.info).toBeGreaterThanOrEqual(1);
  });

  it('the explicit attribute wins over an unreadable AMI', () => {
    const view = buildClusterView(
      agentCluster(
        [
          instance('a', {
            kind: 'al2',
            attributes: { 'datadog.amazon-linux-generation': '1' },
          }),
        ],
        { images: { [AMIS.al2.id]: null } },
      ),
      CONTEXT,
    ).details;
    expect(view.instances[0]).toMatchObject({
      amazonLinuxGeneration: 1,
      amazonLinuxGenerationSource: 'attribute',
      amiId: AMIS.al2.id,
    });
    expect(view.amazonLinuxGenerationUnknown).toBe(0);
  });

  it('DescribeImages failed: a warning finding says why, the cluster is still covered', () => {
    const view = buildClusterView(
      agentCluster([instance('a', { kind: 'al2' })], {
        images: undefined,
        imagesError: {
          kind: 'access-denied',
          name: 'UnauthorizedOperation',
          message: 'You are not authorized to perform this operation.',
          at: '2026-01-15T10:00:00.000Z',
        },
      }),
      CONTEXT,
    ).details;
    expect(view.coveragePercent).toBe(100);
    expect(view.error).toBeUndefined();
    expect(view.amazonLinuxGenerationUnknown).toBe(1);
    const finding = view.findings.find(f => f.id === 'cluster.ami-unreadable');
    expect(finding).toMatchObject({
      severity: 'warning',
      title: 'AMI could not be read',
    });
    expect(finding!.explanation).toContain(
      'AMI could not be read: not authorized to ec2:DescribeImages (UnauthorizedOperation: You are not authorized to perform this operation.)',
    );
    expect(finding!.remedy).toContain('ec2:DescribeImages');
    expect(view.findings.map(f => f.id)).not.toContain(
      'cluster.amazon-linux-generation-unknown',
    );
  });
});

describe('amazonLinuxGenerationFindings', () => {
  it('says nothing when every generation is known', () => {
    expect(amazonLinuxGenerationFindings([])).toEqual({ unknown: 0, findings: [] });
  });

  it.each([
    ['access-denied', 'not authorized to ec2:DescribeImages (UnauthorizedOperation: no)'],
    ['throttled', 'EC2 throttled DescribeImages (UnauthorizedOperation: no)'],
    ['network', 'EC2 could not be reached (UnauthorizedOperation: no)'],
    ['credentials', 'EC2 refused the credentials (UnauthorizedOperation: no)'],
    ['unknown', 'DescribeImages failed (UnauthorizedOperation: no)'],
  ] as const)('words a %s error', (kind, words) => {
    expect(
      imagesErrorWords({ kind, name: 'UnauthorizedOperation', message: 'no', at: '' }),
    ).toBe(words);
  });
});
