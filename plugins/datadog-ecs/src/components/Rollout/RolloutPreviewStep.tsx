import { Box, Grid, LinearProgress, Typography } from '@material-ui/core';
import { RolloutPreviewView } from './RolloutPreviewView';
import { RolloutForm, RolloutHalf } from './useRolloutForm';
import { TARGET_LABELS } from './rolloutTargets';

/** One rollout's preview: the last the server gave (dimmed while it does not answer the form). */
const HalfPreview = ({ half }: { half: RolloutHalf }) => {
  const { preview, current } = half;
  if (preview?.value) {
    return (
      <Box style={{ opacity: current ? 1 : 0.6 }}>
        <RolloutPreviewView preview={preview.value} />
      </Box>
    );
  }
  return preview?.error ? null : (
    <Typography variant="body2">Preparing the preview…</Typography>
  );
};

/**
 * The preview next to the form: the last preview the server gave (dimmed while it does not answer
 * the form as it stands), with a bar while the next one loads; both halves of a mixed cluster, in
 * the order they roll out.
 */
export const RolloutPreviewStep = (props: { rolloutForm: RolloutForm }) => {
  const { halves } = props.rolloutForm;
  const loading = halves.some(h => h.loading);
  return (
    <Grid item xs={12} md={7} component="section" aria-label="Preview">
      <Typography variant="h6" component="h3" gutterBottom>
        Preview
      </Typography>
      <Box height={4} mb={1}>
        {loading && <LinearProgress aria-label="Updating the preview" />}
      </Box>
      {halves.length === 1 ? (
        <HalfPreview half={halves[0]} />
      ) : (
        halves.map((half, i) => (
          <Box
            key={half.target}
            component="section"
            aria-label={`Preview of rollout ${i + 1}`}
            mb={3}
          >
            <Typography variant="subtitle1" component="h3" gutterBottom>
              {i + 1}. {half.target ? TARGET_LABELS[half.target] : 'Rollout'}
            </Typography>
            <HalfPreview half={half} />
          </Box>
        ))
      )}
    </Grid>
  );
};
