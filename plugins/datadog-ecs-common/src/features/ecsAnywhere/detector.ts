import { defineDetector, DetectorFinding } from '../inspect';

/**
 * ECS Anywhere: running the Agent on EXTERNAL (on-premises) container instances.
 *
 * @public
 */
export const ecsAnywhereFeature = defineDetector({
  id: 'ecsAnywhere',
  title: 'ECS Anywhere',
  description:
    'Lets the Agent daemon run on ECS Anywhere instances (requiresCompatibilities EXTERNAL).',
  detect: ctx => {
    const compatible = (
      ctx.taskDefinition.requiresCompatibilities ?? []
    ).includes('EXTERNAL');
    const instances = ctx.input.instances;
    const externalCount = (instances ?? []).filter(i => i.external).length;
    const findings: DetectorFinding[] = [];
    if (!compatible && externalCount > 0) {
      findings.push({
        id: 'ecsAnywhere.external-instances-without-compatibility',
        severity: 'critical',
        title: 'ECS Anywhere instances without an Agent',
        explanation: `The cluster has ${externalCount} ECS Anywhere (EXTERNAL) instance(s), but the task definition is not EXTERNAL-compatible, so the daemon never runs on them.`,
        remedy:
          'Add "requiresCompatibilities": ["EXTERNAL"] to the task definition used on those instances.',
      });
    }
    if (compatible) {
      return {
        state: 'on',
        summary: 'The Agent can run on ECS Anywhere (on-premises) instances.',
        findings,
      };
    }
    if (findings.length) {
      return {
        state: 'misconfigured',
        summary:
          'The Agent cannot run on the cluster’s ECS Anywhere instances.',
        findings,
      };
    }
    return {
      state: instances && instances.length > 0 ? 'not-applicable' : 'off',
      summary: 'The Agent runs on EC2 container instances only.',
      findings,
    };
  },
});
