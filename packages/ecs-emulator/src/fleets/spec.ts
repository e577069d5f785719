import type { PolicyDocument } from '../iam/policy';
import { InstanceSpec } from '../model/instances';
import { Json, Tag } from '../model/types';

/** An access key of an emulated account. */
export interface FleetAccessKey {
  accessKeyId: string;
  /** When given, SigV4 signatures are verified; otherwise any signature is accepted. */
  secretAccessKey?: string;
  /** IAM user/role name reported as principal (default `emulator`). */
  principal?: string;
  /** When given, only these actions are allowed (`ecs:` prefix optional, `*` wildcards). Ignored when `policy` is set. */
  allowedActions?: string[];
  /** Actions answered with AccessDeniedException. Ignored when `policy` is set. */
  deniedActions?: string[];
  /**
   * IAM identity-based policy of this key, evaluated like AWS does for ECS
   * (explicit Deny wins, else an Allow is needed; tag-on-create needs
   * ecs:TagResource, passed roles need iam:PassRole). Replace it at run time
   * with `control.setPolicy()` or `PUT /_emulator/iam/<accessKeyId>`.
   */
  policy?: PolicyDocument;
}

export interface FleetAccount {
  accountId: string;
  accessKeys: FleetAccessKey[];
}

/** A RegisterTaskDefinition request registered in an account and region at start. */
export interface FleetTaskDefinition {
  accountId: string;
  region: string;
  /** The RegisterTaskDefinition input (family, containerDefinitions, …, tags). */
  taskDefinition: Json;
}

/** A CreateService request (without `cluster`) placed at start with tasks already RUNNING. */
export interface FleetService extends Json {
  serviceName: string;
  /** family, family:revision or ARN. */
  taskDefinition: string;
}

export interface FleetCluster {
  accountId: string;
  region: string;
  name: string;
  tags?: Tag[];
  settings?: Array<{ name: string; value: string }>;
  /** Image patterns (`*` wildcard) that fail to pull in this cluster (CannotPullContainerError). */
  unpullableImages?: string[];
  /** The network error in the pull failure message. */
  unpullableReason?: string;
  instances?: InstanceSpec[];
  /** Created in order: put services that fill instances before the daemons that should not fit. */
  services?: FleetService[];
}

export interface FleetSpec {
  name: string;
  /** Seed of generated ids (default: name). */
  seed?: string;
  /** Simulated start time (ISO string or epoch ms); default 2025-01-15T12:00:00Z in manual mode, now otherwise. */
  startTime?: string | number;
  accounts: FleetAccount[];
  taskDefinitions?: FleetTaskDefinition[];
  clusters: FleetCluster[];
}
