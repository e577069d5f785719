import { InventoryError } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';

/** What kind of failure an AWS call had (the inventory's `InventoryError.kind`, less config). */
export type AwsErrorKind = Exclude<InventoryError['kind'], 'invalid-config'>;

/** An error thrown by an AWS call, classified once for the inventory and the rollouts. */
export interface AwsErrorClass {
  kind: AwsErrorKind;
  /** The error's name, e.g. `AccessDeniedException` or EC2's `UnauthorizedOperation` (AWS's error code). */
  code?: string;
  /** Its message, at most 500 characters. */
  message: string;
  /** Whether trying again later may succeed (throttling, the network, a server-side fault). */
  retryable: boolean;
  /** Whether AWS answered (an SDK service exception), rather than something failing before or around the call. */
  fromAws: boolean;
}

const CREDENTIAL_ERRORS = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'ExpiredTokenException',
  'ExpiredToken',
  'CredentialsProviderError',
  'IncompleteSignature',
  // EC2's (Query API) name for a key or signature it does not accept.
  'AuthFailure',
]);
/** Access refused: ECS says AccessDeniedException, EC2 UnauthorizedOperation. */
const ACCESS_DENIED = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnauthorizedOperation',
]);
/** Throttling: ECS says ThrottlingException, EC2 RequestLimitExceeded. */
const THROTTLED = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
]);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EPIPE',
]);

/** Classifies anything an AWS call threw. */
export function classifyAwsError(error: unknown): AwsErrorClass {
  const e = error as {
    name?: string;
    message?: string;
    code?: string;
    cause?: { code?: string };
    $metadata?: unknown;
    $fault?: string;
    $retryable?: unknown;
  };
  const code = e?.name;
  const message = (e?.message ?? String(error)).slice(0, 500);
  let kind: AwsErrorKind = 'unknown';
  if (code && CREDENTIAL_ERRORS.has(code)) kind = 'credentials';
  else if (code && ACCESS_DENIED.has(code)) kind = 'access-denied';
  else if (code && THROTTLED.has(code)) kind = 'throttled';
  else if (
    code === 'ClusterNotFoundException' ||
    code === 'DaemonNotFoundException'
  )
    kind = 'not-found';
  else if (
    NETWORK_CODES.has(e?.code ?? '') ||
    NETWORK_CODES.has(e?.cause?.code ?? '') ||
    code === 'TimeoutError'
  ) {
    kind = 'network';
  }
  const fromAws = e?.$metadata !== undefined || /Exception$/.test(code ?? '');
  return {
    kind,
    code,
    message,
    retryable:
      kind === 'throttled' ||
      kind === 'network' ||
      e?.$fault === 'server' ||
      !!e?.$retryable,
    fromAws,
  };
}
