import { Entity } from '@backstage/catalog-model';
import { isDatadogEcsAvailable } from './conditions';

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
