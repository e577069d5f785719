import { Box, Grid, LinearProgress, Typography } from '@material-ui/core';
import { RolloutPreviewView } from './RolloutPreviewView';
import { RolloutForm } from './useRolloutForm';

/**
 * The preview next to the form: the last preview the server gave (dimmed while it does not answer
 * the form as it stands), with a bar while the next one loads.
 */
export const RolloutPreviewStep = (props: { rolloutForm: RolloutForm }) => {
  const { preview, loading, current } = props.rolloutForm;
  return (
    <Grid item xs={12} md={7} component="section" aria-label="Preview">
      <Typography variant="h6" component="h3" gutterBottom>
        Preview
      </Typography>
      <Box height={4} mb={1}>
        {loading && <LinearProgress aria-label="Updating the preview" />}
      </Box>
      {preview?.value ? (
        <Box style={{ opacity: current ? 1 : 0.6 }}>
          <RolloutPreviewView preview={preview.value} />
        </Box>
      ) : (
        !preview?.error && (
          <Typography variant="body2">Preparing the preview…</Typography>
        )
      )}
    </Grid>
  );
};
