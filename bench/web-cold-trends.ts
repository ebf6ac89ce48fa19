// bench:web's cold /trends: what a user waits for, from navigation start to the first candles
// painted (the chart's 'bars-painted' mark, web/lib/chart/perf-marks.ts: the candles and the volume, by
// the boot script before hydration or by the chart component after it; both say which), each run in a fresh
// browser context (empty HTTP cache, no service worker, no stored preferences), with where the
// time went: the HTML, the scripts, the /api/ohlc request's start and end, and bytes on the wire.
import type { Browser } from 'playwright';
import { figure, percentile } from './lib/report.ts';
import { BENCH_CONTRACT } from './web-stack.ts';
import {
  MOUNT_TO_CANDLES_WINDOW,
  startTrace,
  stopTraceWindows,
  TO_CANDLES_WINDOW,
  TO_MOUNT_WINDOW,
  type TraceSummary,
} from './web-trace.ts';

export interface ColdTrendsRun {
  /** Navigation start → 'bars-painted'. */
  readonly candlesMs: number;
  /** Navigation start → the HTML's last byte. */
  readonly htmlMs: number;
  /** Navigation start → DOMContentLoaded handlers done (every script parsed and run). */
  readonly domContentLoadedMs: number;
  /** Navigation start → the chart mounted and asked for its bars (hydration done). */
  readonly chartStartedMs: number;
  /** The candles were drawn by the chart boot script before hydration (web/lib/chart/chart-boot.ts). */
  readonly booted: boolean;
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
  /** Navigation start → the HTML's first byte (the server's render before it streams). */
  readonly htmlFirstByteMs: number;
  /** Navigation start → the last script's last byte (a late chunk holds hydration back). */
  readonly scriptsEndMs: number;
  /** Main-thread time to the candles (Chrome's Performance metrics: every task; script alone). */
  readonly taskMs: number;
  readonly scriptMs: number;
  /** Long tasks (≥ 50 ms) before the candles: count, and the longest. */
  readonly longTasks: number;
  readonly longestTaskMs: number;
  /** Traced runs only: the navigation → 'chart-started' and 'chart-started' → 'bars-painted' windows
   * (the latter when the chart mounted before the candles), and navigation → 'bars-painted'. */
  readonly toMount?: TraceSummary;
  readonly mountToCandles?: TraceSummary;
  readonly toCandles?: TraceSummary;
  /** CPU from the context's creation to the candles (/proc): every Chromium process, the navigation's
   * renderer alone, and the web server (with its children). What the load moves least; set by the caller. */
  readonly chromiumCpuMs?: number;
  readonly rendererCpuMs?: number;
  readonly serverCpuMs?: number;
}

/** Collects long tasks from the page's start (longtask entries are not in the performance timeline). */
const LONG_TASK_OBSERVER = `window.__barstreamLongTasks = [];
new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__barstreamLongTasks.push([e.startTime, e.duration]); })
  .observe({ type: 'longtask', buffered: true });`;

type BrowserTimings = Omit<ColdTrendsRun, 'taskMs' | 'scriptMs'>;

interface PageTimings extends BrowserTimings {
  readonly ready: boolean;
}

/** One cold navigation to `/trends` (the page's default number of bars). `trace`: under a Chromium
 * trace (slower: not for the figures), 'keep' writes it to a file too. `metrics: false`: without
 * Chrome's Performance metrics and the long-task observer (taskMs, scriptMs and long tasks NaN / 0).
 * `beforeClose`: called once the candles are painted, before the context closes; `beforeNavigation`:
 * once the context's page exists (its renderer started), before the navigation. */
export async function coldTrendsRun(
  browser: Browser,
  webUrl: string,
  trace: false | 'cpu' | 'keep' = false,
  metrics = true,
  beforeClose?: () => void,
  beforeNavigation?: () => void,
): Promise<ColdTrendsRun> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    if (trace) await startTrace(browser, page);
    if (metrics) await page.addInitScript(LONG_TASK_OBSERVER);
    const cdp = metrics ? await context.newCDPSession(page) : undefined;
    await cdp?.send('Performance.enable');
    beforeNavigation?.();
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
        const longTasks = ((window as unknown as { __barstreamLongTasks?: [number, number][] }).__barstreamLongTasks ?? []).filter(
          ([start]) => start < painted.startTime,
        );
        return {
          ready: true,
          candlesMs: painted.startTime,
          htmlMs: nav.responseEnd,
          domContentLoadedMs: nav.domContentLoadedEventEnd,
          chartStartedMs: performance.getEntriesByName('chart-started')[0]?.startTime ?? Number.NaN,
          booted: document.querySelector('[data-booted]') !== null,
          barsReceivedMs: performance.getEntriesByName('bars-received')[0]?.startTime ?? Number.NaN,
          ohlcStartMs: ohlc.startTime,
          ohlcEndMs: ohlc.responseEnd,
          apiBesideBars: api.filter((r) => r !== ohlc && r.startTime < ohlc.responseEnd).length,
          htmlBytes: nav.transferSize,
          scriptBytes: scripts.reduce((sum, r) => sum + r.transferSize, 0),
          ohlcBytes: ohlc.transferSize,
          barCount: (painted.detail as { barCount: number }).barCount,
          htmlFirstByteMs: nav.responseStart,
          scriptsEndMs: scripts.reduce((end, r) => Math.max(end, r.responseEnd), 0),
          longTasks: longTasks.length,
          longestTaskMs: longTasks.reduce((m, [, d]) => Math.max(m, d), 0),
        };
      },
      undefined,
      { timeout: 60_000, polling: 50 },
    );
    const { ready: _ready, ...run } = (await handle.jsonValue()) as PageTimings;
    // Metrics are read a little after the candles (the bench's polling): a few ms more than to the mark.
    const read = cdp ? (await cdp.send('Performance.getMetrics')).metrics : [];
    const metric = (name: string): number => (read.find((m) => m.name === name)?.value ?? Number.NaN) * 1000;
    // Traced: the mount too, which follows the candles when the boot script drew them.
    if (trace) await page.waitForFunction(() => performance.getEntriesByName('chart-started').length > 0, undefined, { timeout: 60_000 });
    const mountedFirst = run.chartStartedMs < run.candlesMs;
    const windows = trace
      ? await stopTraceWindows(browser, trace === 'keep', [
          TO_MOUNT_WINDOW,
          TO_CANDLES_WINDOW,
          ...(mountedFirst ? [MOUNT_TO_CANDLES_WINDOW] : []),
        ])
      : [];
    const [toMount, toCandles, mountToCandles] = windows;
    beforeClose?.();
    return {
      ...run,
      taskMs: metric('TaskDuration'),
      scriptMs: metric('ScriptDuration'),
      ...(toMount && toCandles ? { toMount, toCandles } : {}),
      ...(mountToCandles ? { mountToCandles } : {}),
    };
  } finally {
    await context.close();
  }
}

