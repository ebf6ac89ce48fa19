// The web benchmark's browser half, in Debian's Chromium: first paint of 10,000 bars (the chart's
// own performance marks) and what a live tick message costs the main thread.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, CDPSession, Page } from 'playwright';
import { CHROMIUM_ARGS, CHROMIUM_PATH, chromiumLaunchNote } from '../tests/e2e/chromium-launch.ts';
import { BENCH_CONTRACT, type StandInBroadcaster } from './web-stack.ts';
import { printTraceSummary, startTrace, stopTrace, type TraceSummary } from './web-trace.ts';

declare global {
  interface Window {
    /** web/lib/chart/test-hook.ts, as far as the benchmark reads it. */
    __barstream?: { lastBar: { close: number } | null; handlerTimings(): number[] };
  }
}

/** The e2e suite's launch (tests/e2e/chromium-launch.ts); its flags are printed. */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright');
  console.log(chromiumLaunchNote());
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
}

interface Measured {
  readonly durationMs: number;
  readonly barCount: number;
  /** Drawn by the chart boot script before hydration (web/lib/chart/chart-boot.ts). */
  readonly booted: boolean;
  /** bars-received → the frame after every bar is in the series (the boot's 'bars-received-to-all-set':
   * its first frame draws from the last bars, web/lib/chart/candle-chart.ts); NaN when the chart
   * component drew them. */
  readonly allSetMs: number;
}

let profiles = 0;

/** Opens the chart and waits for its 'bars-first-paint' measure (bars-received → bars-painted).
 * `profileDir`: the page's main-thread CPU profile from navigation to that measure is written there.
 * `trace`: a Chromium performance trace of the run ('full': printed as where the window's time went). */
export async function openAndMeasureFirstPaint(
  browser: Browser,
  webUrl: string,
  bars: number,
  profileDir?: string,
  contract = BENCH_CONTRACT,
  trace: 'full' | 'cpu' | false = false,
): Promise<{ page: Page; measured: Measured; trace?: TraceSummary }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  if (trace) await startTrace(browser, page);
  const cdp = profileDir === undefined ? undefined : await page.context().newCDPSession(page);
  if (cdp) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
  }
  await page.goto(`${webUrl}/trends?contract=${contract}&tf=1m&bars=${bars}`);
  const handle = await page.waitForFunction(
    () => {
      const m = performance.getEntriesByName('bars-first-paint')[0] as PerformanceMeasure | undefined;
      if (!m) return null;
      const booted = document.querySelector('[data-booted]') !== null;
      const allSet = performance.getEntriesByName('bars-received-to-all-set')[0];
      // A boot that sets the rest of the bars after the first frame (older builds do not: no wait).
      const boot = (window as unknown as { __barstreamChartBoot?: { chart?: { afterAllSet?: unknown } } }).__barstreamChartBoot;
      if (booted && !allSet && typeof boot?.chart?.afterAllSet === 'function') return null;
      return { durationMs: m.duration, barCount: (m.detail as { barCount: number }).barCount, booted, allSetMs: allSet?.duration ?? NaN };
    },
    undefined,
    { timeout: 30_000 },
  );
  if (cdp && profileDir !== undefined) {
    const { profile } = await cdp.send('Profiler.stop');
    mkdirSync(profileDir, { recursive: true });
    const file = join(profileDir, `first-paint-${++profiles}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    console.log(`(CPU profile of the page: ${file})`);
    await cdp.detach();
  }
  const summary = trace ? await stopTrace(browser, trace === 'full') : undefined;
  if (summary && trace === 'full') printTraceSummary(summary);
  return { page, ...(summary ? { trace: summary } : {}), measured: (await handle.jsonValue()) as Measured };
}

async function taskSeconds(cdp: CDPSession): Promise<Record<string, number>> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(metrics.filter((m) => /Duration$/.test(m.name)).map((m) => [m.name, m.value]));
}

export interface LiveCost {
  readonly messages: number;
  /** Per message: JSON.parse + zod + candle store + series.update, as the socket handler timed it. */
  readonly handlerMs: readonly number[];
  /** All main-thread task time during the run (handlers, chart redraws, GC) divided by messages. */
  readonly taskMsPerMessage: number;
  /** Share of the run's wall time the main thread was busy. */
  readonly busyFraction: number;
  readonly seconds: number;
}

/** Sends `count` tick batches (3 trades each, in the forming minute) from the stand-in broadcaster. */
export async function measureLiveTicks(page: Page, broadcaster: StandInBroadcaster, count: number, intervalMs: number): Promise<LiveCost> {
  await page.getByTestId('connection-status').filter({ hasText: 'live' }).waitFor({ timeout: 15_000 });
  if (broadcaster.subscribers() !== 1) throw new Error(`expected one chart page subscribed, found ${broadcaster.subscribers()}`);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const startCount = await page.evaluate(() => window.__barstream?.handlerTimings().length ?? 0);
  const last = await page.evaluate(() => window.__barstream?.lastBar?.close ?? 5000);
  const before = await taskSeconds(cdp);
  const started = Date.now();
  for (let i = 0; i < count; i++) {
    const now = Date.now();
    const ticks = [0, 1, 2].map((k) => ({
      timestamp: new Date(now - 2 + k).toISOString(),
      price: last + (((i * 3 + k) % 9) - 4) * 0.25,
      volume: 1 + k,
      side: k % 2 ? 'buy' : 'sell',
    }));
    broadcaster.send({ type: 'ticks', contract_id: BENCH_CONTRACT, ticks });
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  await page.waitForFunction((n) => (window.__barstream?.handlerTimings().length ?? 0) >= n, Math.min(startCount + count, 2_000));
  await page.waitForTimeout(300); // the last redraw
  const after = await taskSeconds(cdp);
  const seconds = (Date.now() - started) / 1000;
  const handlerMs = await page.evaluate((n) => (window.__barstream?.handlerTimings() ?? []).slice(-n), count);
  const delta = (name: string): number => (((after[name] ?? 0) - (before[name] ?? 0)) * 1000) / count;
  const busyFraction = ((after.TaskDuration ?? 0) - (before.TaskDuration ?? 0)) / seconds;
  return { messages: count, handlerMs, taskMsPerMessage: delta('TaskDuration'), busyFraction, seconds };
}
