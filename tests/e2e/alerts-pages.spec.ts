// Alerts in the browser and over HTTP on the whole stack (the alerter lands separately, so alerts are
// inserted here as it stores them): /alerts lists stored rows with their delivery state and marks them
// read, and marks one whose signal was withdrawn; an alert_created NOTIFY reaches the list and a toast through the broadcaster; the rules editor
// shows the API's validation error beside the YAML; the watchlist adds, edits and removes; bad bodies
// answer 400 naming the field and store nothing.
import { expect, type Page, test } from '@playwright/test';
import { insertAlert, insertDelivery, insertDestination } from '../support/alert-rows.ts';
import { killLeftovers, stackDatabase } from './chart-page.ts';
import { type FullStack, startFullStack } from './full-stack.ts';
import type pg from 'pg';

let stack: FullStack;
let db: pg.Client;
const T0 = Date.UTC(2025, 2, 17, 14, 0);
const SHOTS = 'test-results/alerts';

test.describe.configure({ mode: 'serial' });

async function api(path: string, init?: RequestInit): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${stack.webUrl}${path}`, {
    ...init,
    headers: init?.body === undefined ? undefined : { 'content-type': 'application/json' },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
const send = (method: string, path: string, body: unknown) => api(path, { method, body: JSON.stringify(body) });

test.beforeAll(async () => {
  test.setTimeout(600_000);
  stack = await startFullStack({ INGEST_TIMEFRAMES: '1m,5m' });
  db = stackDatabase(stack);
  await db.connect();
});
test.afterAll(async () => {
  await db?.end();
  if (stack) {
    await stack.stop();
    killLeftovers(stack);
    stack.cleanup();
  }
});

function row(page: Page, id: number) {
  return page.locator(`[data-testid="alert-row"][data-alert-id="${id}"]`);
}

test('/alerts lists stored alerts with delivery state, filters, marks read and links to the chart', async ({ page }) => {
  const hook = await insertDestination(db, 'e2e-hook');
  const a = await insertAlert(db, { rule: 'e2e-trend', contractId: 'SIM.MES', barTime: new Date(T0), severity: 'warning' });
  const b = await insertAlert(db, { rule: 'e2e-rsi', contractId: 'SIM.MNQ', barTime: new Date(T0 + 300_000), setupType: 'condition' });
  await insertDelivery(db, a.id, hook, [false, true]);

  await page.goto(`${stack.webUrl}/alerts`);
  await expect(row(page, a.id)).toContainText('SIM.MES 5m uptrend start (long)');
  await expect(row(page, a.id).getByTestId('alert-deliveries')).toHaveText('e2e-hook: delivered');
  await expect(row(page, b.id)).toContainText('SIM.MNQ 5m condition');
  await expect(row(page, a.id).getByRole('link', { name: 'Chart' })).toHaveAttribute(
    'href',
    '/trends?contract=SIM.MES&tf=5m&at=1742220000',
  );

  await row(page, a.id).getByRole('button', { name: 'Mark read' }).click();
  await expect(row(page, a.id).getByRole('button', { name: 'Mark unread' })).toBeVisible();
  expect((await db.query('SELECT is_read FROM alerts WHERE alert_id = $1', [a.id])).rows).toEqual([{ is_read: true }]);

  await page.screenshot({ path: `${SHOTS}/alerts.png`, fullPage: true });

  // A `to` date means the whole day: the 14:00 alert of that day is in.
  await page.goto(`${stack.webUrl}/alerts?from=2025-03-17&to=2025-03-17`);
  await expect(row(page, a.id)).toBeVisible();
  await page.goto(`${stack.webUrl}/alerts?to=2025-03-16`);
  await expect(page.getByTestId('alerts-empty')).toBeVisible();

  await page.goto(`${stack.webUrl}/alerts?contract_id=SIM.MNQ`);
  await expect(row(page, b.id)).toBeVisible();
  await expect(row(page, a.id)).toHaveCount(0);
  await page.getByTestId('mark-all-read').click();
  await expect(row(page, b.id).getByRole('button', { name: 'Mark unread' })).toBeVisible();
});

test('/alerts marks an alert whose signal was withdrawn, with its retraction per destination', async ({ page }) => {
  const hook = await insertDestination(db, 'e2e-retract-hook');
  const a = await insertAlert(db, { rule: 'e2e-withdrawn', contractId: 'SIM.MES', barTime: new Date(T0 + 600_000) });
  await insertDelivery(db, a.id, hook, [true]);
  // As the alerter's retraction pass stores it (alerter/src/signal-retraction.ts), delivered since.
  await db.query(
    `INSERT INTO alert_deliveries (alert_id, destination_id, kind, idempotency_key, status, attempts) VALUES ($1, $2, 'retraction', $3, 'delivered', 1)`,
    [a.id, hook, `retraction-${a.id}`],
  );
  await db.query('UPDATE alerts SET retracted_at = now() WHERE alert_id = $1', [a.id]);
  await page.goto(`${stack.webUrl}/alerts?rule=e2e-withdrawn`);
  await expect(row(page, a.id).getByTestId('alert-retracted')).toHaveText('WITHDRAWN');
  await expect(row(page, a.id).getByTestId('alert-retractions')).toHaveText('withdrawal to e2e-retract-hook: delivered');
  await expect(row(page, a.id)).toHaveClass(/alert-retracted/);
  await page.screenshot({ path: `${SHOTS}/alert-withdrawn.png`, fullPage: true });
});

test('a NOTIFYd alert_created arrives live in the list and as a toast on any page', async ({ page, browser }) => {
  await page.goto(`${stack.webUrl}/alerts`);
  await expect(page.getByTestId('connection-status')).toHaveText('live');
  const other = await browser.newPage();
  await other.goto(`${stack.webUrl}/watchlist`);
  // Both pages are subscribed once the broadcaster counts two 'alerts' subscriptions: one socket a page,
  // the /alerts page's list and its toasts sharing theirs (broadcaster-connection.ts); no wall-clock wait.
  const metric = async (pattern: RegExp): Promise<number> => {
    const text = await fetch(`http://127.0.0.1:${stack.ports.broadcaster}/metrics`).then((r) => r.text());
    return Number(pattern.exec(text)?.[1] ?? 0);
  };
  await expect.poll(() => metric(/^broadcaster_subscriptions\{[^}]*channel="alerts"[^}]*\} (\d+)$/m)).toBeGreaterThanOrEqual(2);
  await expect.poll(() => metric(/^broadcaster_clients(?:\{[^}]*\})? (\d+)$/m)).toBe(2);
  const live = await insertAlert(
    db,
    { rule: 'e2e-live', contractId: 'SIM.MES', barTime: new Date(T0 + 600_000), severity: 'critical' },
    true,
  );
  await expect(row(page, live.id)).toContainText('SIM.MES 5m uptrend start (long)');
  await expect(other.getByTestId('alert-toast')).toContainText('SIM.MES 5m uptrend start (long)');
  await other.screenshot({ path: `${SHOTS}/toast.png` });
  await expect(other.getByTestId('alert-toast').getByRole('link', { name: 'Chart' })).toHaveAttribute('href', live.message.link);
  await other.close();
});

