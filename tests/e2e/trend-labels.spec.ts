// Labelling trend starts on /trends: the mode's switch, a click on a candle cycling the bar's label
// (up → down → none) and stored through the API, the score panel agreeing with the API's score of
// labels seeded on the trend finder's own starts; and the API's writes, CSV round trip and errors.
import { expect, type Page, test } from '@playwright/test';
import { chartCandles, chartState, killLeftovers, timeToX } from './chart-page.ts';
import { type FullStack, startFullStack } from './full-stack.ts';

let stack: FullStack;
const SHOTS = 'test-results/trend-labels';
const CONTRACT = 'SIM.MES';
const TF = '5m';

test.describe.configure({ mode: 'serial' });

interface Label {
  label_id: number;
  timestamp: string;
  label_type: string;
  author: string;
}
interface Metrics {
  tp: number;
  fp: number;
  fn: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
}
interface Score {
  exact: { overall: Metrics };
  tolerant: { k: number; overall: Metrics };
}

interface LabelMarker {
  time: number;
  shape: string;
  position: string;
  text?: string;
}
type LabelsWindow = Window & { __barstreamLabels?: { markers(): LabelMarker[] } };

/** The labelling layer's markers (labels, and detections coloured by outcome). */
function labelMarkers(page: Page): Promise<LabelMarker[]> {
  return page.evaluate(() => (window as LabelsWindow).__barstreamLabels?.markers() ?? []);
}

async function api<T>(path: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const res = await fetch(`${stack.webUrl}${path}`, init);
  const text = await res.text();
  return { status: res.status, body: (text.startsWith('{') ? JSON.parse(text) : text) as T };
}

async function labelsOf(author: string): Promise<Label[]> {
  return (await api<{ labels: Label[] }>(`/api/trend-labels?contract_id=${CONTRACT}&timeframe=${TF}&author=${author}`)).body.labels;
}

async function trendStarts(): Promise<{ timestamp: string; signal_type: string }[]> {
  const res = await api<{ signals: { timestamp: string; signal_type: string }[] }>(
    `/api/trend-starts?contract_id=${CONTRACT}&timeframe=${TF}&analyzer_id=cus_cds_trend_finder`,
  );
  return res.status === 200 ? res.body.signals : [];
}

