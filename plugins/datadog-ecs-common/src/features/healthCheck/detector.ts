import { defineDetector, DetectorFinding } from '../inspect';

/**
 * The Agent container health check.
 *
 * @public
 */
export const healthCheckFeature = defineDetector({
  id: 'healthCheck',
  title: 'Agent health check',
  description:
    'Lets ECS restart an unhealthy Agent ("CMD-SHELL", "agent health").',
  detect: ctx => {
    const command = ctx.agent.healthCheck?.command ?? [];
    const enabled = command.length > 0;
    const findings: DetectorFinding[] = [];
    if (enabled && !command.join(' ').includes('agent health')) {
      findings.push({
        id: 'healthCheck.unexpected-command',
        severity: 'info',
        title: 'Custom health-check command',
        explanation: `The health check runs "${command.join(
          ' ',
        )}" instead of the guide's "agent health", so it may not reflect the Agent's own health.`,
        remedy: 'Use healthCheck.command ["CMD-SHELL", "agent health"].',
      });
    }
    return {
      state: enabled ? 'on' : 'off',
      summary: enabled
        ? 'ECS checks the Agent health and replaces an unhealthy Agent.'
        : 'No health check: ECS does not notice if the Agent stops working.',
      findings,
    };
  },
});
