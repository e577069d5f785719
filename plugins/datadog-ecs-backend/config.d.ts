export interface Config {
  /** Configuration of the datadog-ecs backend plugin. */
  datadogEcs?: {};
}
