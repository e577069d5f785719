import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { accessibleDarkTheme, accessibleLightTheme } from './themes';

export { darkTheme, lightTheme } from './themes';

/** The app's light and dark themes, with text colours that meet WCAG 2 AA contrast. */
export const themeModule = createFrontendModule({
  pluginId: 'app',
  extensions: [accessibleLightTheme, accessibleDarkTheme],
});
