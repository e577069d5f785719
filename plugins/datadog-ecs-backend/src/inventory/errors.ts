import { InventoryError } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';

const CREDENTIAL_ERRORS = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'ExpiredTokenException',
  'ExpiredToken',
  'CredentialsProviderError',
  'IncompleteSignature',
]);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE']);

/** Turns anything thrown by an AWS call into an {@link InventoryError} the API can serve. */
export function errorAsData(error: unknown, at: Date): InventoryError {
  const e = error as { name?: string; message?: string; code?: string; cause?: { code?: string } };
  const name = e?.name;
  const message = (e?.message ?? String(error)).slice(0, 500);
  let kind: InventoryError['kind'] = 'unknown';
  if (name && CREDENTIAL_ERRORS.has(name)) kind = 'credentials';
  else if (name === 'AccessDeniedException' || name === 'AccessDenied') kind = 'access-denied';
  else if (name === 'ThrottlingException' || name === 'TooManyRequestsException') kind = 'throttled';
  else if (name === 'ClusterNotFoundException') kind = 'not-found';
  else if (
    NETWORK_CODES.has(e?.code ?? '') ||
    NETWORK_CODES.has(e?.cause?.code ?? '') ||
    name === 'TimeoutError'
  ) {
    kind = 'network';
  }
  return { kind, name, message, at: at.toISOString() };
}
