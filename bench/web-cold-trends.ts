// bench:web's cold /trends: what a user waits for, from navigation start to the first candles
// painted (the chart's 'bars-painted' mark, web/lib/chart/perf-marks.ts), each run in a fresh
// browser context (empty HTTP cache, no service worker, no stored preferences), with where the
// time went: the HTML, the scripts, the /api/ohlc request's start and end, and bytes on the wire.
import type { Browser } from 'playwright';
import { BENCH_CONTRACT } from './web-stack.ts';

export interface ColdTrendsRun {
  /** Navigation start → 'bars-painted'. */
  readonly candlesMs: number;
  /** Navigation start → the HTML's last byte. */
  readonly htmlMs: number;
  /** Navigation start → DOMContentLoaded handlers done (every script parsed and run). */
  readonly domContentLoadedMs: number;
  /** Navigation start → the chart mounted and asked for its bars (hydration done). */
  readonly chartStartedMs: number;
  /** Navigation start → the bars handed to the chart ('bars-received'). */
  readonly barsReceivedMs: number;
  /** The first /api/ohlc request: when it started and when its last byte arrived. */
  readonly ohlcStartMs: number;
  readonly ohlcEndMs: number;
  /** Other /api/* requests (overlays) started before the bars arrived. */
  readonly apiBesideBars: number;
  /** Bytes on the wire (transferSize: compressed bodies plus headers). */
  readonly htmlBytes: number;
  readonly scriptBytes: number;
  readonly ohlcBytes: number;
  readonly barCount: number;
}

interface PageTimings extends ColdTrendsRun {
  readonly ready: boolean;
}

/** One cold navigation to `/trends` (the page's default number of bars). */
export async function coldTrendsRun(browser: Browser, webUrl: string): Promise<ColdTrendsRun> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    await page.goto(`${webUrl}/trends?contract=${BENCH_CONTRACT}&tf=1m`, { waitUntil: 'commit' });
    const handle = await page.waitForFunction(
      (): PageTimings | null => {
        // No named helper functions in here: the bundler's __name() wrapper does not exist in the page.
        const painted = performance.getEntriesByName('bars-painted')[0] as PerformanceMark | undefined;
        if (!painted) return null;
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
        const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
        const api = resources.filter((r) => new URL(r.name).pathname.startsWith('/api/'));
        const ohlc = api.find((r) => new URL(r.name).pathname === '/api/ohlc');
        if (!nav || !ohlc) return null;
        const scripts = resources.filter((r) => r.initiatorType === 'script' || new URL(r.name).pathname.endsWith('.js'));
        return {
          ready: true,
          candlesMs: painted.startTime,
          htmlMs: nav.responseEnd,
          domContentLoadedMs: nav.domContentLoadedEventEnd,
          chartStartedMs: performance.getEntriesByName('chart-started')[0]?.startTime ?? Number.NaN,
          barsReceivedMs: performance.getEntriesByName('bars-received')[0]?.startTime ?? Number.NaN,
          ohlcStartMs: ohlc.startTime,
          ohlcEndMs: ohlc.responseEnd,
          apiBesideBars: api.filter((r) => r !== ohlc && r.startTime < ohlc.responseEnd).length,
          htmlBytes: nav.transferSize,
          scriptBytes: scripts.reduce((sum, r) => sum + r.transferSize, 0),
          ohlcBytes: ohlc.transferSize,
          barCount: (painted.detail as { barCount: number }).barCount,
        };
      },
      undefined,
      { timeout: 60_000, polling: 50 },
    );
    const { ready: _ready, ...run } = (await handle.jsonValue()) as PageTimings;
    return run;
  } finally {
    await context.close();
  }
}
