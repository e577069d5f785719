import { ECSServiceException } from '@aws-sdk/client-ecs';
import { errorAsData } from './errors';

const AT = new Date('2026-01-15T10:00:00Z');

function awsError(name: string, message = `${name} happened`) {
  return new ECSServiceException({
    name,
    $fault: 'client',
    $metadata: {},
    message,
  });
}

describe('errorAsData', () => {
  it.each([
    ['UnrecognizedClientException', 'credentials'],
    ['InvalidSignatureException', 'credentials'],
    ['ExpiredTokenException', 'credentials'],
    ['CredentialsProviderError', 'credentials'],
    ['AccessDeniedException', 'access-denied'],
    ['AccessDenied', 'access-denied'],
    ['ThrottlingException', 'throttled'],
    ['ClusterNotFoundException', 'not-found'],
    ['TimeoutError', 'network'],
    ['ServerException', 'unknown'],
  ])('%s is %s', (name, kind) => {
    expect(errorAsData(awsError(name), AT)).toEqual({
      kind,
      name,
      message: `${name} happened`,
      at: '2026-01-15T10:00:00.000Z',
    });
  });

  it('recognises network errors by their code or their cause', () => {
    const refused = Object.assign(
      new Error('connect ECONNREFUSED 127.0.0.1:4510'),
      {
        code: 'ECONNREFUSED',
      },
    );
    expect(errorAsData(refused, AT).kind).toBe('network');
    const wrapped = new Error('socket hang up', {
      cause: { code: 'ECONNRESET' },
    });
    expect(errorAsData(wrapped, AT).kind).toBe('network');
  });

  it('keeps non-errors and long messages servable', () => {
    expect(errorAsData('boom', AT)).toEqual({
      kind: 'unknown',
      name: undefined,
      message: 'boom',
      at: AT.toISOString(),
    });
    expect(errorAsData(new Error('x'.repeat(2000)), AT).message).toHaveLength(
      500,
    );
  });
});
