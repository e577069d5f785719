import { defineDetector, DetectorFinding } from '../inspect';

/**
 * Host tags added to everything the Agent sends (`DD_TAGS`).
 *
 * @public
 */
export const tagsFeature = defineDetector({
  id: 'tags',
  title: 'Agent tags',
  description:
    'Extra key:value tags on every metric, trace and log (DD_TAGS, space-separated).',
  detect: ctx => {
    const raw = ctx.env('DD_TAGS')?.trim() ?? '';
    const tags = raw.split(/\s+/).filter(Boolean);
    const findings: DetectorFinding[] = [];
    const withoutKey = tags.filter(t => !/^[^:]+:.+$/.test(t));
    if (withoutKey.length > 0) {
      findings.push({
        id: 'tags.not-key-value',
        severity: 'info',
        title: 'Tags without key:value form',
        explanation: `DD_TAGS should hold space-separated key:value pairs; ${withoutKey.join(
          ', ',
        )} cannot be filtered by key.`,
        remedy:
          'Write each tag as key:value, separated by spaces (e.g. "env:prod team:payments").',
      });
    }
    return {
      state: tags.length > 0 ? 'on' : 'off',
      summary:
        tags.length > 0
          ? `The Agent adds ${tags.length} tag(s) to everything it sends.`
          : 'No extra tags: data carries only the tags the Agent discovers.',
      findings,
      details: tags.length > 0 ? { tags: tags.join(' ') } : undefined,
    };
  },
});
