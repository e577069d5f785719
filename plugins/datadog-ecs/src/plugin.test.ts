import { datadogEcsPlugin } from './plugin';

describe('datadog-ecs', () => {
  it('should export plugin', () => {
    expect(datadogEcsPlugin).toBeDefined();
  });
});
