import {
  agentHealthUnknownFinding,
  agentNotDaemonFinding,
  agentStandaloneTasksFinding,
  multipleAgentDaemonsFinding,
} from './clusterFindings';

describe('cluster findings', () => {
  it('names the services and counts', () => {
    const findings = [
      multipleAgentDaemonsFinding(['datadog-agent', 'dd-agent-old']),
      agentNotDaemonFinding('datadog-agent', 'REPLICA'),
      agentStandaloneTasksFinding(3),
    ];
    expect(findings.map(f => f.id)).toEqual([
      'cluster.multiple-agent-daemons',
      'cluster.agent-not-daemon',
      'cluster.agent-standalone-tasks',
    ]);
    expect(findings[0].explanation).toContain('dd-agent-old');
    expect(findings[1].explanation).toContain('REPLICA');
    expect(findings[2].explanation).toContain('3 Agent task(s)');
  });

  it('names the instances whose Agent health is unknown', () => {
    const finding = agentHealthUnknownFinding(['i-1', 'i-2']);
    expect(finding).toMatchObject({
      id: 'cluster.agent-health-unknown',
      severity: 'warning',
      feature: 'healthCheck',
    });
    expect(finding.explanation).toContain('2 instance(s) (i-1, i-2)');
    expect(finding.remedy).toContain('agent health');
  });
});
