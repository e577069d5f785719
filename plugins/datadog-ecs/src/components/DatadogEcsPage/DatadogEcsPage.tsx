import { lazy, Suspense } from 'react';
import { Route, Routes } from 'react-router-dom';
import {
  Content,
  ContentHeader,
  Header,
  Page,
  Progress,
  SupportButton,
} from '@backstage/core-components';
import { ClusterList } from '../ClusterList';
import type { ClusterPageSlot } from '../ClusterPage';

/**
 * The cluster page is a chunk of its own, loaded when a cluster is opened: the portal page (the
 * cards) does not need its table, chart, code blocks and rollout dialog (docs/benchmarks.md, item 5).
 */
const ClusterPage = lazy(() =>
  import('../ClusterPage/ClusterPage').then(m => ({ default: m.ClusterPage })),
);

/**
 * Props of {@link DatadogEcsPage}.
 *
 * @public
 */
export interface DatadogEcsPageProps {
  /**
   * Extension slot in the cluster page's header. Defaults to the rollout button and dialog
   * (`defaultClusterPageActions`); `null` for none.
   */
  clusterPageActions?: ClusterPageSlot | null;
  /**
   * Extension slot for full-width sections of the cluster page. Defaults to the rollout history
   * (`defaultClusterPageSections`); `null` for none.
   */
  clusterPageSections?: ClusterPageSlot | null;
  /** How often to poll `GET /clusters` while a refresh runs, in ms (default 2000). */
  pollIntervalMs?: number;
}

const Overview = (props: { pollIntervalMs?: number }) => (
  <>
    <ContentHeader title="Clusters">
      <SupportButton>
        Coverage of the Datadog Agent daemon across the ECS clusters of the
        configured AWS accounts and regions.
      </SupportButton>
    </ContentHeader>
    <ClusterList pollIntervalMs={props.pollIntervalMs} />
  </>
);

/**
 * The portal page: Datadog Agent coverage of every configured ECS cluster, and each cluster's page
 * at `clusters/:accountId/:region/:clusterName` below it.
 */
export const DatadogEcsPage = (props: DatadogEcsPageProps) => (
  <Page themeId="tool">
    <Header
      title="Datadog Agent on Amazon ECS"
      subtitle="Which container instances run the Datadog Agent, what it collects, and how to fix the gaps"
    />
    <Content>
      <Routes>
        <Route
          path="/"
          element={<Overview pollIntervalMs={props.pollIntervalMs} />}
        />
        <Route
          path="/clusters/:accountId/:region/:clusterName"
          element={
            <Suspense fallback={<Progress />}>
              <ClusterPage
                actions={props.clusterPageActions}
                sections={props.clusterPageSections}
              />
            </Suspense>
          }
        />
      </Routes>
    </Content>
  </Page>
);
