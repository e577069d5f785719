import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { Credential, EmulatorCore } from './emulator';
import { parseQuery } from './ec2/query';
import { Json } from './model/types';
import { parseAuthorization, verifySignature } from './protocol/sigv4';
import { ec2Wire, ecsWire, Wire } from './protocol/wire';
import { CONTROL_PREFIX, handleControl } from './controlApi';
import { readBody, sendJson } from './serverIo';

export { CONTROL_PREFIX, fleetInfo } from './controlApi';

const TARGET_PREFIX = 'AmazonEC2ContainerServiceV20141113.';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/**
 * Creates the HTTP server: the ECS JSON 1.1 API (POST with X-Amz-Target), the
 * EC2 Query API (form parameters with `Action=`) and the control API under
 * /_emulator/.
 */
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

/** An EC2 Query request: `Action` in the form body (POST) or the query string (GET). */
function queryParams(req: IncomingMessage, body: Buffer) {
  const query = (req.url ?? '').split('?')[1] ?? '';
  const type = String(req.headers['content-type'] ?? '');
  const form =
    req.method === 'POST' &&
    type.startsWith('application/x-www-form-urlencoded')
      ? body.toString('utf8')
      : '';
  const params = parseQuery(query, form);
  return params.has('Action') ? params : undefined;
}

/** The JSON 1.1 input; undefined when the body is not a JSON object. */
function jsonInput(body: Buffer): Json | undefined {
  try {
    const parsed = body.length ? JSON.parse(body.toString('utf8')) : {};
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? parsed
      : undefined;
  } catch {
    return undefined;
  }
}

async function handleApi(
  core: EmulatorCore,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const body = await readBody(req);
  const requestId = core.requestId();
  const target = String(req.headers['x-amz-target'] ?? '');
  if (!target) {
    const params = queryParams(req, body);
    if (params) {
      await runCall(core, req, res, body, requestId, ec2Wire(params), (c, r) =>
        core.invokeEc2(params.get('Action')!, c, r, params),
      );
      return;
    }
  }
  if (req.method !== 'POST' || !target) {
    if (req.method === 'GET' && (req.url === '/' || req.url === '')) {
      sendJson(res, 200, {
        service: 'ecs-emulator',
        fleet: core.fleet.name,
        api: 'POST / with X-Amz-Target: AmazonEC2ContainerServiceV20141113.<Operation>',
        ec2: 'POST / with Action=DescribeImages&Version=2016-11-15 (form-encoded)',
        control: `${CONTROL_PREFIX}/`,
      });
      return;
    }
    ecsWire('', undefined).sendError(
      res,
      requestId,
      'UnknownOperationException',
      'Missing or invalid X-Amz-Target header',
      400,
    );
    return;
  }
  if (!target.startsWith(TARGET_PREFIX)) {
    ecsWire('', undefined).sendError(
      res,
      requestId,
      'UnknownOperationException',
      `Unknown target ${target}`,
      400,
    );
    return;
  }
  const operation = target.slice(TARGET_PREFIX.length);
  // Parsed before authorization: ECS authorizes the resources the request
  // names (and tags / roles it passes). A body that does not parse is
  // authorized as a request naming no resource and refused after that.
  const input = jsonInput(body);
  await runCall(
    core,
    req,
    res,
    body,
    requestId,
    ecsWire(operation, input),
    (c, r) => core.invoke(operation, c, r, input!),
  );
}

/**
 * One API call, whatever its protocol: counted, possibly reset or delayed,
 * authenticated (SigV4), authorized (IAM), throttled or failed by the fault
 * injector, then run with the request's credential and region.
 */
async function runCall(
  core: EmulatorCore,
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  requestId: string,
  wire: Wire,
  invoke: (cred: Credential, region: string) => unknown,
) {
  const { operation } = wire;
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

  const fail = ([code, message, status]: [string, string, number]) => {
    faults.count(operation, accountKey, 'errors');
    wire.sendError(res, requestId, code, message, status);
  };

  if (!auth) {
    fail(wire.missingAuthentication);
    return;
  }
  if (!cred) {
    fail(wire.unknownAccessKey);
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
    fail(wire.badSignature);
    return;
  }
  const denial = core.authorize(
    cred,
    operation,
    auth.region,
    wire.input ?? {},
    wire.service,
  );
  if (denial) {
    fail([wire.accessDenied[0], denial.message, wire.accessDenied[1]]);
    return;
  }
  if (!faults.take(operation, cred.accountId, auth.region)) {
    faults.count(operation, accountKey, 'throttled');
    const [code, message, status] = wire.throttled;
    wire.sendError(res, requestId, code, message, status);
    return;
  }
  const injected = faults.injectedError(operation);
  if (injected) {
    fail([...wire.injected(injected.status), injected.status]);
    return;
  }
  if (wire.service === 'ecs' && !wire.input) {
    fail([
      'SerializationException',
      'Start of structure or map found where not expected.',
      400,
    ]);
    return;
  }
  try {
    wire.respond(res, requestId, invoke(cred, auth.region));
  } catch (e) {
    const known = wire.asProtocolError(e);
    if (known) {
      fail([known.code, known.message, known.status]);
    } else {
      fail([
        wire.service === 'ec2' ? 'InternalError' : 'ServerException',
        `Internal error: ${(e as Error)?.message ?? String(e)}`,
        500,
      ]);
    }
  }
}
