import {
  ClusterDetails,
  InstanceCoverage,
  renderAgentTaskDefinition,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import {
  generationUnknownWarning,
  isRegisterNeeded,
  latestRevisionArn,
  planCalls,
  renderForRollout,
  resolveRolloutOptions,
  revisionOf,
  serviceTarget,
} from './plan';

const instance = (over: Partial<InstanceCoverage>): InstanceCoverage => ({
  containerInstanceArn:
    'arn:aws:ecs:eu-west-1:111111111111:container-instance/c/1',
  instanceId: 'i-1',
  os: 'linux',
  external: false,
  status: 'ACTIVE',
  agentConnected: true,
  state: 'missing',
  ...over,
});

const arn = (family: string, revision: number) =>
  `arn:aws:ecs:eu-west-1:111111111111:task-definition/${family}:${revision}`;

describe('resolveRolloutOptions', () => {
  const defaults = { site: 'datadoghq.com', imageTag: '7.60.0' };

  it('chooses the variant from the instances', () => {
    const cluster = {
      instances: [
        instance({ amazonLinuxGeneration: 1 }),
        instance({ amazonLinuxGeneration: 1 }),
        instance({ amazonLinuxGeneration: 2023 }),
      ],
    } as Pick<ClusterDetails, 'instances'>;
    const resolved = resolveRolloutOptions(
      { features: { apm: true } },
      cluster,
      defaults,
    );
    expect(resolved.options).toEqual({
      variant: 'amazon-linux-1',
      external: false,
      features: expect.objectContaining({ apm: true, logs: false }),
      site: 'datadoghq.com',
      imageTag: '7.60.0',
    });
    expect(resolved.variantSource).toBe('instances');
    expect(resolved.warnings[0]).toContain('Mixed fleet');
  });

  describe('instances of unknown Amazon Linux generation', () => {
    const unknown = () =>
      instance({
        amazonLinuxGenerationSource: 'unknown',
        amiId: 'ami-0custom',
      });
    const custom = { instances: [unknown(), unknown()] };

    it('assumes the Amazon Linux 2 / 2023 variant and warns', () => {
      const resolved = resolveRolloutOptions({}, custom, defaults);
      expect(resolved.options.variant).toBe('linux');
      expect(resolved.variantSource).toBe('instances');
      expect(resolved.warnings).toEqual([
        'The Amazon Linux generation of 2 instance(s) is unknown (custom AMI, or its AMI could not be read): the Amazon Linux 2 / 2023 variant (cgroup /sys/fs/cgroup/) was assumed; choose the Amazon Linux 1 variant (cgroup /cgroup/) if they run Amazon Linux 1',
      ]);
    });

    it('renders what the request chose for them, and says so', () => {
      const al1 = resolveRolloutOptions(
        { variant: 'amazon-linux-1', external: false },
        custom,
        defaults,
      );
      expect(al1.options.variant).toBe('amazon-linux-1');
      expect(al1.variantSource).toBe('request');
      expect(al1.warnings).toContain(
        'The Amazon Linux generation of 2 instance(s) is unknown (custom AMI, or its AMI could not be read): the Amazon Linux 1 variant (cgroup /cgroup/) was chosen for them',
      );
      const al2 = resolveRolloutOptions(
        { variant: 'linux', external: false },
        custom,
        defaults,
      );
      expect(al2.warnings).toEqual([
        'The Amazon Linux generation of 2 instance(s) is unknown (custom AMI, or its AMI could not be read): the Amazon Linux 2 / 2023 variant (cgroup /sys/fs/cgroup/) was chosen for them',
      ]);
    });

    it('never picks Amazon Linux 1 without an AMI or attribute saying so', () => {
      const resolved = resolveRolloutOptions(
        {},
        {
          instances: [
            instance({
              amazonLinuxGeneration: 1,
              amazonLinuxGenerationSource: 'ami',
            }),
            unknown(),
            unknown(),
          ],
        },
        defaults,
      );
      expect(resolved.options.variant).toBe('linux');
    });

    it('says nothing when every generation is known, or for Windows', () => {
      expect(generationUnknownWarning(0, 'linux', false)).toBeUndefined();
      expect(generationUnknownWarning(3, 'windows', false)).toBeUndefined();
      const known = resolveRolloutOptions(
        {},
        {
          instances: [
            instance({
              amazonLinuxGeneration: 2,
              amazonLinuxGenerationSource: 'ami',
            }),
          ],
        },
        defaults,
      );
      expect(known.warnings).toEqual([]);
    });
  });

  it('lets the request override the variant, site and tag', () => {
    const resolved = resolveRolloutOptions(
      {
        variant: 'windows',
        site: 'datadoghq.eu',
        imageTag: '7.61.0',
        tags: ['env:prod'],
      },
      { instances: [instance({})] },
      defaults,
    );
    expect(resolved.options).toMatchObject({
      variant: 'windows',
      site: 'datadoghq.eu',
      imageTag: '7.61.0',
      tags: ['env:prod'],
    });
    expect(resolved.variantSource).toBe('request');
  });

  it('chooses ECS Anywhere for a fleet of external instances', () => {
    const resolved = resolveRolloutOptions(
      {},
      {
        instances: [instance({ external: true }), instance({ external: true })],
      },
      defaults,
    );
    expect(resolved.options.external).toBe(true);
  });
});

describe('the decision to register', () => {
  const options = {
    variant: 'linux' as const,
    external: false,
    features: resolveRolloutOptions(
      { features: { apm: true } },
      { instances: [] },
      { site: 'datadoghq.com', imageTag: '7.60.0' },
    ).options.features,
    site: 'datadoghq.com',
    imageTag: '7.60.0',
  };
  const key = {
    accountId: '111111111111',
    source: 'secretsManager' as const,
    secretArn: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:dd-AbCdEf',
    executionRoleArn: 'arn:aws:iam::111111111111:role/dd',
  };
  const rendered = renderForRollout(options, key, 'datadog-agent-task');

  it('registers when the family has no revision', () => {
    expect(isRegisterNeeded(rendered, undefined)).toBe(true);
  });

  it('does not register when the latest revision is the same definition, as ECS describes it', () => {
    const described = {
      ...rendered,
      taskDefinitionArn: arn('datadog-agent-task', 4),
      revision: 4,
      status: 'ACTIVE',
      networkMode: 'bridge',
      compatibilities: ['EC2'],
      requiresAttributes: [
        { name: 'ecs.capability.secrets.asm.environment-variables' },
      ],
      registeredAt: new Date(),
      containerDefinitions: rendered.containerDefinitions!.map(c => ({
        ...c,
        cpu: c.cpu ?? 0,
        volumesFrom: [],
        environment: [...(c.environment ?? [])].reverse(),
        mountPoints: c.mountPoints!.map(m => ({ ...m, readOnly: false })),
      })),
      volumes: [...rendered.volumes!].reverse(),
    };
    expect(isRegisterNeeded(rendered, described as any)).toBe(false);
  });

  it('registers when anything that matters differs', () => {
    const other = renderForRollout(
      { ...options, imageTag: '7.61.0' },
      key,
      'datadog-agent-task',
    );
    expect(isRegisterNeeded(rendered, other)).toBe(true);
    const plaintext = renderForRollout(
      options,
      { accountId: key.accountId, source: 'plaintext', plaintextApiKey: 'k' },
      'datadog-agent-task',
    );
    expect(isRegisterNeeded(rendered, plaintext)).toBe(true);
  });

  it('picks the latest revision of exactly the family', () => {
    expect(
      latestRevisionArn(
        [
          arn('datadog-agent-task-windows', 9),
          arn('datadog-agent-task', 2),
          arn('datadog-agent-task', 10),
        ],
        'datadog-agent-task',
      ),
    ).toBe(arn('datadog-agent-task', 10));
    expect(
      latestRevisionArn(
        [arn('datadog-agent-task-windows', 9)],
        'datadog-agent-task',
      ),
    ).toBeUndefined();
    expect(revisionOf(arn('datadog-agent-task', 10))).toBe(
      'datadog-agent-task:10',
    );
  });

  it('renders the API key from config, never from the request', () => {
    const td = renderAgentTaskDefinition({
      variant: 'linux',
      features: {},
      apiKey: { source: 'placeholder' },
    });
    expect(JSON.stringify(td)).toContain('<YOUR_DATADOG_API_KEY>');
    expect(rendered.executionRoleArn).toBe(key.executionRoleArn);
    expect(rendered.containerDefinitions![0].secrets).toEqual([
      { name: 'DD_API_KEY', valueFrom: key.secretArn },
    ]);
  });
});

describe('serviceTarget and planCalls', () => {
  it('creates a missing or inactive service, updates an active DAEMON', () => {
    expect(serviceTarget('datadog-agent', undefined)).toEqual({
      action: 'create',
      serviceName: 'datadog-agent',
    });
    expect(
      serviceTarget('datadog-agent', { status: 'INACTIVE' }),
    ).toMatchObject({ action: 'create' });
    expect(
      serviceTarget('datadog-agent', {
        status: 'ACTIVE',
        schedulingStrategy: 'DAEMON',
        deployments: [
          { status: 'PRIMARY', taskDefinition: arn('datadog-agent-task', 1) },
        ],
      }),
    ).toMatchObject({
      action: 'update',
      currentTaskDefinitionArn: arn('datadog-agent-task', 1),
    });
  });

  it('refuses a REPLICA service of that name (409)', () => {
    expect(() =>
      serviceTarget('datadog-agent', {
        status: 'ACTIVE',
        schedulingStrategy: 'REPLICA',
      }),
    ).toThrow(expect.objectContaining({ name: 'ConflictError' }));
  });

  it('lists the calls', () => {
    expect(
      planCalls({
        clusterName: 'c',
        family: 'datadog-agent-task',
        registerNeeded: true,
        target: { action: 'create', serviceName: 'datadog-agent' },
        external: false,
      }).map(c => c.operation),
    ).toEqual(['RegisterTaskDefinition', 'CreateService']);
    const repoint = planCalls({
      clusterName: 'c',
      family: 'datadog-agent-task',
      registerNeeded: false,
      latestRevision: 'datadog-agent-task:3',
      target: {
        action: 'update',
        serviceName: 'datadog-agent',
        currentTaskDefinitionArn: arn('datadog-agent-task', 1),
      },
      external: false,
    });
    expect(repoint.map(c => c.operation)).toEqual(['UpdateService']);
    expect(repoint[0].summary).toContain(
      'from datadog-agent-task:1 to datadog-agent-task:3 (forceNewDeployment)',
    );
    expect(repoint[0].summary).not.toContain('the same revision');
    // The service already runs the latest revision: said in words (ARN vs family:revision).
    const redeploy = planCalls({
      clusterName: 'c',
      family: 'datadog-agent-task',
      registerNeeded: false,
      latestRevision: 'datadog-agent-task:3',
      target: {
        action: 'update',
        serviceName: 'datadog-agent',
        currentTaskDefinitionArn: arn('datadog-agent-task', 3),
      },
      external: false,
    });
    expect(redeploy[0].summary).toContain('the same revision, redeployed');
  });
});
