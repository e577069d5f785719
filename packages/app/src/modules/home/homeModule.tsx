import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { HomePageWidgetBlueprint } from '@backstage/plugin-home-react/alpha';
import { MarkdownContent } from '@backstage/core-components';

const content = `
## Datadog Agent coverage on Amazon ECS

- **[Datadog on ECS](/datadog-ecs)** — one card per cluster: which container instances run the
  Datadog Agent, why the others don't, what the Agent collects and what is misconfigured, and who
  owns the cluster; *My clusters* keeps those owned by you or one of your groups.
- **[Catalog](/)** — services annotated with \`aws.amazon.com/amazon-ecs-service-arn\` have a
  *Datadog Agent* tab showing the coverage of the clusters they run on; every cluster is an
  \`ecs-cluster\` resource whose *Datadog Agent* tab is the cluster's page.
- **Roll out** the Agent daemon Datadog documents from a cluster page (platform team) or from the
  page of a service your team owns.
`;

const gettingStartedWidget = HomePageWidgetBlueprint.make({
  name: 'getting-started',
  params: {
    name: 'GettingStarted',
    title: 'Getting Started',
    description: 'Where to start in this portal',
    components: async () => ({
      Content: () => <MarkdownContent content={content} />,
    }),
  },
});

export const homeModule = createFrontendModule({
  pluginId: 'home',
  extensions: [gettingStartedWidget],
});
