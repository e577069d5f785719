import { EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient } from '@aws-sdk/client-ecs';
import { request } from 'node:http';
import {
  EcsEmulator,
  startEcsEmulator,
  StartEcsEmulatorOptions,
} from '../index';

export const PROD = '111111111111';
export const STAGING = '222222222222';

/**
 * Starts an emulator (manual clock; the demo fleet with its Managed Instances clusters,
 * `demo+managed`) and builds SDK clients for it.
 */
export async function setupEmulator(options: StartEcsEmulatorOptions = {}) {
  const emu: EcsEmulator = await startEcsEmulator({
    fleet: 'demo+managed',
    port: 0,
    clock: { mode: 'manual' },
    ...options,
  });
  const clients: Array<ECSClient | EC2Client> = [];
  const client = (
    accountId = PROD,
    region = 'us-east-1',
    extra: {
      maxAttempts?: number;
      retryMode?: 'standard' | 'adaptive';
      accessKeyId?: string;
      secretAccessKey?: string;
    } = {},
  ) => {
    const config = emu.clientConfig({
      accountId,
      region,
      maxAttempts: extra.maxAttempts ?? 1,
      retryMode: extra.retryMode,
      accessKeyId: extra.accessKeyId,
    });
    if (extra.secretAccessKey)
      config.credentials.secretAccessKey = extra.secretAccessKey;
    const c = new ECSClient(config);
    clients.push(c);
    return c;
  };
  /** An EC2 client on the same endpoint (the emulator answers EC2's Query API too). */
  const ec2 = (
    accountId = PROD,
    region = 'us-east-1',
    extra: { maxAttempts?: number; accessKeyId?: string } = {},
  ) => {
    const c = new EC2Client(
      emu.clientConfig({
        accountId,
        region,
        maxAttempts: extra.maxAttempts ?? 1,
        accessKeyId: extra.accessKeyId,
      }),
    );
    clients.push(c);
    return c;
  };
  const stop = async () => {
    clients.forEach(c => c.destroy());
    await emu.stop();
  };
  return { emu, client, ec2, stop };
}

/** Advances the simulated clock in steps. */
export function advance(emu: EcsEmulator, ms: number) {
  emu.control.advance(ms);
}

/** A call to the emulator's control API (a string body is sent as is, anything else as JSON). */
export function controlCall(
  url: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}${path}`,
      { method, agent: false, headers: { 'content-type': 'application/json' } },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            json: JSON.parse(Buffer.concat(chunks).toString() || 'null'),
          }),
        );
      },
    );
    req.on('error', reject);
    let text: string | undefined;
    if (typeof body === 'string') text = body;
    else if (body !== undefined) text = JSON.stringify(body);
    req.end(text);
  });
}
