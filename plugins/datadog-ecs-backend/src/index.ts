export { datadogEcsPlugin as default } from './plugin';
