/*
 * Agent health as ECS defines it, end to end: the real AWS SDK against the ECS emulator, the real
 * router, SQLite. A cluster whose Agent definition has no health check (ECS then reports UNKNOWN
 * for the task and its containers) is covered, health not checked.
 */
import { ClusterDetails } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { startEcsEmulator } from '@ecs-agent-coverage/ecs-emulator';
import {
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import {
  Emulator,
  refreshSnapshot,
  Server,
  startBackend,
} from './__testUtils__/integration';

jest.setTimeout(60_000);

const PROD_WEB = '/api/datadog-ecs/clusters/111111111111/us-east-1/prod-web';

describe('Agent health against the ECS emulator', () => {
  let emu: Emulator;
  let dbDir: string;
  let backend: Server | undefined;

  beforeEach(async () => {
    emu = await startEcsEmulator({ fleet: 'demo', clock: { mode: 'manual' } });
    dbDir = fs.mkdtempSync(path.join(os.tmpdir(), 'datadog-ecs-health-'));
  });

  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
    await emu.stop();
    fs.rmSync(dbDir, { recursive: true, force: true });
  });

  it('shows the instances of a cluster whose Agent has no health check covered, health not checked', async () => {
    // prod-web's Agent daemon moves to a revision without a health check.
    const ecs = new ECSClient(
      emu.clientConfig({ accountId: '111111111111', region: 'us-east-1' }),
    );
    const current = (
      await ecs.send(
        new DescribeTaskDefinitionCommand({
          taskDefinition: 'datadog-agent-task:1',
        }),
      )
    ).taskDefinition!;
    expect(current.containerDefinitions![0].healthCheck).toBeDefined();
    const unchecked = (
      await ecs.send(
        new RegisterTaskDefinitionCommand({
          family: current.family,
          networkMode: current.networkMode,
          requiresCompatibilities: current.requiresCompatibilities,
          executionRoleArn: current.executionRoleArn,
          volumes: current.volumes,
          containerDefinitions: current.containerDefinitions!.map(c => ({
            ...c,
            healthCheck: undefined,
          })),
        }),
      )
    ).taskDefinition!;
    await ecs.send(
      new UpdateServiceCommand({
        cluster: 'prod-web',
        service: 'datadog-agent',
        taskDefinition: unchecked.taskDefinitionArn,
      }),
    );
    for (let i = 0; i < 60; i++) emu.control.advance(1_000);

    // What ECS says: RUNNING, and UNKNOWN for the task and its containers.
    const arns = (
      await ecs.send(
        new ListTasksCommand({
          cluster: 'prod-web',
          serviceName: 'datadog-agent',
        }),
      )
    ).taskArns!;
    const tasks = (
      await ecs.send(
        new DescribeTasksCommand({ cluster: 'prod-web', tasks: arns }),
      )
    ).tasks!;
    expect(tasks).toHaveLength(4);
    for (const t of tasks) {
      expect(t.taskDefinitionArn).toBe(unchecked.taskDefinitionArn);
      expect(t.lastStatus).toBe('RUNNING');
      expect(t.healthStatus).toBe('UNKNOWN');
      expect(t.containers!.every(c => c.healthStatus === 'UNKNOWN')).toBe(true);
    }

    backend = await startBackend(emu, { dbDir });
    await refreshSnapshot(backend.server);
    const res = await request(backend.server).get(PROD_WEB);
    expect(res.status).toBe(200);
    const web: ClusterDetails = res.body;

    expect(web.state).toBe('covered');
    expect(web.coveragePercent).toBe(100);
    expect(web.counts).toMatchObject({ instances: 4, covered: 4, pending: 0 });
    for (const i of web.instances) {
      expect(i.state).toBe('covered');
      expect(i.reason?.code).toBe('health-not-checked');
      expect(i.agentTask).toMatchObject({
        lastStatus: 'RUNNING',
        healthStatus: 'UNKNOWN',
        revision: `datadog-agent-task:${unchecked.revision}`,
        upToDate: true,
      });
    }
    // Health not checked: the health-check feature says so; no "health unknown" warning.
    expect(web.featureResults.find(f => f.id === 'healthCheck')).toMatchObject({
      state: 'off',
    });
    expect(web.findings.map(f => f.id)).not.toContain(
      'cluster.agent-health-unknown',
    );
  });
});
