import { useApiHolder } from '@backstage/core-plugin-api';
import {
  EntityRefLink,
  catalogApiRef,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { Typography } from '@material-ui/core';
import {
  ClusterRef,
  clusterEntityRef,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import useAsync from 'react-use/esm/useAsync';
import { useMountedRouteRef } from './hooks';

/**
 * An entity ref as the catalog's `EntityRefLink` when the catalog's entity page is mounted in this
 * app, else as its text (an app without the catalog).
 */
export const MaybeEntityRefLink = (props: {
  entityRef: string;
  title?: string;
}) => {
  const mounted = useMountedRouteRef(entityRouteRef);
  if (!mounted) return <span>{props.title ?? props.entityRef}</span>;
  return <EntityRefLink entityRef={props.entityRef} title={props.title} />;
};

/** "Owner: <the owner, linked>", or "No owner" (no owner tag and no configured default). */
export const ClusterOwner = (props: {
  cluster: { owner?: string; ownerSource?: 'tag' | 'config' };
  /** Say where the owner comes from (the cluster's AWS tag or the configured default). */
  source?: boolean;
}) => {
  const { owner, ownerSource } = props.cluster;
  if (!owner) {
    return (
      <Typography variant="body2" color="textSecondary">
        No owner
      </Typography>
    );
  }
  let from = '';
  if (props.source && ownerSource === 'tag')
    from = ' (from the cluster’s AWS tag)';
  if (props.source && ownerSource === 'config')
    from = ' (the configured default)';
  return (
    <Typography variant="body2">
      Owner: <MaybeEntityRefLink entityRef={owner} />
      {from}
    </Typography>
  );
};

/**
 * The cluster's `ecs-cluster` resource in the catalog, when the catalog has it; nothing otherwise
 * (no catalog in this app, no catalog module, the entity not ingested yet, or a failed lookup).
 */
export function useClusterCatalogEntityRef(
  ref: ClusterRef,
): string | undefined {
  const catalogApi = useApiHolder().get(catalogApiRef);
  const entityRef = clusterEntityRef(ref);
  const { value } = useAsync(async () => {
    if (!catalogApi) return undefined;
    try {
      const entity = await catalogApi.getEntityByRef(entityRef);
      return entity ? entityRef : undefined;
    } catch {
      return undefined;
    }
  }, [catalogApi, entityRef]);
  return value;
}

/** "Catalog resource": a link to the cluster's resource page, when the catalog has it. */
export const ClusterCatalogLink = (props: { cluster: ClusterRef }) => {
  const entityRef = useClusterCatalogEntityRef(props.cluster);
  const mounted = useMountedRouteRef(entityRouteRef);
  if (!entityRef || !mounted) return null;
  return (
    <Typography variant="body2">
      <EntityRefLink entityRef={entityRef} title="Catalog resource" />
    </Typography>
  );
};
