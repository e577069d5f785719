import { Entity } from '@backstage/catalog-model';
import { isDatadogEcsAvailable, isEcsClusterResource } from './conditions';

const entity = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'x', annotations },
});

describe('isDatadogEcsAvailable', () => {
  it.each([
    [
      {
        'aws.amazon.com/amazon-ecs-service-arn':
          'arn:aws:ecs:us-east-1:1:service/c/s',
      },
      true,
    ],
    [
      {
        'aws.amazon.com/amazon-ecs-cluster-arn':
          'arn:aws:ecs:us-east-1:1:cluster/c',
      },
      true,
    ],
    [{ 'aws.amazon.com/amazon-ecs-service-arn': ' , ' }, false],
    [{ 'backstage.io/techdocs-ref': 'dir:.' }, false],
  ])('%j → %s', (annotations, expected) => {
    expect(isDatadogEcsAvailable(entity(annotations))).toBe(expected);
  });
});

const CLUSTER_ARN = 'arn:aws:ecs:us-east-1:111111111111:cluster/prod-web';

const resource = (type: string | undefined, kind = 'Resource'): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: {
    name: 'prod-web-us-east-1-111111111111',
    annotations: { 'aws.amazon.com/amazon-ecs-cluster-arn': CLUSTER_ARN },
  },
  spec: { type, owner: 'group:default/platform' },
});

describe('isEcsClusterResource', () => {
  it('is true for resources of type ecs-cluster, whatever the kind’s case', () => {
    expect(isEcsClusterResource(resource('ecs-cluster'))).toBe(true);
    expect(isEcsClusterResource(resource('ecs-cluster', 'resource'))).toBe(
      true,
    );
  });

  it.each([
    ['another resource type', resource('database')],
    ['no type', resource(undefined)],
    ['a component of type ecs-cluster', resource('ecs-cluster', 'Component')],
    [
      'a service',
      entity({ 'aws.amazon.com/amazon-ecs-cluster-arn': CLUSTER_ARN }),
    ],
  ])('is false for %s', (_, e) => {
    expect(isEcsClusterResource(e)).toBe(false);
  });

  it('keeps the services’ tab and card off cluster resources, which carry the cluster ARN too', () => {
    expect(isDatadogEcsAvailable(resource('ecs-cluster'))).toBe(false);
    expect(isDatadogEcsAvailable(resource('database'))).toBe(true);
  });
});
