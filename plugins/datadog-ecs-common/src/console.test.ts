import {
  ecsClusterConsoleUrl,
  ecsConsoleUrlForArn,
  ecsContainerInstanceConsoleUrl,
  ecsServiceConsoleUrl,
  ecsTaskConsoleUrl,
  ecsTaskDefinitionConsoleUrl,
  parseEcsArn,
  partitionOfRegion,
} from './console';

const PARTITIONS = [
  {
    name: 'commercial',
    partition: 'aws',
    region: 'eu-west-1',
    host: 'https://eu-west-1.console.aws.amazon.com',
  },
  {
    name: 'China',
    partition: 'aws-cn',
    region: 'cn-north-1',
    host: 'https://cn-north-1.console.amazonaws.cn',
  },
  {
    name: 'GovCloud',
    partition: 'aws-us-gov',
    region: 'us-gov-west-1',
    host: 'https://us-gov-west-1.console.amazonaws-us-gov.com',
  },
] as const;

describe('partitionOfRegion', () => {
  it('reads the partition from the region prefix', () => {
    expect(partitionOfRegion('us-east-1')).toBe('aws');
    expect(partitionOfRegion('ap-southeast-5')).toBe('aws');
    expect(partitionOfRegion('cn-northwest-1')).toBe('aws-cn');
    expect(partitionOfRegion('us-gov-east-1')).toBe('aws-us-gov');
  });

  it('has no partition for ISO regions or malformed ones', () => {
    expect(partitionOfRegion('us-iso-east-1')).toBeUndefined();
    expect(partitionOfRegion('us-isob-east-1')).toBeUndefined();
    expect(partitionOfRegion('evil.com/x')).toBeUndefined();
    expect(partitionOfRegion('')).toBeUndefined();
  });
});

describe.each(PARTITIONS)(
  'console URLs ($name)',
  ({ partition, region, host }) => {
    const account = '123456789012';
    const arn = (resource: string) =>
      `arn:${partition}:ecs:${region}:${account}:${resource}`;

    it('links a cluster', () => {
      const url = `${host}/ecs/v2/clusters/prod/services?region=${region}`;
      expect(ecsClusterConsoleUrl({ region, clusterName: 'prod' })).toBe(url);
      expect(ecsConsoleUrlForArn(arn('cluster/prod'))).toBe(url);
    });

    it('links a service', () => {
      const url = `${host}/ecs/v2/clusters/prod/services/datadog-agent/health?region=${region}`;
      expect(
        ecsServiceConsoleUrl({
          region,
          clusterName: 'prod',
          serviceName: 'datadog-agent',
        }),
      ).toBe(url);
      expect(ecsConsoleUrlForArn(arn('service/prod/datadog-agent'))).toBe(url);
      // The old ARN format has no cluster name.
      expect(ecsConsoleUrlForArn(arn('service/datadog-agent'))).toBeUndefined();
      expect(
        ecsConsoleUrlForArn(arn('service/datadog-agent'), {
          clusterName: 'prod',
        }),
      ).toBe(url);
    });

    it('links a task', () => {
      const url = `${host}/ecs/v2/clusters/prod/tasks/0f1e2d3c/configuration?region=${region}`;
      expect(
        ecsTaskConsoleUrl({ region, clusterName: 'prod', taskId: '0f1e2d3c' }),
      ).toBe(url);
      expect(ecsConsoleUrlForArn(arn('task/prod/0f1e2d3c'))).toBe(url);
      expect(
        ecsConsoleUrlForArn(arn('task/0f1e2d3c'), { clusterName: 'prod' }),
      ).toBe(url);
    });

    it('links a container instance', () => {
      const url = `${host}/ecs/v2/clusters/prod/infrastructure/container-instances/ab12cd34?region=${region}`;
      expect(
        ecsContainerInstanceConsoleUrl({
          region,
          clusterName: 'prod',
          containerInstanceId: 'ab12cd34',
        }),
      ).toBe(url);
      expect(ecsConsoleUrlForArn(arn('container-instance/prod/ab12cd34'))).toBe(
        url,
      );
      expect(
        ecsConsoleUrlForArn(arn('container-instance/ab12cd34'), {
          clusterName: 'prod',
        }),
      ).toBe(url);
    });

    it('links a task definition revision', () => {
      const url = `${host}/ecs/v2/task-definitions/datadog-agent-task/7/containers?region=${region}`;
      expect(
        ecsTaskDefinitionConsoleUrl({
          region,
          family: 'datadog-agent-task',
          revision: 7,
        }),
      ).toBe(url);
      expect(
        ecsConsoleUrlForArn(arn('task-definition/datadog-agent-task:7')),
      ).toBe(url);
      expect(
        ecsConsoleUrlForArn(arn('task-definition/datadog-agent-task')),
      ).toBeUndefined();
    });
  },
);

describe('console URL edge cases', () => {
  it('encodes names as path segments', () => {
    expect(
      ecsServiceConsoleUrl({
        region: 'us-east-1',
        clusterName: 'a b',
        serviceName: 'x/y',
      }),
    ).toBe(
      'https://us-east-1.console.aws.amazon.com/ecs/v2/clusters/a%20b/services/x%2Fy/health?region=us-east-1',
    );
  });

  it('gives no link for ISO partitions, mismatched partitions or malformed input', () => {
    expect(
      ecsConsoleUrlForArn(
        'arn:aws-iso:ecs:us-iso-east-1:123456789012:cluster/p',
      ),
    ).toBeUndefined();
    expect(
      ecsConsoleUrlForArn('arn:aws:ecs:cn-north-1:123456789012:cluster/p'),
    ).toBeUndefined();
    expect(
      ecsClusterConsoleUrl({ region: 'x.evil.com#', clusterName: 'p' }),
    ).toBeUndefined();
    expect(
      ecsClusterConsoleUrl({ region: 'us-east-1', clusterName: '' }),
    ).toBeUndefined();
    expect(
      ecsTaskDefinitionConsoleUrl({
        region: 'us-east-1',
        family: 'f',
        revision: 'latest',
      }),
    ).toBeUndefined();
    expect(ecsConsoleUrlForArn('not-an-arn')).toBeUndefined();
    expect(
      ecsConsoleUrlForArn('arn:aws:iam::123456789012:role/x'),
    ).toBeUndefined();
    expect(
      ecsConsoleUrlForArn(
        'arn:aws:ecs:us-east-1:123456789012:capacity-provider/x',
      ),
    ).toBeUndefined();
    expect(
      ecsConsoleUrlForArn('arn:aws:ecs:us-east-1:123456789012:task/a/b/c'),
    ).toBeUndefined();
  });

  it('parses an ECS ARN into its parts', () => {
    expect(
      parseEcsArn(
        'arn:aws-us-gov:ecs:us-gov-west-1:123456789012:task/prod/abc',
      ),
    ).toEqual({
      partition: 'aws-us-gov',
      region: 'us-gov-west-1',
      accountId: '123456789012',
      resourceType: 'task',
      resource: 'prod/abc',
    });
  });
});
