import { randomUUID } from 'node:crypto';
import { SimClock, ClockOptions } from './clock';
import {
  DEFAULT_MANUAL_START,
  fleetImage,
  FleetRef,
  FleetSpec,
  resolveFleet,
  seedFleet,
} from './fleets';
import { instanceSpecFor } from './daemons/capacityProviders';
import { createInstances, InstanceSpec } from './model/instances';
import {
  AccessDenial,
  authorizeCall,
  AwsService,
  Credential,
  principalArn,
} from './iam/authorize';
import { PolicyDocument, validatePolicyDocument } from './iam/policy';
import { ImageCatalog } from './ec2/catalog';
import { invokeEc2 } from './ec2';
import { ec2Errors } from './ec2/errors';
import { QueryParams, XmlValue } from './ec2/query';
import { Cluster, ContainerInstance, Json } from './model/types';
import { getCluster, World } from './model/world';
import { idOf, OperationContext } from './operations/common';
import { operations } from './operations';
import { EcsError } from './protocol/errors';
import { FaultInjector, FaultOptions } from './protocol/faults';
import { DEFAULT_TIMINGS, DRAIN_REASON, Scheduler, Timings } from './scheduler';
import { serializeCluster } from './operations/serialize';

export type { AccessDenial, AwsService, Credential } from './iam/authorize';

/** @public */
export interface EmulatorOptions {
  fleet?: FleetRef;
  clock?: ClockOptions;
  faults?: FaultOptions;
  timings?: Partial<Timings>;
  /** Policies by access key id, applied at start (override FleetAccessKey.policy). */
  policies?: Record<string, PolicyDocument>;
}

/** @public */
export interface InstanceTarget {
  accountId: string;
  region: string;
  cluster: string;
  /** Container instance id or ARN, or EC2 / managed instance id. */
  containerInstance: string;
}

/** @public */
export type InstanceAction =
  | 'drain'
  | 'activate'
  | 'disconnect'
  | 'reconnect'
  | 'deregister';

/**
 * State, clock, scheduler and faults; transport independent.
 *
 * @public
 */
export class EmulatorCore {
  /** @internal The state model (accounts, regions, clusters, …). */
  readonly world: World;
  /** @internal */
  readonly scheduler: Scheduler;
  /** @internal */
  readonly clock: SimClock;
  /** @internal */
  readonly faults: FaultInjector;
  readonly fleet: FleetSpec;
  readonly credentials = new Map<string, Credential>();
  /** @internal The AMIs EC2 DescribeImages answers with, by region. */
  readonly images = new ImageCatalog();

  constructor(options: EmulatorOptions = {}) {
    this.fleet = resolveFleet(options.fleet ?? 'demo');
    const clockOptions: ClockOptions = options.clock ?? { mode: 'manual' };
    const st = this.fleet.startTime;
    let fleetStart: number | undefined;
    if (st !== undefined) {
      fleetStart = typeof st === 'number' ? st : Date.parse(st);
    }
    const defaultStart =
      fleetStart ??
      (clockOptions.mode === 'manual'
        ? DEFAULT_MANUAL_START
        : Math.floor(Date.now() / 1000) * 1000);
    this.clock = new SimClock(clockOptions, defaultStart);
    this.world = new World(this.fleet.seed ?? this.fleet.name);
    this.scheduler = new Scheduler(
      this.world,
      { ...DEFAULT_TIMINGS, ...options.timings },
      this.clock.now(),
    );
    this.faults = new FaultInjector(options.faults ?? {});
    for (const a of this.fleet.accounts) {
      for (const k of a.accessKeys) {
        this.credentials.set(k.accessKeyId, {
          accountId: a.accountId,
          accessKeyId: k.accessKeyId,
          secretAccessKey: k.secretAccessKey,
          principal: k.principal ?? 'emulator',
          allowedActions: k.allowedActions,
          deniedActions: k.deniedActions,
        });
      }
    }
    const policies: Array<[string, PolicyDocument]> = [
      ...this.fleet.accounts.flatMap(a =>
        a.accessKeys
          .filter(k => k.policy !== undefined)
          .map(k => [k.accessKeyId, k.policy!] as [string, PolicyDocument]),
      ),
      ...Object.entries(options.policies ?? {}),
    ];
    for (const [id, policy] of policies) {
      try {
        this.setPolicy(id, policy);
      } catch (e) {
        throw new Error(
          `Policy of access key ${id}: ${(e as Error).message ?? String(e)}`,
        );
      }
    }
    for (const image of this.fleet.images ?? []) {
      this.images.add(fleetImage(image));
    }
    seedFleet(this.fleet, this.world, this.scheduler, this.clock.now());
    this.scheduler.publishClusterCounts(this.clock.now());
  }

