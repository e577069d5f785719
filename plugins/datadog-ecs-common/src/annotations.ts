/**
 * The annotation naming the ECS service(s) a catalog entity runs as: one ARN, or several
 * separated by commas (the same annotation the AWS ECS plugin for Backstage reads).
 *
 * @public
 */
export const ECS_SERVICE_ARN_ANNOTATION = 'aws.amazon.com/amazon-ecs-service-arn';

/**
 * The annotation naming the ECS cluster(s) a catalog entity is about, comma-separated.
 *
 * @public
 */
export const ECS_CLUSTER_ARN_ANNOTATION = 'aws.amazon.com/amazon-ecs-cluster-arn';

/**
 * The ARNs listed in an annotation value (comma- or whitespace-separated), trimmed, without empties.
 *
 * @public
 */
export function splitArnAnnotation(value: string | undefined): string[] {
  return (value ?? '')
    .split(/[\s,]+/)
    .map(part => part.trim())
    .filter(Boolean);
}

/**
 * Whether a catalog entity carries one of the datadog-ecs annotations.
 *
 * @public
 */
export function hasDatadogEcsAnnotation(entity: {
  metadata: { annotations?: Record<string, string> };
}): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return (
    splitArnAnnotation(annotations[ECS_SERVICE_ARN_ANNOTATION]).length > 0 ||
    splitArnAnnotation(annotations[ECS_CLUSTER_ARN_ANNOTATION]).length > 0
  );
}
