// The SMC drawing on /trends against one full stack, on real MES bars (../shared/data/mes) and the SMC
// rows of their batch answer: zones, BOS/CHoCH segments and swing markers drawn for the rows in view,
// each study switched off by its toggle (and remembered), a live smc_update redrawing the changed
// rows, and screenshots of 5m and 4h for a trader's eye.
import { expect, type Page, test } from '@playwright/test';
import type { SmcTableRow } from '../../core/src/smc/smc-table-rows.ts';
import { hasSharedData, MES_DIR } from '../support/shared-data.ts';
import { chartCandles, chartState, killLeftovers, stackDatabase } from './chart-page.ts';
import { type FullStack, startFullStack } from './full-stack.ts';
import {
  type HookScene,
  type HookViewport,
  MES,
  readMesBars,
  rowKey,
  seedMes,
  smcScene,
  smcState,
  smcViewport,
  STUDY_ID,
} from './smc-chart-page.ts';

test.describe.configure({ mode: 'serial' });
test.skip(!hasSharedData, `needs the real MES bars in ${MES_DIR} (absent: skipped)`);

const FIVE_MINUTES = { label: '5m', unit: 2, value: 5 };
const FOUR_HOURS = { label: '4h', unit: 3, value: 4 };

let stack: FullStack;
const rows: Record<string, SmcTableRow[]> = {};
let fiveMinuteBars = 0;

test.beforeAll(async () => {
  test.setTimeout(600_000);
  stack = await startFullStack({ INGEST_TIMEFRAMES: '5m,4h' });
  const db = stackDatabase(stack);
  await db.connect();
  try {
    const fiveMinute = readMesBars('MES_M25_5m.csv');
    fiveMinuteBars = fiveMinute.length;
    rows['5m'] = await seedMes(db, FIVE_MINUTES, fiveMinute);
    rows['4h'] = await seedMes(db, FOUR_HOURS, readMesBars('MES_M25_4h.csv'));
  } finally {
    await db.end();
  }
});
test.afterAll(async () => {
  if (stack) {
    await stack.stop();
    killLeftovers(stack);
    stack.cleanup();
  }
});

async function openChart(page: Page, timeframe: string, bars = ''): Promise<void> {
  await page.goto(`${stack.webUrl}/trends?contract=${MES}&tf=${timeframe}${bars && `&bars=${bars}`}`);
  await expect.poll(async () => (await chartState(page))?.barCount ?? 0, { timeout: 60_000 }).toBeGreaterThan(100);
  await expect.poll(async () => (await smcState(page))?.loads ?? 0, { timeout: 60_000 }).toBeGreaterThan(0);
}

interface Expected {
  readonly must: Set<string>;
  readonly may: Set<string>;
}

/**
 * Rows that must be drawn (their life crosses the view by two bars and two pixels or more, their price
 * is on screen) and rows that may be (their life touches the view, give or take a bar: the edges clip
 * by pixel). Positions are candle indices, as the chart places rows (sessions leave gaps in time).
 */
function expected(
  all: readonly SmcTableRow[],
  v: HookViewport,
  indexOf: (seconds: number) => number,
  include: (r: SmcTableRow) => boolean,
): Expected {
  const must = new Set<string>();
  const may = new Set<string>();
  const low = Math.min(v.topPrice, v.bottomPrice);
  const high = Math.max(v.topPrice, v.bottomPrice);
  const margin = (high - low) * 0.01;
  const first = indexOf(v.fromTime);
  const last = indexOf(v.toTime);
  const crossBars = Math.max(2, Math.ceil(2 / v.barSpacing));
  for (const r of all) {
    if (!include(r)) continue;
    const start = indexOf(r.barTime / 1000);
    let end: number;
    let top: number;
    let bottom: number;
    if (r.table === 'zones') {
      end = r.mitigatedTime === null ? Number.POSITIVE_INFINITY : indexOf(r.mitigatedTime / 1000);
      top = r.top;
      bottom = r.bottom;
    } else if (r.kind === 'bos' || r.kind === 'choch') {
      if (r.brokenTime === null || r.level === null) continue;
      end = indexOf(r.brokenTime / 1000);
      top = bottom = r.level;
    } else {
      if (r.level === null) continue;
      end = start;
      top = bottom = r.level;
    }
    const swing = r.table === 'smc_events' && (r.kind === 'swing_high' || r.kind === 'swing_low');
    const priceInView = top >= low + margin && bottom <= high - margin;
    const inView = swing ? start > first && start < last : Math.min(end, last) - Math.max(start, first) >= crossBars;
    if (inView && priceInView) must.add(rowKey(r));
    if (start <= last + 1 && end >= first - 1) may.add(rowKey(r));
  }
  return { must, may };
}

