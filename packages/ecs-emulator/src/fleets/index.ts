import { readFileSync } from 'node:fs';
import { seedDaemons } from '../daemons/seed';
import { resolve } from 'node:path';
import { arns } from '../model/ids';
import { createInstances } from '../model/instances';
import { registerTaskDefinition } from '../model/taskDefinitions';
import { World } from '../model/world';
import { OperationContext } from '../operations/common';
import { createService } from '../operations/services';
import { startTasks } from '../operations/tasks';
import { Scheduler } from '../scheduler';
import { demoFleet } from './demo';
import { scaleFleet, SCALE_LOCATIONS } from './scale';
import { Ec2Image } from '../ec2/catalog';
import { FleetImage, FleetSpec } from './spec';

export * from './spec';
export {
  demoFleet,
  DEMO_CREDENTIALS,
  DEMO_READONLY_CREDENTIALS,
  DEMO_ACCOUNTS,
  DEMO_GOLDEN_AMI,
  DEMO_GOLDEN_AMI_OWNER,
} from './demo';
export { scaleFleet, SCALE_BIG_CLUSTER, SCALE_LOCATIONS } from './scale';

/**
 * `'demo' | 'demo+managed' | 'scale:<clusters>x<instances>[@<account-regions>][+<big>]'` | path to a
 * JSON fleet file | a FleetSpec.
 *
 * @public
 */
export type FleetRef = string | FleetSpec;

/** @public */
export function resolveFleet(ref: FleetRef): FleetSpec {
  if (typeof ref !== 'string') return ref;
  if (ref === 'demo') return demoFleet();
  if (ref === 'demo+managed') return demoFleet({ managed: true });
  const scale = /^scale:(\d+)x(\d+)(?:@(\d+))?(?:\+(\d+))?$/.exec(ref);
  if (scale) {
    const c = Number(scale[1]);
    const i = Number(scale[2]);
    const l =
      scale[3] === undefined ? SCALE_LOCATIONS.length : Number(scale[3]);
    const big = scale[4] === undefined ? undefined : Number(scale[4]);
    if (
      c < 1 ||
      i < 0 ||
      c > 10000 ||
      i > 10000 ||
      (big !== undefined && (big < 1 || big > 10000))
    ) {
      throw new Error(`Invalid scale fleet '${ref}'`);
    }
    if (l < 1 || l > SCALE_LOCATIONS.length) {
      throw new Error(
        `Invalid scale fleet '${ref}': @<account-regions> is 1 to ${SCALE_LOCATIONS.length}`,
      );
    }
    return scaleFleet(c, i, l, big);
  }
  const text = readFileSync(resolve(ref), 'utf8');
  const spec = JSON.parse(text) as FleetSpec;
  validateFleet(spec, ref);
  return spec;
}

export function validateFleet(spec: FleetSpec, source = 'fleet') {
  const fail = (msg: string) => {
    throw new Error(`${source}: ${msg}`);
  };
  if (!spec || typeof spec !== 'object') fail('must be a JSON object');
  if (typeof spec.name !== 'string') fail('"name" must be a string');
  if (!Array.isArray(spec.accounts) || spec.accounts.length === 0)
    fail('"accounts" must be a non-empty array');
  for (const a of spec.accounts) {
    if (!/^\d{12}$/.test(a.accountId))
      fail(`invalid accountId '${a.accountId}'`);
    if (!Array.isArray(a.accessKeys) || a.accessKeys.length === 0)
      fail(`account ${a.accountId} needs accessKeys`);
  }
  if (!Array.isArray(spec.clusters)) fail('"clusters" must be an array');
  const accounts = new Set(spec.accounts.map(a => a.accountId));
  for (const c of spec.clusters) {
    if (!accounts.has(c.accountId))
      fail(`cluster ${c.name}: unknown account ${c.accountId}`);
    if (typeof c.region !== 'string' || typeof c.name !== 'string')
      fail('clusters need "region" and "name"');
  }
}

