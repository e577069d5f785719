import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { InstanceCoverage } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { InstanceTable } from './InstanceTable';

const instance = (
  overrides: Partial<InstanceCoverage> = {},
): InstanceCoverage => ({
  containerInstanceArn:
    'arn:aws-cn:ecs:cn-north-1:111111111111:container-instance/prod/0123abcd',
  instanceId: 'i-0aaa',
  os: 'linux',
  external: false,
  status: 'ACTIVE',
  agentConnected: true,
  state: 'covered',
  agentTask: {
    taskArn: 'arn:aws-cn:ecs:cn-north-1:111111111111:task/prod/feedbeef',
    lastStatus: 'RUNNING',
    desiredStatus: 'RUNNING',
    healthStatus: 'HEALTHY',
    taskDefinitionArn:
      'arn:aws-cn:ecs:cn-north-1:111111111111:task-definition/datadog-agent-task:7',
    revision: 'datadog-agent-task:7',
    upToDate: true,
  },
  ...overrides,
});

const ecs = 'https://cn-north-1.console.amazonaws.cn/ecs/v2';

describe('InstanceTable console links', () => {
  it('links each container instance and its Agent task to the console of its partition', async () => {
    await renderInTestApp(<InstanceTable instances={[instance()]} />);
    const table = screen.getByRole('table');
    const ci = within(table).getByRole('link', {
      name: /^Open container instance i-0aaa in the AWS console/,
    });
    expect(ci).toHaveAttribute(
      'href',
      `${ecs}/clusters/prod/infrastructure/container-instances/0123abcd?region=cn-north-1`,
    );
    expect(ci).toHaveAttribute('target', '_blank');
    expect(ci).toHaveAttribute('rel', 'noopener noreferrer');
    expect(
      within(table).getByRole('link', {
        name: /^Open Agent task feedbeef on i-0aaa in the AWS console/,
      }),
    ).toHaveAttribute(
      'href',
      `${ecs}/clusters/prod/tasks/feedbeef/configuration?region=cn-north-1`,
    );
  });

  it('takes the cluster name for ARNs in the old format, and links nothing it cannot place', async () => {
    await renderInTestApp(
      <InstanceTable
        clusterName="legacy"
        instances={[
          instance({
            containerInstanceArn:
              'arn:aws:ecs:us-east-1:111111111111:container-instance/0123abcd',
            agentTask: undefined,
            state: 'missing',
          }),
          instance({
            instanceId: 'i-0bbb',
            containerInstanceArn:
              'arn:aws-iso:ecs:us-iso-east-1:111111111111:container-instance/legacy/9',
            agentTask: undefined,
            state: 'missing',
          }),
        ]}
      />,
    );
    expect(
      screen.getByRole('link', {
        name: /^Open container instance i-0aaa in the AWS console/,
      }),
    ).toHaveAttribute(
      'href',
      'https://us-east-1.console.aws.amazon.com/ecs/v2/clusters/legacy/infrastructure/container-instances/0123abcd?region=us-east-1',
    );
    expect(screen.getByText('i-0bbb')).toBeInTheDocument();
    expect(
      screen.queryByRole('link', { name: /container instance i-0bbb/ }),
    ).not.toBeInTheDocument();
    expect(screen.getAllByText('No Agent task')).toHaveLength(2);
  });
});

