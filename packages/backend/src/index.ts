import { createBackend } from '@backstage/backend-defaults';
import { authModuleDemoSignIn } from './modules/demoSignIn';
import { permissionModuleDatadogEcsPolicy } from './modules/permissionPolicy';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// Sign-in: guest in development, plus a development-only chooser of demo users.
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(authModuleDemoSignIn);

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
// ECS clusters of the datadog-ecs inventory as Resource entities, and dependsOn relations from the
// services the inventory confirms to the clusters they run on.
backend.add(
  import(
    '@ecs-agent-coverage/backstage-plugin-catalog-backend-module-datadog-ecs'
  ),
);

// Permissions, decided by the portal's own policy (see modules/permissionPolicy.ts).
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(permissionModuleDatadogEcsPolicy);

backend.add(import('@backstage/plugin-user-settings-backend'));

// Exposes registered actions (the datadog-ecs plugin's among them) to AI tooling over MCP.
backend.add(import('@backstage/plugin-mcp-actions-backend'));

backend.add(import('@ecs-agent-coverage/backstage-plugin-datadog-ecs-backend'));

backend.start();