  /** Brings the simulation up to the clock. */
  sync() {
    this.scheduler.advanceTo(this.clock.now());
  }

  advance(ms: number) {
    this.clock.advance(ms);
    this.sync();
  }

  private credential(accessKeyId: string): Credential {
    const cred = this.credentials.get(accessKeyId);
    if (!cred) {
      throw new Error(
        `Access key ${accessKeyId} is not part of fleet ${this.fleet.name}`,
      );
    }
    return cred;
  }

  /**
   * Gives an access key an IAM policy (validated; throws a
   * PolicyValidationError when malformed), or removes it with `undefined`
   * (the key falls back to allowedActions/deniedActions, else unrestricted).
   */
  setPolicy(
    accessKeyId: string,
    policy: PolicyDocument | undefined,
  ): PolicyDocument | undefined {
    const cred = this.credential(accessKeyId);
    cred.policy =
      policy === undefined || policy === null
        ? undefined
        : validatePolicyDocument(policy);
    return this.getPolicy(accessKeyId);
  }

  getPolicy(accessKeyId: string): PolicyDocument | undefined {
    const policy = this.credential(accessKeyId).policy;
    return policy === undefined ? undefined : structuredClone(policy);
  }

  /**
   * Decides an API call like the service does (see iam/authorize.ts): the
   * first denial, or undefined when the call is allowed.
   */
  authorize(
    cred: Credential,
    operation: string,
    region: string,
    input: Json = {},
    service: AwsService = 'ecs',
  ): AccessDenial | undefined {
    return authorizeCall(cred, {
      service,
      operation,
      region,
      input,
      state: this.world.region(cred.accountId, region),
    });
  }

  isAllowed(
    cred: Credential,
    operation: string,
    region = 'us-east-1',
    input: Json = {},
  ): boolean {
    return this.authorize(cred, operation, region, input) === undefined;
  }

  principalArn(cred: Credential) {
    return principalArn(cred);
  }

  /** Runs one ECS operation (after authentication). */
  invoke(
    operation: string,
    cred: Credential,
    region: string,
    input: Json,
  ): Json {
    const handler = operations[operation];
    if (!handler) {
      throw new EcsError(
        'UnknownOperationException',
        `Unknown operation ${operation}`,
      );
    }
    this.sync();
    const ctx: OperationContext = {
      world: this.world,
      scheduler: this.scheduler,
      state: this.world.region(cred.accountId, region),
      accountId: cred.accountId,
      region,
      now: this.clock.now(),
      principalArn: this.principalArn(cred),
    };
    return handler(ctx, input);
  }

  /** @internal Runs one EC2 Query action (after authentication); the response's elements. */
  invokeEc2(
    action: string,
    cred: Credential,
    region: string,
    params: QueryParams,
  ): Record<string, XmlValue> {
    if (params.get('DryRun') === 'true') throw ec2Errors.dryRun();
    this.sync();
    return invokeEc2(action, params, {
      accountId: cred.accountId,
      region,
      now: this.clock.now(),
      images: this.images,
    });
  }

