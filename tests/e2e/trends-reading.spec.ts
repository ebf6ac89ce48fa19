// The trends chart as a trader reads it all day: a legend that follows the cursor, trend-start
// markers in the default view, and a frame that says it is loading history (or that there is none)
// instead of standing empty.
import pg from 'pg';
import { expect, type Page, test } from '@playwright/test';
import { apiBars, chartCandles, chartLegend, chartState, drawnMarkers, killLeftovers, timeToX } from './chart-page.ts';
import { type FullStack, startFullStack } from './full-stack.ts';

let stack: FullStack;
const SHOTS = 'test-results/trends-reading';
const TREND_COLORS = ['#2979ff', '#ff9100'];

test.describe.configure({ mode: 'serial' });

async function trendStarts(timeframe: string): Promise<number> {
  const res = await fetch(`${stack.webUrl}/api/trend-starts?contract_id=SIM.MES&timeframe=${timeframe}&analyzer_id=cus_cds_trend_finder`);
  return res.ok ? ((await res.json()) as { signals: unknown[] }).signals.length : 0;
}

test.beforeAll(async () => {
  stack = await startFullStack({ INGEST_TIMEFRAMES: '1m,5m' });
  // Worth opening once backfill stored history and the trend finder has gone through it.
  await expect
    .poll(async () => (await apiBars(stack, 'SIM.MES', '1m', { limit: 200 }).catch(() => [])).length, { timeout: 60_000 })
    .toBeGreaterThanOrEqual(200);
  await expect.poll(() => trendStarts('5m'), { timeout: 60_000 }).toBeGreaterThan(0);
});
test.afterAll(async () => {
  if (stack) {
    await stack.stop();
    killLeftovers(stack);
    stack.cleanup();
  }
});

async function openChart(page: Page, query: string): Promise<void> {
  await page.goto(`${stack.webUrl}/trends${query}`);
  await expect(page.getByTestId('connection-status')).toHaveText('live', { timeout: 60_000 });
  await expect.poll(async () => (await chartState(page))?.barCount ?? 0, { timeout: 60_000 }).toBeGreaterThan(0);
}

const price = (n: number): string => n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** Holds every request matching `pattern` until the returned release is called. */
async function holdRequests(page: Page, pattern: string): Promise<() => void> {
  let release = (): void => undefined;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route(pattern, async (route) => {
    await held;
    await route.continue();
  });
  return release;
}

test('the legend shows the newest bar, follows the cursor across bars, and returns to the newest bar', async ({ page }) => {
  await openChart(page, '?contract=SIM.MES&tf=1m');
  const legend = page.getByTestId('chart-legend');
  await expect(legend).toHaveAttribute('data-latest', 'true');
  await expect
    .poll(async () => (await chartLegend(page))?.time === (await chartState(page))?.lastBar?.time, { timeout: 60_000 })
    .toBe(true);

  const box = await page.getByTestId('chart').boundingBox();
  if (!box) throw new Error('no chart');
  const candles = await chartCandles(page);
  for (const back of [20, 5]) {
    const bar = candles[candles.length - back];
    if (!bar) throw new Error('not enough candles');
    // A new bar scrolls the chart under a still pointer: hover where the bar is drawn now.
    await expect(async () => {
      const x = await timeToX(page, bar.time);
      if (x === null) throw new Error('bar is off screen');
      await page.mouse.move(box.x + x, box.y + box.height / 2);
      await expect(legend).toHaveAttribute('data-time', String(bar.time), { timeout: 3_000 });
    }).toPass({ timeout: 60_000 });
    await expect(legend).toHaveAttribute('data-latest', 'false');
    await expect(legend.getByTestId('legend-close')).toHaveText(price(bar.close));
    await expect(legend.getByTestId('legend-change')).toHaveText(/^[+−±]\d[\d,]*\.\d{2} \([+−±]\d+\.\d{2}%\)$/);
  }
  await page.screenshot({ path: `${SHOTS}/legend-under-cursor.png` });
  await page.mouse.move(box.x + 5, box.y - 30); // off the chart, onto the toolbar
  await expect(legend).toHaveAttribute('data-latest', 'true');
});

