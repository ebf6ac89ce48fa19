// A bar as a deterministic path of trades (open → low/high → high/low → close) whose aggregate is
// exactly that bar: how replays and history backfill feed bars through the same aggregator as live.
import type { OhlcBar } from './bar.ts';
import type { Trade } from './schemas/tick.ts';

/** Four trades inside [from, to): prices O, then the extreme against the close's direction, the
 * other extreme, then C; volumes sum exactly to the bar's (integers split in integers, else halves). */
export function barTradePath(contractId: string, bar: OhlcBar, from: number, to: number): Trade[] {
  const up = bar.close >= bar.open;
  const prices = [bar.open, up ? bar.low : bar.high, up ? bar.high : bar.low, bar.close];
  const volumes = splitVolume(bar.volume);
  const span = Math.max(0, to - from);
  return prices.map((price, i) => ({
    contractId,
    time: from + Math.floor((span * i) / 4),
    price,
    volume: volumes[i] as number,
    side: 'unknown' as const,
  }));
}

function splitVolume(volume: number): [number, number, number, number] {
  if (Number.isInteger(volume)) {
    const q = Math.floor(volume / 4);
    return [q, q, q, volume - 3 * q];
  }
  // Halving is exact in binary floating point, and 0 + h + 0 + h sums back to the volume exactly.
  const half = volume / 2;
  return half + half === volume ? [half, 0, 0, half] : [0, 0, 0, volume];
}
