// /status from a running stack: every service listed (the pipeline's up, alerter and trader listed
// from settings), and a p99 figure for a stage, computed from the services' own histograms.
import { expect, test } from '@playwright/test';
import { type FullStack, startFullStack } from './full-stack.ts';

let stack: FullStack;

test.beforeAll(async () => {
  stack = await startFullStack();
});
test.afterAll(async () => {
  if (stack) {
    await stack.stop();
    stack.cleanup();
  }
});

test('status page shows the services and a p99 per stage', async ({ page }) => {
  await page.goto(`${stack.webUrl}/status`);
  await expect(page.getByRole('heading', { name: 'Status' })).toBeVisible();
  const services = page.getByRole('table', { name: 'Services' });
  for (const name of ['ingester', 'analyzer', 'broadcaster'])
    await expect(services.locator(`tr[data-service="${name}"] td`).nth(1)).toHaveText('up');
  // Listed from settings status.services; up or down depending on whether they run here.
  for (const name of ['alerter', 'trader']) await expect(services.locator(`tr[data-service="${name}"]`)).toHaveCount(1);

  // Trades flow from the start: the ingester's stage gets a figure once a flush has committed.
  const ingestP99 = page.locator('tr[data-metric="ingester_trade_to_notify_seconds"] td[data-p99]');
  await expect(async () => {
    await page.reload();
    await expect(ingestP99).toHaveText(/^(> )?\d+(\.\d+)? ms$/, { timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
  await expect(page.getByRole('table', { name: 'Last tick age' })).toContainText('SIM.MES');
  await expect(page.getByRole('table', { name: 'Watermarks' })).toContainText('ema_cross');
});

test('web serves its own /metrics with API latency per route', async ({ request }) => {
  expect((await request.get(`${stack.webUrl}/api/contracts`)).ok()).toBe(true);
  await request.get(`${stack.webUrl}/api/trend-labels/424242`);
  const text = await (await request.get(`${stack.webUrl}/metrics`)).text();
  expect(text).toMatch(/^web_api_request_duration_seconds_count\{[^}]*route="\/api\/contracts"[^}]*\} [1-9]/m);
  // An id in the path is counted under the route's template, not one series per id.
  expect(text).toMatch(/^web_api_request_duration_seconds_count\{[^}]*route="\/api\/trend-labels\/\{id\}"[^}]*\} [1-9]/m);
});
