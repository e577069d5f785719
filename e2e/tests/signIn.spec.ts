import { expect, test } from '@playwright/test';

test('a guest signs in and sees the datadog-ecs page in the sidebar', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter as guest' }).click();

  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await nav.getByRole('link', { name: 'Datadog on ECS' }).click();

  await expect(page).toHaveURL(/\/datadog-ecs$/);
  await expect(
    page.getByRole('heading', { name: 'Datadog Agent on Amazon ECS' }),
  ).toBeVisible();
});

test('a demo user signs in by name, and signing out offers the choice again', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Sign in as alice' }).click();
  await page.goto('/settings');
  await expect(page.getByText('alice', { exact: true }).first()).toBeVisible();

  await page.getByRole('button', { name: 'more' }).click();
  await page.getByRole('menuitem', { name: /sign out/i }).click();
  await expect(page.getByRole('button', { name: 'Enter as guest' })).toBeVisible();
});
