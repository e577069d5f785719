import { InputError } from '@backstage/errors';
import express, { NextFunction, Request, Response } from 'express';
import Router from 'express-promise-router';
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
    const type = req.headers['content-type'];
    next(
      Object.assign(
        new Error(
          `Invalid request: the body must be JSON, sent with Content-Type: application/json${
            type ? ` (got '${String(type).slice(0, 100)}')` : ' (no Content-Type was sent)'
          }`,
        ),
        { name: 'UnsupportedMediaTypeError', statusCode: 415 },
      ),
    );
    return;
  }
  next();
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
 * Names the path parameter that is not valid percent-encoding (Express reports only `Failed to
 * decode param '…'`). Install it after the routes: it finds the route whose pattern matches the
 * path and the parameter whose raw value does not decode.
 */
export function namePathDecodeErrors(router: express.Router): void {
  router.use((error: any, req: Request, _res: Response, next: NextFunction) => {
    if (!(error instanceof URIError) || (error as any).status !== 400) {
      next(error);
      return;
    }
    for (const layer of (router as any).stack ?? []) {
      if (!layer.route || !(layer.regexp instanceof RegExp)) continue;
      const match = layer.regexp.exec(req.path);
      if (!match) continue;
      for (let i = 1; i < match.length; i++) {
        try {
          if (match[i] !== undefined) decodeURIComponent(match[i]);
        } catch {
          next(
            new InputError(
              `Invalid request: path parameter '${layer.keys?.[i - 1]?.name ?? i}' is not valid percent-encoding`,
            ),
          );
          return;
        }
      }
    }
    next(new InputError('Invalid request: the path is not valid percent-encoding'));
  });
}

/**
 * A router with what every route of the plugin needs first: responses redacted, bodies JSON or
 * refused (415), at most {@link MAX_BODY}, parse errors as 400 naming the body.
 */
export function createPluginRouter(redactor: Redactor): express.Router {
  const router = Router();
  router.use(redactResponses(redactor));
  router.use(requireJsonBodies);
  router.use(express.json({ limit: MAX_BODY, type: JSON_TYPES }));
  router.use(bodyErrors);
  return router;
}