test('the rules editor shows the validation error beside the YAML, then creates and toggles the rule', async ({ page }) => {
  await page.goto(`${stack.webUrl}/rules`);
  const form = page.getByTestId('rule-form');
  await form.getByLabel('Name').fill('e2e-spike');
  await form
    .locator('textarea[name="config_yaml"]')
    .fill('rule_type: volume_spike\ncontracts: [SIM.MES]\ntimeframes: [5m]\nmultiple: -2\n');
  await form.getByRole('button', { name: 'Create rule' }).click();
  await expect(page.getByTestId('error-config_yaml')).toContainText('expected a number > 0, got -2');
  await page.screenshot({ path: `${SHOTS}/rules-error.png`, fullPage: true });
  expect((await db.query(`SELECT count(*)::int AS n FROM rules WHERE name = 'e2e-spike'`)).rows).toEqual([{ n: 0 }]);

  await form.locator('textarea[name="config_yaml"]').fill('rule_type: volume_spike\ncontracts: [SIM.MES]\ntimeframes: [5m]\nmultiple: 2\n');
  await form.getByRole('button', { name: 'Create rule' }).click();
  const created = page.locator('[data-testid="rule-row"][data-rule="e2e-spike"]');
  await expect(created).toContainText('volume_spike');
  await created.getByTestId('rule-toggle').click();
  await expect(created.getByTestId('rule-toggle')).toHaveText('off');
  expect((await db.query(`SELECT is_active FROM rules WHERE name = 'e2e-spike'`)).rows).toEqual([{ is_active: false }]);
});

