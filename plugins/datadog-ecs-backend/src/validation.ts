import { makeValidator } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { datadogEcsApiSpec } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { z } from 'zod';

const entityValidator = makeValidator();

/** The parts of a catalog entity ref, by the catalog's own rules (no `/`, `:`, `..`, NUL or non-ASCII). */
export const entityKindSchema = z
  .string()
  .refine(v => entityValidator.isValidKind(v), 'must be an entity kind like component');
export const entityNamespaceSchema = z
  .string()
  .refine(v => entityValidator.isValidNamespace(v), 'must be an entity namespace like default');
export const entityNameSchema = z
  .string()
  .refine(v => entityValidator.isValidEntityName(v), 'must be an entity name like payments-api');

const { schemas } = datadogEcsApiSpec.components;

/** A string schema of the OpenAPI document, its pattern and words, for input the document does not guard. */
const documented = (name: 'AccountId' | 'Region') =>
  z.string().regex(new RegExp(schemas[name].pattern), schemas[name]['x-error-message']);

/** A 12-digit AWS account id. */
export const accountIdSchema = documented('AccountId');

/** An AWS region name such as eu-west-1. */
export const regionSchema = documented('Region');

/**
 * Parses request input with zod. A failure is an `InputError` (400) naming every offending
 * parameter by its path, unknown ones included: `query parameter 'account' must be …`,
 * `unknown body field(s) 'features.foo'`.
 */
export function parseInput<T>(
  schema: z.ZodType<T>,
  value: unknown,
  where: 'query' | 'path' | 'body' | 'input',
): T {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const noun = where === 'body' || where === 'input' ? 'field' : 'parameter';
  const problems = result.error.issues.map(issue => {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      const names = issue.keys.map(k => `'${path ? `${path}.` : ''}${k}'`).join(', ');
      return `unknown ${where} ${noun}(s) ${names}`;
    }
    return `${where} ${noun} '${path || '(root)'}' ${issue.message}`;
  });
  throw new InputError(`Invalid request: ${problems.join('; ')}`);
}
