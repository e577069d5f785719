import { Json } from '../model/types';

/**
 * The Datadog Agent as an ECS Managed Daemon on Amazon ECS Managed Instances, modelled on the
 * daemon task definition Datadog publishes (datadog-agent-ecs-managed-instances-daemon.json:
 * containerd socket, ECS_MANAGED_INSTANCES=true, DD_CRI_SOCKET_PATH, task cpu 256 / memory 512),
 * with the API key from Secrets Manager and the Agent's health check, as the other demo
 * definitions have them.
 */
export function datadogAgentManagedDaemon(opts: {
  accountId: string;
  region: string;
  image: string;
  family?: string;
}): Json {
  const { accountId, region } = opts;
  return {
    family: opts.family ?? 'datadog-agent-daemon',
    executionRoleArn: `arn:aws:iam::${accountId}:role/ecsTaskExecutionRole`,
    containerDefinitions: [
      {
        name: 'datadog-agent',
        image: opts.image,
        essential: true,
        environment: [
          { name: 'DD_SITE', value: 'datadoghq.com' },
          { name: 'ECS_MANAGED_INSTANCES', value: 'true' },
          {
            name: 'DD_CRI_SOCKET_PATH',
            value: '/var/run/containerd/containerd.sock',
          },
        ],
        secrets: [
          {
            name: 'DD_API_KEY',
            valueFrom: `arn:aws:secretsmanager:${region}:${accountId}:secret:datadog/api-key-Ab12Cd`,
          },
        ],
        mountPoints: [
          {
            containerPath: '/var/run/containerd/containerd.sock',
            sourceVolume: 'containerd_sock',
            readOnly: true,
          },
          {
            containerPath: '/host/sys/fs/cgroup',
            sourceVolume: 'cgroup',
            readOnly: true,
          },
          { containerPath: '/host/proc', sourceVolume: 'proc', readOnly: true },
        ],
        healthCheck: {
          command: ['CMD-SHELL', 'agent health'],
          interval: 30,
          timeout: 5,
          retries: 3,
          startPeriod: 15,
        },
      },
    ],
    volumes: [
      {
        name: 'containerd_sock',
        host: { sourcePath: '/var/run/containerd/containerd.sock' },
      },
      { name: 'proc', host: { sourcePath: '/proc/' } },
      { name: 'cgroup', host: { sourcePath: '/sys/fs/cgroup/' } },
    ],
    cpu: '256',
    memory: '512',
    tags: [
      { key: 'team', value: 'observability' },
      { key: 'managed-by', value: 'ecs-agent-coverage' },
    ],
  };
}
