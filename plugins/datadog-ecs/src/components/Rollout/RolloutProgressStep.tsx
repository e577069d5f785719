import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { DialogContent } from '@material-ui/core';
import {
  ClusterRef,
  Rollout,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import useAsync from 'react-use/esm/useAsync';
import { datadogEcsApiRef } from '../../api';
import { RolloutFollower } from './RolloutProgress';
import { NextRollout, RolloutSequence } from './RolloutSequence';

interface FollowProps {
  cluster: ClusterRef;
  pollIntervalMs: number;
  /** Reloads the page's cluster after the rollout finished. */
  reload?: () => void;
}

/** A rollout known by its id only (one already running): loaded, then followed. */
const Watch = (props: FollowProps & { id: string }) => {
  const api = useApi(datadogEcsApiRef);
  const { value, error, loading } = useAsync(
    () => api.getRollout(props.id),
    [api, props.id],
  );
  if (error) return <ResponseErrorPanel error={error} />;
  if (loading || !value) return <Progress />;
  return (
    <RolloutFollower
      cluster={props.cluster}
      rollout={value}
      pollIntervalMs={props.pollIntervalMs}
      reload={props.reload}
    />
  );
};

/**
 * The dialog's second step: the rollout just started (or the one being watched) followed per
 * instance to its result, with a rollback when possible.
 */
export const RolloutProgressStep = (
  props: FollowProps & {
    /** The rollout this dialog started. */
    started?: Rollout;
    /** Else the id of the rollout to watch. */
    watchId?: string;
    /** The second half of a mixed cluster, started once `started` has completed. */
    next?: NextRollout;
  },
) => {
  const { started, watchId, next, ...follow } = props;
  let body: JSX.Element | undefined;
  if (started && next) {
    body = <RolloutSequence {...follow} first={started} next={next} />;
  } else if (started) {
    body = (
      <RolloutFollower
        cluster={follow.cluster}
        rollout={started}
        pollIntervalMs={follow.pollIntervalMs}
        reload={follow.reload}
      />
    );
  } else if (watchId) {
    body = <Watch {...follow} id={watchId} />;
  }
  return <DialogContent dividers>{body}</DialogContent>;
};
