export interface Config {
  app?: {
    /**
     * The development sign-in page's demo users (see packages/app/src/modules/signIn).
     * Each needs a matching `auth.providers.demo.users` entry in the backend's config.
     */
    demoSignIn?: {
      /** @visibility frontend */
      users?: Array<{
        /** The user entity's name in the default namespace, e.g. `alice`. @visibility frontend */
        name: string;
        /** @visibility frontend */
        title: string;
        /** @visibility frontend */
        description?: string;
      }>;
    };
  };
}