  private cluster(accountId: string, region: string, cluster: string): Cluster {
    return getCluster(this.world.region(accountId, region), cluster);
  }

  /** @internal */
  findInstance(t: InstanceTarget): {
    cluster: Cluster;
    instance: ContainerInstance;
  } {
    const cluster = this.cluster(t.accountId, t.region, t.cluster);
    const ref = t.containerInstance;
    const instance =
      cluster.instances.get(idOf(ref)) ??
      [...cluster.instances.values()].find(
        i => i.ec2InstanceId === ref || i.arn === ref,
      );
    if (!instance) {
      throw new EcsError(
        'InvalidParameterException',
        `Container instance ${ref} not found.`,
      );
    }
    return { cluster, instance };
  }

  /** Registers new container instances; daemons place on them at the next tick. */
  joinInstances(
    t: { accountId: string; region: string; cluster: string } & InstanceSpec,
  ): string[] {
    this.sync();
    const { accountId, region, cluster: name, ...spec } = t;
    const cluster = this.cluster(accountId, region, name);
    const created = createInstances(
      cluster,
      // A Managed Instances capacity provider's instances are launched as it defines them.
      instanceSpecFor(this.world.region(accountId, region), spec),
      this.world.ids,
      this.clock.now(),
      cluster.instances.size,
    );
    return created.map(i => i.arn);
  }

  instanceAction(action: InstanceAction, t: InstanceTarget): Json {
    this.sync();
    const { cluster, instance } = this.findInstance(t);
    const now = this.clock.now();
    switch (action) {
      case 'drain':
        instance.status = 'DRAINING';
        break;
      case 'activate':
        instance.status = 'ACTIVE';
        break;
      case 'disconnect':
        instance.agentConnected = false;
        break;
      case 'reconnect':
        instance.agentConnected = true;
        break;
      case 'deregister':
        instance.status = 'INACTIVE';
        for (const task of [...instance.tasks]) {
          this.scheduler.stopTask(task, DRAIN_REASON, now);
        }
        break;
      default:
        throw new EcsError(
          'InvalidParameterException',
          `Unknown action ${String(action)}`,
        );
    }
    instance.version++;
    this.scheduler.tickCluster(cluster, now);
    return {
      containerInstanceArn: instance.arn,
      status: instance.status,
      agentConnected: instance.agentConnected,
    };
  }

  /** A compact view of the state for debugging and demos. */
  dump(filter: { accountId?: string; region?: string } = {}): Json {
    this.sync();
    const out: Json[] = [];
    for (const state of this.world.regions.values()) {
      if (filter.accountId && state.accountId !== filter.accountId) continue;
      if (filter.region && state.region !== filter.region) continue;
      for (const c of state.clusters.values()) {
        out.push({
          accountId: c.accountId,
          region: c.region,
          ...serializeCluster(c, [], { live: true }),
          instances: [...c.instances.values()].map(i => ({
            id: i.id,
            ec2InstanceId: i.ec2InstanceId,
            status: i.status,
            agentConnected: i.agentConnected,
            instanceType: i.attrMap.get('ecs.instance-type'),
            osFamily: i.attrMap.get('ecs.os-family'),
            tasks: [...i.tasks].map(
              x => `${x.serviceName ?? x.group}:${x.lastStatus}`,
            ),
          })),
          services: [...c.services.values()].map(s => ({
            name: s.name,
            schedulingStrategy: s.schedulingStrategy,
            taskDefinition: s.taskDefinition.arn,
            desiredCount: s.desiredCount,
            runningCount: s.deployments.reduce((n, d) => n + d.runningCount, 0),
            deployments: s.deployments.map(d => ({
              id: d.id,
              status: d.status,
              rolloutState: d.rolloutState,
            })),
            lastEvent: s.events[0]?.message,
          })),
        });
      }
    }
    return { now: new Date(this.clock.now()).toISOString(), clusters: out };
  }

  requestId() {
    return randomUUID();
  }
}
