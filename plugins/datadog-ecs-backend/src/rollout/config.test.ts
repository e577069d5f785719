import { ConfigReader } from '@backstage/config';
import { readDatadogEcsConfig } from '../config/config';

const read = (rollout: unknown) =>
  readDatadogEcsConfig(new ConfigReader({ datadogEcs: { rollout } } as any))
    .rollout;

describe('datadogEcs.rollout config', () => {
  it('has defaults: off, datadog-agent, datadog-agent-task, a pinned Agent 7', () => {
    const config = read(undefined);
    expect(config).toMatchObject({
      enabled: false,
      serviceName: 'datadog-agent',
      family: 'datadog-agent-task',
      imageTag: '7.60.0',
      deploymentTimeoutMinutes: 30,
      pollIntervalSeconds: 5,
      leaseSeconds: 30,
    });
    expect(config.apiKeys.size).toBe(0);
    expect(read({ leaseSeconds: 2 }).leaseSeconds).toBe(2);
  });

  it('has managed-daemon defaults: the service name, datadog-agent-daemon, Agent 7.77.0', () => {
    expect(read(undefined).managedDaemon).toEqual({
      daemonName: 'datadog-agent',
      family: 'datadog-agent-daemon',
      imageTag: '7.77.0',
    });
    expect(read({ serviceName: 'dd' }).managedDaemon.daemonName).toBe('dd');
    expect(
      read({
        managedDaemon: {
          daemonName: 'agent',
          family: 'agent-d',
          imageTag: '7.78.1',
        },
      }).managedDaemon,
    ).toEqual({ daemonName: 'agent', family: 'agent-d', imageTag: '7.78.1' });
  });

  it('reads API keys per account', () => {
    const config = read({
      enabled: true,
      apiKeys: [
        {
          accountId: '111111111111',
          secretArn:
            'arn:aws:secretsmanager:eu-west-1:111111111111:secret:dd-AbCdEf',
          executionRoleArn: 'arn:aws:iam::111111111111:role/dd',
        },
        { accountId: '222222222222', plaintextApiKey: 'dev' },
      ],
    });
    expect(config.apiKeys.get('111111111111')).toMatchObject({
      source: 'secretsManager',
    });
    expect(config.apiKeys.get('222222222222')).toMatchObject({
      source: 'plaintext',
    });
  });

  it.each([
    [
      { apiKeys: [{ accountId: '1', plaintextApiKey: 'k' }] },
      'datadogEcs.rollout.apiKeys[0].accountId',
    ],
    [
      { apiKeys: [{ accountId: '111111111111' }] },
      'datadogEcs.rollout.apiKeys[0].secretArn',
    ],
    [
      {
        apiKeys: [
          {
            accountId: '111111111111',
            secretArn: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:x',
          },
        ],
      },
      'datadogEcs.rollout.apiKeys[0].executionRoleArn',
    ],
    [
      {
        apiKeys: [
          {
            accountId: '111111111111',
            secretArn: 'nope',
            executionRoleArn: 'arn:aws:iam::111111111111:role/dd',
          },
        ],
      },
      'datadogEcs.rollout.apiKeys[0].secretArn',
    ],
    [
      {
        apiKeys: [
          {
            accountId: '111111111111',
            plaintextApiKey: 'k',
            secretArn: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:x',
          },
        ],
      },
      'datadogEcs.rollout.apiKeys[0]',
    ],
    [
      {
        apiKeys: [
          { accountId: '111111111111', plaintextApiKey: 'a' },
          { accountId: '111111111111', plaintextApiKey: 'b' },
        ],
      },
      'datadogEcs.rollout.apiKeys[1].accountId',
    ],
    [{ serviceName: 'has space' }, 'datadogEcs.rollout.serviceName'],
    [{ family: 'a:b' }, 'datadogEcs.rollout.family'],
    [{ imageTag: 'bad tag' }, 'datadogEcs.rollout.imageTag'],
    [
      { deploymentTimeoutMinutes: 0 },
      'datadogEcs.rollout.deploymentTimeoutMinutes',
    ],
    [{ pollIntervalSeconds: -1 }, 'datadogEcs.rollout.pollIntervalSeconds'],
    [{ leaseSeconds: 0 }, 'datadogEcs.rollout.leaseSeconds'],
    [{ leaseSeconds: 601 }, 'datadogEcs.rollout.leaseSeconds'],
    [
      { managedDaemon: { daemonName: 'a/b' } },
      'datadogEcs.rollout.managedDaemon.daemonName',
    ],
    [
      { managedDaemon: { family: 'x:1' } },
      'datadogEcs.rollout.managedDaemon.family',
    ],
    [
      { managedDaemon: { imageTag: 'bad tag' } },
      'datadogEcs.rollout.managedDaemon.imageTag',
    ],
  ])('names the key of an invalid value (%j)', (rollout, key) => {
    expect(() => read(rollout)).toThrow(`Invalid config at '${key}'`);
  });

  it('never puts the plaintext key in an error message', () => {
    expect(() =>
      read({
        apiKeys: [
          {
            accountId: '111111111111',
            plaintextApiKey: 'super-secret',
            secretArn: 'x',
          },
        ],
      }),
    ).toThrow(
      expect.objectContaining({
        message: expect.not.stringContaining('super-secret'),
      }),
    );
  });
});
