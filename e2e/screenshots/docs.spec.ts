import { expect, test } from '@playwright/test';
import path from 'node:path';
import { signIn } from '../tests/helpers';

const docs = (name: string) => path.resolve(__dirname, '../../docs', name);

test.use({ viewport: { width: 1440, height: 1000 } });

test('screenshots for the README', async ({ page }) => {
  await signIn(page, 'alice');

  await page.goto('/datadog-ecs');
  await expect(page.getByRole('link', { name: 'prod-web', exact: true })).toBeVisible({
    timeout: 60_000,
  });
  await page.screenshot({ path: docs('portal-page.png') });

  await page.goto('/datadog-ecs/clusters/111111111111/us-east-1/prod-batch');
  await expect(page.getByRole('heading', { name: 'prod-batch', exact: true })).toBeVisible();
  await expect(page.getByText(/Insufficient memory/i).first()).toBeVisible();
  await page.screenshot({ path: docs('cluster-page.png') });

  await page.goto('/datadog-ecs/clusters/111111111111/eu-west-1/prod-eu-legacy');
  await expect(page.getByRole('heading', { name: 'prod-eu-legacy', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Roll out the Agent' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByText('RegisterTaskDefinition').first()).toBeVisible({ timeout: 30_000 });
  await page.waitForTimeout(500);
  await page.screenshot({ path: docs('rollout-dialog.png') });

  await page.goto('/catalog/default/component/payments-api/datadog-ecs');
  await expect(page.getByRole('link', { name: 'prod-eu-payments' }).first()).toBeVisible({
    timeout: 60_000,
  });
  await page.screenshot({ path: docs('service-page.png') });
});
