import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { coveredCluster } from '../../__fixtures__';
import { ClusterCard } from './ClusterCard';

describe('ClusterCard', () => {
  it('links the cluster to its page and to the AWS console of its partition', async () => {
    await renderInTestApp(
      <ClusterCard
        cluster={{
          ...coveredCluster,
          region: 'cn-northwest-1',
          clusterArn:
            'arn:aws-cn:ecs:cn-northwest-1:111111111111:cluster/prod-web',
        }}
        href="/datadog-ecs/clusters/111111111111/cn-northwest-1/prod-web"
      />,
    );
    expect(screen.getByRole('link', { name: 'prod-web' })).toHaveAttribute(
      'href',
      '/datadog-ecs/clusters/111111111111/cn-northwest-1/prod-web',
    );
    const link = screen.getByRole('link', {
      name: /^Open cluster prod-web in the AWS console/,
    });
    expect(link).toHaveAttribute(
      'href',
      'https://cn-northwest-1.console.amazonaws.cn/ecs/v2/clusters/prod-web/services?region=cn-northwest-1',
    );
    expect(link).toHaveAttribute('target', '_blank');
  });
});
