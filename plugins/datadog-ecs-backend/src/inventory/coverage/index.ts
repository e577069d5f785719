/*
 * Coverage of a cluster from one observation, in parts:
 *   rules.ts      COVERAGE_RULES: the per-instance decision, a table of named rules (first match wins)
 *   instance.ts   the rules' context for one instance, and its InstanceCoverage
 *   cluster.ts    buildClusterView: instances, counts, worst-of state, and the parts below
 *   features.ts   the Agent's features, the cluster chips (CHIP_FEATURES) and findings
 *   services.ts   the Agent services' summaries and the application services for entity pages
 *   events.ts     the Agent service events worth surfacing (the guide's keywords)
 *   scheduling.ts how the Agent is scheduled, and the definition whose features show
 *   ownership.ts  the cluster's owner and system, from its AWS tags and config
 *   placement.ts  ECS's "unable to place a task" events, read
 *   os.ts, ecs.ts readings of ECS resources (OS mismatch, revisions, Fargate, …)
 */
export { buildClusterView, worstOf } from './cluster';
export type { ClusterView, CoverageContext } from './cluster';
export { revisionOf } from './ecs';
export { EVENT_KEYWORDS } from './events';
export { clusterOwnership } from './ownership';
export type { OwnershipContext } from './ownership';
export { coverageRuleContext, instanceCoverage } from './instance';
export type { InstanceCoverageArgs } from './instance';
export { placementFailures } from './placement';
export type { PlacementFailure } from './placement';
export { COVERAGE_RULES, coverageRuleFor } from './rules';
export type {
  CoverageRule,
  CoverageRuleContext,
  CoverageVerdict,
} from './rules';
export type { StoredServiceView } from './services';
