// A deterministic Coinbase trade tape and the candles the venue would publish for it (its REST history):
// prices in cents and sizes in eighths, so every sum is exact in binary and in decimal.
import type { FakeCandle, FakeTrade } from '../fakes/coinbase-server.ts';

export const TAPE_PRODUCT = 'BTC-USD';

/** One trade every `spacingMs` from `startMs` (a whole minute), `count` trades. */
export function coinbaseTape(startMs: number, count: number, spacingMs: number): FakeTrade[] {
  return Array.from({ length: count }, (_, i) => ({
    productId: TAPE_PRODUCT,
    id: 1_000 + i,
    price: (100 + ((i * 37) % 200) / 100).toFixed(2),
    size: String(((i % 7) + 1) * 0.125),
    // Microseconds past the spacing: the stored ticks keep them, bars must not care.
    time: startMs + i * spacingMs + 0.123,
    side: i % 3 === 0 ? 'SELL' : 'BUY',
  }));
}

/** The tape's candles of `seconds` (open time in UNIX seconds), as the venue would aggregate them. */
export function candlesOf(tape: readonly FakeTrade[], seconds: number): FakeCandle[] {
  const buckets = new Map<number, FakeTrade[]>();
  for (const t of tape) {
    const start = Math.floor(t.time / 1000 / seconds) * seconds;
    buckets.set(start, [...(buckets.get(start) ?? []), t]);
  }
  return [...buckets.entries()].map(([start, trades]) => {
    const prices = trades.map((t) => Number(t.price));
    return {
      start,
      open: trades[0]?.price ?? '0',
      high: Math.max(...prices).toFixed(2),
      low: Math.min(...prices).toFixed(2),
      close: trades.at(-1)?.price ?? '0',
      volume: String(trades.reduce((s, t) => s + Number(t.size), 0)),
    };
  });
}
