import { failureFindings, withFailureFindings } from './failures';
import { StoredCluster } from './SnapshotStore';

describe('failureFindings', () => {
  it('lists MISSING container instances with their reason, one finding per kind', () => {
    const findings = failureFindings([
      {
        arn: 'arn:aws:ecs:us-east-1:1:container-instance/web/aaa',
        reason: 'MISSING',
      },
      {
        arn: 'arn:aws:ecs:us-east-1:1:container-instance/web/bbb',
        reason: 'MISSING',
        detail: 'deregistered',
      },
      { arn: 'arn:aws:ecs:us-east-1:1:task/web/t1', reason: 'MISSING' },
    ]);
    expect(findings.map(f => [f.id, f.severity, f.title])).toEqual([
      [
        'inventory.describe-failed.container-instance',
        'warning',
        '2 container instances could not be described',
      ],
      [
        'inventory.describe-failed.task',
        'warning',
        '1 task could not be described',
      ],
    ]);
    expect(findings[0].explanation).toContain(
      'arn:aws:ecs:us-east-1:1:container-instance/web/aaa: MISSING; arn:aws:ecs:us-east-1:1:container-instance/web/bbb: MISSING (deregistered)',
    );
  });

  it('adds the findings to a cluster view and counts them', () => {
    const view = {
      details: {
        findings: [],
        findingCounts: { critical: 0, warning: 1, info: 0 },
      },
      services: [],
    } as unknown as StoredCluster;
    expect(withFailureFindings(view, [])).toBe(view);
    const out = withFailureFindings(view, [
      {
        arn: 'arn:aws:ecs:us-east-1:1:container-instance/web/aaa',
        reason: 'MISSING',
      },
    ]);
    expect(out.details.findingCounts).toEqual({
      critical: 0,
      warning: 2,
      info: 0,
    });
    expect(out.details.findings).toHaveLength(1);
  });
});
