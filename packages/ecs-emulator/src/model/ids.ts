import { createHash } from 'node:crypto';

/**
 * Deterministic identifier source: the same fleet and the same sequence of
 * API calls always yield the same task, instance and deployment ids.
 */
export class IdGenerator {
  private counter = 0;

  constructor(private readonly seed: string) {}

  private next(purpose: string): Buffer {
    this.counter += 1;
    return createHash('sha256')
      .update(`${this.seed}/${purpose}/${this.counter}`)
      .digest();
  }

  hex(length: number, purpose = 'hex'): string {
    let out = '';
    while (out.length < length) {
      out += this.next(purpose).toString('hex');
    }
    return out.slice(0, length);
  }

  digits(length: number, purpose = 'digits'): string {
    const bytes = this.next(purpose);
    let out = '';
    for (let i = 0; out.length < length; i++) {
      out += String(bytes[i % bytes.length] % 10);
      if (i === 0 && out === '0') {
        out = '1';
      }
    }
    return out;
  }

  alnum(length: number, purpose = 'alnum'): string {
    const alphabet =
      'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    const bytes = this.next(purpose);
    let out = '';
    for (let i = 0; i < length; i++) {
      out += alphabet[bytes[i % bytes.length] % alphabet.length];
    }
    return out;
  }

  uuid(purpose = 'uuid'): string {
    const h = this.hex(32, purpose);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(
      17,
      20,
    )}-${h.slice(20, 32)}`;
  }

  /** A number in [0, 1) derived from the seed and a key (stateless). */
  static fraction(seed: string, key: string): number {
    const b = createHash('sha256').update(`${seed}/${key}`).digest();
    return b.readUInt32BE(0) / 0x100000000;
  }
}

/** The ARN builder of something that belongs to a service: `<type>/<cluster>/<service>/<id>`. */
function underService(type: string) {
  return (
    region: string,
    account: string,
    cluster: string,
    service: string,
    id: string,
  ) => `arn:aws:ecs:${region}:${account}:${type}/${cluster}/${service}/${id}`;
}

export const arns = {
  cluster: (region: string, account: string, name: string) =>
    `arn:aws:ecs:${region}:${account}:cluster/${name}`,
  service: (region: string, account: string, cluster: string, name: string) =>
    `arn:aws:ecs:${region}:${account}:service/${cluster}/${name}`,
  task: (region: string, account: string, cluster: string, id: string) =>
    `arn:aws:ecs:${region}:${account}:task/${cluster}/${id}`,
  containerInstance: (
    region: string,
    account: string,
    cluster: string,
    id: string,
  ) => `arn:aws:ecs:${region}:${account}:container-instance/${cluster}/${id}`,
  taskDefinition: (
    region: string,
    account: string,
    family: string,
    revision: number,
  ) => `arn:aws:ecs:${region}:${account}:task-definition/${family}:${revision}`,
  container: (
    region: string,
    account: string,
    cluster: string,
    taskId: string,
    id: string,
  ) => `arn:aws:ecs:${region}:${account}:container/${cluster}/${taskId}/${id}`,
  serviceDeployment: underService('service-deployment'),
  serviceRevision: underService('service-revision'),
};

/** Parses `arn:aws:ecs:<region>:<account>:<resource>` (undefined when not an ECS ARN). */
export function parseEcsArn(
  arn: string,
):
  | { region: string; account: string; resourceType: string; parts: string[] }
  | undefined {
  const m = /^arn:aws[a-z-]*:ecs:([a-z0-9-]+):(\d{12}):([a-z-]+)\/(.+)$/.exec(
    arn,
  );
  if (!m) {
    return undefined;
  }
  return {
    region: m[1],
    account: m[2],
    resourceType: m[3],
    parts: m[4].split('/'),
  };
}
