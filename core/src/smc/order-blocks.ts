// Order blocks (spec §5), batch: the bullish pass over all bars, then the bearish pass seeing what it left.
import { orderBlockPass, type OrderBlock } from './order-block-pass.ts';
import type { SmcBars } from './smc-bars.ts';
import { nanColumns, type SmcColumns } from './smc-params.ts';

export function orderBlocks(bars: SmcBars, swingLabels: Float64Array, closeMitigation = false): SmcColumns<'ob'> {
  const n = bars.length;
  const bullish = new Map<number, OrderBlock>();
  for (const b of orderBlockPass(bars, 1, swingLabels, closeMitigation)) bullish.set(b.row, b);
  const inherit = (row: number): { breaker: boolean; mitigated: number } | undefined => {
    const b = bullish.get(row);
    return b && { breaker: b.breaker, mitigated: b.mitigated };
  };
  const bearish = orderBlockPass(bars, -1, swingLabels, closeMitigation, inherit);
  const out = nanColumns('ob', n);
  for (const b of bullish.values()) writeOrderBlock(out, b);
  for (const b of bearish) {
    // A bearish block overwrites the row (§5.4); erased, it empties the row.
    if (b.erased) clearRow(out, b.row);
    else writeOrderBlock(out, b);
  }
  return out;
}

function writeOrderBlock(out: SmcColumns<'ob'>, b: OrderBlock): void {
  if (b.erased) return;
  out.OB[b.row] = b.dir;
  out.Top[b.row] = b.top;
  out.Bottom[b.row] = b.bottom;
  out.OBVolume[b.row] = b.volume;
  out.MitigatedIndex[b.row] = b.mitigated;
  out.Percentage[b.row] = b.percentage;
}

function clearRow(out: SmcColumns<'ob'>, row: number): void {
  out.OB[row] = out.Top[row] = out.Bottom[row] = out.OBVolume[row] = out.MitigatedIndex[row] = out.Percentage[row] = NaN;
}

/** The row values of block `b` in the library's column order (live engine). */
export function orderBlockValues(b: OrderBlock): number[] {
  return [b.dir, b.top, b.bottom, b.volume, b.mitigated, b.percentage];
}
