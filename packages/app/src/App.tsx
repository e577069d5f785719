import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import datadogEcsPlugin from '@ecs-agent-coverage/backstage-plugin-datadog-ecs/alpha';
import { navModule } from './modules/nav';
import { homeModule } from './modules/home';
import { signInModule } from './modules/signIn';
import { themeModule } from './modules/theme';

export default createApp({
  features: [
    catalogPlugin,
    datadogEcsPlugin,
    navModule,
    homeModule,
    signInModule,
    themeModule,
  ],
});
