export { DatadogEcsPage } from './DatadogEcsPage';
