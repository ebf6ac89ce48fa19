// Test bar builders: tiny helpers the indicator tests use to turn price lists into OhlcBar series.
import type { OhlcBar } from '../bar.ts';

export const TEST_T0 = 1_700_000_000_000;
export const TEST_STEP = 60_000;

/** One bar per close; open/high/low equal the close. */
export function barsFromCloses(closes: readonly number[]): OhlcBar[] {
  return closes.map((close, i) => ({ time: TEST_T0 + i * TEST_STEP, open: close, high: close, low: close, close, volume: 0 }));
}

/** One bar per [high, low, close] row; open equals the close. */
export function barsFromHlc(rows: readonly (readonly [number, number, number])[]): OhlcBar[] {
  return rows.map(([high, low, close], i) => ({ time: TEST_T0 + i * TEST_STEP, open: close, high, low, close, volume: 0 }));
}

/** Feeds every bar to `update` and returns the results. */
export function streamAll<V>(indicator: { update(bar: OhlcBar): V | undefined }, bars: readonly OhlcBar[]): (V | undefined)[] {
  return bars.map((bar) => indicator.update(bar));
}
