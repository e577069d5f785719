import { expect, test } from '@playwright/test';
import { openPortal, signIn } from './helpers';

test.describe('the portal page', () => {
  test.beforeEach(async ({ page }) => {
    await signIn(page, 'guest');
    await openPortal(page);
  });

  test('shows one card per demo cluster, and names the failing account', async ({ page }) => {
    for (const cluster of [
      'prod-web',
      'prod-batch',
      'prod-eu-payments',
      'prod-eu-legacy',
      'sandbox',
      'staging-replica',
      'staging-misconfigured',
      'staging-windows',
      'edge-anywhere',
      'staging-fargate',
    ]) {
      await expect(page.getByRole('link', { name: cluster, exact: true })).toBeVisible();
    }
    await expect(page.getByText(/could not be refreshed/i)).toBeVisible();
  });

  test('filters: not fully covered, and text search', async ({ page }) => {
    await page.getByLabel('Not fully covered').check();
    await expect(page.getByRole('link', { name: 'prod-batch', exact: true })).toBeVisible();
    await expect(page.getByRole('link', { name: 'prod-web', exact: true })).toHaveCount(0);
    await expect(page).toHaveURL(/uncovered=true/);

    await page.getByRole('textbox', { name: 'Search clusters' }).fill('legacy');
    await expect(page.getByRole('link', { name: 'prod-eu-legacy', exact: true })).toBeVisible();
    await expect(page.getByRole('link', { name: 'prod-batch', exact: true })).toHaveCount(0);
  });

  test('a cluster page explains why instances are not covered', async ({ page }) => {
    await page.getByRole('link', { name: 'prod-batch', exact: true }).click();
    await expect(page).toHaveURL(/\/datadog-ecs\/clusters\/111111111111\/us-east-1\/prod-batch/);
    await expect(page.getByRole('heading', { name: 'prod-batch' })).toBeVisible();
    await expect(page.getByText('2 of 5 instances covered (40%)')).toBeVisible();
    await expect(page.getByText(/Insufficient memory/i).first()).toBeVisible();
  });
});

test('a service page shows the Datadog Agent coverage of its cluster', async ({ page }) => {
  await signIn(page, 'guest');
  await page.goto('/catalog/default/component/payments-api');
  await expect(page.getByRole('heading', { name: 'payments-api' })).toBeVisible();
  await page.getByRole('link', { name: 'Datadog Agent', exact: true }).click();
  await expect(page).toHaveURL(/\/datadog-ecs$/);
  await expect(page.getByRole('link', { name: 'prod-eu-payments' }).first()).toBeVisible({
    timeout: 60_000,
  });
  await expect(page.getByText(/3 of 3 tasks run on instances without a working Agent/)).toBeVisible();
});
