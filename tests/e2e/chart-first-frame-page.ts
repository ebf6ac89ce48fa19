// The browser side of chart-first-frame.spec.ts (bundled by the spec with esbuild): two candle charts
// of the same size and the same 10,000 1m candles, one drawing its first frame from the last bars
// (as the chart does), one from all of them at once (as it did before), and each canvas's pixels as
// the first frame left them and once every bar is set.
import { CME_CALENDAR, parseTimeframe, SessionCalendar } from '@barstream/core';
import type { UTCTimestamp } from 'lightweight-charts';
import { createCandleChart } from '../../web/lib/chart/candle-chart.ts';
import type { Candle } from '../../web/lib/chart/candle-merge.ts';

/** Every canvas of the chart in `container`, as PNG data URLs, in document order. */
const pixels = (container: HTMLElement): string[] => [...container.querySelectorAll('canvas')].map((c) => c.toDataURL('image/png'));

function candles(count: number): Candle[] {
  // A deterministic walk (no Math.random): the same bars in both charts and every run.
  let seed = 7;
  const next = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const end = Date.UTC(2026, 10, 20, 15, 0) / 1000; // a Friday afternoon, Chicago
  const out: Candle[] = [];
  let close = 5000;
  for (let i = 0; i < count; i++) {
    const open = close;
    close = Math.round((open + (next() - 0.5) * 8) * 4) / 4;
    const high = Math.max(open, close) + Math.round(next() * 8) / 4;
    const low = Math.min(open, close) - Math.round(next() * 8) / 4;
    out.push({ time: (end - (count - 1 - i) * 60) as UTCTimestamp, open, high, low, close, volume: Math.round(10 + next() * 500) });
  }
  return out;
}

export interface FirstFrames {
  readonly lastBars: string[];
  readonly whole: string[];
  readonly lastBarsSettled: string[];
  /** Bars the last-bars chart's series held in its first frame. */
  readonly firstFrameBars: number;
}

async function firstFrames(calendar: 'utc' | 'cme'): Promise<FirstFrames> {
  const all = candles(10_000);
  const tf = parseTimeframe('1m');
  const sessions = calendar === 'cme' ? new SessionCalendar(CME_CALENDAR) : null;
  const zone = calendar === 'cme' ? CME_CALENDAR.timezone : 'UTC';
  const frame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => resolve()));
  const draw = async (id: string, mode: 'last-bars' | 'whole'): Promise<{ first: string[]; settled: string[]; bars: number }> => {
    const container = document.getElementById(id) as HTMLElement;
    const chart = createCandleChart(container, tf, zone, sessions, mode);
    await frame(); // created before the bars, as the boot and the component create it
    await frame();
    chart.draw(all, null);
    const bars = chart.candles.data().length;
    await frame(); // lightweight-charts drew in this frame, before this callback
    const first = pixels(container);
    await new Promise<void>((resolve) => chart.afterAllSet(resolve));
    await frame();
    return { first, settled: pixels(container), bars };
  };
  const lastBars = await draw(`${calendar}-a`, 'last-bars');
  const whole = await draw(`${calendar}-b`, 'whole');
  return { lastBars: lastBars.first, whole: whole.first, lastBarsSettled: lastBars.settled, firstFrameBars: lastBars.bars };
}

(window as unknown as { firstFrames: typeof firstFrames }).firstFrames = firstFrames;
