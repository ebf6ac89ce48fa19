// Merges fetched candles into the store and draws what changed: only the tail through single
// updates when the change starts at or after the last candle drawn, else everything through setData,
// keeping the bars the user was looking at in view.
import type { CandleDrawer } from './candle-drawer.ts';
import { type Candle, indexAtOrAfter } from './candle-merge.ts';
import type { CandleStore } from './candle-store.ts';
import { preservedRange } from './visible-range.ts';

export function mergeAndDraw(
  store: CandleStore,
  drawer: CandleDrawer,
  fetched: readonly Candle[],
  coverFrom: number | undefined,
  lastClosed: boolean,
): void {
  const before = store.all();
  const range = drawer.visibleRange();
  const changedFrom = store.merge(fetched, coverFrom, lastClosed);
  if (changedFrom === undefined) return;
  const after = store.all();
  const drawn = drawer.drawnLast;
  const tailOnly = drawn !== undefined && changedFrom >= drawn && after[indexAtOrAfter(after, drawn)]?.time === drawn;
  if (tailOnly) {
    for (let i = indexAtOrAfter(after, changedFrom); i < after.length; i++) drawer.queue(after[i] as Candle);
  } else {
    drawer.drawAll(preservedRange(before, after, range));
  }
}
