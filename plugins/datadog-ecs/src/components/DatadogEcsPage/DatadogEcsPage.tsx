import {
  Content,
  ContentHeader,
  EmptyState,
  Header,
  Page,
  SupportButton,
} from '@backstage/core-components';

/** The portal page: Datadog Agent coverage of every configured ECS cluster. */
export const DatadogEcsPage = () => (
  <Page themeId="tool">
    <Header
      title="Datadog Agent on Amazon ECS"
      subtitle="Which container instances run the Datadog Agent, what it collects, and how to fix the gaps"
    />
    <Content>
      <ContentHeader title="Clusters">
        <SupportButton>
          Coverage of the Datadog Agent daemon across the ECS clusters of the configured AWS
          accounts and regions.
        </SupportButton>
      </ContentHeader>
      <EmptyState
        missing="data"
        title="No cluster inventory yet"
        description="Configure the AWS accounts and regions to inventory under datadogEcs.locations in app-config.yaml; the backend refreshes them on its schedule."
      />
    </Content>
  </Page>
);
