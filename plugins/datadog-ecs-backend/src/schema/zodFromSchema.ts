import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { datadogEcsApiSpec } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import type { ZodRawShape, ZodTypeAny } from 'zod/v3';
import { DocumentNode, resolveRef } from './document';

/** The zod the actions registry hands an action's schema (its v3 API). */
export type ActionZod = Parameters<
  Parameters<ActionsRegistryService['register']>[0]['schema']['input']
>[0];
type ZodType = ZodTypeAny;

type Node = DocumentNode;

const doc = datadogEcsApiSpec as unknown as Node;

/** The schema a `$ref` points at (`#/components/schemas/X`), with the referring node's description. */
function resolve(node: Node): Node {
  const target = resolveRef(doc, node) ?? {};
  return node.$ref && node.description ? { ...target, description: node.description } : target;
}

/** The zod of a (resolved) schema, its `description` and `x-error-message` kept. */
function convert(z: ActionZod, node: Node): ZodType {
  const schema = resolve(node);
  const message = schema['x-error-message'] as string | undefined;
  let result: ZodType;
  if (schema.enum) {
    result = z.enum(schema.enum as [string, ...string[]], message ? { message } : undefined);
  } else if (schema.type === 'string') {
    let s = z.string();
    if (schema.pattern) s = s.regex(new RegExp(schema.pattern), message);
    if (schema.minLength !== undefined) s = s.min(schema.minLength, message);
    if (schema.maxLength !== undefined) s = s.max(schema.maxLength, message);
    result = s;
  } else if (schema.type === 'boolean') {
    result = z.boolean();
  } else if (schema.type === 'integer' || schema.type === 'number') {
    let n = schema.type === 'integer' ? z.number().int() : z.number();
    if (schema.minimum !== undefined) n = n.min(schema.minimum, message);
    if (schema.maximum !== undefined) n = n.max(schema.maximum, message);
    result = n;
  } else if (schema.type === 'array') {
    let a = z.array(convert(z, schema.items ?? {}));
    if (schema.maxItems !== undefined) a = a.max(schema.maxItems, message);
    result = a;
  } else if (schema.type === 'object' && schema.properties) {
    result = objectOf(z, schema);
  } else if (schema.type === 'object' && typeof schema.additionalProperties === 'object') {
    result = z.record(convert(z, schema.additionalProperties));
  } else {
    result = z.unknown();
  }
  return schema.description ? result.describe(schema.description) : result;
}

function objectOf(z: ActionZod, schema: Node, overrides: Record<string, ZodType> = {}) {
  const required = new Set<string>(schema.required ?? []);
  const shape = Object.fromEntries(
    Object.entries(schema.properties as Record<string, Node>).map(([name, property]) => {
      const converted = overrides[name] ?? convert(z, property);
      return [name, required.has(name) ? converted : converted.optional()];
    }),
  );
  const object = z.object(shape);
  return schema.additionalProperties === false ? object.strict() : object;
}

/**
 * The zod shape of an object schema of the OpenAPI document (`components.schemas[name]`), for an
 * action's input: the same fields, patterns, limits, enums and descriptions as the REST API's
 * request. `overrides` replace single fields (e.g. with more precise ones than the document states).
 */
export function shapeFromSchema(
  z: ActionZod,
  name: keyof typeof datadogEcsApiSpec.components.schemas,
  overrides: Record<string, ZodType> = {},
): ZodRawShape {
  return objectOf(z, resolve({ $ref: `#/components/schemas/${name}` }), overrides).shape;
}

/** The zod of one schema of the OpenAPI document (`components.schemas[name]`), e.g. `AccountId`. */
export function zodFromSchema(
  z: ActionZod,
  name: keyof typeof datadogEcsApiSpec.components.schemas,
): ZodType {
  return convert(z, { $ref: `#/components/schemas/${name}` });
}
