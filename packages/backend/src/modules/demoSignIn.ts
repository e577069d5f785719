import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';
import { InputError, NotAllowedError } from '@backstage/errors';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';

/**
 * A development-only sign-in that lets you choose which demo user you are
 * (`GET /api/auth/demo/refresh` with header `x-demo-user: alice`), so the permission story can be shown and tested.
 * Only the users listed in `auth.providers.demo.users` can be chosen, and the provider refuses
 * to work outside `NODE_ENV=development` unless `dangerouslyAllowOutsideDevelopment` is set.
 */
/** The request header that names the demo user to sign in as. */
export const DEMO_USER_HEADER = 'x-demo-user';

const demoAuthenticator = createProxyAuthenticator({
  defaultProfileTransform: async (result: { userEntityRef: string }) => ({
    profile: { displayName: parseEntityRef(result.userEntityRef).name },
  }),
  initialize({ config }) {
    const allowed = config.getOptionalBoolean('dangerouslyAllowOutsideDevelopment') === true;
    const users = (config.getOptionalStringArray('users') ?? []).map(ref =>
      stringifyEntityRef(parseEntityRef(ref, { defaultKind: 'user', defaultNamespace: 'default' })),
    );
    return { enabled: process.env.NODE_ENV === 'development' || allowed, users };
  },
  async authenticate({ req }, { enabled, users }) {
    if (!enabled) {
      throw new NotAllowedError(
        "The demo sign-in is for development only; set 'auth.providers.demo.dangerouslyAllowOutsideDevelopment' to use it elsewhere",
      );
    }
    const requested = req.header(DEMO_USER_HEADER) ?? '';
    if (!requested) {
      throw new InputError(`Header '${DEMO_USER_HEADER}' is required (a demo user's name)`);
    }
    const userEntityRef = stringifyEntityRef(
      parseEntityRef(requested, { defaultKind: 'user', defaultNamespace: 'default' }),
    );
    if (!users.includes(userEntityRef)) {
      throw new NotAllowedError(`'${requested}' is not one of the demo users`);
    }
    return { result: { userEntityRef } };
  },
});

export const authModuleDemoSignIn = createBackendModule({
  pluginId: 'auth',
  moduleId: 'demo-sign-in',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ providers, config }) {
        if (!config.has('auth.providers.demo')) {
          return;
        }
        providers.registerProvider({
          providerId: 'demo',
          factory: createProxyAuthProviderFactory({
            authenticator: demoAuthenticator,
            async signInResolver({ result }, ctx) {
              return ctx.signInWithCatalogUser({ entityRef: result.userEntityRef });
            },
          }),
        });
      },
    });
  },
});
