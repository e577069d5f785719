/*
 * The shared table test of the Agent feature modules. Each feature folder has a `rows.ts` (made of
 * `__fixtures__/rows.ts`): rows that run every detector of the registry over a task definition and
 * state the exact set of findings (across all features) and the states of the features the row is
 * about, plus the finding ids the feature can raise. `<feature>/<feature>.test.ts` checks its rows
 * with {@link compareRow}; `catalog.test.ts` proves, over every folder's rows (found through the
 * registry by {@link loadFeatureRows}), that every feature has an "on" and an "off" row and every
 * finding a row that triggers it and one that does not.
 */
import { FeatureRows, Row } from '../__fixtures__/rows';
import { detectAgentFeatures } from '../catalog';
import { AgentFeatureRegistry } from '../createRegistry';
import { agentFeatureRegistry } from '../registry';

/** A folder's rows as `it.each` cases, named by the rows' names. */
export const rowCases = ({ rows }: FeatureRows) =>
  rows.map(r => [r.name, r] as const);

/**
 * Runs a row through every detector of the registry: what came out (`actual`) and what the row states
 * (`expected`), for one `expect(actual).toEqual(expected)`. Besides the row's findings and states,
 * every detector must run, in the registry's order, and say something, and every finding must belong
 * to its feature and carry an explanation and the guide's remedy.
 */
export function compareRow(
  row: Row,
  registry: AgentFeatureRegistry = agentFeatureRegistry,
) {
  const results = detectAgentFeatures(
    {
      taskDefinition: row.taskDefinition,
      expectedSite: row.expectedSite,
      instances: row.instances,
      managedDaemon: row.managedDaemon,
    },
    registry,
  );
  const findings = results.flatMap(r => r.findings);
  return {
    actual: {
      detectors: results.map(r => r.id),
      findings: findings.map(f => f.id).sort(),
      states: Object.fromEntries(
        Object.keys(row.states).map(id => [
          id,
          results.find(r => r.id === id)?.state,
        ]),
      ),
      withoutSummary: results.filter(r => r.summary === '').map(r => r.id),
      // Findings belong to their feature and carry the guide's remedy.
      malformedFindings: results.flatMap(r =>
        r.findings
          .filter(
            f =>
              f.feature !== r.id ||
              !f.id.startsWith(`${r.id}.`) ||
              f.remedy === '' ||
              f.explanation === '',
          )
          .map(f => `${r.id}: ${f.id}`),
      ),
    },
    expected: {
      detectors: registry.detectors.map(d => d.id),
      findings: [...row.findings].sort(),
      states: row.states,
      withoutSummary: [],
      malformedFindings: [],
    },
  };
}

/**
 * The rows of a registered feature's folder (`features/<id>/rows.ts`), found by the module's id so a
 * new folder is picked up without another list; undefined when the folder has no rows.
 */
export function loadFeatureRows(id: string): FeatureRows | undefined {
  try {
    return require(`../${id}/rows`).featureRows as FeatureRows;
  } catch (e) {
    const { code, message } = e as { code?: string; message?: string };
    // Only the folder's own rows missing; a broken import inside them still fails.
    if (code === 'MODULE_NOT_FOUND' && message?.includes(`../${id}/rows'`)) {
      return undefined;
    }
    throw e;
  }
}
