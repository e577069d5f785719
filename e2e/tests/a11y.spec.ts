import { expect, Locator, Page, test } from '@playwright/test';
import type { AxeResults, Result } from 'axe-core';
import { openPortal, signIn } from './helpers';

// axe-core (WCAG 2 A and AA rules) on the pages people use, in the app's own theme: each page must
// have no violation. axe's script comes from node_modules, injected into the page.
const AXE = require.resolve('axe-core/axe.min.js');

async function axeViolations(page: Page): Promise<Result[]> {
  await page.addScriptTag({ path: AXE });
  const results: AxeResults = await page.evaluate(() =>
    (window as any).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] },
      resultTypes: ['violations'],
    }),
  );
  return results.violations;
}

/** One line per violation and node, so a failure says what and where. */
function describe(violations: Result[]): string[] {
  return violations.flatMap(v =>
    v.nodes.map(
      n =>
        `${v.id} (${v.impact}): ${n.target.join(
          ' ',
        )} — ${n.failureSummary?.replace(/\s+/g, ' ')}`,
    ),
  );
}

async function expectNoViolations(page: Page) {
  expect(describe(await axeViolations(page))).toEqual([]);
}

async function openCluster(page: Page, path: string, name: string) {
  await page.goto(`/datadog-ecs/clusters/${path}`);
  await expect(page.getByRole('heading', { name, exact: true })).toBeVisible({
    timeout: 60_000,
  });
  await expect(
    page.getByText('Agent task definitions', { exact: true }),
  ).toBeVisible();
}

for (const theme of ['light', 'dark'] as const) {
  test.describe(`accessibility (axe, WCAG 2 A/AA), ${theme} theme`, () => {
    test.beforeEach(async ({ page }) => {
      await page.addInitScript(
        id => window.localStorage.setItem('theme', id),
        theme,
      );
    });

    test('the portal page', async ({ page }) => {
      await signIn(page, 'guest');
      await openPortal(page);
      await expectNoViolations(page);
    });

    test('a cluster page', async ({ page }) => {
      await signIn(page, 'guest');
      await openCluster(
        page,
        '111111111111/us-east-1/prod-batch',
        'prod-batch',
      );
      // A fresh portal has one sample (a sentence, no chart); the next scheduled refresh, within
      // a minute, adds the second.
      const chart = page.getByRole('img', {
        name: /^Coverage history chart\. Coverage went/,
      });
      await expect(async () => {
        await page.reload();
        await expect(chart).toBeVisible({ timeout: 5_000 });
      }).toPass({ timeout: 90_000, intervals: [5_000] });
      await expect(
        page.getByRole('region', { name: /^Task definition / }).first(),
      ).toBeVisible();
      await expectNoViolations(page);

      // The chart's tooltip answers the keyboard too, and passes as well.
      await chart.focus();
      await page.keyboard.press('ArrowRight');
      await expect(page.locator('.recharts-default-tooltip')).toContainText(
        /Coverage\s*:\s*\d+% \(\d+ of 5 instances\)/,
      );
      await expectNoViolations(page);
    });

    test('the rollout dialog, with its preview', async ({ page }) => {
      await signIn(page, 'alice');
      await openCluster(
        page,
        '111111111111/eu-west-1/prod-eu-payments',
        'prod-eu-payments',
      );
      await page.getByRole('button', { name: 'Roll out the Agent' }).click();
      const dialog = page.getByRole('dialog');
      await expect(
        dialog.getByText('RegisterTaskDefinition').first(),
      ).toBeVisible({
        timeout: 30_000,
      });
      await expect(
        dialog.getByRole('button', {
          name: /^Confirm rollout to \d+ instances?$/,
        }),
      ).toBeEnabled({ timeout: 30_000 });
      await expectNoViolations(page);
    });

    test("a service's Datadog Agent tab", async ({ page }) => {
      await signIn(page, 'guest');
      await page.goto('/catalog/default/component/payments-api/datadog-ecs');
      await expect(
        page.getByRole('link', { name: 'prod-eu-payments' }).first(),
      ).toBeVisible({
        timeout: 60_000,
      });
      await expect(
        page.getByText(/3 of 3 tasks run on instances without a working Agent/),
      ).toBeVisible();
      await expectNoViolations(page);
    });
  });
}

/**
 * Whether every corner of the text's box lies inside the hole of the ring (the circle inside the
 * stroke), in CSS pixels. rc-progress draws the ring in a 100×100 view box: radius 50 − 12/2,
 * stroke 12, so the hole's radius is 38% of the drawn width.
 */
async function labelFitsInRing(ring: Locator, label: Locator) {
  const ringBox = (await ring.boundingBox())!;
  const text = await label.evaluate(el => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const r = range.getBoundingClientRect();
    return {
      x: r.x,
      y: r.y,
      width: r.width,
      height: r.height,
      content: el.textContent,
    };
  });
  const cx = ringBox.x + ringBox.width / 2;
  const cy = ringBox.y + ringBox.height / 2;
  const hole = 0.38 * ringBox.width;
  const corners = [
    [text.x, text.y],
    [text.x + text.width, text.y],
    [text.x, text.y + text.height],
    [text.x + text.width, text.y + text.height],
  ];
  const farthest = Math.max(
    ...corners.map(([x, y]) => Math.hypot(x - cx, y - cy)),
  );
  return {
    content: text.content,
    farthest: Math.round(farthest),
    hole: Math.round(hole),
  };
}

for (const viewport of [
  { width: 1440, height: 900 },
  { width: 1000, height: 900 },
  { width: 390, height: 844 },
]) {
  test(`the coverage gauge's label fits inside its ring at ${viewport.width}px`, async ({
    page,
  }) => {
    await signIn(page, 'guest');
    await page.setViewportSize(viewport);
    await openCluster(page, '111111111111/us-east-1/prod-batch', 'prod-batch');
    const gauge = page.locator('[class*="BackstageGauge-root"]');
    const ring = gauge.locator('svg');
    await gauge.scrollIntoViewIfNeeded();

    const value = await labelFitsInRing(
      ring,
      gauge.locator('[class*="BackstageGauge-overlay"]'),
    );
    expect(value.content).toBe('40%');
    expect(value.farthest).toBeLessThanOrEqual(value.hole);

    // Hovering shows the description instead, which must fit too.
    await gauge.hover();
    const description = gauge.locator('[class*="BackstageGauge-description"]');
    await expect(description).toBeVisible();
    const words = await labelFitsInRing(ring, description);
    expect(words.content).toMatch(/2 of 5/);
    expect(words.farthest).toBeLessThanOrEqual(words.hole);
  });
}
