import { expect, Page, test } from '@playwright/test';
import { signIn } from './helpers';

// These run in order against one portal: each rollout changes the emulator's fleet.
test.describe.configure({ mode: 'serial' });

const NOT_ALLOWED = /You are not allowed to roll out/;

async function openCluster(page: Page, path: string, name: string) {
  await page.goto(`/datadog-ecs/clusters/${path}`);
  await expect(page.getByRole('heading', { name, exact: true })).toBeVisible({ timeout: 60_000 });
}

/** Confirms the rollout in the open dialog and waits for it to finish. */
async function confirmAndFollow(page: Page) {
  const dialog = page.getByRole('dialog');
  const confirm = dialog.getByRole('button', { name: /^Confirm rollout to \d+ instances?$/ });
  await expect(confirm).toBeEnabled({ timeout: 30_000 });
  await confirm.click();
  await expect(dialog.getByRole('table', { name: 'Rollout progress per instance' })).toBeVisible();
  await expect(dialog.getByText(/Rollout completed/)).toBeVisible({ timeout: 90_000 });
  return dialog;
}

test('a user outside the platform group cannot roll out, on the cluster page or on a service they do not own', async ({
  page,
}) => {
  await signIn(page, 'carol');
  await openCluster(page, '111111111111/eu-west-1/prod-eu-payments', 'prod-eu-payments');
  const button = page.getByRole('button', { name: 'Roll out the Agent' });
  await expect(button).toBeDisabled();
  await expect(page.getByText(NOT_ALLOWED).first()).toBeVisible();

  await page.goto('/catalog/default/component/payments-api/datadog-ecs');
  await expect(page.getByRole('link', { name: 'prod-eu-payments' }).first()).toBeVisible({
    timeout: 60_000,
  });
  await expect(page.getByRole('button', { name: /Roll out the Agent/ }).first()).toBeDisabled();
  await expect(page.getByText(NOT_ALLOWED).first()).toBeVisible();
});

test('a platform-group user rolls out to an uncovered cluster and watches it reach 100%', async ({
  page,
}) => {
  await signIn(page, 'alice');
  await openCluster(page, '111111111111/eu-west-1/prod-eu-payments', 'prod-eu-payments');
  await expect(page.getByText('0 of 3 instances covered (0%)')).toBeVisible();

  await page.getByRole('button', { name: 'Roll out the Agent' }).click();
  const dialog = page.getByRole('dialog');
  // The preview names the ECS calls before anything happens.
  await expect(dialog.getByText('RegisterTaskDefinition').first()).toBeVisible({ timeout: 30_000 });
  await expect(dialog.getByText('CreateService').first()).toBeVisible();

  await confirmAndFollow(page);
  await expect(dialog.getByText('Coverage now 3 of 3 instances (100%)')).toBeVisible({
    timeout: 30_000,
  });
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByText('3 of 3 instances covered (100%)')).toBeVisible({ timeout: 30_000 });
  // The history lists it, with who ran it.
  await expect(page.getByText(/alice/).first()).toBeVisible();
});

test("a service's owner rolls out from the service page", async ({ page }) => {
  await signIn(page, 'bob');
  await page.goto('/catalog/default/component/legacy-reports/datadog-ecs');
  await expect(page.getByRole('link', { name: 'prod-eu-legacy' }).first()).toBeVisible({
    timeout: 60_000,
  });
  const button = page.getByRole('button', { name: /Roll out the Agent/ }).first();
  await expect(button).toBeEnabled();
  await button.click();

  const dialog = await confirmAndFollow(page);
  await expect(dialog.getByText(/Coverage now \d+ of 4 instances/)).toBeVisible({ timeout: 30_000 });
});

test("a service's owner is refused on a cluster another team owns, and told whom to ask", async ({
  page,
}) => {
  // dotnet-api is bob's (payments), but it runs on staging-windows, which the platform team owns:
  // the cluster's owner decides, not the service's.
  await signIn(page, 'bob');
  await page.goto('/catalog/default/component/dotnet-api/datadog-ecs');
  await expect(page.getByRole('link', { name: 'staging-windows' }).first()).toBeVisible({
    timeout: 60_000,
  });
  await expect(page.getByRole('button', { name: /Roll out the Agent/ }).first()).toBeDisabled();
  await expect(
    page.getByText(/to staging-windows: ask its owner, group:default\/platform/).first(),
  ).toBeVisible();
  await expect(page.getByRole('link', { name: 'platform' }).first()).toBeVisible();
});

test('a platform-group user rolls out the Agent as a managed daemon to an ECS Managed Instances cluster and watches it reach 100%', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await signIn(page, 'alice');
  await openCluster(page, '222222222222/us-east-1/staging-managed', 'staging-managed');
  await expect(page.getByText('0 of 3 instances covered (0%)')).toBeVisible();
  // Each instance says which capacity it belongs to, and why the Agent is not there.
  await expect(page.getByText(/Managed Instances staging-managed-mi/).first()).toBeVisible();

  await page.getByRole('button', { name: 'Roll out the Agent' }).click();
  const dialog = page.getByRole('dialog');
  // Only Managed Instances here: the managed daemon is the target, with its deployment options.
  await expect(dialog.getByRole('radio', { name: /managed daemon/i })).toBeChecked();
  const drain = dialog.getByLabel('Drain percent');
  await expect(drain).toHaveValue('25');
  await drain.fill('100');
  // The preview names the daemon calls and how ECS replaces the instances.
  await expect(dialog.getByText('RegisterDaemonTaskDefinition').first()).toBeVisible({ timeout: 30_000 });
  await expect(dialog.getByText('CreateDaemon').first()).toBeVisible();
  await expect(dialog.getByText(/3 instances replaced in 1 batch of up to 3 \(100% drained at a time\)/).first()).toBeVisible();

  const confirm = dialog.getByRole('button', { name: /^Confirm rollout to 3 instances$/ });
  await expect(confirm).toBeEnabled({ timeout: 30_000 });
  await confirm.click();
  await expect(dialog.getByText(/Rollout completed/)).toBeVisible({ timeout: 200_000 });
  await expect(dialog.getByText('Coverage now 3 of 3 instances (100%)')).toBeVisible({
    timeout: 30_000,
  });
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByText('3 of 3 instances covered (100%)')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(/managed daemon datadog-agent/).first()).toBeVisible();
});
