/**
 * How every Playwright run of this repository launches Chromium (the e2e suite, the install
 * guide's check, the browser benchmark): headless in a container without a GPU, without background
 * traffic. The browser is $CHROMIUM_PATH when set (scripts/test.sh finds or installs Debian's),
 * else Playwright's own.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

export const chromiumProject = {
  name: 'chromium',
  use: {
    browserName: 'chromium' as const,
    viewport: { width: 1440, height: 900 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || undefined,
      args: CHROMIUM_ARGS,
    },
  },
};
