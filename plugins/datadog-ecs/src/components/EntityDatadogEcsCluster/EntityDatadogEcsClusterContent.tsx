import { Content } from '@backstage/core-components';
import { ClusterPage } from '../ClusterPage';
import { ClusterResourceGate } from './ClusterResourceGate';

/**
 * The "Datadog Agent" tab of an `ecs-cluster` resource: the cluster page (coverage, instances,
 * features, findings, events, task definitions, the rollout button and history) of the cluster its
 * annotations name.
 */
export const EntityDatadogEcsClusterContent = () => (
  <ClusterResourceGate>
    {ref => (
      <Content>
        <ClusterPage clusterRef={ref} catalogLink={false} />
      </Content>
    )}
  </ClusterResourceGate>
);
