import { expect, Locator, Page, test } from '@playwright/test';

/*
 * The install guide's check (scripts/test-install.sh): a fresh `@backstage/create-app` app (new
 * or legacy frontend system, INSTALL_FRONTEND) with the packed plugins installed by the README's
 * steps alone, its backend against the emulator's demo fleet. Nothing of this repository's app
 * is involved: the pages, the sign-in and the catalog are create-app's.
 */

const system = process.env.INSTALL_FRONTEND ?? 'new';

/**
 * Opens `path` until `ready` shows, through create-app's guest sign-in: automatic in the legacy
 * app, an "Enter" button in the new one.
 */
async function open(page: Page, path: string, ready: Locator) {
  await page.goto(path);
  const enter = page.getByRole('button', { name: /^Enter$/i });
  await expect(enter.or(ready).first()).toBeVisible({ timeout: 90_000 });
  if (await enter.isVisible()) {
    await enter.click();
    await expect(enter).toBeHidden();
    await page.goto(path);
  }
  await expect(ready).toBeVisible({ timeout: 90_000 });
}

test.describe(`a fresh create-app app (${system} frontend system) with the README's steps`, () => {
  test('the portal page lists the demo clusters, and a cluster page opens', async ({ page }) => {
    await open(
      page,
      '/datadog-ecs',
      page.getByRole('heading', { name: 'Datadog Agent on Amazon ECS' }),
    );
    // The configured location's clusters (account 111111111111, us-east-1 and eu-west-1).
    for (const cluster of ['prod-web', 'prod-eu-payments', 'prod-batch']) {
      await expect(page.getByRole('link', { name: cluster, exact: true })).toBeVisible({
        timeout: 90_000,
      });
    }
    // Account 222222222222 is not in the README's locations: its clusters are not listed (the emulator has them).
    await expect(page.getByRole('link', { name: 'staging-replica', exact: true })).toHaveCount(0);

    await page.getByRole('link', { name: 'prod-batch', exact: true }).click();
    await expect(page).toHaveURL(/\/datadog-ecs\/clusters\/111111111111\/us-east-1\/prod-batch/);
    await expect(page.getByRole('heading', { name: 'prod-batch' })).toBeVisible();
    await expect(page.getByText('2 of 5 instances covered (40%)')).toBeVisible();
  });

  test("the Datadog Agent tab renders on the annotated service's page", async ({ page }) => {
    await open(
      page,
      '/catalog/default/component/payments-api',
      page.getByRole('heading', { name: 'payments-api' }),
    );
    await page.getByRole('tab', { name: 'Datadog Agent' }).or(
      page.getByRole('link', { name: 'Datadog Agent', exact: true }),
    ).first().click();
    await expect(page).toHaveURL(/\/catalog\/default\/component\/payments-api\/datadog-ecs$/);
    await expect(page.getByRole('link', { name: 'prod-eu-payments' }).first()).toBeVisible({
      timeout: 60_000,
    });
    await expect(
      page.getByText(/3 of 3 tasks run on instances without a working Agent/),
    ).toBeVisible();
  });
});

test(`(${system}) the catalog module's ecs-cluster resource has the cluster's page as its Datadog Agent tab`, async ({
  page,
}) => {
  // The module's provider first runs 15 s after the backend starts (the app has been up longer).
  await open(
    page,
    '/catalog/default/resource/prod-batch-us-east-1-111111111111',
    // The entity's title; the legacy app's heading also holds the favourite star's label.
    page.getByRole('heading', { name: /^prod-batch(\s|$)/ }),
  );
  await page
    .getByRole('tab', { name: 'Datadog Agent' })
    .or(page.getByRole('link', { name: 'Datadog Agent', exact: true }))
    .first()
    .click();
  await expect(page).toHaveURL(/\/catalog\/default\/resource\/prod-batch-us-east-1-111111111111\/datadog-ecs$/);
  await expect(page.getByText('2 of 5 instances covered (40%)').first()).toBeVisible({
    timeout: 60_000,
  });
});