test('the watchlist adds, edits notes and removes a contract', async ({ page }) => {
  // The alerter may have seeded the watchlist: start from SIM.MNQ unwatched.
  await fetch(`${stack.webUrl}/api/watchlist/SIM.MNQ`, { method: 'DELETE' });
  await page.goto(`${stack.webUrl}/watchlist`);
  const add = page.getByTestId('watchlist-add');
  await add.getByLabel('Contract').selectOption('SIM.MNQ');
  await add.getByLabel('Notes').fill('nasdaq');
  await add.getByRole('button', { name: 'Watch' }).click();
  const entry = page.locator('[data-testid="watchlist-row"][data-contract="SIM.MNQ"]');
  await expect(entry.getByLabel('Notes for SIM.MNQ')).toHaveValue('nasdaq');
  await entry.getByLabel('Notes for SIM.MNQ').fill('nasdaq micro');
  await entry.getByRole('button', { name: 'Save' }).click();
  await expect
    .poll(async () => (await db.query<{ notes: string }>(`SELECT notes FROM watchlist WHERE contract_id = 'SIM.MNQ'`)).rows)
    .toEqual([{ notes: 'nasdaq micro' }]);
  await entry.getByRole('button', { name: 'Remove' }).click();
  await expect(entry).toHaveCount(0);
  expect((await db.query(`SELECT count(*)::int AS n FROM watchlist WHERE contract_id = 'SIM.MNQ'`)).rows).toEqual([{ n: 0 }]);
});

test('over HTTP: bad bodies and parameters answer 400 naming the field and store nothing; conflicts 409; secrets never answered', async () => {
  const rules = (await db.query(`SELECT count(*)::int AS n FROM rules`)).rows[0] as { n: number };
  for (const [method, path, body, field] of [
    [
      'POST',
      '/api/rules',
      { name: 'x', config_yaml: 'rule_type: volume_spike\ncontracts: [SIM.MES]\ntimeframes: [5m]\nmultiple: 0\n' },
      'config_yaml.multiple',
    ],
    ['POST', '/api/rules', { name: 'x', priority: 'high', config_yaml: 'a: 1' }, 'priority'],
    ['POST', '/api/watchlist', { contract_id: 'bad id!' }, 'contract_id'],
    ['POST', '/api/destinations', { name: 'd', kind: 'webhook', config: { url: 'ftp://x' }, secret: 's' }, 'config.url'],
    ['PATCH', '/api/alerts', { is_read: 'yes' }, 'is_read'],
    ['PATCH', '/api/alerts/1', { is_read: true, extra: 1 }, 'extra'],
  ] as const) {
    const res = await send(method, path, body);
    expect(res.status, `${method} ${path}`).toBe(400);
    expect((res.body.error as { field: string }).field).toBe(field);
  }
  expect((await api('/api/alerts?severity=loud')).status).toBe(400);
  expect((await db.query(`SELECT count(*)::int AS n FROM rules`)).rows[0]).toEqual(rules);
  expect((await db.query(`SELECT count(*)::int AS n FROM alert_destinations WHERE name = 'd'`)).rows).toEqual([{ n: 0 }]);

  expect((await send('POST', '/api/watchlist', { contract_id: 'SIM.NOPE' })).status).toBe(404);
  const fileRule = await db.query<{ rule_id: string }>(
    `INSERT INTO rules (name, rule_type, config_yaml, source) VALUES ('e2e-file', 'volume_spike', 'multiple: 2', 'file') RETURNING rule_id`,
  );
  const conflict = await send('PATCH', `/api/rules/${fileRule.rows[0]!.rule_id}`, { is_active: false });
  expect(conflict.status).toBe(409);
  expect((conflict.body.error as { message: string }).message).toMatch(/config\/rules/);

  const created = await send('POST', '/api/destinations', {
    name: 'e2e-tg',
    kind: 'telegram',
    config: { chat_id: '@desk' },
    secret: 'BOT-TOKEN-XYZ',
  });
  expect(created.status).toBe(201);
  expect(created.body.has_secret).toBe(true);
  const listed = await fetch(`${stack.webUrl}/api/destinations`).then((r) => r.text());
  expect(listed).toContain('e2e-tg');
  expect(listed).not.toContain('BOT-TOKEN-XYZ');

  const stats = await api('/api/alerts/stats');
  expect(stats.status).toBe(200);
  expect(stats.body.total).toBeGreaterThanOrEqual(3);
});