describe('InstanceTable AMI and Amazon Linux generation', () => {
  it('shows each instance’s AMI (name, id) and its generation, and says when it is unknown and why', async () => {
    await renderInTestApp(
      <InstanceTable
        instances={[
          instance({
            instanceId: 'i-al2',
            amazonLinuxGeneration: 2,
            amazonLinuxGenerationSource: 'ami',
            amiId: 'ami-05cfa0ca0d4e1e6b2',
            amiName: 'amzn2-ami-ecs-hvm-2.0.20240903-x86_64-ebs',
          }),
          instance({
            instanceId: 'i-custom',
            amazonLinuxGenerationSource: 'unknown',
            amiId: 'ami-0a1b2c3d4e5f60718',
            amiName: 'acme-golden-ecs-2024-11-01',
          }),
          instance({
            instanceId: 'i-private',
            amazonLinuxGenerationSource: 'unknown',
            amiId: 'ami-0fedcba9876543210',
          }),
          instance({
            instanceId: 'i-attr',
            amazonLinuxGeneration: 1,
            amazonLinuxGenerationSource: 'attribute',
            amiId: 'ami-0123',
          }),
          instance({ instanceId: 'i-none' }),
        ]}
      />,
    );
    const rowOf = (id: string) => screen.getByText(id).closest('tr')!;
    const al2 = within(rowOf('i-al2'));
    expect(al2.getByText('Amazon Linux 2')).toBeInTheDocument();
    expect(
      al2.getByText('amzn2-ami-ecs-hvm-2.0.20240903-x86_64-ebs'),
    ).toBeInTheDocument();
    expect(al2.getByText('ami-05cfa0ca0d4e1e6b2')).toBeInTheDocument();

    const custom = within(rowOf('i-custom'));
    expect(
      custom.getByText('Linux · Amazon Linux generation unknown'),
    ).toBeInTheDocument();
    expect(custom.getByText('acme-golden-ecs-2024-11-01')).toBeInTheDocument();
    expect(
      custom.getByText('Not an Amazon Linux AMI by its name: generation unknown'),
    ).toBeInTheDocument();

    const unreadable = within(rowOf('i-private'));
    expect(unreadable.getByText('ami-0fedcba9876543210')).toBeInTheDocument();
    expect(
      unreadable.getByText('AMI not readable: generation unknown'),
    ).toBeInTheDocument();

    const attr = within(rowOf('i-attr'));
    expect(attr.getByText('Amazon Linux 1')).toBeInTheDocument();
    expect(
      attr.getByText(
        'Generation from the datadog.amazon-linux-generation attribute',
      ),
    ).toBeInTheDocument();

    // No AMI reported, no generation recorded: plain Linux, a dash.
    const none = within(rowOf('i-none'));
    expect(none.getByText('Linux')).toBeInTheDocument();
    expect(none.getAllByText('—').length).toBeGreaterThan(0);
  });
});

describe('InstanceTable capacity', () => {
  it('says which capacity each instance belongs to, with its capacity provider', async () => {
    await renderInTestApp(
      <InstanceTable
        instances={[
          instance({
            instanceId: 'i-asg',
            capacity: { kind: 'ec2-asg', capacityProviderName: 'prod-mixed-asg' },
          }),
          instance({ instanceId: 'i-plain', capacity: { kind: 'ec2-asg' } }),
          instance({
            instanceId: 'i-mi',
            capacity: {
              kind: 'managed-instances',
              capacityProviderName: 'prod-mixed-mi',
            },
          }),
          instance({
            instanceId: 'mi-0123456789abcdef0',
            external: true,
            capacity: { kind: 'external' },
          }),
          // A snapshot from before the capacity was recorded: ECS Anywhere is still known.
          instance({ instanceId: 'mi-0aaaaaaaaaaaaaaa1', external: true }),
          instance({ instanceId: 'i-old' }),
        ]}
      />,
    );
    expect(
      screen.getByRole('columnheader', { name: 'Capacity' }),
    ).toBeInTheDocument();
    const cellOf = (id: string) => {
      const row = screen.getByText(id).closest('tr')!;
      const index = screen
        .getAllByRole('columnheader')
        .findIndex(h => h.textContent === 'Capacity');
      return within(row).getAllByRole('cell')[index];
    };
    expect(cellOf('i-asg')).toHaveTextContent(/^EC2 Auto Scalingprod-mixed-asg$/);
    expect(cellOf('i-plain')).toHaveTextContent(/^EC2$/);
    expect(cellOf('i-mi')).toHaveTextContent(/^Managed Instancesprod-mixed-mi$/);
    expect(cellOf('mi-0123456789abcdef0')).toHaveTextContent(/^ECS Anywhere$/);
    expect(cellOf('mi-0aaaaaaaaaaaaaaa1')).toHaveTextContent(/^ECS Anywhere$/);
    expect(cellOf('i-old')).toHaveTextContent(/^—$/);
  });

  it('labels the managed-daemon reasons in words', async () => {
    await renderInTestApp(
      <InstanceTable
        instances={[
          instance({
            instanceId: 'i-without',
            state: 'missing',
            agentTask: undefined,
            capacity: { kind: 'managed-instances', capacityProviderName: 'mi' },
            reason: {
              code: 'without-daemon',
              message: 'Runs without the managed daemon datadog-agent.',
            },
          }),
          instance({
            instanceId: 'i-replaced',
            state: 'pending',
            capacity: { kind: 'managed-instances', capacityProviderName: 'mi' },
            reason: {
              code: 'instance-replaced',
              message: 'Drained by the daemon deployment; a new instance replaces it.',
            },
          }),
        ]}
      />,
    );
    expect(screen.getByText('Running without the daemon:')).toBeInTheDocument();
    expect(screen.getByText('Instance being replaced:')).toBeInTheDocument();
  });
});
