// The trends page a trader keeps open all day, against one full stack (with 1-second bars, so a
// broadcaster outage of a few seconds leaves a real gap): drawing, live candles, a new signal's
// marker and tooltip, scrolling back, the error states, the overview, and a broadcaster killed
// mid-session whose gap the chart fills without duplicates.
import { expect, type Page, test } from '@playwright/test';
import { apiBars, broadcasterPid, chartCandles, chartState, killLeftovers, markerIds, markerPoint, stackDatabase } from './chart-page.ts';
import { type FullStack, startFullStack } from './full-stack.ts';

let stack: FullStack;
const SHOTS = 'test-results/trends-page';

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  stack = await startFullStack({ INGEST_TIMEFRAMES: '1s,1m,5m' });
  // The page is only worth opening once backfill has stored history (until the ingester has
  // registered the contract, the API rightly answers 404).
  await expect
    .poll(async () => (await apiBars(stack, 'SIM.MES', '1m', { limit: 200 }).catch(() => [])).length, { timeout: 60_000 })
    .toBeGreaterThanOrEqual(200);
});
test.afterAll(async () => {
  if (stack) {
    await stack.stop();
    killLeftovers(stack);
    stack.cleanup();
  }
});

async function openChart(page: Page, query: string): Promise<void> {
  await page.goto(`${stack.webUrl}/trends?${query}`);
  await expect(page.getByTestId('connection-status')).toHaveText('live', { timeout: 60_000 });
}

test('draws candles, volume and both EMAs, and the forming candle moves live', async ({ page }) => {
  await openChart(page, 'contract=SIM.MES&tf=1m');
  await expect.poll(async () => (await chartState(page))?.barCount ?? 0, { timeout: 60_000 }).toBeGreaterThanOrEqual(200);
  await expect.poll(async () => (await chartState(page))?.linePoints.ema_50 ?? 0, { timeout: 60_000 }).toBeGreaterThan(100);
  const first = (await chartState(page))?.lastBar;
  await expect
    .poll(async () => JSON.stringify((await chartState(page))?.lastBar) !== JSON.stringify(first), { timeout: 60_000 })
    .toBe(true);

  const candles = await chartCandles(page);
  const times = candles.map((c) => c.time);
  expect(new Set(times).size).toBe(times.length);
  expect(times).toEqual([...times].sort((a, b) => a - b));
  expect(candles.some((c) => c.volume > 0)).toBe(true);
  await page.screenshot({ path: `${SHOTS}/chart-live.png` });

  // Overlays switch off and the time labels switch zones without rebuilding the chart.
  await page.getByTestId('toggle-ema_20').uncheck();
  await page.getByTestId('timezone-select').selectOption('utc');
  await expect(page.getByTestId('timezone-select')).toHaveValue('utc');
  expect((await chartState(page))?.barCount).toBeGreaterThanOrEqual(candles.length);
  await page.screenshot({ path: `${SHOTS}/chart-utc-no-ema20.png` });
});

