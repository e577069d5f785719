import { defineConfig } from '@playwright/test';
import base from './playwright.config';

// `yarn docs:screenshots`: writes the README's screenshots to docs/ from a running demo portal.
// Not part of the test suite (it writes tracked files).
export default defineConfig({
  ...base,
  testDir: './screenshots',
});