const isZone = (study: string) => (r: SmcTableRow) => r.table === 'zones' && r.study === study;
const isSegment = (r: SmcTableRow) => r.table === 'smc_events' && (r.kind === 'bos' || r.kind === 'choch');
const isSwing = (r: SmcTableRow) => r.table === 'smc_events' && (r.kind === 'swing_high' || r.kind === 'swing_low');

/** Drawn shapes are exactly the rows in view: every row that must be drawn is, and nothing outside the view is. */
async function expectDrawingMatchesRows(page: Page, timeframe: string): Promise<HookScene> {
  const all = rows[timeframe] ?? [];
  const viewport = await smcViewport(page);
  if (!viewport) throw new Error('the chart has no viewport');
  const candles = await chartCandles(page);
  const position = new Map(candles.map((c, i) => [c.time, i]));
  const indexOf = (seconds: number): number => {
    const i = position.get(seconds);
    if (i !== undefined) return i;
    if (seconds < (candles[0]?.time ?? 0)) return 0; // before the loaded history: placed at its first bar
    throw new Error(`no candle at ${new Date(seconds * 1000).toISOString()}`);
  };
  const scene = await smcScene(page);
  const check = (what: string, drawn: string[], e: Expected): void => {
    for (const key of e.must) expect(drawn, `${what}: ${key} is in view but not drawn`).toContain(key);
    for (const key of drawn) expect(e.may.has(key), `${what}: ${key} is drawn but not in view`).toBe(true);
  };
  for (const study of ['fvg', 'ob', 'liquidity']) {
    check(
      study,
      scene.zones.filter((z) => z.study === study).map((z) => z.key),
      expected(all, viewport, indexOf, isZone(study)),
    );
  }
  check(
    'structure',
    scene.segments.map((s) => s.key),
    expected(all, viewport, indexOf, isSegment),
  );
  check(
    'swings',
    scene.swings.map((s) => s.key),
    expected(all, viewport, indexOf, isSwing),
  );
  // Something of each kind a trader looks for is on screen.
  expect(scene.zones.filter((z) => z.study === 'fvg').length, 'FVGs drawn').toBeGreaterThan(0);
  expect(scene.zones.filter((z) => z.study === 'ob').length, 'OBs drawn').toBeGreaterThan(0);
  expect(scene.segments.length, 'BOS/CHoCH drawn').toBeGreaterThan(0);
  expect(scene.swings.length, 'swings drawn').toBeGreaterThan(0);
  return scene;
}

test('5m: the zones, breaks and swings in view are drawn, and nothing else', async ({ page }) => {
  await openChart(page, '5m');
  const state = await smcState(page);
  const seeded = rows['5m'] ?? [];
  expect(state?.zoneRows).toBe(seeded.filter((r) => r.table === 'zones').length);
  expect(state?.eventRows).toBe(seeded.filter((r) => r.table === 'smc_events').length);
  await expectDrawingMatchesRows(page, '5m');
  await page.screenshot({ path: 'test-results/smc-mes-5m.png' });
});

test('4h: the same over the whole contract', async ({ page }) => {
  await openChart(page, '4h');
  await expectDrawingMatchesRows(page, '4h');
  await page.screenshot({ path: 'test-results/smc-mes-4h.png' });
});

test('5m zoomed out over days: thin shapes and crowded labels are left out, what remains matches the rows', async ({ page }) => {
  // Every bar loaded up front: no page of older bars (and its SMC re-read) arrives mid-check.
  await openChart(page, '5m', '10000');
  await expect.poll(async () => (await chartState(page))?.barCount).toBe(fiveMinuteBars);
  const near = await smcScene(page);
  const chart = page.getByTestId('chart');
  const box = await chart.boundingBox();
  if (!box) throw new Error('no chart');
  // The wheel zooms around the pointer: near the newest bar (left of the price axis) the view keeps it
  // at the right edge instead of opening empty space after it.
  await page.mouse.move(box.x + box.width - 110, box.y + box.height / 2);
  // Zoom out until a bar is under a pixel wide (days of 5m bars in view).
  await expect(async () => {
    await page.mouse.wheel(0, 600);
    expect((await smcViewport(page))?.barSpacing ?? 99).toBeLessThan(1);
  }).toPass({ timeout: 60_000 });
  await page.mouse.move(box.x + box.width / 2, box.y - 40); // off the chart: no crosshair in the picture
  const far = await expectDrawingMatchesRows(page, '5m');
  // Fewer labels per shape than up close: the rest have no room.
  const labelled = (s: HookScene): number => s.zones.filter((z) => z.label !== null).length / Math.max(1, s.zones.length);
  expect(labelled(far)).toBeLessThan(labelled(near));
  await page.screenshot({ path: 'test-results/smc-mes-5m-zoomed-out.png' });
});

