import { ResponseError } from '@backstage/errors';
import { errorFieldsOf } from './errors';

const failed = (status: number, error: Record<string, unknown>) =>
  ResponseError.fromResponse(
    new Response(
      JSON.stringify({ error, request: { method: 'POST', url: '/x' }, response: { statusCode: status } }),
      { status, headers: { 'content-type': 'application/json' } },
    ) as any,
  );

describe('errorFieldsOf', () => {
  it('reads the documented fields off a ResponseError', async () => {
    expect(
      errorFieldsOf(
        await failed(409, {
          name: 'ConflictError',
          message: 'The cluster already has an active rollout',
          activeRolloutId: '7b0c2f9e-4a1d-4e3b-9c8a-5d6e7f8a9b0c',
        }),
      ),
    ).toEqual({ activeRolloutId: '7b0c2f9e-4a1d-4e3b-9c8a-5d6e7f8a9b0c' });
    expect(
      errorFieldsOf(await failed(400, { name: 'InputError', message: 'NPM (rule npm-linux-only)', rule: 'npm-linux-only' })),
    ).toEqual({ rule: 'npm-linux-only' });
    expect(
      errorFieldsOf(
        await failed(429, {
          name: 'TooManyRequestsError',
          message: 'later',
          retryAfterSeconds: 30,
          nextAllowedAt: '2026-01-15T10:00:30.000Z',
          statusCode: 429,
        }),
      ),
    ).toEqual({ retryAfterSeconds: 30, nextAllowedAt: '2026-01-15T10:00:30.000Z' });
  });

  it('never reads the message, and leaves fields of the wrong type out', async () => {
    expect(
      errorFieldsOf(
        await failed(409, {
          name: 'ConflictError',
          message: 'The cluster already has an active rollout: r-9, started by sam (rule x)',
          retryAfterSeconds: '30',
        }),
      ),
    ).toEqual({});
    expect(errorFieldsOf(new Error('active rollout: r-9'))).toEqual({});
    expect(errorFieldsOf(undefined)).toEqual({});
    expect(errorFieldsOf('rule npm-linux-only')).toEqual({});
  });

  it('reads the fields an error carries itself', () => {
    expect(errorFieldsOf(Object.assign(new Error('x'), { rule: 'npm-linux-only' }))).toEqual({
      rule: 'npm-linux-only',
    });
  });
});