const post = (body: unknown) =>
  api<Label>('/api/trend-labels', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

test.beforeAll(async () => {
  test.setTimeout(600_000);
  stack = await startFullStack({ INGEST_TIMEFRAMES: '1m,5m' });
  await expect.poll(async () => (await trendStarts()).length, { timeout: 120_000 }).toBeGreaterThanOrEqual(2);
});
test.afterAll(async () => {
  if (stack) {
    await stack.stop();
    killLeftovers(stack);
    stack.cleanup();
  }
});

async function openLabelling(page: Page, author: string): Promise<void> {
  await page.goto(`${stack.webUrl}/trends?contract=${CONTRACT}&tf=${TF}`);
  await expect.poll(async () => (await chartState(page))?.barCount ?? 0, { timeout: 60_000 }).toBeGreaterThan(20);
  await page.getByTestId('toggle-labelling').check();
  await page.getByTestId('label-author').fill(author);
  await expect(page.getByTestId('score-panel')).toBeVisible();
}

/** Clicks the candle of bar `time` (epoch seconds) and waits for the author's labels to change to `expected`
 * (a click that landed on a neighbour because a new bar scrolled the chart is undone and retried). */
async function clickBar(page: Page, author: string, time: number, expected: string | null): Promise<void> {
  const box = await page.getByTestId('chart').boundingBox();
  if (!box) throw new Error('no chart');
  const before = (await labelsOf(author)).length;
  await expect(async () => {
    const x = await timeToX(page, time);
    if (x === null) throw new Error('bar is off screen');
    await page.mouse.click(box.x + x, box.y + box.height / 2);
    await expect.poll(async () => (await labelsOf(author)).length !== before || expected !== null, { timeout: 10_000 }).toBe(true);
    if (expected === null) {
      await expect.poll(async () => (await labelsOf(author)).length, { timeout: 10_000 }).toBe(0);
      return;
    }
    await expect
      .poll(async () => (await labelsOf(author)).map((l) => [Date.parse(l.timestamp) / 1000, l.label_type]), { timeout: 10_000 })
      .toEqual([[time, expected]]);
  }).toPass({ timeout: 60_000 });
}

test('labelling mode: a click labels a bar up, the next down, the next removes it; markers follow', async ({ page }) => {
  const author = `e2e-click-${Date.now()}`;
  await openLabelling(page, author);
  const candles = await chartCandles(page);
  const bar = candles[candles.length - 12];
  if (!bar) throw new Error('not enough candles');

  await clickBar(page, author, bar.time, 'uptrend_start');
  const marker = async () => (await labelMarkers(page)).filter((m) => m.shape === 'square');
  await expect
    .poll(async () => (await marker()).map((m) => [m.time, m.position, m.text?.slice(0, 2)]))
    .toEqual([[bar.time, 'belowBar', 'L↑']]);
  await page.screenshot({ path: `${SHOTS}/labelled-up.png` });

  await clickBar(page, author, bar.time, 'downtrend_start');
  await expect.poll(async () => (await marker()).map((m) => [m.time, m.position])).toEqual([[bar.time, 'aboveBar']]);

  await clickBar(page, author, bar.time, null);
  await expect.poll(async () => (await marker()).length).toBe(0);

  // The author name is remembered in this browser.
  await page.reload();
  await page.getByTestId('toggle-labelling').check();
  await expect(page.getByTestId('label-author')).toHaveValue(author);
});

test('the score panel shows the API’s figures for labels seeded on the trend finder’s starts', async ({ page }) => {
  const author = `e2e-score-${Date.now()}`;
  const starts = await trendStarts();
  // Two consecutive starts, each alone on its bar: the labelled range then holds exactly these two detections.
  const alone = (i: number) => starts.filter((s) => s.timestamp === starts[i]?.timestamp).length === 1;
  const pair = starts.findIndex((_, i) => i > 0 && alone(i - 1) && alone(i));
  const first = starts[pair - 1];
  const second = starts[pair];
  if (!first || !second) throw new Error('no two trend starts on different bars');
  const flip = (t: string) => (t === 'uptrend_start' ? 'downtrend_start' : 'uptrend_start');
  // The first labelled as the finder says (a hit), the second the other way (a miss, and an extra).
  expect(
    (await post({ contract_id: CONTRACT, timeframe: TF, timestamp: first.timestamp, label_type: first.signal_type, author })).status,
  ).toBe(200);
  expect(
    (await post({ contract_id: CONTRACT, timeframe: TF, timestamp: second.timestamp, label_type: flip(second.signal_type), author }))
      .status,
  ).toBe(200);

  const score = (await api<Score>(`/api/trend-labels/score?contract_id=${CONTRACT}&timeframe=${TF}&detector=trend&k=2&author=${author}`))
    .body;
  expect(score.exact.overall).toEqual({ tp: 1, fp: 1, fn: 1, precision: 0.5, recall: 0.5, f1: 0.5 });

  await openLabelling(page, author);
  await expect(page.getByTestId('score-exact-counts')).toHaveText('1 / 1 / 1');
  await expect(page.getByTestId('score-exact-precision')).toHaveText('50.0%');
  await expect(page.getByTestId('score-exact-recall')).toHaveText('50.0%');
  await expect(page.getByTestId('score-exact-f1')).toHaveText('50.0%');
  const t = score.tolerant.overall;
  await expect(page.getByTestId('score-tolerant-counts')).toHaveText(`${t.tp} / ${t.fp} / ${t.fn}`);
  await expect(page.getByTestId('score-tolerant')).toContainText('±2');
  // The detections drawn coloured: one hit and one extra circle, the labels hit and miss.
  const drawn = async (shape: string) =>
    (await labelMarkers(page))
      .filter((m) => m.shape === shape)
      .map((m) => m.text?.split(' ').pop())
      .sort();
  await expect.poll(() => drawn('square')).toEqual(['hit', 'miss']);
  await expect.poll(() => drawn('circle')).toEqual(['extra', 'hit']);
  await page.screenshot({ path: `${SHOTS}/score-panel.png` });

  // Another detector from the select: the panel follows the API.
  await page.getByTestId('score-detector').selectOption('ema_cross');
  const ema = (await api<Score>(`/api/trend-labels/score?contract_id=${CONTRACT}&timeframe=${TF}&detector=ema_cross&k=2&author=${author}`))
    .body;
  const e = ema.exact.overall;
  await expect(page.getByTestId('score-exact-counts')).toHaveText(`${e.tp} / ${e.fp} / ${e.fn}`);
});

test('the API: replace a bar’s label, delete by id, CSV export and import, and 400s naming what is wrong', async () => {
  const author = `e2e-api-${Date.now()}`;
  const bar = (await trendStarts())[0]?.timestamp;
  if (!bar) throw new Error('no bar');
  const up = await post({ contract_id: CONTRACT, timeframe: TF, timestamp: bar, label_type: 'uptrend_start', author });
  const down = await post({ contract_id: CONTRACT, timeframe: TF, timestamp: bar, label_type: 'downtrend_start', author });
  expect([up.status, down.status, down.body.label_id]).toEqual([200, 200, up.body.label_id]);
  expect((await labelsOf(author)).map((l) => l.label_type)).toEqual(['downtrend_start']);

  const csv = (await api<string>(`/api/trend-labels/export?contract_id=${CONTRACT}&timeframe=${TF}&author=${author}`)).body;
  expect(csv.split('\n')[0]).toBe('contract_id,timeframe,timestamp,label_type,author,created_at');
  const moved = csv.replaceAll(author, `${author}-copy`);
  const imported = await api<{ imported: number }>('/api/trend-labels/import', {
    method: 'POST',
    headers: { 'content-type': 'text/csv' },
    body: moved,
  });
  expect(imported).toEqual({ status: 200, body: { imported: 1 } });
  expect((await labelsOf(`${author}-copy`)).map((l) => l.label_type)).toEqual(['downtrend_start']);

  const bad = await api<{ error: { field: string; message: string } }>('/api/trend-labels/import', {
    method: 'POST',
    body: `contract_id,timeframe,timestamp,label_type,author\n${CONTRACT},${TF},${bar},uptrend_start,${author}-bad\n${CONTRACT},${TF},${bar},sideways,${author}-bad2\n`,
  });
  expect(bad.status).toBe(400);
  expect(bad.body.error.field).toBe('line 3: label_type');
  expect(await labelsOf(`${author}-bad`)).toEqual([]);

  const deleted = await api<{ deleted: Label }>(`/api/trend-labels/${down.body.label_id}`, { method: 'DELETE' });
  expect([deleted.status, deleted.body.deleted.label_type]).toEqual([200, 'downtrend_start']);
  expect(await labelsOf(author)).toEqual([]);
  expect((await api(`/api/trend-labels/${down.body.label_id}`, { method: 'DELETE' })).status).toBe(404);

  for (const [body, field] of [
    [{ contract_id: CONTRACT, timeframe: TF, timestamp: bar, label_type: 'up' }, 'label_type'],
    [{ contract_id: CONTRACT, timeframe: TF, label_type: 'uptrend_start' }, 'timestamp'],
    [{ contract_id: CONTRACT, timeframe: '5q', timestamp: bar, label_type: 'uptrend_start' }, 'timeframe'],
  ] as const) {
    const res = await post(body);
    expect([res.status, (res.body as unknown as { error: { field: string } }).error.field]).toEqual([400, field]);
  }
  const notJson = await api<{ error: { field: string } }>('/api/trend-labels', { method: 'POST', body: '{' });
  expect([notJson.status, notJson.body.error.field]).toEqual([400, 'body']);
  const offBar = await post({ contract_id: CONTRACT, timeframe: TF, timestamp: '2001-01-01T00:00:00Z', label_type: 'uptrend_start' });
  expect(offBar.status).toBe(404);
  const badK = await api<{ error: { field: string } }>(
    `/api/trend-labels/score?contract_id=${CONTRACT}&timeframe=${TF}&detector=trend&k=x`,
  );
  expect([badK.status, badK.body.error.field]).toEqual([400, 'k']);
  const doc = (await api<{ paths: Record<string, Record<string, unknown>> }>('/api/openapi.json')).body;
  expect(Object.keys(doc.paths['/api/trend-labels'] ?? {})).toEqual(['get', 'post']);
});
