import { useEffect, useState } from 'react';
import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  Box,
  Button,
  IconButton,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Tooltip,
  Typography,
} from '@material-ui/core';
import RefreshIcon from '@material-ui/icons/Refresh';
import {
  ClusterRef,
  RolloutSummary,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { datadogEcsApiRef } from '../../api';
import {
  RelativeTime,
  daemonDeploymentStatusWords,
  formatDateTime,
  useMountedRouteRef,
} from '../shared';
import { RolloutDialog } from './RolloutDialog';
import { RolloutStatusLabel } from './RolloutProgress';
import {
  FAILURE_KIND_LABELS,
  KIND_LABELS,
  durationWords,
  featuresWords,
  isActive,
  nameOfRef,
  subscribeRolloutsChanged,
} from './words';

/** A link to an entity's page when the catalog is mounted, else undefined. */
function useEntityLink(): ((ref: string) => string | undefined) | undefined {
  const route = useMountedRouteRef(entityRouteRef);
  if (!route) return undefined;
  return ref => {
    try {
      const { kind, namespace, name } = parseEntityRef(ref);
      return route({
        kind: kind.toLocaleLowerCase('en-US'),
        namespace,
        name,
      });
    } catch {
      return undefined;
    }
  };
}

const Source = (props: {
  rollout: RolloutSummary;
  entityLink?: (ref: string) => string | undefined;
}) => {
  const { rollout, entityLink } = props;
  if (rollout.source !== 'entity' || !rollout.entityRef) return <>portal</>;
  const href = entityLink?.(rollout.entityRef);
  const name = nameOfRef(rollout.entityRef);
  return href ? (
    <Link to={href} title={rollout.entityRef}>
      {name}
    </Link>
  ) : (
    <span title={rollout.entityRef}>{rollout.entityRef}</span>
  );
};

/** What the rollout deploys: "managed daemon datadog-agent", "service datadog-agent". */
const targetWords = (r: RolloutSummary) =>
  `${r.target === 'managed-daemon' ? 'managed daemon' : 'service'} ${
    r.serviceName
  }`;

const Outcome = ({ rollout }: { rollout: RolloutSummary }) => (
  <>
    <RolloutStatusLabel status={rollout.status} />
    {rollout.deployment?.daemonDeployment && (
      <Typography variant="caption" display="block">
        ECS daemon deployment:{' '}
        {daemonDeploymentStatusWords(
          rollout.deployment.daemonDeployment.status,
        )}
      </Typography>
    )}
    {rollout.status === 'failed' && (
      <Typography variant="caption" display="block">
        {FAILURE_KIND_LABELS[rollout.failureKind ?? 'unknown']}
        {rollout.failureReason ? `: ${rollout.failureReason}` : ''}
      </Typography>
    )}
    {rollout.status === 'cancelled' && rollout.cancelledBy && (
      <Typography variant="caption" display="block">
        Cancelled by {rollout.cancelledBy}
      </Typography>
    )}
    {rollout.rolledBackBy && (
      <Typography variant="caption" display="block">
        Rolled back by {rollout.rolledBackBy}
      </Typography>
    )}
    {rollout.note && (
      <Typography variant="caption" display="block" color="textSecondary">
        {rollout.note}
      </Typography>
    )}
  </>
);

/**
 * Props of {@link DatadogEcsRolloutHistory}.
 *
 * @public
 */
export interface RolloutHistoryProps {
  cluster: ClusterRef;
  /** Reloads the page's cluster after a followed rollout finished. */
  reload?: () => void;
  /** How often to re-list while a rollout runs, in ms (default 10000). */
  refreshIntervalMs?: number;
  pollIntervalMs?: number;
}

/**
 * A cluster's rollouts, newest first: when, who, from where, what changed and how it went; a running
 * rollout's progress opens from its row. Refreshes when a rollout starts or finishes.
 *
 * @public
 */
export const RolloutHistory = (props: RolloutHistoryProps) => {
  const api = useApi(datadogEcsApiRef);
  const { cluster, refreshIntervalMs = 10_000 } = props;
  const { accountId, region, clusterName } = cluster;
  const { value, error, loading, retry } = useAsyncRetry(
    () => api.listRollouts({ accountId, region, clusterName }),
    [api, accountId, region, clusterName],
  );
  const entityLink = useEntityLink();
  const [watching, setWatching] = useState<string>();

  useEffect(
    () => subscribeRolloutsChanged({ accountId, region, clusterName }, retry),
    [accountId, region, clusterName, retry],
  );
  const anyActive =
    !!value?.activeRolloutId || !!value?.rollouts.some(r => isActive(r.status));
  useEffect(() => {
    if (!anyActive) return undefined;
    const t = setInterval(retry, refreshIntervalMs);
    return () => clearInterval(t);
  }, [anyActive, retry, refreshIntervalMs]);

  let body: JSX.Element;
  if (error) {
    body = <ResponseErrorPanel error={error} />;
  } else if (!value) {
    body = <Progress />;
  } else if (value.rollouts.length === 0) {
    body = (
      <Typography variant="body2">No rollouts to this cluster yet.</Typography>
    );
  } else {
    body = (
      <Box overflow="auto">
        <Table size="small" aria-label="Rollout history">
          <TableHead>
            <TableRow>
              <TableCell>Started</TableCell>
              <TableCell>By</TableCell>
              <TableCell>From</TableCell>
              <TableCell>Kind</TableCell>
              <TableCell>Revision</TableCell>
              <TableCell>Features</TableCell>
              <TableCell>Outcome</TableCell>
              <TableCell>Duration</TableCell>
              <TableCell>
                <Typography variant="srOnly">Actions</Typography>
              </TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {value.rollouts.map(r => {
              const active = isActive(r.status);
              return (
                <TableRow key={r.id}>
                  <TableCell title={formatDateTime(r.createdAt)}>
                    <RelativeTime value={r.createdAt} />
                  </TableCell>
                  <TableCell title={r.createdBy}>
                    {nameOfRef(r.createdBy)}
                  </TableCell>
                  <TableCell>
                    <Source rollout={r} entityLink={entityLink} />
                  </TableCell>
                  <TableCell>
                    {KIND_LABELS[r.kind]}
                    <Typography variant="caption" display="block">
                      {targetWords(r)}
                    </Typography>
                  </TableCell>
                  <TableCell>
                    {r.oldRevision ?? 'none'} → {r.newRevision ?? '…'}
                  </TableCell>
                  <TableCell>
                    {featuresWords(r.features ?? r.options?.features)}
                  </TableCell>
                  <TableCell>
                    <Outcome rollout={r} />
                  </TableCell>
                  <TableCell>
                    {active ? 'running' : durationWords(r.durationSeconds)}
                  </TableCell>
                  <TableCell>
                    <Button
                      size="small"
                      variant={active ? 'contained' : 'text'}
                      color={active ? 'primary' : 'default'}
                      onClick={() => setWatching(r.id)}
                      aria-label={`${
                        active ? 'Watch progress of' : 'Details of'
                      } ${KIND_LABELS[r.kind].toLocaleLowerCase('en-US')} ${
                        r.id
                      }`}
                    >
                      {active ? 'Watch progress' : 'Details'}
                    </Button>
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </Box>
    );
  }

  return (
    <InfoCard
      title="Rollout history"
      action={
        <Tooltip title="Refresh the rollout history">
          <span>
            <IconButton
              aria-label="Refresh the rollout history"
              onClick={retry}
              disabled={loading}
            >
              <RefreshIcon />
            </IconButton>
          </span>
        </Tooltip>
      }
    >
      {body}
      {watching && (
        <RolloutDialog
          open
          onClose={() => {
            setWatching(undefined);
            retry();
          }}
          cluster={cluster}
          watchRolloutId={watching}
          reload={props.reload}
          pollIntervalMs={props.pollIntervalMs}
        />
      )}
    </InfoCard>
  );
};
