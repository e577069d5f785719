import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { EmulatorCore } from './emulator';
import { Json } from './model/types';
import { EcsError } from './protocol/errors';
import { parseAuthorization, verifySignature } from './protocol/sigv4';
import { CONTROL_PREFIX, handleControl } from './controlApi';
import { readBody, sendJson } from './serverIo';

export { CONTROL_PREFIX, fleetInfo } from './controlApi';

const TARGET_PREFIX = 'AmazonEC2ContainerServiceV20141113.';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

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
