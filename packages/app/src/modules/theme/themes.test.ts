import { getContrastRatio } from '@material-ui/core/styles';
import { BackstageTheme, UnifiedTheme } from '@backstage/theme';
import { darkTheme, lightTheme } from './themes';

const paletteOf = (theme: UnifiedTheme) =>
  (theme.getTheme('v4') as BackstageTheme).palette;

// The backgrounds text sits on: the app's (Backstage UI's --bui-bg-app, which paints the body),
// Material UI's default and paper.
const BACKGROUNDS = {
  light: ['#f5f5f5', paletteOf(lightTheme).background.default, '#ffffff'],
  dark: ['#333333', paletteOf(darkTheme).background.default, '#424242'],
};

describe.each([
  ['light', lightTheme],
  ['dark', darkTheme],
] as const)('the %s theme', (name, theme) => {
  const palette = paletteOf(theme);

  it.each(BACKGROUNDS[name])(
    'has secondary and error text at WCAG AA contrast (4.5:1) on %s',
    background => {
      expect(
        getContrastRatio(palette.text.secondary, background),
      ).toBeGreaterThanOrEqual(4.5);
      expect(
        getContrastRatio(palette.error.main, background),
      ).toBeGreaterThanOrEqual(4.5);
      expect(
        getContrastRatio(palette.textVerySubtle, background),
      ).toBeGreaterThanOrEqual(4.5);
    },
  );

  it('keeps the rest of Backstage palette', () => {
    expect(palette.primary.main).toBe(name === 'light' ? '#1F5493' : '#9CC9FF');
    expect(palette.navigation.background).toBe(
      name === 'light' ? '#171717' : '#424242',
    );
  });
});
