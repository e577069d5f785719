import { defineConfig } from '@playwright/test';
import { chromiumProject } from './chromium';

// The e2e suite runs against the whole portal (ECS emulator with the demo fleet, backend, frontend),
// which Playwright starts with a fresh SQLite folder unless one is already running (outside CI).
// Chromium: $CHROMIUM_PATH (scripts/test.sh finds or installs Debian's), else Playwright's own.

export default defineConfig({
  testDir: './tests',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list']],
  outputDir: './test-results',
  webServer: {
    command: 'node scripts/portal.mjs --fresh-data',
    cwd: '..',
    url: 'http://localhost:3000',
    reuseExistingServer: !process.env.CI,
    timeout: 300_000,
    stdout: 'ignore',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
  },
  use: {
    baseURL: 'http://localhost:3000',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  projects: [chromiumProject],
});
