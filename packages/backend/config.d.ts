export interface Config {
  permission?: {
    /** The portal's permission policy (src/modules/permissionPolicy.ts). */
    datadogEcs?: {
      /**
       * Groups whose members may roll out the Datadog Agent to any cluster, as entity refs.
       * Others may roll out only from the pages of entities they own.
       * @default ["group:default/platform"]
       */
      rolloutGroups?: string[];
    };
  };
  auth?: {
    providers?: {
      /** The development-only demo sign-in (src/modules/demoSignIn.ts). */
      demo?: {
        /** The users one may sign in as, e.g. `alice` or `user:default/alice`. */
        users?: string[];
        /** Allow the demo sign-in outside NODE_ENV=development. Never do this in production. */
        dangerouslyAllowOutsideDevelopment?: boolean;
      };
    };
  };
}
