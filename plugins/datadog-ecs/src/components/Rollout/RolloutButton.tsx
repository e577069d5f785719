import { useState } from 'react';
import { Box, Button, Tooltip, Typography } from '@material-ui/core';
import RolloutIcon from '@material-ui/icons/CloudUpload';
import {
  ClusterDetails,
  ClusterRef,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { datadogEcsApiRef } from '../../api';
import { notAllowedWords, useRolloutPermission } from './permissions';
import { RolloutDialog } from './RolloutDialog';
import { MaybeEntityRefLink } from '../shared/EntityLinks';
import { ROLLOUTS_OFF_WORDS, clusterKey } from './words';

const FARGATE_WORDS =
  'Not applicable: this cluster runs on Fargate only, where the Agent runs as a sidecar in each task';

/**
 * Props of {@link DatadogEcsRolloutButton}.
 *
 * @public
 */
export interface RolloutButtonProps {
  cluster: ClusterRef;
  /** The cluster as loaded, when the page has it (pre-fills the form without another request). */
  details?: ClusterDetails;
  /**
   * The service page's entity ref (`component:default/payments`): the rollout records it, and the
   * backend checks that the inventory has one of its services on the cluster. Either way the
   * permission is `datadogEcsRolloutPermission` on the cluster's resource (its owners); without an
   * entity the portal-wide `datadogEcsClusterRolloutPermission` also allows.
   */
  entityRef?: string;
  /** The cluster's owner (entity ref), whom a user without the permission should ask, when `details` is not given. */
  owner?: string;
  /** Reloads the page's cluster after a rollout finished. */
  reload?: () => void;
  /** Name the cluster in the button's label (when several buttons share a page). */
  nameCluster?: boolean;
  pollIntervalMs?: number;
  previewDebounceMs?: number;
}

/**
 * "Roll out the Agent": opens the {@link DatadogEcsRolloutDialog}. Disabled, with the reason in words next to it
 * (and in a tooltip), when the user may not roll out.
 *
 * @public
 */
export const RolloutButton = (props: RolloutButtonProps) => {
  const { cluster, entityRef } = props;
  const permission = useRolloutPermission(cluster, entityRef);
  const api = useApi(datadogEcsApiRef);
  // The backend says whether rollouts are switched on; unknown (older backend, error) → the
  // dialog's preview tells instead.
  const switchedOff = useAsync(
    async () => (await api.listRollouts(cluster)).rolloutEnabled === false,
    [api, cluster.accountId, cluster.region, cluster.clusterName],
  ).value;
  const [open, setOpen] = useState(false);
  const reasonId = `rollout-reason-${clusterKey(cluster).replace(
    /[^A-Za-z0-9_-]/g,
    '-',
  )}`;
  const denied = !permission.loading && !permission.allowed;
  let reason: string | undefined;
  const owner = props.details?.owner ?? props.owner;
  if (props.details?.fargateOnly) reason = FARGATE_WORDS;
  else if (denied) reason = notAllowedWords({ ...cluster, owner });
  else if (switchedOff) reason = ROLLOUTS_OFF_WORDS;
  const label = props.nameCluster
    ? `Roll out the Agent to ${cluster.clusterName}`
    : 'Roll out the Agent';
  const button = (
    <Button
      variant="contained"
      color="primary"
      startIcon={<RolloutIcon />}
      disabled={permission.loading || !!reason}
      onClick={() => setOpen(true)}
      aria-describedby={reason ? reasonId : undefined}
    >
      {label}
    </Button>
  );
  return (
    <Box display="inline-flex" flexDirection="column" alignItems="flex-start">
      {reason ? (
        <Tooltip title={reason}>
          {/* A disabled button fires no events: the span carries the tooltip. The reason is also
              shown as text below, and is the button's description, for keyboard and screen readers. */}
          <span>{button}</span>
        </Tooltip>
      ) : (
        button
      )}
      {reason && (
        <Typography
          id={reasonId}
          variant="caption"
          color="textSecondary"
          style={{ maxWidth: 360 }}
        >
          {reason}
        </Typography>
      )}
      {denied && owner && (
        <Typography variant="caption">
          Ask: <MaybeEntityRefLink entityRef={owner} />
        </Typography>
      )}
      <RolloutDialog
        open={open}
        onClose={() => setOpen(false)}
        cluster={cluster}
        details={props.details}
        entityRef={entityRef}
        permission={permission}
        reload={props.reload}
        pollIntervalMs={props.pollIntervalMs}
        previewDebounceMs={props.previewDebounceMs}
      />
    </Box>
  );
};