test('a signal the analyzer stores appears as a marker with its rule in a tooltip', async ({ page }) => {
  await openChart(page, 'contract=SIM.MES&tf=1m');
  await expect.poll(async () => (await chartState(page))?.barCount ?? 0, { timeout: 60_000 }).toBeGreaterThanOrEqual(200);
  const candles = await chartCandles(page);
  const bar = candles[candles.length - 10];
  const trigger = candles[candles.length - 8];
  if (!bar || !trigger) throw new Error('not enough candles');

  // What the analyzer does: store the row and NOTIFY in one transaction.
  const db = stackDatabase(stack);
  await db.connect();
  let signalId: number;
  try {
    await db.query('BEGIN');
    const details = {
      rule: 'e2e_rule_cus',
      bar_index: 90,
      trigger_bar_index: 92,
      trigger_time: new Date(trigger.time * 1000).toISOString(),
    };
    const { rows } = await db.query<{ signal_id: number; timestamp: Date; trigger_timestamp: Date }>(
      `INSERT INTO detected_signals (analyzer_id, "timestamp", contract_id, timeframe, signal_type, signal_price, details)
       VALUES ('cus_cds_trend_finder', to_timestamp($1), 'SIM.MES', '1m', 'uptrend_start', $2, $3)
       RETURNING signal_id, "timestamp", trigger_timestamp`,
      [bar.time, bar.low, JSON.stringify(details)],
    );
    const row = rows[0];
    if (!row) throw new Error('insert returned nothing');
    signalId = row.signal_id;
    await db.query('SELECT pg_notify($1, $2)', [
      'signal_detected',
      JSON.stringify({
        type: 'signal',
        signal_id: row.signal_id,
        analyzer_id: 'cus_cds_trend_finder',
        contract_id: 'SIM.MES',
        timeframe: '1m',
        timestamp: row.timestamp.toISOString(),
        trigger_timestamp: row.trigger_timestamp.toISOString(),
        signal_type: 'uptrend_start',
        signal_price: bar.low,
        details,
      }),
    ]);
    await db.query('COMMIT');
  } finally {
    await db.end();
  }

  const id = `signal-${signalId}`;
  await expect.poll(() => markerIds(page), { timeout: 60_000 }).toContain(id);
  const box = await page.getByTestId('chart').boundingBox();
  if (!box) throw new Error('no chart');
  // The chart moves under a still pointer: a new bar scrolls it one bar left, a wider price label
  // narrows the pane. The condition that matters is the pointer on the marker's bar when the chart
  // handles the move, so each attempt hovers where the marker is drawn now (read from the chart, not
  // computed before the marker existed) and passes once the tooltip names the signal.
  const tooltip = page.getByTestId('signal-tooltip');
  await expect(async () => {
    const point = await markerPoint(page, id);
    if (!point) throw new Error(`${id} is not drawn on screen`);
    expect(point.time).toBe(bar.time);
    await page.mouse.move(box.x + point.x, box.y + point.y);
    await expect(tooltip).toContainText('e2e_rule_cus', { timeout: 60_000 });
    await expect(tooltip).toContainText('Triggered by bar', { timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
  await page.screenshot({ path: `${SHOTS}/signal-marker-tooltip.png` });
});

test('scrolling back loads older bars and merges them without duplicates', async ({ page }) => {
  await openChart(page, 'contract=SIM.MES&tf=1m&bars=300');
  await expect.poll(async () => (await chartState(page))?.barCount ?? 0, { timeout: 60_000 }).toBeGreaterThanOrEqual(300);
  const box = await page.getByTestId('chart').boundingBox();
  if (!box) throw new Error('no chart');
  for (let i = 0; i < 6 && ((await chartState(page))?.events.olderPages ?? 0) === 0; i++) {
    await page.mouse.move(box.x + 100, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width - 150, box.y + box.height / 2, { steps: 8 });
    await page.mouse.up();
    await page.waitForTimeout(300);
  }
  await expect.poll(async () => (await chartState(page))?.events.olderPages ?? 0, { timeout: 60_000 }).toBeGreaterThan(0);
  const candles = await chartCandles(page);
  expect(candles.length).toBeGreaterThan(300);
  const oldest = candles[0]?.time as number;
  const newestClosed = candles[candles.length - 5]?.time as number;
  const stored = await apiBars(stack, 'SIM.MES', '1m', { from: oldest * 1000, to: newestClosed * 1000, limit: 50_000 });
  const shown = candles.filter((c) => c.time <= newestClosed).map((c) => c.time);
  expect(shown).toEqual(stored.map((b) => Date.parse(b.timestamp) / 1000));
  await page.screenshot({ path: `${SHOTS}/scrolled-back.png` });
});

test('bad URL parameters show a readable error, never a blank page', async ({ page }) => {
  for (const [query, text, shot] of [
    ['contract=SIM.MES&tf=7x', /tf: '7x' is not a timeframe/, 'error-bad-timeframe'],
    ['contract=NOPE.XYZ&tf=1m', /Unknown contract 'NOPE.XYZ'/, 'error-unknown-contract'],
    ['contract=SIM.MES&tf=1m&bars=5', /bars: '5' is not a number of bars/, 'error-bad-bars'],
  ] as const) {
    await page.goto(`${stack.webUrl}/trends?${query}`);
    await expect(page.getByTestId('error-state')).toContainText(text);
    await expect(page.getByTestId('contract-select')).toBeVisible(); // the pickers stay to recover with
    await page.screenshot({ path: `${SHOTS}/${shot}.png` });
  }
});

test('the API answers bad input with 400 naming the field, unknown contracts with 404, and documents itself', async ({ request }) => {
  const bad = await request.get(`${stack.webUrl}/api/ohlc?contract_id=SIM.MES&timeframe=1m&limit=100001`);
  expect(bad.status()).toBe(400);
  expect(await bad.json()).toMatchObject({ error: { code: 'invalid_input', field: 'limit' } });
  expect((await request.get(`${stack.webUrl}/api/indicators?contract_id=NOPE&timeframe=1m`)).status()).toBe(404);
  const indicators = (await (
    await request.get(`${stack.webUrl}/api/indicators?contract_id=SIM.MES&timeframe=1m&names=ema_20,rsi_14&limit=5`)
  ).json()) as {
    indicators: { name: string; points: unknown[] }[];
  };
  expect(indicators.indicators.map((i) => i.name)).toEqual(['ema_20', 'rsi_14']);
  expect(indicators.indicators[0]?.points).toHaveLength(5);
  const doc = (await (await request.get(`${stack.webUrl}/api/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
  expect(doc.openapi).toBe('3.1.0');
  expect(Object.keys(doc.paths)).toEqual(
    expect.arrayContaining(['/api/ohlc', '/api/trend-starts', '/api/signals', '/api/indicators', '/api/contracts', '/api/health']),
  );
});

test('the overview lists each contract with its price, session change, tick age and a link to its chart, and streams them', async ({
  page,
}) => {
  await page.goto(stack.webUrl);
  const row = page.locator('[data-testid="contract-row"][data-contract="SIM.MES"]');
  await expect(row).toBeVisible();
  await expect(row.getByTestId('last-price')).toHaveText(/^\d{1,3}(,\d{3})*\.\d{2}$/);
  await expect(row.getByTestId('tick-age')).toHaveText(/\d+ (s|min) ago/);
  await expect(page.getByTestId('connection-status')).toHaveText('live', { timeout: 60_000 });
  // Streamed, not polled: the page asks for itself no more (no reload, no refresh of the server
  // component), yet the last trade's time moves on.
  const refetches: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/') refetches.push(r.url());
  });
  const rendered = await row.getByTestId('tick-age').getAttribute('datetime');
  await expect.poll(() => row.getByTestId('tick-age').getAttribute('datetime'), { timeout: 60_000 }).not.toBe(rendered);
  expect(refetches).toEqual([]);
  await page.screenshot({ path: `${SHOTS}/overview.png` });
  // The link opens a timeframe the trend finder analyses (5m here), so the chart shows trend starts.
  await row.getByRole('link').first().click();
  await expect(page).toHaveURL(/\/trends\?contract=SIM\.MES&tf=5m/);
  await expect(page.getByTestId('chart')).toBeVisible();
});

test('a killed broadcaster: reconnecting, then live again, and the missed bars filled without duplicates', async ({ page }) => {
  await openChart(page, 'contract=SIM.MES&tf=1s');
  await expect.poll(async () => (await chartState(page))?.barCount ?? 0, { timeout: 60_000 }).toBeGreaterThanOrEqual(3);
  const before = (await chartState(page))?.events.gapFills ?? 0;
  const killedAt = Date.now();
  process.kill(broadcasterPid(stack), 'SIGKILL');
  await expect(page.getByTestId('connection-status')).toHaveText(/reconnecting|offline/, { timeout: 60_000 });
  await page.screenshot({ path: `${SHOTS}/broadcaster-reconnecting.png` });
  // The supervisor restarts the broadcaster after its backoff; the page reconnects by itself.
  await expect(page.getByTestId('connection-status')).toHaveText('live', { timeout: 60_000 });
  const backAt = Date.now();
  await expect.poll(async () => (await chartState(page))?.events.gapFills ?? 0, { timeout: 60_000 }).toBeGreaterThan(before);
  await page.screenshot({ path: `${SHOTS}/broadcaster-live-again.png` });

  // Bars were stored while the page heard nothing: the chart must hold exactly the stored ones.
  const outage = await apiBars(stack, 'SIM.MES', '1s', { from: killedAt, to: backAt });
  expect(outage.length, 'bars stored while the broadcaster was down').toBeGreaterThan(0);
  await expect
    .poll(
      async () => {
        const candles = await chartCandles(page);
        const stored = await apiBars(stack, 'SIM.MES', '1s', { from: killedAt - 5_000, limit: 50_000 });
        const closed = stored.filter((b) => b.is_closed);
        const lastClosed = Date.parse(closed[closed.length - 1]?.timestamp ?? '') / 1000;
        const shown = candles.filter((c) => c.time * 1000 >= killedAt - 5_000 && c.time <= lastClosed);
        const expected = closed.filter((b) => Date.parse(b.timestamp) / 1000 <= lastClosed);
        return {
          duplicates: candles.length - new Set(candles.map((c) => c.time)).size,
          times: shown.map((c) => c.time).join(',') === expected.map((b) => Date.parse(b.timestamp) / 1000).join(','),
          closes: shown.map((c) => c.close).join(',') === expected.map((b) => b.close).join(','),
        };
      },
      { timeout: 60_000 },
    )
    .toEqual({ duplicates: 0, times: true, closes: true });
});
