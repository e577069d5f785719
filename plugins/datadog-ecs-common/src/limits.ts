import { spec } from './schema/openapi.generated';

/*
 * The API's regexes and limits, read from its OpenAPI document (src/schema/openapi.yaml), where
 * they are defined once: the backend's request validation, its config checks and the rollout
 * dialog's own checks all use these.
 */
const { schemas } = spec.components;

/**
 * A 12-digit AWS account id.
 *
 * @public
 */
export const AWS_ACCOUNT_ID_PATTERN = new RegExp(schemas.AccountId.pattern);

/**
 * An AWS region name such as eu-west-1.
 *
 * @public
 */
export const AWS_REGION_PATTERN = new RegExp(schemas.Region.pattern);

/**
 * An ECS name: a cluster, a service, a task-definition family (letters, digits, - and _; 1 to 255).
 *
 * @public
 */
export const ECS_NAME_PATTERN = new RegExp(schemas.ClusterName.pattern);

/**
 * A rollout id: a lower-case UUID.
 *
 * @public
 */
export const ROLLOUT_ID_PATTERN = new RegExp(schemas.RolloutId.pattern);

/**
 * A container image tag (no registry, no digest), e.g. 7.60.0.
 *
 * @public
 */
export const IMAGE_TAG_PATTERN = new RegExp(schemas.ImageTag.pattern);

/**
 * A Datadog tag as DD_TAGS expects it: `key:value`, no whitespace (DD_TAGS is space-separated).
 *
 * @public
 */
export const DD_TAG_PATTERN = new RegExp(schemas.DatadogTag.pattern);

/**
 * The idempotency key of a rollout: 1 to 64 printable ASCII characters without spaces.
 *
 * @public
 */
export const CLIENT_TOKEN_PATTERN = new RegExp(schemas.ClientToken.pattern);

/**
 * The most DD_TAGS entries a rollout takes.
 *
 * @public
 */
export const MAX_ROLLOUT_TAGS: number = schemas.DatadogTags.maxItems;

/**
 * The longest entity ref a rollout takes.
 *
 * @public
 */
export const MAX_ENTITY_REF_LENGTH: number = schemas.EntityRef.maxLength;

/**
 * The longest text filter (`q` of `GET /clusters`, `text` of the get-coverage action).
 *
 * @public
 */
export const MAX_TEXT_FILTER_LENGTH: number = schemas.TextFilter.maxLength;

/**
 * A managed daemon's `drainPercent` range (0 to 100).
 *
 * @public
 */
export const DRAIN_PERCENT_LIMITS: { min: number; max: number } = {
  min: schemas.DrainPercent.minimum,
  max: schemas.DrainPercent.maximum,
};

/**
 * A managed daemon's `bakeTimeInMinutes` range (0 to 1440).
 *
 * @public
 */
export const BAKE_TIME_LIMITS: { min: number; max: number } = {
  min: schemas.BakeTimeInMinutes.minimum,
  max: schemas.BakeTimeInMinutes.maximum,
};