test('/trends draws the alerts of its contract and timeframe as markers', async ({ page }) => {
  const bars = await fetch(`${stack.webUrl}/api/ohlc?contract_id=SIM.MES&timeframe=5m&limit=5`).then(
    async (r) => ((await r.json()) as { bars: { timestamp: string }[] }).bars,
  );
  const barTime = new Date(bars[0]!.timestamp);
  const onChart = await insertAlert(db, { rule: 'e2e-marker', contractId: 'SIM.MES', barTime, direction: 'short' });
  await insertAlert(db, { rule: 'e2e-other-tf', contractId: 'SIM.MES', timeframe: '1m', barTime });
  await page.goto(`${stack.webUrl}/trends?contract=SIM.MES&tf=5m`);
  await expect
    .poll(() =>
      page.evaluate(() =>
        (
          (
            window as Window & { __barstreamAlerts?: { markers(): { id?: string; time: unknown; text?: string }[] } }
          ).__barstreamAlerts?.markers() ?? []
        ).map((m) => [m.id, m.time, m.text]),
      ),
    )
    .toContainEqual([`alert-${onChart.id}`, barTime.getTime() / 1000, 'A e2e-marker']);
  const texts = await page.evaluate(() =>
    ((window as Window & { __barstreamAlerts?: { markers(): { text?: string }[] } }).__barstreamAlerts?.markers() ?? []).map((m) => m.text),
  );
  expect(texts).not.toContain('A e2e-other-tf');
});

test('a destination added on /rules keeps its secret out of the page and switches off keeping the secret', async ({ page }) => {
  await page.goto(`${stack.webUrl}/rules`);
  const form = page.getByTestId('destination-form');
  await form.getByLabel('Name').fill('e2e-page-hook');
  await form.locator('textarea').fill('{ "url": "https://hooks.example.com/x", "format": "slack" }');
  await form.getByLabel(/^Secret/).fill('PAGE-SECRET-42');
  await form.getByRole('button', { name: 'Add destination' }).click();
  const added = page.getByTestId('destination-row').filter({ hasText: 'e2e-page-hook' });
  await expect(added).toContainText('secret stored');
  await added.getByTestId('destination-toggle').click();
  await expect(added.getByTestId('destination-toggle')).toHaveText('off');
  expect(await page.content()).not.toContain('PAGE-SECRET-42');
  expect((await db.query(`SELECT is_active, secret FROM alert_destinations WHERE name = 'e2e-page-hook'`)).rows).toEqual([
    { is_active: false, secret: 'PAGE-SECRET-42' },
  ]);
});
