// Deterministic tick-quantised OHLC bars for tests that must not depend on ../shared.
import type { OhlcBar } from '../../core/src/bar.ts';
import { seededRandom } from '../../ingester/src/providers/seeded-random.ts';

export function syntheticBars(
  count: number,
  options: { start: number; stepMs: number; seed?: number; tick?: number; price?: number },
): OhlcBar[] {
  const random = seededRandom(options.seed ?? 1);
  const tick = options.tick ?? 0.25;
  let price = options.price ?? 5000;
  const bars: OhlcBar[] = [];
  for (let i = 0; i < count; i++) {
    const open = price;
    const close = open + Math.round((random() - 0.5) * 24) * tick;
    const high = Math.max(open, close) + Math.floor(random() * 8) * tick;
    const low = Math.min(open, close) - Math.floor(random() * 8) * tick;
    bars.push({ time: options.start + i * options.stepMs, open, high, low, close, volume: 1 + Math.floor(random() * 1000) });
    price = close;
  }
  return bars;
}
