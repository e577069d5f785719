import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { readDatadogEcsConfig } from '../config/config';
import { AwsEcsGateway } from './AwsEcsGateway';
import { EcsGateway } from './EcsGateway';

/**
 * The {@link EcsGateway} the plugin uses. Its default is the AWS SDK with credentials from the
 * `aws` config section (and `datadogEcs.ecsEndpoint` / `datadogEcs.ec2Endpoint` when set); replace it with your own
 * `createServiceFactory({ service: ecsGatewayServiceRef, … })`.
 *
 * @public
 */
export const ecsGatewayServiceRef = createServiceRef<EcsGateway>({
  id: 'datadog-ecs.ecs-gateway',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { config: coreServices.rootConfig },
      async factory({ config }) {
        // Validated like the plugin's own config: plain HTTP only in development.
        const { ecsEndpoint, ec2Endpoint, callsInFlight } =
          readDatadogEcsConfig(config);
        return new AwsEcsGateway({
          credentialsManager: DefaultAwsCredentialsManager.fromConfig(config),
          // The development endpoint serves every AWS client: EC2 too, unless ec2Endpoint is set.
          endpoint: ecsEndpoint,
          ec2Endpoint,
          callsInFlight,
        });
      },
    }),
});