test('each study switches off with its toggle, and stays off after a reload', async ({ page }) => {
  await openChart(page, '5m');
  const before = await smcScene(page);
  const obs = before.zones.filter((z) => z.study === 'ob').length;
  expect(before.zones.some((z) => z.study === 'fvg')).toBe(true);

  await page.getByTestId('toggle-smc-fvg').uncheck();
  await expect.poll(async () => (await smcScene(page)).zones.filter((z) => z.study === 'fvg').length).toBe(0);
  expect((await smcScene(page)).zones.filter((z) => z.study === 'ob').length).toBe(obs);

  await page.getByTestId('toggle-smc-structure').uncheck();
  await page.getByTestId('toggle-smc-swings').uncheck();
  await expect.poll(async () => (await smcScene(page)).segments.length).toBe(0);
  await expect.poll(async () => (await smcScene(page)).swings.length).toBe(0);

  await openChart(page, '5m');
  await expect(page.getByTestId('toggle-smc-fvg')).not.toBeChecked();
  await expect(page.getByTestId('toggle-smc-ob')).toBeChecked();
  await expect.poll(async () => (await smcScene(page)).zones.filter((z) => z.study === 'ob').length).toBe(obs);
  expect((await smcScene(page)).zones.filter((z) => z.study === 'fvg')).toEqual([]);
  expect((await smcScene(page)).segments).toEqual([]);

  await page.getByTestId('toggle-smc-fvg').check();
  await expect.poll(async () => (await smcScene(page)).zones.filter((z) => z.study === 'fvg').length).toBeGreaterThan(0);
});

test('an smc_update for the chart re-reads the changed rows: a new zone appears, a deleted swing goes', async ({ page }) => {
  await openChart(page, '5m');
  const seeded = rows['5m'] ?? [];
  const swings = seeded.filter(isSwing);
  const newest = swings[swings.length - 1];
  if (!newest) throw new Error('no swings seeded');
  await expect.poll(async () => (await smcScene(page)).swings.map((s) => s.key)).toContain(rowKey(newest));
  const candles = await chartCandles(page);
  const bar = candles[candles.length - 4];
  if (!bar) throw new Error('not enough candles');
  const barIso = new Date(bar.time * 1000).toISOString();

  // What the analyzer does on a closed bar: revise the rows, then announce from which bar.
  const db = stackDatabase(stack);
  await db.connect();
  try {
    await db.query(
      `DELETE FROM smc_events WHERE study_id = $1 AND contract_id = $2 AND timeframe = '5m' AND study = 'swing_highs_lows' AND bar_time = $3`,
      [STUDY_ID, MES, new Date(newest.barTime).toISOString()],
    );
    await db.query(
      `INSERT INTO zones (study_id, contract_id, timeframe, study, bar_time, bar_index, side, top, bottom, confirmed)
       VALUES ($1, $2, '5m', 'fvg', $3, 99999, 1, $4, $5, false)
       ON CONFLICT (study_id, contract_id, timeframe, study, bar_time) DO UPDATE SET top = EXCLUDED.top, bottom = EXCLUDED.bottom, mitigated_time = NULL, confirmed = false`,
      [STUDY_ID, MES, barIso, bar.high, bar.low],
    );
  } finally {
    await db.end();
  }
  const from = new Date(Math.min(newest.barTime, bar.time * 1000)).toISOString();
  await page.evaluate((m) => (window as Window & { __barstream?: { inject(message: unknown): number } }).__barstream?.inject(m), {
    type: 'smc_update',
    study_id: STUDY_ID,
    contract_id: MES,
    timeframe: '5m',
    through: barIso,
    from,
    events: 1,
    zones: 1,
  });
  const newKey = `${STUDY_ID}|fvg|${barIso}`;
  await expect
    .poll(async () => (await smcScene(page)).zones.find((z) => z.key === newKey))
    .toMatchObject({ active: true, confirmed: false });
  await expect.poll(async () => (await smcScene(page)).swings.map((s) => s.key)).not.toContain(rowKey(newest));
});
