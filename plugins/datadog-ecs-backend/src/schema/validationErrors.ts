import { InputError } from '@backstage/errors';
import { ErrorRequestHandler, Request, Router } from 'express';
import { notJsonError, undecodablePathParameter } from '../http';
import { DocumentNode, resolveRef } from './document';

type Node = DocumentNode;

/** What express-openapi-validator throws: `errors[].path` is e.g. `/body/features/apm`. */
interface ValidatorError {
  status: number;
  message: string;
  errors: Array<{ path: string; message: string; errorCode?: string }>;
}

const isValidatorError = (error: unknown): error is ValidatorError =>
  error instanceof Error &&
  typeof (error as any).status === 'number' &&
  Array.isArray((error as any).errors) &&
  (error as any).statusCode === undefined;

/** The keywords whose failure the schema's `x-error-message` words (not `type`, `required`, …). */
const CONSTRAINTS = new Set([
  'pattern',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'enum',
  'const',
  'format',
  'minimum',
  'maximum',
]);

/** The most problems one 400 lists. */
const MAX_PROBLEMS = 10;

const WHERE: Record<string, { where: string; noun: string }> = {
  body: { where: 'body', noun: 'field' },
  query: { where: 'query', noun: 'parameter' },
  params: { where: 'path', noun: 'parameter' },
  headers: { where: 'header', noun: 'parameter' },
};

/** The schema a validator error path such as `/body/tags/0` points at, in the operation. */
function schemaAt(doc: Node, req: Request, segments: string[]): Node | undefined {
  const route = (req as any).openapi?.openApiRoute as string | undefined;
  const operation = route ? resolveRef(doc, doc.paths?.[route]?.[req.method.toLowerCase()]) : undefined;
  if (!operation) return undefined;
  const [location, first, ...rest] = segments;
  let schema: Node | undefined;
  if (location === 'body') {
    schema = resolveRef(doc, operation.requestBody)?.content?.['application/json']?.schema;
    if (first !== undefined) rest.unshift(first);
  } else {
    const inName = { query: 'query', params: 'path', headers: 'header' }[location];
    const parameter = (operation.parameters ?? [])
      .map((p: Node) => resolveRef(doc, p))
      .find((p: Node | undefined) => p?.in === inName && p?.name === first);
    schema = parameter?.schema;
  }
  for (const segment of rest) {
    const s = resolveRef(doc, schema);
    schema = /^\d+$/.test(segment) && s?.items ? s.items : s?.properties?.[segment];
  }
  return resolveRef(doc, schema);
}

/** One of the validator's errors in the plugin's words. */
function describe(
  doc: Node,
  router: Router,
  req: Request,
  item: ValidatorError['errors'][number],
): string {
  if (/^malformed uri/.test(item.message)) {
    const name = undecodablePathParameter(router, req.path);
    return name
      ? `path parameter '${name}' is not valid percent-encoding`
      : 'the path is not valid percent-encoding';
  }
  const segments = item.path.split('/').filter(Boolean);
  const { where, noun } = WHERE[segments[0]] ?? { where: 'request', noun: 'field' };
  const keyword = item.errorCode?.replace(/\.openapi\.validation$/, '');
  const named = segments.slice(1);
  const dotted = named.join('.');
  if (keyword === 'additionalProperties' || /^Unknown query parameter/.test(item.message)) {
    return `unknown ${where} ${noun}(s) '${dotted}'`;
  }
  if (/^Empty value found/.test(item.message)) {
    return `${where} ${noun} '${dotted}' must not be empty`;
  }
  if (keyword === 'required') return `${where} ${noun} '${dotted}' is required`;
  // A query value is a string unless brackets made an object of it: name the parameter itself.
  if (where === 'query' && keyword === 'type' && named.length > 1) {
    return `${where} ${noun} '${named[0]}' must be a single value or repeated (${item.message})`;
  }
  const custom = CONSTRAINTS.has(keyword ?? '')
    ? schemaAt(doc, req, segments)?.['x-error-message']
    : undefined;
  return `${where} ${noun} '${dotted || '(root)'}' ${custom ?? item.message}`;
}

/**
 * Replaces `@backstage/backend-openapi-utils`' error transformer, which turns every error on its way
 * (the validator's, and the 413 / 415 of the plugin's middleware) into a 400 with the validator's
 * text, which names no field for an unknown one. Validator errors become what the plugin has always
 * said: `Invalid request: body field 'features.apm' must be boolean`, `path parameter 'accountId'
 * must be a 12-digit AWS account id`, `unknown body field(s) 'foo'`; a 415 stays a 415; every other
 * error passes on untouched.
 */
export function validationErrorWords(doc: Node, router: Router): ErrorRequestHandler {
  return (error, req, _res, next) => {
    if (!isValidatorError(error)) {
      next(error);
      return;
    }
    if (error.status === 415) {
      next(notJsonError(req));
      return;
    }
    if (error.status !== 400) {
      next(error);
      return;
    }
    const problems = [
      ...new Set(
        error.errors.length
          ? error.errors.map(item => describe(doc, router, req, item))
          : [error.message],
      ),
    ];
    const more = problems.length > MAX_PROBLEMS ? `; and ${problems.length - MAX_PROBLEMS} more` : '';
    next(new InputError(`Invalid request: ${problems.slice(0, MAX_PROBLEMS).join('; ')}${more}`));
  };
}
