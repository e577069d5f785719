import { defineDetector, DetectorFinding } from '../inspect';
import { FeatureState } from '../types';

/** Placeholders of the published files, e.g. `<YOUR_DATADOG_API_KEY>` or `<YOUR_API_KEY>`. */
const PLACEHOLDER = /^<[^>]*>$/;

/**
 * Whether an environment value is a documentation placeholder rather than a key.
 *
 * @public
 */
export function isApiKeyPlaceholder(value: string | undefined): boolean {
  return value !== undefined && PLACEHOLDER.test(value.trim());
}

function stateForSource(source: string, hasFindings: boolean): FeatureState {
  if (source === 'none') {
    return 'off';
  }
  return hasFindings ? 'misconfigured' : 'on';
}

/**
 * Where the Agent's API key comes from.
 *
 * @public
 */
export const apiKeyFeature = defineDetector({
  id: 'apiKey',
  title: 'API key',
  description:
    'How DD_API_KEY reaches the Agent: a Secrets Manager secret (recommended) or a plain environment value.',
  detect: ctx => {
    const { env, hasSecret, taskDefinition } = ctx;
    const fromSecret = hasSecret('DD_API_KEY');
    const plain = env('DD_API_KEY');
    const findings: DetectorFinding[] = [];
    let source: string;
    if (fromSecret) {
      source = 'secret';
      if (!taskDefinition.executionRoleArn) {
        findings.push({
          id: 'apiKey.secret-without-execution-role',
          severity: 'critical',
          title: 'API key secret without a task execution role',
          explanation:
            'DD_API_KEY comes from a secret, but the task has no execution role to read it, so the Agent task fails to start.',
          remedy:
            'Set executionRoleArn to a role allowed secretsmanager:GetSecretValue (and kms:Decrypt if a customer key is used) on the secret.',
        });
      }
    } else if (plain !== undefined && plain.trim() !== '') {
      if (isApiKeyPlaceholder(plain)) {
        source = 'placeholder';
        findings.push({
          id: 'apiKey.placeholder',
          severity: 'critical',
          title: 'API key is still the placeholder',
          explanation: `DD_API_KEY is the documentation placeholder ${plain}, so Datadog rejects everything the Agent sends.`,
          remedy:
            'Store the API key in AWS Secrets Manager and reference it in secrets[] as { "name": "DD_API_KEY", "valueFrom": "<secret ARN>" }.',
        });
      } else {
        source = 'plaintext';
        findings.push({
          id: 'apiKey.plaintext',
          severity: 'critical',
          title: 'API key in plain text',
          explanation:
            'DD_API_KEY is a plain environment value: anyone who can describe the task definition can read it.',
          remedy:
            'Move the key to AWS Secrets Manager and reference it in secrets[] as { "name": "DD_API_KEY", "valueFrom": "<secret ARN>" }, with a task execution role that may read it.',
        });
      }
    } else {
      source = 'none';
      findings.push({
        id: 'apiKey.missing',
        severity: 'critical',
        title: 'No API key',
        explanation:
          'The Agent has no DD_API_KEY, so it cannot send anything to Datadog.',
        remedy:
          'Add DD_API_KEY, preferably as secrets[] { "name": "DD_API_KEY", "valueFrom": "<Secrets Manager ARN>" }.',
      });
    }
    const summaries: Record<string, string> = {
      secret: 'The API key comes from AWS Secrets Manager.',
      plaintext: 'The API key is stored in plain text in the task definition.',
      placeholder: 'The API key is a placeholder: nothing reaches Datadog.',
      none: 'There is no API key: nothing reaches Datadog.',
    };
    return {
      // A plaintext key works but is critical for security, so it also reads as misconfigured.
      state: stateForSource(source, findings.length > 0),
      summary: summaries[source],
      findings,
      details: { source },
    };
  },
});
