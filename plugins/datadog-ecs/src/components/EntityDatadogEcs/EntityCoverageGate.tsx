import { ReactNode } from 'react';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  ClusterRef,
  ECS_SERVICE_ARN_ANNOTATION,
  EntityCoverageResponse,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { isDatadogEcsAvailable } from '../../conditions';
import { useClusterLink, useEntityCoverage } from '../shared';

/** The children, or Backstage's missing-annotation empty state for an entity without the ECS annotation. */
export const RequireEcsAnnotation = (props: { children: ReactNode }) => {
  const { entity } = useEntity();
  if (!isDatadogEcsAvailable(entity)) {
    return (
      <MissingAnnotationEmptyState annotation={ECS_SERVICE_ARN_ANNOTATION} />
    );
  }
  return <>{props.children}</>;
};

/** What the card and the tab show the page's entity from. */
export interface LoadedEntityCoverage {
  value: EntityCoverageResponse;
  /** Loads it again (after a rollout finished). */
  retry: () => void;
  /** The page's entity, for the rollout buttons. */
  entityRef: string;
  clusterLink?: (ref: ClusterRef) => string;
}

/** Loads the page's entity's coverage: an error panel, progress, then `children` with it. */
export const EntityCoverageLoader = (props: {
  children: (loaded: LoadedEntityCoverage) => ReactNode;
}) => {
  const { entity } = useEntity();
  const { value, loading, error, retry } = useEntityCoverage();
  const clusterLink = useClusterLink();
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return loading ? <Progress /> : null;
  return (
    <>
      {props.children({
        value,
        retry,
        entityRef: stringifyEntityRef(entity),
        clusterLink,
      })}
    </>
  );
};
