import { Box, Typography } from '@material-ui/core';
import { ManagedDaemonPreview } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { criticalWords } from '../shared';

/** "Create the managed daemon datadog-agent on the capacity provider prod-mi". */
export function managedDaemonActionWords(md: ManagedDaemonPreview): string {
  const providers = md.capacityProviders;
  const on = providers.length
    ? ` on the capacity provider${
        providers.length === 1 ? '' : 's'
      } ${providers.join(', ')}`
    : '';
  return `${md.action === 'create' ? 'Create' : 'Update'} the managed daemon ${
    md.daemonName
  }${on}`;
}

/**
 * What a managed-daemon rollout asks of ECS: the daemon created or updated, on which capacity
 * providers, its criticality, and how ECS replaces the instances (in batches of the drain percent,
 * with the bake time).
 */
export const ManagedDaemonPreviewView = (props: {
  managedDaemon: ManagedDaemonPreview;
}) => {
  const md = props.managedDaemon;
  return (
    <Box component="section" aria-label="Managed daemon">
      <Typography variant="subtitle2" component="h3">
        Managed daemon
      </Typography>
      <Typography variant="body2">{managedDaemonActionWords(md)}.</Typography>
      <Typography variant="body2">
        {criticalWords(md.options.critical)}.
      </Typography>
      <Typography variant="body2">
        <strong>Instance replacement:</strong> {md.replacement.summary}
      </Typography>
      <Typography variant="caption" color="textSecondary" display="block">
        {md.replacement.instances} instance
        {md.replacement.instances === 1 ? '' : 's'} · batches of{' '}
        {md.replacement.batchSize} ({md.replacement.drainPercent}%) ·{' '}
        {md.replacement.batches} batch{md.replacement.batches === 1 ? '' : 'es'}{' '}
        · bake time {md.replacement.bakeTimeInMinutes} min
      </Typography>
    </Box>
  );
};
