export { RolloutButton } from './RolloutButton';
export type { RolloutButtonProps } from './RolloutButton';
export { RolloutDialog, ROLLOUTS_OFF_WORDS } from './RolloutDialog';
export type { RolloutDialogProps } from './RolloutDialog';
export { RolloutHistory } from './RolloutHistory';
export type { RolloutHistoryProps } from './RolloutHistory';
export {
  RolloutFollower,
  RolloutProgressView,
  RolloutStatusLabel,
  InstanceStateLabel,
  coverageNowWords,
} from './RolloutProgress';
export { RolloutPreviewView } from './RolloutPreviewView';
export { useRolloutPermission, notAllowedWords } from './permissions';
