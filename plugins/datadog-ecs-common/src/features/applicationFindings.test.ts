import { EcsContainerDefinition, EcsTaskDefinition } from '../ecsTypes';
import { linuxRef } from './__fixtures__/rows';
import { detectApplicationFindings } from './applicationFindings';

describe('application findings', () => {
  const app = (
    fields: Partial<EcsContainerDefinition> = {},
    task: Partial<EcsTaskDefinition> = {},
  ): EcsTaskDefinition => ({
    family: 'payments',
    containerDefinitions: [{ name: 'api', image: 'payments:1.2.3', ...fields }],
    ...task,
  });
  const all = { apm: true, dogstatsd: true, logs: true };
  const none = { apm: false, dogstatsd: false, logs: false };
  const withHost = {
    environment: [{ name: 'DD_AGENT_HOST', value: '10.0.0.12' }],
  };

  it.each([
    ['a well-behaved app', app(withHost), all, []],
    [
      'awslogs while the Agent collects logs',
      app({ ...withHost, logConfiguration: { logDriver: 'awslogs' } }),
      all,
      ['application.log-driver-bypasses-agent'],
    ],
    [
      'awslogs while the Agent does not collect logs',
      app({ ...withHost, logConfiguration: { logDriver: 'awslogs' } }),
      { ...all, logs: false },
      [],
    ],
    [
      'json-file is read by the Agent',
      app({ ...withHost, logConfiguration: { logDriver: 'json-file' } }),
      all,
      [],
    ],
    [
      'no DD_AGENT_HOST with APM on',
      app(),
      { ...none, apm: true },
      ['application.agent-host-missing'],
    ],
    [
      'no DD_AGENT_HOST with DogStatsD on',
      app(),
      { ...none, dogstatsd: true },
      ['application.agent-host-missing'],
    ],
    [
      'no DD_AGENT_HOST, neither APM nor DogStatsD',
      app(),
      { ...none, logs: true },
      [],
    ],
    [
      'DD_AGENT_HOST exported in the entry point (the guide’s Java example)',
      app({
        entryPoint: [
          'sh',
          '-c',
          'export DD_AGENT_HOST=$(curl http://169.254.169.254/latest/meta-data/local-ipv4); java -jar app.jar',
        ],
      }),
      all,
      [],
    ],
    [
      'awsvpc app with APM on',
      app(withHost, { networkMode: 'awsvpc' }),
      all,
      ['application.awsvpc-network-mode'],
    ],
    [
      'awsvpc app without APM or DogStatsD',
      app(withHost, { networkMode: 'awsvpc' }),
      none,
      [],
    ],
  ])('%s', (_name, taskDefinition, features, expected) => {
    expect(
      detectApplicationFindings(taskDefinition, features).map(f => f.id),
    ).toEqual(expected);
  });

  it('ignores the Agent container itself', () => {
    expect(detectApplicationFindings(linuxRef, all)).toEqual([]);
  });
});
