import { ReactNode } from 'react';
import {
  UnifiedThemeProvider,
  createUnifiedTheme,
  palettes,
} from '@backstage/theme';
import DarkIcon from '@material-ui/icons/Brightness2';
import LightIcon from '@material-ui/icons/WbSunny';
import { ThemeBlueprint } from '@backstage/plugin-app-react';

/**
 * Backstage's palettes with text that meets WCAG 2 AA (4.5:1) on the app's background
 * (`--bui-bg-app`, #f5f5f5 light, #333 dark) and on paper. Material UI's defaults fall short there:
 * secondary text rgba(0,0,0,0.54) is 4.47:1 on #f5f5f5, error text #f44336 is 3.68:1 on white.
 * The e2e suite (e2e/tests/a11y.spec.ts) measures it with axe-core in both themes.
 */
export const lightTheme = createUnifiedTheme({
  palette: {
    ...palettes.light,
    // Material UI's grey[700]: 5.7:1 on #f5f5f5, 6.2:1 on white.
    text: { primary: 'rgba(0, 0, 0, 0.87)', secondary: '#616161' },
    // Backstage's own error text colour: 6.0:1 on white, 5.5:1 on #f5f5f5.
    error: { main: palettes.light.errorText },
    // Code line numbers (CodeSnippet) are drawn in this colour: 4.7:1 on #f5f5f5.
    textVerySubtle: '#6E6E6E',
  },
});

export const darkTheme = createUnifiedTheme({
  palette: {
    ...palettes.dark,
    // grey[400]: 6.7:1 on #333, 5.3:1 on the dark paper (#424242).
    text: { primary: '#FFFFFF', secondary: '#BDBDBD' },
    // Material UI's red[200]: 4.7:1 on the dark paper (#424242), 5.9:1 on #333.
    error: { main: '#EF9A9A' },
    textVerySubtle: '#B0B0B0',
  },
});

const provider =
  (theme: typeof lightTheme) =>
  ({ children }: { children: ReactNode }) =>
    <UnifiedThemeProvider theme={theme}>{children}</UnifiedThemeProvider>;

/** Replaces the app plugin's `theme:app/light`, same id and title. */
export const accessibleLightTheme = ThemeBlueprint.make({
  name: 'light',
  params: {
    theme: {
      id: 'light',
      title: 'Light Theme',
      variant: 'light',
      icon: <LightIcon />,
      Provider: provider(lightTheme),
    },
  },
});

/** Replaces the app plugin's `theme:app/dark`, same id and title. */
export const accessibleDarkTheme = ThemeBlueprint.make({
  name: 'dark',
  params: {
    theme: {
      id: 'dark',
      title: 'Dark Theme',
      variant: 'dark',
      icon: <DarkIcon />,
      Provider: provider(darkTheme),
    },
  },
});
