// The rules a bar must pass before it is stored: those of ohlc_bars' CHECKs and of the bar CSV readers.
import type { OhlcBar } from './bar.ts';

/** Why `bar` cannot be stored, or undefined when it can. */
export function barProblem(bar: OhlcBar): string | undefined {
  const { time, open, high, low, close, volume } = bar;
  if (!Number.isSafeInteger(time)) return `time ${time} is not a whole number of milliseconds`;
  // Written out rather than looped over a list: this runs for every row of million-row files.
  if (!(open > 0 && Number.isFinite(open))) return `open ${open} is not a positive number`;
  if (!(high > 0 && Number.isFinite(high))) return `high ${high} is not a positive number`;
  if (!(low > 0 && Number.isFinite(low))) return `low ${low} is not a positive number`;
  if (!(close > 0 && Number.isFinite(close))) return `close ${close} is not a positive number`;
  if (high < Math.max(open, close, low) || low > Math.min(open, close)) {
    return `high ${high} / low ${low} do not contain open ${open} and close ${close}`;
  }
  if (!Number.isFinite(volume) || volume < 0) return `volume ${volume} is not a non-negative number`;
  return undefined;
}

/** barProblem(bar) === undefined, from the values alone: the per-row check of the parsers' fast paths. */
export function isStorableBar(time: number, open: number, high: number, low: number, close: number, volume: number): boolean {
  return (
    Number.isSafeInteger(time) &&
    open > 0 &&
    open < Infinity &&
    high > 0 &&
    high < Infinity &&
    low > 0 &&
    low < Infinity &&
    close > 0 &&
    close < Infinity &&
    high >= Math.max(open, close, low) &&
    low <= Math.min(open, close) &&
    volume >= 0 &&
    volume < Infinity
  );
}
