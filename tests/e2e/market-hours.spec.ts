// Market hours on the chart: a CME contract's chart says the market is closed and when it opens, at a
// browser time when the CME is closed (the page's clock is fixed, so the test does not depend on the
// weekday it runs on); while open, and for the 24/7 SIM.BTC, it says nothing.
import { expect, type Page, test } from '@playwright/test';
import { apiBars, killLeftovers } from './chart-page.ts';
import { type FullStack, startFullStack } from './full-stack.ts';

let stack: FullStack;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  stack = await startFullStack({ INGEST_TIMEFRAMES: '1m,1h' });
  await expect
    .poll(async () => (await apiBars(stack, 'SIM.MES', '1m', { limit: 10 }).catch(() => [])).length, { timeout: 60_000 })
    .toBeGreaterThan(0);
});
test.afterAll(async () => {
  if (stack) {
    await stack.stop();
    killLeftovers(stack);
    stack.cleanup();
  }
});

async function openAt(page: Page, iso: string, contract: string): Promise<void> {
  await page.clock.setFixedTime(new Date(iso));
  await page.goto(`${stack.webUrl}/trends?contract=${contract}&tf=1h`);
  await expect(page.getByTestId('chart')).toHaveAttribute('data-phase', 'ready', { timeout: 60_000 });
}

test('a CME contract on a Saturday: closed, opens Sunday 17:00 Chicago time', async ({ page }) => {
  await openAt(page, '2026-12-05T16:00:00Z', 'SIM.MES');
  await expect(page.getByTestId('market-closed')).toHaveText('Market closed · opens Sun, Dec 6, 17:00 CST');
});

test('a CME contract on Thanksgiving 2026 after the 12:00 CT halt: opens again 17:00', async ({ page }) => {
  await openAt(page, '2026-11-26T19:00:00Z', 'SIM.MES');
  await expect(page.getByTestId('market-closed')).toHaveText('Market closed · opens Thu, Nov 26, 17:00 CST');
});

test('no note while the CME is open, nor for SIM.BTC on a Saturday', async ({ page }) => {
  // The page has checked the clock (the hidden marker says what it found) and shows no note.
  await openAt(page, '2026-12-07T15:00:00Z', 'SIM.MES');
  await expect(page.getByTestId('market-open')).toHaveAttribute('data-market', 'open');
  await expect(page.getByTestId('market-closed')).toHaveCount(0);
  await openAt(page, '2026-12-05T16:00:00Z', 'SIM.BTC');
  await expect(page.getByTestId('market-open')).toHaveAttribute('data-market', 'open');
  await expect(page.getByTestId('market-closed')).toHaveCount(0);
});
