/**
 * The fields an error body of the datadog-ecs API carries besides `name` and `message`, as the
 * OpenAPI document's error responses define them. Clients read these, never the message's words.
 *
 * @public
 */
export interface ApiErrorFields {
  /** 409 of `POST …/rollouts` (and of a rollback): the id of the cluster's active rollout. */
  activeRolloutId?: string;
  /**
   * 409 of a rollout, rollback or cancel: why it conflicts with the state of the cluster or the
   * rollout — `active-rollout`, `service-draining` (a service of that name is DRAINING: ECS cannot
   * create it again until it is INACTIVE), `not-rollbackable`, `rollout-finished`, `ecs-refused`
   * (ECS refused to stop the deployment).
   */
  reason?: string;
  /** 400 of a rollout or its preview: the rule of the guide the options break, e.g. `npm-linux-only`. */
  rule?: string;
  /** 429 of `POST /refresh`: seconds to wait (the `Retry-After` header says the same). */
  retryAfterSeconds?: number;
  /** 429 of `POST /refresh`: when the next refresh is allowed. */
  nextAllowedAt?: string;
}

/**
 * An error response of the datadog-ecs API: Backstage's error body, with {@link ApiErrorFields}.
 *
 * @public
 */
export interface ApiErrorBody {
  error: { name: string; message: string } & ApiErrorFields;
  request?: { method: string; url: string };
  response: { statusCode: number };
}

const FIELD_TYPES: { [K in keyof Required<ApiErrorFields>]: 'string' | 'number' } = {
  activeRolloutId: 'string',
  reason: 'string',
  rule: 'string',
  retryAfterSeconds: 'number',
  nextAllowedAt: 'string',
};

/**
 * The names of {@link ApiErrorFields}.
 *
 * @public
 */
export const API_ERROR_FIELDS = Object.keys(FIELD_TYPES) as ReadonlyArray<keyof ApiErrorFields>;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/**
 * The {@link ApiErrorFields} of a failed call: read from the error body of a `ResponseError` (what
 * `DatadogEcsClient` throws), or from an error that carries them itself. Fields of the wrong type
 * are left out.
 *
 * @public
 */
export function errorFieldsOf(error: unknown): ApiErrorFields {
  const body = isObject(error) ? error.body : undefined;
  const source = isObject(body) && isObject(body.error) ? body.error : error;
  const fields: Record<string, unknown> = {};
  if (!isObject(source)) return fields;
  for (const [name, type] of Object.entries(FIELD_TYPES)) {
    if (typeof source[name] === type) fields[name] = source[name];
  }
  return fields as ApiErrorFields;
}
