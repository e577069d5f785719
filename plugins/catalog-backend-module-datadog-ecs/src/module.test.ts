import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import catalogModuleDatadogEcs from '.';
import { DatadogEcsClusterEntityProvider } from './DatadogEcsClusterEntityProvider';
import { DatadogEcsServiceRelationProcessor } from './DatadogEcsServiceRelationProcessor';

describe('catalogModuleDatadogEcs', () => {
  it('registers the cluster provider and the relation processor with the catalog', async () => {
    const addEntityProvider = jest.fn();
    const addProcessor = jest.fn();
    const backend = await startTestBackend({
      extensionPoints: [
        [
          catalogProcessingExtensionPoint,
          {
            addEntityProvider,
            addProcessor,
            addPlaceholderResolver: jest.fn(),
            setOnProcessingErrorHandler: jest.fn(),
          },
        ],
      ],
      features: [
        catalogModuleDatadogEcs,
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });
    expect(addEntityProvider).toHaveBeenCalledTimes(1);
    const [provider] = addEntityProvider.mock.calls[0];
    expect(provider).toBeInstanceOf(DatadogEcsClusterEntityProvider);
    expect(provider.getProviderName()).toBe('datadog-ecs-clusters');
    expect(addProcessor).toHaveBeenCalledTimes(1);
    expect(addProcessor.mock.calls[0][0]).toBeInstanceOf(
      DatadogEcsServiceRelationProcessor,
    );
    await backend.stop();
  });
});