test('the default chart opens on a timeframe the trend finder analyses, with its trend starts in view', async ({ page }) => {
  await openChart(page, '');
  await expect(page.getByTestId('timeframe-select')).toHaveValue('5m');
  // Trend-start arrows drawn in their own colours, and at least one of them on screen.
  await expect
    .poll(
      async () => {
        const arrows = (await drawnMarkers(page)).filter((m) => m.shape === 'arrowUp' || m.shape === 'arrowDown');
        if (arrows.some((m) => !TREND_COLORS.includes(m.color))) return 'wrong colour';
        const onScreen = await Promise.all(arrows.map((m) => timeToX(page, m.time)));
        return onScreen.filter((x) => x !== null).length;
      },
      { timeout: 60_000 },
    )
    .toBeGreaterThan(0);
  await page.screenshot({ path: `${SHOTS}/default-view-trend-starts.png` });

  // Zoomed out, arrows of one kind that would overlap are drawn as one with their count: no two on
  // screen are closer than a marker's width (14 px, less a pixel of rounding at each end).
  const box = await page.getByTestId('chart').boundingBox();
  if (!box) throw new Error('no chart');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let i = 0; i < 6; i++) await page.mouse.wheel(0, 400);
  await expect
    .poll(
      () =>
        page.evaluate(() => {
          const hook = (
            window as unknown as {
              __barstream: {
                markers(): { time: number; shape: string; color: string; text?: string }[];
                timeToX(t: number): number | null;
              };
            }
          ).__barstream;
          const markers = hook.markers();
          let closest = Number.POSITIVE_INFINITY;
          for (const shape of ['arrowUp', 'arrowDown']) {
            const xs = markers
              .filter((m) => m.shape === shape)
              .map((m) => hook.timeToX(m.time))
              .filter((x): x is number => x !== null);
            for (let i = 1; i < xs.length; i++) closest = Math.min(closest, (xs[i] as number) - (xs[i - 1] as number));
          }
          return { clustered: markers.some((m) => /×\d+$/.test(m.text ?? '')), closestAtLeastMarkerWidth: closest >= 13 };
        }),
      { timeout: 60_000 },
    )
    .toEqual({ clustered: true, closestAtLeastMarkerWidth: true });
  await page.screenshot({ path: `${SHOTS}/zoomed-out-clusters.png` });
});

/** Marks of the chart's first drawing (web/lib/chart/perf-marks.ts) present now. */
const marks = (page: Page): Promise<string[]> =>
  page.evaluate(() => ['bars-painted', 'chart-started', 'chart-adopted'].filter((name) => performance.getEntriesByName(name).length > 0));

/** lightweight-charts' own elements in the chart's container: one chart, never two. */
const chartRoots = (page: Page): Promise<number> => page.locator('[data-testid="chart"] > .tv-lightweight-charts').count();