/** The cold navigations' figures: candles median and worst, the phases' medians, every run slowest last. */
export function printCold(runs: readonly ColdTrendsRun[]): void {
  const sortedBy = (f: (r: ColdTrendsRun) => number): number[] => runs.map(f).sort((a, b) => a - b);
  const median = (f: (r: ColdTrendsRun) => number): string => percentile(sortedBy(f), 50).toFixed(0);
  const candles = sortedBy((r) => r.candlesMs);
  figure('navigation → candles painted, each run', runs.map((r) => r.candlesMs.toFixed(0)).join(', '), 'ms');
  figure(
    'cold /trends: median / worst',
    `${percentile(candles, 50).toFixed(0)} / ${(candles.at(-1) ?? NaN).toFixed(0)}`,
    'ms',
    'target ≤ 800 ms',
  );
  console.log(`cold /trends: ${percentile(candles, 50).toFixed(0)} ms`);
  figure('  medians: HTML done / DOMContentLoaded', `${median((r) => r.htmlMs)} / ${median((r) => r.domContentLoadedMs)}`, 'ms');
  figure('  medians: /api/ohlc asked / arrived', `${median((r) => r.ohlcStartMs)} / ${median((r) => r.ohlcEndMs)}`, 'ms');
  figure(
    '  medians: chart mounted / bars handed to it',
    `${median((r) => r.chartStartedMs)} / ${median((r) => r.barsReceivedMs)}`,
    'ms',
    'then parse, setData and the next frame',
  );
  figure(
    '  candles drawn by the boot script, before hydration',
    `${runs.filter((r) => r.booted).length} of ${runs.length} runs`,
    '',
    'the others by the chart component after hydration, as before',
  );
  // What differs in the slow navigations: every run's phases, slowest last.
  console.log('  each run, by candles (ms from navigation; CPU = main-thread task / script time to the candles):');
  console.log('    candles  1st byte  HTML  scripts  DCL  mounted  ohlc asked→arrived  bars  | CPU task/script  long tasks (longest)');
  for (const r of [...runs].sort((a, b) => a.candlesMs - b.candlesMs)) {
    const n = (v: number): string => v.toFixed(0);
    console.log(
      `    ${n(r.candlesMs).padStart(7)}  ${n(r.htmlFirstByteMs).padStart(8)}  ${n(r.htmlMs).padStart(4)}  ${n(r.scriptsEndMs).padStart(7)}  ` +
        `${n(r.domContentLoadedMs).padStart(3)}  ${n(r.chartStartedMs).padStart(7)}  ${`${n(r.ohlcStartMs)}→${n(r.ohlcEndMs)}`.padStart(18)}  ` +
        `${n(r.barsReceivedMs).padStart(4)}  | ${`${n(r.taskMs)}/${n(r.scriptMs)}`.padStart(15)}  ${r.longTasks} (${n(r.longestTaskMs)})`,
    );
  }
  if (runs.some((r) => r.chromiumCpuMs !== undefined)) {
    figure(
      '  CPU a navigation, medians: Chromium / renderer / server',
      `${median((r) => r.chromiumCpuMs ?? NaN)} / ${median((r) => r.rendererCpuMs ?? NaN)} / ${median((r) => r.serverCpuMs ?? NaN)}`,
      'ms',
      'every process, /proc: compares builds and hosts under load better than the wall times',
    );
  }
  const first = runs[0];
  if (first) {
    figure(
      '  on the wire: HTML / scripts / /api/ohlc',
      `${(first.htmlBytes / 1e3).toFixed(0)} / ${(first.scriptBytes / 1e3).toFixed(0)} / ${(first.ohlcBytes / 1e3).toFixed(0)}`,
      'kB',
      `${first.barCount.toLocaleString('en-US')} bars drawn; ${first.apiBesideBars} other /api/* request(s) started before the bars arrived`,
    );
  }
}
