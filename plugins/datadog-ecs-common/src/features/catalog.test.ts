/*
 * The rules over every feature folder's rows (see `__testUtils__/harness.ts`; each folder's
 * `<feature>.test.ts` runs its own rows): every registered feature has rows, an "on" row and an "off"
 * row, and every finding has a row that triggers it and one that does not.
 */
import { loadReference } from '../rendering/__fixtures__/referenceTaskDefinitions';
import { FeatureRows, Row } from './__fixtures__/rows';
import { loadFeatureRows } from './__testUtils__/harness';
import {
  agentFeatureCatalog,
  collectFindings,
  detectAgentFeatures,
} from './catalog';
import { agentFeatureRegistry } from './registry';
import { AgentFeatureId } from './types';

const folders: FeatureRows[] = agentFeatureRegistry.modules.flatMap(m => {
  const rows = loadFeatureRows(m.id);
  return rows ? [rows] : [];
});
const rows: Row[] = folders.flatMap(f => f.rows);

/** Every finding id a detector can raise (each folder lists its own). */
const ALL_FINDING_IDS = folders.flatMap(f => f.findingIds);

describe('agent feature catalog', () => {
  it('contains every detector exactly once', () => {
    const ids = agentFeatureCatalog.map(d => d.id);
    const expected: AgentFeatureId[] = [
      'core',
      'apiKey',
      'site',
      'image',
      'tags',
      'apm',
      'dogstatsd',
      'logs',
      'process',
      'npm',
      'resourceTags',
      'healthCheck',
      'ecsAnywhere',
      'managedInstances',
      'fipsProxy',
    ];
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...expected].sort());
    for (const detector of agentFeatureCatalog) {
      expect(detector.title).not.toBe('');
      expect(detector.description).not.toBe('');
    }
  });

  it('has a folder of rows for every registered feature', () => {
    expect(folders.map(f => f.feature)).toEqual(
      agentFeatureRegistry.modules.map(m => m.id),
    );
    for (const folder of folders) {
      expect({ feature: folder.feature, rows: folder.rows.length > 0 }).toEqual(
        { feature: folder.feature, rows: true },
      );
      for (const id of folder.findingIds) {
        // A folder lists its own feature's findings.
        expect(id.startsWith(`${folder.feature}.`)).toBe(true);
      }
    }
    expect(new Set(rows.map(r => r.name)).size).toBe(rows.length);
  });

  it('has rows where every feature is on and where it is off', () => {
    for (const { id } of agentFeatureCatalog) {
      const states = rows.map(r => r.states[id]).filter(Boolean);
      expect({
        id,
        on: states.some(s => s === 'on' || s === 'misconfigured'),
      }).toEqual({ id, on: true });
      expect({
        id,
        off: states.some(s => s === 'off' || s === 'not-applicable'),
      }).toEqual({ id, off: true });
    }
  });

  it('has a row that triggers every finding and one that does not', () => {
    for (const id of ALL_FINDING_IDS) {
      expect({
        id,
        triggered: rows.some(r => r.findings.includes(id)),
      }).toEqual({ id, triggered: true });
      expect({ id, quiet: rows.some(r => !r.findings.includes(id)) }).toEqual({
        id,
        quiet: true,
      });
    }
    const raised = new Set(rows.flatMap(r => r.findings));
    expect([...raised].sort()).toEqual([...ALL_FINDING_IDS].sort());
  });

  it('orders collected findings by severity', () => {
    const results = detectAgentFeatures({
      taskDefinition: loadReference('datadog-agent-ecs-logs.json'),
    });
    expect(collectFindings(results).map(f => f.severity)).toEqual([
      'critical',
      'warning',
      'info',
      'info',
    ]);
  });
});