/** The catalog image of a fleet's `images` entry. */
export function fleetImage(i: FleetImage): Ec2Image {
  const windows = i.platform === 'windows';
  return {
    imageId: i.imageId,
    region: i.region,
    name: i.name,
    description: i.description,
    ownerId: i.ownerId,
    isPublic: i.isPublic ?? false,
    sharedWith: i.sharedWith ?? [],
    architecture: i.architecture ?? 'x86_64',
    platform: i.platform,
    platformDetails: windows ? 'Windows' : 'Linux/UNIX',
    usageOperation: windows ? 'RunInstances:0002' : 'RunInstances',
    creationDate: i.creationDate ?? '2024-10-01T00:00:00.000Z',
    rootDeviceName: windows ? '/dev/sda1' : '/dev/xvda',
    volumeSize: 30,
    volumeType: 'gp3',
    state: 'available',
  };
}

export const DEFAULT_MANUAL_START = Date.parse('2025-01-15T12:00:00Z');

/** Builds the world described by a fleet, with tasks already RUNNING at `now`. */
export function seedFleet(
  spec: FleetSpec,
  world: World,
  scheduler: Scheduler,
  now: number,
) {
  validateFleet(spec);
  const ctxFor = (accountId: string, region: string): OperationContext => ({
    world,
    scheduler,
    state: world.region(accountId, region),
    accountId,
    region,
    now,
    principalArn: `arn:aws:iam::${accountId}:role/platform-admin`,
  });
  for (const t of spec.taskDefinitions ?? []) {
    const ctx = ctxFor(t.accountId, t.region);
    const td = registerTaskDefinition(
      ctx.state,
      t.taskDefinition,
      now - 30 * 86_400_000 + tdOffset(ctx),
    );
    td.body.registeredBy = ctx.principalArn;
  }
  for (const c of spec.clusters) {
    const state = world.region(c.accountId, c.region);
    if (state.clusters.has(c.name)) {
      throw new Error(`Duplicate cluster ${c.accountId}/${c.region}/${c.name}`);
    }
    const cluster = {
      arn: arns.cluster(c.region, c.accountId, c.name),
      name: c.name,
      accountId: c.accountId,
      region: c.region,
      status: 'ACTIVE' as const,
      tags: c.tags ?? [],
      settings: c.settings ?? [
        { name: 'containerInsights', value: 'disabled' },
      ],
      instances: new Map(),
      services: new Map(),
      tasks: new Map(),
      live: new Set<never>(),
      unpullableImages: c.unpullableImages ?? [],
      unpullableReason: c.unpullableReason,
    };
    state.clusters.set(c.name, cluster);
    let offset = 0;
    for (const instanceSpec of c.instances ?? []) {
      const created = createInstances(
        cluster,
        instanceSpec,
        world.ids,
        now - 3 * 86_400_000,
        offset,
      );
      offset += created.length;
    }
  }
  for (const c of spec.clusters) {
    const ctx = ctxFor(c.accountId, c.region);
    const cluster = ctx.state.clusters.get(c.name)!;
    for (const { startedBy, ...request } of c.startTasks ?? []) {
      for (const instance of cluster.instances.values()) {
        // An instance that cannot take the task (failures[]) simply has none, as in ECS.
        startTasks(
          ctx,
          {
            ...request,
            cluster: c.name,
            containerInstances: [instance.id],
            startedBy: startedBy ?? instance.id,
          },
          true,
        );
      }
    }
  }
  for (const c of spec.clusters) {
    const ctx = ctxFor(c.accountId, c.region);
    ctx.now = now - 7 * 86_400_000;
    for (const s of c.services ?? []) {
      const { service, cluster } = createService(
        { ...ctx },
        { ...s, cluster: c.name },
        false,
      );
      // place with tasks already running "now"
      service.deployments[0].createdAt = ctx.now;
      scheduler.reconcile(cluster, service, now, true);
    }
  }
  // Capacity providers, daemon task definitions and ECS Managed Daemons (daemons/seed.ts).
  seedDaemons(spec, world, scheduler, now);
}

function tdOffset(ctx: OperationContext): number {
  let n = 0;
  for (const list of ctx.state.taskDefinitions.values()) n += list.length;
  return n * 3_600_000;
}
