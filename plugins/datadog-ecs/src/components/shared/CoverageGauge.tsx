import { Box, LinearProgress, Typography, makeStyles } from '@material-ui/core';
import { ClusterSummary } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { FARGATE_NOT_APPLICABLE } from './coverageState';

const useStyles = makeStyles(theme => ({
  bar: { height: 8, borderRadius: 4 },
  good: { backgroundColor: theme.palette.success.main },
  partial: { backgroundColor: theme.palette.warning.main },
  bad: { backgroundColor: theme.palette.error.main },
}));

/** "3 of 5 instances covered (60%)" in words. */
export function coverageWords(covered: number, total: number): string {
  const percent = total ? Math.floor((covered / total) * 100) : 0;
  return `${covered} of ${total} instance${
    total === 1 ? '' : 's'
  } covered (${percent}%)`;
}

/**
 * A compact coverage bar with the numbers in words. Cheap enough for hundreds of cluster cards.
 *
 * @public
 */
export const CoverageGauge = (props: {
  covered: number;
  total: number;
  /** Hide the words (when the caller shows them itself). */
  hideText?: boolean;
}) => {
  const classes = useStyles();
  const { covered, total } = props;
  const percent = total ? Math.floor((covered / total) * 100) : 0;
  let tone = classes.bad;
  if (percent === 100) tone = classes.good;
  else if (percent > 0) tone = classes.partial;
  const words = coverageWords(covered, total);
  return (
    <Box>
      <LinearProgress
        variant="determinate"
        value={percent}
        aria-label={words}
        classes={{ root: classes.bar, bar: tone }}
      />
      {!props.hideText && (
        <Typography variant="body2" component="p">
          {covered} of {total} instance{total === 1 ? '' : 's'} covered (
          {percent}%)
        </Typography>
      )}
    </Box>
  );
};

/** A cluster's coverage gauge, or why there is none (a Fargate-only cluster). */
export const ClusterCoverageGauge = (props: {
  cluster: Pick<ClusterSummary, 'fargateOnly' | 'counts'>;
}) =>
  props.cluster.fargateOnly ? (
    <Typography variant="body2">{FARGATE_NOT_APPLICABLE}</Typography>
  ) : (
    <CoverageGauge
      covered={props.cluster.counts.covered}
      total={props.cluster.counts.instances}
    />
  );
