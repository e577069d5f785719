export { EntityDatadogEcsClusterCard } from './EntityDatadogEcsClusterCard';
export { EntityDatadogEcsClusterContent } from './EntityDatadogEcsClusterContent';
