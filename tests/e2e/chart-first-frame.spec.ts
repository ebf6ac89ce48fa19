// The first frame of a long history drawn from its last bars (web/lib/chart/candle-chart.ts) is the
// first frame drawn from all of them, pixel for pixel: every canvas of two charts of the same size and
// the same 10,000 1m candles, on the UTC and on the CME calendar, in Chromium. And once the rest is set,
// the chart still shows the same.
import { buildSync } from 'esbuild';
import { expect, test } from '@playwright/test';
import type { FirstFrames } from './chart-first-frame-page.ts';

const bundle = (): string =>
  buildSync({
    entryPoints: ['tests/e2e/chart-first-frame-page.ts'],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2022',
    platform: 'browser',
    conditions: ['production'],
    logLevel: 'warning',
  }).outputFiles[0]?.text ?? '';

for (const calendar of ['utc', 'cme'] as const) {
  test(`the first frame from the last bars is the whole history's first frame (${calendar} calendar)`, async ({ page }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const box = 'width: 1100px; height: 560px; position: relative';
    await page.setContent(
      `<body style="margin:0;background:#12151c"><div id="${calendar}-a" style="${box}"></div><div id="${calendar}-b" style="${box}"></div></body>`,
    );
    await page.addScriptTag({ content: bundle() });
    const frames = await page.evaluate(
      (c) => (window as unknown as { firstFrames(c: string): Promise<FirstFrames> }).firstFrames(c),
      calendar,
    );
    expect(errors).toEqual([]);
    // The first frame really was drawn from fewer bars.
    expect(frames.firstFrameBars).toBeGreaterThan(0);
    expect(frames.firstFrameBars).toBeLessThan(2_000);
    expect(frames.whole.length).toBeGreaterThanOrEqual(4); // pane, its top layer, the price and time axes
    expect(frames.lastBars.length).toBe(frames.whole.length);
    frames.whole.forEach((png, i) => {
      expect(frames.lastBars[i] === png, `canvas ${i} of the first frame`).toBe(true);
      expect(frames.lastBarsSettled[i] === png, `canvas ${i} once every bar is set`).toBe(true);
    });
  });
}
