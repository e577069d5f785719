import { ResponseError } from '@backstage/errors';

/** The HTTP status of a failed API call, when it was one. */
export function statusCodeOf(error: unknown): number | undefined {
  if (error instanceof ResponseError) return error.statusCode;
  const e = error as
    | { statusCode?: unknown; response?: { status?: unknown } }
    | undefined;
  if (typeof e?.statusCode === 'number') return e.statusCode;
  if (typeof e?.response?.status === 'number') return e.response.status;
  return undefined;
}

/**
 * When a rate-limited `POST /refresh` may be retried: from the error body (`nextAllowedAt`), the
 * `Retry-After` header, or undefined.
 */
export function nextAllowedAtOf(
  error: unknown,
  now = Date.now(),
): string | undefined {
  if (!(error instanceof ResponseError)) return undefined;
  const body = error.body as unknown as {
    nextAllowedAt?: string;
    error?: { nextAllowedAt?: string };
  };
  const fromBody = body?.nextAllowedAt ?? body?.error?.nextAllowedAt;
  if (typeof fromBody === 'string') return fromBody;
  const retryAfter = error.response.headers.get('retry-after');
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds))
      return new Date(now + seconds * 1000).toISOString();
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return new Date(date).toISOString();
  }
  return undefined;
}
