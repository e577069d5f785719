import { ApiRouter, createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';
import {
  datadogEcsApiSpec,
  DatadogEcsApiSpec,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { Router } from 'express';
import { pluginErrorMiddleware, pluginMiddleware } from '../http';
import { Redactor } from '../redaction';
import { FEATURE_IDS } from '../rollout/request';
import { validationErrorWords } from './validationErrors';

/** The plugin's router, typed by its OpenAPI document: paths, parameters, bodies and responses. */
export type DatadogEcsRouter = ApiRouter<DatadogEcsApiSpec>;

interface Layer {
  route?: { path?: string };
  handle: (...args: any[]) => unknown;
}

/**
 * The router every route of the plugin is served through: `@backstage/backend-openapi-utils`' typed
 * router for the plugin's OpenAPI document (`-common`'s `src/schema/openapi.yaml`), which validates
 * each request against the document (express-openapi-validator) and serves it at `/openapi.json`;
 * with the plugin's middleware first ({@link pluginMiddleware}: redaction, 415, 100 kB, body parse
 * errors) and the validator's errors in the plugin's words (they name the field).
 *
 * Register the routes, then call {@link finishRouter}.
 */
export function createDatadogEcsRouter(redactor: Redactor): DatadogEcsRouter {
  const router = createValidatedOpenApiRouter<DatadogEcsApiSpec>(completedDocument(), {
    middleware: pluginMiddleware(redactor),
    validatorOptions: {
      // Every problem of a request at once (e.g. an unknown field and an unknown feature), not
      // only the first; the document is ours, and the words say at most MAX_PROBLEMS of them.
      validateRequests: { allErrors: true, coerceTypes: false, allowUnknownQueryParameters: false },
    },
  });
  // The library ends its validation with an error handler that makes a 400 of every error with the
  // validator's text (`request/body must NOT have additional properties`), the 413 and 415 of the
  // middleware included. It is the layer just before its `GET /openapi.json` route; ours replaces it.
  const stack = (router as unknown as { stack: Layer[] }).stack;
  const specRoute = stack.findIndex(layer => layer.route?.path === '/openapi.json');
  const transformer = stack[specRoute - 1];
  if (specRoute < 1 || transformer.handle.length !== 4) {
    throw new Error(
      "@backstage/backend-openapi-utils' router is not laid out as expected: its validation error handler was not found",
    );
  }
  transformer.handle = validationErrorWords(datadogEcsApiSpec as any, router as unknown as Router);
  return router;
}

/**
 * A copy of the document (the validator annotates what it is given), completed with what the code's
 * registry holds: the feature toggles' ids, which the YAML leaves open so that a feature is added in
 * its own folder. Served at `/openapi.json`, so clients see them too.
 */
export function completedDocument(): DatadogEcsApiSpec {
  const doc = structuredClone(datadogEcsApiSpec) as any;
  doc.components.schemas.FeatureToggles = {
    ...doc.components.schemas.FeatureToggles,
    properties: Object.fromEntries(FEATURE_IDS.map(id => [id, { type: 'boolean' }])),
    additionalProperties: false,
  };
  return doc;
}

/** Installs what comes after the routes (the error headers, e.g. `Retry-After`). */
export function finishRouter(router: DatadogEcsRouter): void {
  router.use(pluginErrorMiddleware());
}
