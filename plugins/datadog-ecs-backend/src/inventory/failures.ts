import { Finding } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { Failure } from '../aws/EcsGateway';
import { StoredCluster } from './SnapshotStore';

const KINDS: Array<{ segment: string; one: string; many: string }> = [
  {
    segment: ':container-instance/',
    one: 'container instance',
    many: 'container instances',
  },
  { segment: ':service/', one: 'service', many: 'services' },
  { segment: ':task/', one: 'task', many: 'tasks' },
];

function kindOf(failure: Failure) {
  return (
    KINDS.find(k => failure.arn?.includes(k.segment)) ?? {
      segment: '',
      one: 'resource',
      many: 'resources',
    }
  );
}

/**
 * ECS's `failures[]` of a cluster's Describe calls as findings, one per kind of resource (a MISSING
 * container instance is listed with its reason): what ECS listed but could not describe.
 */
export function failureFindings(failures: Failure[]): Finding[] {
  const byKind = new Map<
    string,
    { kind: ReturnType<typeof kindOf>; failures: Failure[] }
  >();
  for (const failure of failures) {
    const kind = kindOf(failure);
    const entry = byKind.get(kind.one) ?? { kind, failures: [] };
    entry.failures.push(failure);
    byKind.set(kind.one, entry);
  }
  return [...byKind.values()].map(({ kind, failures: list }) => ({
    id: `inventory.describe-failed.${kind.one.replace(/ /g, '-')}`,
    severity: 'warning',
    title: `${list.length} ${
      list.length === 1 ? kind.one : kind.many
    } could not be described`,
    explanation: `ECS listed them, then answered the Describe call with failures: ${list
      .map(
        f =>
          `${f.arn ?? 'unknown'}: ${f.reason ?? 'unknown reason'}${
            f.detail ? ` (${f.detail})` : ''
          }`,
      )
      .join('; ')}.`,
    remedy:
      'A MISSING entry usually went away between the listing and the description (a deregistered instance, a stopped task) and disappears on the next refresh; if it stays, check the resource in the ECS console.',
  }));
}

/** The cluster's view with its Describe failures added as findings (and counted). */
export function withFailureFindings(
  view: StoredCluster,
  failures: Failure[],
): StoredCluster {
  const findings = failureFindings(failures);
  if (findings.length === 0) return view;
  const counts = { ...view.details.findingCounts };
  for (const f of findings) counts[f.severity] += 1;
  return {
    ...view,
    details: {
      ...view.details,
      findings: [...view.details.findings, ...findings],
      findingCounts: counts,
    },
  };
}
