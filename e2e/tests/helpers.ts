import { expect, Page } from '@playwright/test';

/** Signs in on the development sign-in page as guest or as one of the demo users. */
export async function signIn(page: Page, who: 'guest' | 'alice' | 'bob' | 'carol') {
  await page.goto('/');
  const button =
    who === 'guest'
      ? page.getByRole('button', { name: 'Enter as guest' })
      : page.getByRole('button', { name: `Sign in as ${who}` });
  await button.click();
  await expect(page.getByRole('link', { name: 'Datadog on ECS' })).toBeVisible();
}

/** Opens the portal page and waits for the first inventory to be served. */
export async function openPortal(page: Page) {
  await page.goto('/datadog-ecs');
  await expect(page.getByRole('link', { name: 'prod-web', exact: true })).toBeVisible({
    timeout: 60_000,
  });
}
