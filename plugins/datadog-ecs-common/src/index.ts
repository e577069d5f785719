/**
 * Shared types, permissions, the Agent feature catalog and task-definition rendering
 * for the datadog-ecs Backstage plugins.
 *
 * @packageDocumentation
 */

export * from './annotations';
export * from './api/types';
export * from './api/rollouts';
export * from './api/managedDaemons';
export * from './managedDaemonDeployment';
export * from './api/client';
export * from './api/errors';
export * from './schema';
export * from './limits';
export * from './permissions';
export * from './ecsTypes';
export * from './features';
export * from './rendering';
export * from './redaction';
export * from './console';
export * from './catalog';
