export { DatadogEcsPage } from './DatadogEcsPage';
export type { DatadogEcsPageProps } from './DatadogEcsPage';
