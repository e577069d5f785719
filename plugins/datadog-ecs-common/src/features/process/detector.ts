import { AGENT_PATHS } from '../datadogDefaults';
import {
  defineDetector,
  DetectorFinding,
  findMount,
  isTrue,
  stateFor,
} from '../inspect';

/**
 * Live process collection.
 *
 * @public
 */
export const processFeature = defineDetector({
  id: 'process',
  title: 'Process collection',
  description:
    'Collects live process information for all containers (DD_PROCESS_AGENT_ENABLED).',
  detect: ctx => {
    const { agent, env, windows } = ctx;
    const enabled =
      isTrue(env('DD_PROCESS_AGENT_ENABLED')) ||
      isTrue(env('DD_PROCESS_CONFIG_PROCESS_COLLECTION_ENABLED'));
    const findings: DetectorFinding[] = [];
    if (enabled && !windows && !findMount(agent, AGENT_PATHS.passwd)) {
      findings.push({
        id: 'process.missing-passwd-mount',
        severity: 'info',
        title: 'Process collection without /etc/passwd',
        explanation:
          'Without the host /etc/passwd the Agent cannot resolve user names, so processes show numeric user IDs.',
        remedy:
          'Add a volume "passwd" with host.sourcePath /etc/passwd and mount it read-only at /etc/passwd.',
      });
    }
    return {
      state: stateFor(enabled, findings),
      summary: enabled
        ? 'The Agent collects live process information for every container.'
        : 'Process collection is off: no live process information is collected.',
      findings,
    };
  },
});
