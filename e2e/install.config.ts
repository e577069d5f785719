import { defineConfig } from '@playwright/test';
import { chromiumProject } from './chromium';

// The install guide's check: scripts/test-install.sh starts a fresh create-app app on
// INSTALL_BASE_URL and runs install/smoke.spec.ts against it, once per frontend system.
export default defineConfig({
  testDir: './install',
  timeout: 180_000,
  expect: { timeout: 30_000 },
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list']],
  outputDir: './test-results/install',
  use: {
    baseURL: process.env.INSTALL_BASE_URL ?? 'http://localhost:3100',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  projects: [chromiumProject],
});
