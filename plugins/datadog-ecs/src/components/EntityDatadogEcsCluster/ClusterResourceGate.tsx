import { ReactNode } from 'react';
import { ErrorPanel } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { ClusterRef } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { clusterRefFromEntity } from './clusterRefFromEntity';

/**
 * The children with the cluster the page's resource entity stands for (from its annotations,
 * never from the URL), or an error panel naming the annotations it lacks.
 */
export const ClusterResourceGate = (props: {
  children: (ref: ClusterRef) => ReactNode;
}) => {
  const { entity } = useEntity();
  const resolved = clusterRefFromEntity(entity);
  if ('missing' in resolved) {
    return (
      <ErrorPanel
        title="This resource does not name an ECS cluster"
        defaultExpanded
        error={
          new InputError(
            `${stringifyEntityRef(
              entity,
            )} lacks the annotation(s) ${resolved.missing.join(
              ', ',
            )} (or one cluster ARN in aws.amazon.com/amazon-ecs-cluster-arn), which the datadog-ecs catalog module writes`,
          )
        }
      />
    );
  }
  return <>{props.children(resolved.ref)}</>;
};
