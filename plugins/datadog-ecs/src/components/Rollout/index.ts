export { RolloutButton } from './RolloutButton';
export type { RolloutButtonProps } from './RolloutButton';
export { RolloutDialog } from './RolloutDialog';
export { ROLLOUTS_OFF_WORDS } from './words';
export type { RolloutDialogProps } from './RolloutDialog';
export { RolloutHistory } from './RolloutHistory';
export type { RolloutHistoryProps } from './RolloutHistory';
export {
  RolloutFollower,
  RolloutProgressView,
  RolloutStatusLabel,
  InstanceStateLabel,
} from './RolloutProgress';
export { coverageNowWords } from './RolloutResultStep';
export { RolloutPreviewView } from './RolloutPreviewView';
export { useRolloutPermission, notAllowedWords } from './permissions';
export type { RolloutPermission } from './permissions';
