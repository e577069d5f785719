/**
 * Datadog Agent coverage on Amazon ECS: the frontend plugin (legacy frontend system).
 * The new frontend system's plugin is the `/alpha` export.
 *
 * @packageDocumentation
 */

export {
  datadogEcsPlugin,
  DatadogEcsPage,
  EntityDatadogEcsCard,
  EntityDatadogEcsContent,
  EntityDatadogEcsClusterCard,
  EntityDatadogEcsClusterContent,
} from './plugin';
export { isDatadogEcsAvailable, isEcsClusterResource } from './conditions';
export {
  rootRouteRef as datadogEcsRouteRef,
  clusterRouteRef as datadogEcsClusterRouteRef,
} from './routes';
export { datadogEcsApiRef, datadogEcsApiFactory } from './api';
export type { DatadogEcsPageProps } from './components/DatadogEcsPage';
export {
  ClusterPage as DatadogEcsClusterPage,
  useClusterPageContext,
  defaultClusterPageActions,
  defaultClusterPageSections,
} from './components/ClusterPage';
export {
  RolloutButton as DatadogEcsRolloutButton,
  RolloutDialog as DatadogEcsRolloutDialog,
  RolloutHistory as DatadogEcsRolloutHistory,
} from './components/Rollout';
export type {
  RolloutButtonProps as DatadogEcsRolloutButtonProps,
  RolloutDialogProps as DatadogEcsRolloutDialogProps,
  RolloutHistoryProps as DatadogEcsRolloutHistoryProps,
  RolloutPermission as DatadogEcsRolloutPermission,
} from './components/Rollout';
export type {
  ClusterPageContextValue,
  ClusterPageSlot,
} from './components/ClusterPage';
export {
  CoverageStateLabel,
  CoverageGauge,
  FeatureChips,
  FeatureStateChip,
  FindingList,
  FindingCounts,
  RelativeTime,
  COVERAGE_STATE_LABELS,
  CLUSTER_STATE_LABELS,
} from './components/shared';
