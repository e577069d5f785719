export { EntityDatadogEcsCard } from './EntityDatadogEcsCard';
export { EntityDatadogEcsContent } from './EntityDatadogEcsContent';
