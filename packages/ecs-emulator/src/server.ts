import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { EmulatorCore, InstanceAction } from './emulator';
import { Json } from './model/types';
import { PolicyValidationError, validatePolicyDocument } from './iam/policy';
import { EcsError } from './protocol/errors';
import { parseAuthorization, verifySignature } from './protocol/sigv4';

const TARGET_PREFIX = 'AmazonEC2ContainerServiceV20141113.';

export const CONTROL_PREFIX = '/_emulator';
const MAX_BODY = 10 * 1024 * 1024;

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

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('Request body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function sendAwsError(
  res: ServerResponse,
  requestId: string,
  code: string,
  message: string,
  status: number,
) {
  sendJson(
    res,
    status,
    { __type: code, message },
    {
      'Content-Type': 'application/x-amz-json-1.1',
      'x-amzn-RequestId': requestId,
      'x-amzn-ErrorType': code,
    },
  );
}

/** Creates the HTTP server: ECS JSON 1.1 API on POST, control API under /_emulator/. */
export function createEmulatorServer(core: EmulatorCore): Server {
  const server = createServer((req, res) => {
    const handler = (req.url ?? '/').startsWith(CONTROL_PREFIX)
      ? handleControl
      : handleApi;
    handler(core, req, res).catch(err => {
      if (!res.headersSent) {
        sendJson(res, 500, { error: String(err?.message ?? err) });
      } else {
        res.destroy();
      }
    });
  });
  server.keepAliveTimeout = 5_000;
  return server;
}

async function handleApi(
  core: EmulatorCore,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const body = await readBody(req);
  const requestId = core.requestId();
  const target = String(req.headers['x-amz-target'] ?? '');
  if (req.method !== 'POST' || !target) {
    if (req.method === 'GET' && (req.url === '/' || req.url === '')) {
      sendJson(res, 200, {
        service: 'ecs-emulator',
        fleet: core.fleet.name,
        api: 'POST / with X-Amz-Target: AmazonEC2ContainerServiceV20141113.<Operation>',
        control: `${CONTROL_PREFIX}/`,
      });
      return;
    }
    sendAwsError(
      res,
      requestId,
      'UnknownOperationException',
      'Missing or invalid X-Amz-Target header',
      400,
    );
    return;
  }
  if (!target.startsWith(TARGET_PREFIX)) {
    sendAwsError(
      res,
      requestId,
      'UnknownOperationException',
      `Unknown target ${target}`,
      400,
    );
    return;
  }
  const operation = target.slice(TARGET_PREFIX.length);
  const faults = core.faults;

  const auth = parseAuthorization(req.headers.authorization);
  const cred = auth ? core.credentials.get(auth.accessKeyId) : undefined;
  const accountKey =
    cred && auth ? `${cred.accountId}/${auth.region}` : undefined;
  faults.count(operation, accountKey, 'calls');

  if (faults.shouldReset(operation)) {
    faults.count(operation, accountKey, 'resets');
    req.socket.destroy();
    return;
  }
  const latency = faults.latency(operation);
  if (latency > 0) await sleep(latency);

  const fail = (code: string, message: string, status = 400) => {
    faults.count(operation, accountKey, 'errors');
    sendAwsError(res, requestId, code, message, status);
  };

  if (!auth) {
    fail(
      'MissingAuthenticationTokenException',
      'Missing Authentication Token',
      403,
    );
    return;
  }
  if (!cred) {
    fail(
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
      403,
    );
    return;
  }
  if (
    cred.secretAccessKey !== undefined &&
    !verifySignature(
      {
        method: req.method ?? 'POST',
        url: req.url ?? '/',
        headers: req.headers,
      },
      body,
      auth,
      cred.secretAccessKey,
    )
  ) {
    fail(
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      403,
    );
    return;
  }
  // Parsed before authorization: ECS authorizes the resources the request
  // names (and tags / roles it passes). A body that does not parse is
  // authorized as a request naming no resource and refused below.
  let input: Json | undefined;
  try {
    const parsed = body.length ? JSON.parse(body.toString('utf8')) : {};
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      input = parsed;
  } catch {
    input = undefined;
  }
  const denial = core.authorize(cred, operation, auth.region, input ?? {});
  if (denial) {
    // ECS answers AccessDeniedException with HTTP 400 on the wire (e.g.
    // "StatusCode: 400 … AccessDeniedException: User: …" in
    // github.com/keidarcy/e1s/issues/429, "statusCode": 400 in
    // github.com/pulumi/pulumi-hugo/issues/2607), although the Smithy model
    // in @aws-sdk/client-ecs declares httpError 403; the SDK picks the error
    // class from x-amzn-ErrorType / __type either way.
    fail('AccessDeniedException', denial.message, 400);
    return;
  }
  if (!faults.take(operation, cred.accountId, auth.region)) {
    faults.count(operation, accountKey, 'throttled');
    sendAwsError(res, requestId, 'ThrottlingException', 'Rate exceeded', 400);
    return;
  }
  const injected = faults.injectedError(operation);
  if (injected) {
    fail(injected.code, injected.message, injected.status);
    return;
  }
  if (!input) {
    fail(
      'SerializationException',
      'Start of structure or map found where not expected.',
    );
    return;
  }
  try {
    const output = core.invoke(operation, cred, auth.region, input);
    const text = JSON.stringify(output);
    res.writeHead(200, {
      'Content-Type': 'application/x-amz-json-1.1',
      'Content-Length': Buffer.byteLength(text),
      'x-amzn-RequestId': requestId,
    });
    res.end(text);
  } catch (e) {
    if (e instanceof EcsError) {
      fail(e.code, e.message, e.statusCode);
    } else {
      fail(
        'ServerException',
        `Internal error: ${(e as Error)?.message ?? String(e)}`,
        500,
      );
    }
  }
}

const INSTANCE_ACTIONS: InstanceAction[] = [
  'drain',
  'activate',
  'disconnect',
  'reconnect',
  'deregister',
];

async function handleControl(
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

function routeControl(
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