test('a cold /trends draws its candles before the page hydrates, and the chart takes that chart over', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  // The page's own scripts held (not its stylesheets, which inline scripts wait for): only the inline
  // early request and the boot script can draw.
  const release = await holdRequests(page, '**/_next/static/chunks/*.js');
  const barRequests: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/api/ohlc') barRequests.push(r.url());
  });
  await page.goto(`${stack.webUrl}/trends?contract=SIM.MES&tf=1m`, { waitUntil: 'commit' });
  await expect.poll(() => marks(page), { timeout: 60_000 }).toEqual(['bars-painted']);
  expect(await chartRoots(page)).toBe(1);
  await expect(page.locator('[data-booted]')).toHaveCount(1);
  await expect(page.getByTestId('chart-loading')).toBeHidden();
  expect(await chartState(page)).toBeNull(); // not hydrated: no chart component yet
  await page.screenshot({ path: `${SHOTS}/booted-before-hydration.png` });
  const drawn = await page.evaluate(() => {
    const boot = (window as unknown as { __barstreamChartBoot?: { chart?: { drawn(): { time: number }[] } } }).__barstreamChartBoot;
    const times = boot?.chart?.drawn().map((c) => c.time) ?? [];
    return { count: times.length, first: times[0], last: times.at(-1) };
  });
  expect(drawn.count).toBeGreaterThan(0);

  release();
  await expect(page.getByTestId('connection-status')).toHaveText('live', { timeout: 60_000 });
  await expect.poll(() => marks(page), { timeout: 60_000 }).toEqual(['bars-painted', 'chart-started', 'chart-adopted']);
  await expect.poll(async () => (await chartState(page))?.barCount ?? 0).toBeGreaterThan(0);
  expect(await chartRoots(page)).toBe(1);
  // The candles the boot drew are the chart's (live bars may follow them), asked for once.
  const candles = await chartCandles(page);
  expect(candles[0]?.time).toBe(drawn.first);
  expect(candles.length).toBeGreaterThanOrEqual(drawn.count);
  expect(candles.map((c) => c.time)).toContain(drawn.last);
  expect((await chartState(page))?.events.reloads).toBe(0);
  expect(barRequests.filter((u) => new URL(u).searchParams.get('limit') === '5000')).toHaveLength(1);
  await page.unroute('**/_next/static/chunks/*.js');
  expect(errors.filter((e) => /hydrat/i.test(e))).toEqual([]);
});

test('a chart that mounts before its bars arrive draws them itself, once, with no boot', async ({ page }) => {
  const release = await holdRequests(page, '**/api/ohlc?**');
  await page.goto(`${stack.webUrl}/trends?contract=SIM.MES&tf=1m`);
  await expect.poll(() => marks(page), { timeout: 60_000 }).toEqual(['chart-started']);
  release();
  await expect.poll(async () => (await chartState(page))?.barCount ?? 0, { timeout: 60_000 }).toBeGreaterThan(0);
  await expect.poll(() => marks(page)).toEqual(['bars-painted', 'chart-started']);
  expect(await chartRoots(page)).toBe(1);
  await expect(page.locator('[data-booted]')).toHaveCount(0);
  await page.unroute('**/api/ohlc?**');
});

test('an empty frame says it is loading history until the bars arrive, and says so when there are none', async ({ page }) => {
  const release = await holdRequests(page, '**/api/ohlc?**');
  await page.goto(`${stack.webUrl}/trends?contract=SIM.MES&tf=1m`);
  await expect(page.getByTestId('chart-loading')).toHaveText('Loading history…');
  expect((await chartState(page))?.barCount ?? 0).toBe(0);
  await page.screenshot({ path: `${SHOTS}/loading-history.png` });
  release();
  await expect(page.getByTestId('chart-loading')).toBeHidden();
  await expect.poll(async () => (await chartState(page))?.barCount ?? 0).toBeGreaterThan(0);
  await page.unroute('**/api/ohlc?**');

  // A contract that is known (a row in contracts, as plain SQL may add one) but has no bars yet; an
  // unconfigured timeframe would be a 404, which the page shows as an error instead.
  const db = new pg.Client({ connectionString: `postgresql://postgres:barstream@127.0.0.1:${stack.ports.pg}/barstream` });
  await db.connect();
  await db.query(`INSERT INTO contracts (id, provider, symbol) VALUES ('E2E.EMPTY', 'simulated', 'E2EEMPTY') ON CONFLICT (id) DO NOTHING`);
  await db.end();
  await page.goto(`${stack.webUrl}/trends?contract=E2E.EMPTY&tf=1m`);
  await expect(page.getByTestId('chart-empty')).toContainText('No bars stored for E2E.EMPTY 1m yet');
  await expect(page.getByTestId('chart-loading')).toBeHidden();
});
