import {
  amazonLinuxGenerationUnknownFinding,
  amiUnreadableFinding,
  Finding,
  InstanceCoverage,
  InventoryError,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';

/** Why EC2 DescribeImages failed, in words: "not authorized to ec2:DescribeImages (…)". */
export function imagesErrorWords(error: InventoryError): string {
  const aws = `${error.name ? `${error.name}: ` : ''}${error.message}`;
  switch (error.kind) {
    case 'access-denied':
      return `not authorized to ec2:DescribeImages (${aws})`;
    case 'throttled':
      return `EC2 throttled DescribeImages (${aws})`;
    case 'network':
      return `EC2 could not be reached (${aws})`;
    case 'credentials':
      return `EC2 refused the credentials (${aws})`;
    default:
      return `DescribeImages failed (${aws})`;
  }
}

/**
 * What the cluster says about its Linux EC2 instances whose Amazon Linux generation is unknown:
 * how many, and a finding saying why (DescribeImages failed: a warning; a custom AMI or one the
 * account cannot read: for information). Pure.
 */
export function amazonLinuxGenerationFindings(
  instanceViews: readonly InstanceCoverage[],
  imagesError?: InventoryError,
): { unknown: number; findings: Finding[] } {
  const unknown = instanceViews.filter(
    i => i.amazonLinuxGenerationSource === 'unknown',
  );
  if (unknown.length === 0) return { unknown: 0, findings: [] };
  const ids = unknown.map(i => i.instanceId);
  if (imagesError) {
    return {
      unknown: unknown.length,
      findings: [amiUnreadableFinding(imagesErrorWords(imagesError), ids)],
    };
  }
  const amis = [
    ...new Set(
      unknown.flatMap(i =>
        i.amiId ? [i.amiName ? `${i.amiName} (${i.amiId})` : i.amiId] : [],
      ),
    ),
  ];
  return {
    unknown: unknown.length,
    findings: [amazonLinuxGenerationUnknownFinding(ids, amis)],
  };
}
