import {
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
});
