import { IncomingMessage, ServerResponse } from 'node:http';
import { EmulatorCore, InstanceAction } from './emulator';
import { Json } from './model/types';
import { PolicyValidationError, validatePolicyDocument } from './iam/policy';
import { EcsError } from './protocol/errors';
import { readBody, sendJson } from './serverIo';

/** The control API's path prefix: `/_emulator/…` (see README "Control API"). */
export const CONTROL_PREFIX = '/_emulator';

/** A control API error with its HTTP status. */
class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

const INSTANCE_ACTIONS: InstanceAction[] = [
  'drain',
  'activate',
  'disconnect',
  'reconnect',
  'deregister',
];

/** Serves one control API request (a path under {@link CONTROL_PREFIX}). */
export async function handleControl(
  core: EmulatorCore,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path =
    url.pathname.slice(CONTROL_PREFIX.length).replace(/\/+$/, '') || '/';
  const method = req.method ?? 'GET';
  const raw = await readBody(req);
  let body: Json = {};
  if (raw.length) {
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      sendJson(res, 400, { error: 'Body must be JSON' });
      return;
    }
  }
  try {
    const result = routeControl(core, method, path, body, url.searchParams);
    if (result === undefined) {
      sendJson(res, 404, {
        error: `No control endpoint ${method} ${CONTROL_PREFIX}${path}`,
      });
    } else {
      sendJson(res, 200, result);
    }
  } catch (e) {
    sendJson(res, e instanceof ControlError ? e.status : 400, {
      error: (e as Error)?.message ?? String(e),
      code: (e as EcsError | PolicyValidationError | ControlError)?.code,
    });
  }
}

function clockInfo(core: EmulatorCore) {
  const now = core.clock.now();
  return {
    mode: core.clock.mode,
    speed: core.clock.speed,
    now,
    iso: new Date(now).toISOString(),
  };
}

export function fleetInfo(core: EmulatorCore) {
  return {
    name: core.fleet.name,
    accounts: core.fleet.accounts.map(a => ({
      accountId: a.accountId,
      accessKeys: a.accessKeys.map(k => ({
        accessKeyId: k.accessKeyId,
        secretAccessKey: k.secretAccessKey,
        allowedActions: k.allowedActions,
        deniedActions: k.deniedActions,
        policy: core.credentials.get(k.accessKeyId)?.policy,
      })),
    })),
    clusters: core.fleet.clusters.map(c => ({
      accountId: c.accountId,
      region: c.region,
      name: c.name,
    })),
  };
}

function iamInfo(core: EmulatorCore, accessKeyId: string) {
  const cred = core.credentials.get(accessKeyId);
  if (!cred) {
    throw new ControlError(404, `Unknown access key ${accessKeyId}`);
  }
  return {
    accessKeyId,
    accountId: cred.accountId,
    principalArn: core.principalArn(cred),
    policy: cred.policy ?? null,
    allowedActions: cred.allowedActions,
    deniedActions: cred.deniedActions,
  };
}

/** GET / PUT (body = policy document) / DELETE /_emulator/iam/<accessKeyId> */
function routeIam(
  core: EmulatorCore,
  method: string,
  accessKeyId: string,
  body: Json,
) {
  iamInfo(core, accessKeyId); // 404 for an unknown key
  if (method === 'PUT') {
    // validated here too: a JSON `null` body is malformed, not a removal
    core.setPolicy(accessKeyId, validatePolicyDocument(body));
  }
  if (method === 'DELETE') core.setPolicy(accessKeyId, undefined);
  return iamInfo(core, accessKeyId);
}

export function routeControl(
  core: EmulatorCore,
  method: string,
  path: string,
  body: Json,
  query: URLSearchParams,
): unknown {
  const route = `${method} ${path}`;
  switch (route) {
    case 'GET /':
    case 'GET /health':
      return { ok: true, fleet: core.fleet.name, clock: clockInfo(core) };
    case 'GET /fleet':
      return fleetInfo(core);
    case 'GET /counters':
      return core.faults.getCounters();
    case 'POST /counters/reset':
      core.faults.resetCounters();
      return core.faults.getCounters();
    case 'GET /faults':
      return core.faults.get();
    case 'PUT /faults':
    case 'POST /faults':
      core.faults.set(body);
      return core.faults.get();
    case 'PATCH /faults':
      core.faults.merge(body);
      return core.faults.get();
    case 'GET /clock':
      core.sync();
      return clockInfo(core);
    case 'POST /clock/advance': {
      const ms = Number(body.ms ?? query.get('ms'));
      core.advance(ms);
      return clockInfo(core);
    }
    case 'GET /state':
      return core.dump({
        accountId: query.get('accountId') ?? undefined,
        region: query.get('region') ?? undefined,
      });
    case 'POST /instances/join':
      return { containerInstanceArns: core.joinInstances(body as never) };
    case 'GET /iam':
      return {
        accessKeys: [...core.credentials.values()].map(c =>
          iamInfo(core, c.accessKeyId),
        ),
      };
    default: {
      const iam = /^(GET|PUT|DELETE) \/iam\/([^/]+)$/.exec(route);
      if (iam) return routeIam(core, iam[1], decodeURIComponent(iam[2]), body);
      const m = /^POST \/instances\/([a-z]+)$/.exec(route);
      if (m && INSTANCE_ACTIONS.includes(m[1] as InstanceAction)) {
        return core.instanceAction(m[1] as InstanceAction, body as never);
      }
      return undefined;
    }
  }
}
