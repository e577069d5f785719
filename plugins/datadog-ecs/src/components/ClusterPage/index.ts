export {
  ClusterPage,
  ClusterView,
  defaultClusterPageActions,
  defaultClusterPageSections,
} from './ClusterPage';
export { CoverageHistoryChart, historySummary } from './CoverageHistoryChart';
export { useClusterPageContext } from './extensions';
export type { ClusterPageContextValue, ClusterPageSlot } from './extensions';
