import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

// The catalog module emits one `ecs-cluster` resource per inventoried cluster (its first run comes
// some seconds after the backend starts, after the first inventory): its page has the cluster view.
const RESOURCE = '/catalog/default/resource/prod-batch-us-east-1-111111111111';

test('a cluster’s catalog resource shows the cluster view, and the cluster page links to it', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await signIn(page, 'guest');

  // Wait for the catalog to have the resource.
  await expect(async () => {
    await page.goto(RESOURCE);
    // The entity's title (its page says "Entity not found" under the entity's name until then).
    await expect(page.getByRole('heading', { name: 'prod-batch', exact: true })).toBeVisible({
      timeout: 5_000,
    });
  }).toPass({ timeout: 120_000, intervals: [5_000] });

  // The overview card.
  await expect(page.getByText('Datadog Agent on ECS')).toBeVisible({ timeout: 60_000 });

  // The tab: the cluster page of the cluster the annotations name, with its rollout button.
  await page.getByRole('link', { name: 'Datadog Agent', exact: true }).click();
  await expect(page).toHaveURL(/\/datadog-ecs$/);
  await expect(page.getByText('2 of 5 instances covered (40%)').first()).toBeVisible();
  await expect(page.getByText(/^(Owner:|No owner$)/).first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Roll out the Agent' }).first()).toBeVisible();
  await expect(page.getByRole('link', { name: 'Catalog resource' })).toHaveCount(0);

  // The portal's cluster page links back to the resource.
  await page.goto('/datadog-ecs/clusters/111111111111/us-east-1/prod-batch');
  const link = page.getByRole('link', { name: 'Catalog resource' });
  await expect(link).toBeVisible({ timeout: 60_000 });
  await link.click();
  await expect(page).toHaveURL(new RegExp(`${RESOURCE}`));
});
