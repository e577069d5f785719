import { internal, Request } from '@backstage/backend-openapi-utils';
import {
  AgentEvent,
  AgentServiceSummary,
  AgentTaskSummary,
  API_ERROR_FIELDS,
  ClusterDetails,
  ClusterRef,
  ClustersResponse,
  ClusterSummary,
  AgentScheduling,
  ServiceLookupRequest,
  ServiceLookupResult,
  ServiceLookupResponse,
  CoverageCounts,
  CoveragePoint,
  CoverageReason,
  CoverageReasonCode,
  CoverageState,
  DatadogEcsApiSpec,
  datadogEcsApiSpec,
  DatadogSite,
  EcsContainerDefinition,
  EcsHealthCheck,
  EcsKeyValuePair,
  EcsLinuxParameters,
  EcsLogConfiguration,
  EcsMountPoint,
  EcsPortMapping,
  EcsSecret,
  EcsTaskDefinition,
  EcsVolume,
  EntityClusterCoverage,
  EntityCoverageResponse,
  EntityServiceCoverage,
  EcsFailure,
  FeatureChip,
  FeatureResult,
  FeatureState,
  Finding,
  FindingSeverity,
  InstanceCapacity,
  InstanceCoverage,
  InventoryError,
  ManagedDaemonCapacityProvider,
  ManagedDaemonDeployment,
  ManagedDaemonPreview,
  ManagedDaemonReplacementPlan,
  ManagedDaemonRolloutOptions,
  ManagedDaemonSummary,
  ResolvedManagedDaemonRolloutOptions,
  RolloutTarget,
  CapacityKind,
  AgentSchedulingMode,
  LocationStatus,
  RefreshStatus,
  ResolvedRenderOptions,
  Rollout,
  RolloutCall,
  RolloutCurrentDaemon,
  RolloutDeployment,
  RolloutEvent,
  RolloutFailureKind,
  RolloutInstanceProgress,
  RolloutInstanceState,
  RolloutKind,
  RolloutListResponse,
  RolloutOperation,
  RolloutOptions,
  RolloutPreview,
  RolloutRequest,
  RolloutStatus,
  RolloutSummary,
  StartRolloutRequest,
  TaskDefinitionChange,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';

/*
 * -common's DTOs are the OpenAPI document's schemas. Checked by the type checker (`yarn tsc`): each
 * `conforms<…>()` below fails to compile when a DTO and its schema part ways, i.e. when
 *
 * - the DTO has a field the schema lacks, or the other way round;
 * - a field is required in one and optional in the other;
 * - a value of the DTO does not fit the schema (a wrong type, a value outside an enum).
 *
 * (The schema may be looser than the DTO where the document leaves a registry open: feature ids,
 * feature toggles, rule ids.) The typed router checks the same at every `res.json` of a handler.
 */

type Schemas = DatadogEcsApiSpec['components']['schemas'];
/** The TypeScript type of a schema of the document, its `$ref`s resolved. */
type Schema<N extends keyof Schemas> = internal.ToTypeSafe<
  internal.SchemaRef<DatadogEcsApiSpec, Schemas[N]>
>;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type RequiredKeys<T> = {
  [K in keyof T]-?: {} extends Pick<T, K> ? never : K;
}[keyof T];
/** The DTO fits the schema, with the same fields, required the same way (unless the schema is a map). */
type Conforms<Dto, S> = [Dto] extends [S]
  ? string extends keyof S
    ? true
    : Same<keyof Dto, keyof S> extends true
    ? Same<RequiredKeys<Dto>, RequiredKeys<S>>
    : false
  : false;

/** Compiles only for `true`. */
function conforms<_T extends true>(): boolean {
  return true;
}

describe('the OpenAPI document and -common', () => {
  it('has a schema for every DTO, which the DTO conforms to (checked by tsc)', () => {
    const checks = [
      // inventory
      conforms<Conforms<ClusterRef, Schema<'ClusterRef'>>>(),
      conforms<Conforms<CoverageReason, Schema<'CoverageReason'>>>(),
      conforms<Conforms<AgentTaskSummary, Schema<'AgentTaskSummary'>>>(),
      conforms<Conforms<InstanceCoverage, Schema<'InstanceCoverage'>>>(),
      conforms<Conforms<AgentServiceSummary, Schema<'AgentServiceSummary'>>>(),
      conforms<Conforms<AgentEvent, Schema<'AgentEvent'>>>(),
      conforms<Conforms<CoverageCounts, Schema<'CoverageCounts'>>>(),
      conforms<Conforms<InventoryError, Schema<'InventoryError'>>>(),
      conforms<Conforms<EcsFailure, Schema<'EcsFailure'>>>(),
      conforms<Conforms<FeatureChip, Schema<'FeatureChip'>>>(),
      conforms<Conforms<Finding, Schema<'Finding'>>>(),
      conforms<Conforms<FeatureResult, Schema<'FeatureResult'>>>(),
      conforms<Conforms<ClusterSummary, Schema<'ClusterSummary'>>>(),
      conforms<Conforms<CoveragePoint, Schema<'CoveragePoint'>>>(),
      conforms<Conforms<ClusterDetails, Schema<'ClusterDetails'>>>(),
      conforms<Conforms<LocationStatus, Schema<'LocationStatus'>>>(),
      conforms<Conforms<RefreshStatus, Schema<'RefreshStatus'>>>(),
      conforms<Conforms<ClustersResponse, Schema<'ClustersResponse'>>>(),
      conforms<Conforms<EntityServiceCoverage, Schema<'EntityServiceCoverage'>>>(),
      conforms<Conforms<EntityClusterCoverage, Schema<'EntityClusterCoverage'>>>(),
      conforms<Conforms<EntityCoverageResponse, Schema<'EntityCoverageResponse'>>>(),
      conforms<Conforms<AgentScheduling, Schema<'AgentScheduling'>>>(),
      conforms<Conforms<ServiceLookupRequest, Schema<'ServiceLookupRequest'>>>(),
      conforms<Conforms<ServiceLookupResult, Schema<'ServiceLookupResult'>>>(),
      conforms<Conforms<ServiceLookupResponse, Schema<'ServiceLookupResponse'>>>(),
      // ECS Managed Instances and managed daemons
      conforms<Conforms<InstanceCapacity, Schema<'InstanceCapacity'>>>(),
      conforms<
        Conforms<ManagedDaemonCapacityProvider, Schema<'ManagedDaemonCapacityProvider'>>
      >(),
      conforms<Conforms<ManagedDaemonDeployment, Schema<'ManagedDaemonDeployment'>>>(),
      conforms<Conforms<ManagedDaemonSummary, Schema<'ManagedDaemonSummary'>>>(),
      conforms<Conforms<ManagedDaemonRolloutOptions, Schema<'ManagedDaemonRolloutOptions'>>>(),
      conforms<
        Conforms<
          ResolvedManagedDaemonRolloutOptions,
          Schema<'ResolvedManagedDaemonRolloutOptions'>
        >
      >(),
      conforms<
        Conforms<ManagedDaemonReplacementPlan, Schema<'ManagedDaemonReplacementPlan'>>
      >(),
      conforms<Conforms<ManagedDaemonPreview, Schema<'ManagedDaemonPreview'>>>(),
      // ECS task definitions
      conforms<Conforms<EcsKeyValuePair, Schema<'EcsKeyValuePair'>>>(),
      conforms<Conforms<EcsSecret, Schema<'EcsSecret'>>>(),
      conforms<Conforms<EcsPortMapping, Schema<'EcsPortMapping'>>>(),
      conforms<Conforms<EcsMountPoint, Schema<'EcsMountPoint'>>>(),
      conforms<Conforms<EcsVolume, Schema<'EcsVolume'>>>(),
      conforms<Conforms<EcsHealthCheck, Schema<'EcsHealthCheck'>>>(),
      conforms<Conforms<EcsLogConfiguration, Schema<'EcsLogConfiguration'>>>(),
      conforms<Conforms<EcsLinuxParameters, Schema<'EcsLinuxParameters'>>>(),
      conforms<Conforms<EcsContainerDefinition, Schema<'EcsContainerDefinition'>>>(),
      conforms<Conforms<EcsTaskDefinition, Schema<'EcsTaskDefinition'>>>(),
      conforms<Conforms<TaskDefinitionChange, Schema<'TaskDefinitionChange'>>>(),
      // rollouts
      conforms<Conforms<RolloutRequest, Schema<'RolloutRequest'>>>(),
      conforms<Conforms<StartRolloutRequest, Schema<'StartRolloutRequest'>>>(),
      conforms<Conforms<RolloutCall, Schema<'RolloutCall'>>>(),
      conforms<Conforms<RolloutCurrentDaemon, Schema<'RolloutCurrentDaemon'>>>(),
      conforms<Conforms<RolloutPreview, Schema<'RolloutPreview'>>>(),
      conforms<Conforms<RolloutInstanceProgress, Schema<'RolloutInstanceProgress'>>>(),
      conforms<Conforms<RolloutEvent, Schema<'RolloutEvent'>>>(),
      conforms<Conforms<RolloutDeployment, Schema<'RolloutDeployment'>>>(),
      conforms<Conforms<RolloutOptions, Schema<'RolloutOptions'>>>(),
      conforms<Conforms<RolloutSummary, Schema<'RolloutSummary'>>>(),
      conforms<Conforms<Rollout, Schema<'Rollout'>>>(),
      conforms<Conforms<RolloutListResponse, Schema<'RolloutListResponse'>>>(),
      // the request bodies, as the typed router sees them
      conforms<
        Conforms<
          RolloutRequest,
          Request<
            DatadogEcsApiSpec,
            '/clusters/:accountId/:region/:clusterName/rollouts/preview',
            'post'
          >
        >
      >(),
      conforms<
        Conforms<
          StartRolloutRequest,
          Request<DatadogEcsApiSpec, '/clusters/:accountId/:region/:clusterName/rollouts', 'post'>
        >
      >(),
    ];
    expect(checks.every(Boolean)).toBe(true);
  });

  it('has the same enumerations (checked by tsc)', () => {
    const checks = [
      conforms<Same<CoverageState, Schema<'CoverageState'>>>(),
      conforms<Same<CoverageReasonCode, Schema<'CoverageReasonCode'>>>(),
      conforms<Same<FeatureState, Schema<'FeatureState'>>>(),
      conforms<Same<FindingSeverity, Schema<'FindingSeverity'>>>(),
      conforms<Same<ResolvedRenderOptions['variant'], Schema<'Variant'>>>(),
      conforms<Same<DatadogSite, Schema<'DatadogSite'>>>(),
      conforms<Same<RolloutStatus, Schema<'RolloutStatus'>>>(),
      conforms<Same<RolloutKind, Schema<'RolloutKind'>>>(),
      conforms<Same<RolloutFailureKind, Schema<'RolloutFailureKind'>>>(),
      conforms<Same<RolloutInstanceState, Schema<'RolloutInstanceState'>>>(),
      conforms<Same<RolloutOperation, Schema<'RolloutOperation'>>>(),
      conforms<Same<RolloutTarget, Schema<'RolloutTarget'>>>(),
      conforms<Same<CapacityKind, Schema<'CapacityKind'>>>(),
      conforms<Same<AgentSchedulingMode, Schema<'AgentScheduling'>['mode']>>(),
    ];
    expect(checks.every(Boolean)).toBe(true);
  });

  it('documents the error fields -common reads (ApiErrorFields), and no other', () => {
    const schemas = datadogEcsApiSpec.components.schemas as Record<string, any>;
    const errorBodies = Object.values(schemas).filter(s => s.properties?.error?.allOf);
    const documented = errorBodies.flatMap(body =>
      body.properties.error.allOf
        .map((part: { $ref: string }) => schemas[part.$ref.split('/').pop()!])
        .filter((part: any) => part !== schemas.Error)
        .flatMap((part: any) => Object.keys(part.properties)),
    );
    expect(errorBodies).toHaveLength(3);
    expect(documented.sort()).toEqual([...API_ERROR_FIELDS].sort());
  });
});
