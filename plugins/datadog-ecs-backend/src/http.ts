import { InputError } from '@backstage/errors';
import express, {
  ErrorRequestHandler,
  NextFunction,
  Request,
  RequestHandler,
  Response,
} from 'express';
import { Redactor, redactResponses } from './redaction';

/** The largest JSON body a route accepts. */
export const MAX_BODY = '100kb';

const JSON_TYPES = ['application/json', 'application/*+json'];

const hasBody = (req: Request) =>
  req.headers['transfer-encoding'] !== undefined ||
  (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');

/** 415 for a mutating request whose body is not JSON; an empty body needs no content type. */
function requireJsonBodies(req: Request, _res: Response, next: NextFunction) {
  if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(req.method) || !hasBody(req)) {
    next();
    return;
  }
  // JSON between systems is UTF-8 (RFC 8259 §8.1); body-parser would also decode UTF-16 and UTF-32.
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(String(req.headers['content-type'] ?? ''))?.[1];
  if (req.is(JSON_TYPES) && charset !== undefined && !['utf-8', 'utf8'].includes(charset.toLowerCase())) {
    next(
      Object.assign(
        new Error(
          `Invalid request: the body must be UTF-8 JSON, sent with Content-Type: application/json (got charset '${charset.slice(
            0,
            40,
          )}')`,
        ),
        { name: 'UnsupportedMediaTypeError', statusCode: 415 },
      ),
    );
    return;
  }
  if (!req.is(JSON_TYPES)) {
    next(notJsonError(req));
    return;
  }
  next();
}

/** The 415 of a body that is not JSON. */
export function notJsonError(req: Request): Error {
  const type = req.headers['content-type'];
  return Object.assign(
    new Error(
      `Invalid request: the body must be JSON, sent with Content-Type: application/json${
        type ? ` (got '${String(type).slice(0, 100)}')` : ' (no Content-Type was sent)'
      }`,
    ),
    { name: 'UnsupportedMediaTypeError', statusCode: 415 },
  );
}

/** body-parser's errors, reworded to name the body; anything else passes on untouched. */
function bodyErrors(error: any, _req: Request, _res: Response, next: NextFunction) {
  switch (error?.type) {
    case 'entity.parse.failed':
      next(new InputError(`Invalid request: the body is not valid JSON (${error.message})`));
      return;
    case 'entity.too.large':
      next(
        Object.assign(new Error(`Invalid request: the body is larger than ${MAX_BODY}`), {
          name: 'PayloadTooLargeError',
          statusCode: 413,
        }),
      );
      return;
    case 'encoding.unsupported':
    case 'charset.unsupported':
      next(
        Object.assign(new Error(`Invalid request: the body must be UTF-8 JSON (${error.message})`), {
          name: 'UnsupportedMediaTypeError',
          statusCode: 415,
        }),
      );
      return;
    case 'request.aborted':
    case 'request.size.invalid':
      next(new InputError(`Invalid request: the body was incomplete (${error.message})`));
      return;
    default:
      next(error);
  }
}

/**
 * The name of the path parameter whose raw value is not valid percent-encoding, found among the
 * routes of `router` whose pattern matches `path`; undefined when none is.
 */
export function undecodablePathParameter(router: express.Router, path: string): string | undefined {
  for (const layer of (router as unknown as { stack: RouteLayer[] }).stack ?? []) {
    if (!layer.route || !(layer.regexp instanceof RegExp)) continue;
    const match = layer.regexp.exec(path);
    if (!match) continue;
    for (let i = 1; i < match.length; i++) {
      try {
        if (match[i] !== undefined) decodeURIComponent(match[i]);
      } catch {
        return String(layer.keys?.[i - 1]?.name ?? i);
      }
    }
  }
  return undefined;
}

interface RouteLayer {
  route?: unknown;
  regexp?: RegExp;
  keys?: Array<{ name: string | number }>;
}

/** Sets the `Retry-After` header of an error that says how long to wait (`retryAfterSeconds`). */
function retryAfterHeader(error: any, _req: Request, res: Response, next: NextFunction) {
  const seconds = error?.retryAfterSeconds;
  if (typeof seconds === 'number' && !res.headersSent) res.setHeader('Retry-After', String(seconds));
  next(error);
}

/**
 * What every route of the plugin needs first, in order: responses redacted, bodies JSON or refused
 * (415), at most {@link MAX_BODY}, parse errors as 400 naming the body. The OpenAPI router installs
 * it before its request validation.
 */
export function pluginMiddleware(redactor: Redactor): RequestHandler[] {
  return [
    redactResponses(redactor),
    requireJsonBodies,
    express.json({ limit: MAX_BODY, type: JSON_TYPES }),
    // An error handler among the handlers: express tells them apart by their four parameters.
    bodyErrors as unknown as RequestHandler,
  ];
}

/** What every route's errors need last, after the routes: the headers an error asks for. */
export function pluginErrorMiddleware(): ErrorRequestHandler[] {
  return [retryAfterHeader];
}
