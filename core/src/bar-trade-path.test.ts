import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BarAggregator } from './bar-aggregator.ts';
import { barTradePath } from './bar-trade-path.ts';
import { SessionCalendar, UTC_CALENDAR } from './session-calendar.ts';
import { parseTimeframe } from './timeframe.ts';

describe('barTradePath', () => {
  it('aggregates back to exactly the bar, for any valid bar', () => {
    const calendar = new SessionCalendar(UTC_CALENDAR);
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 1e6, noNaN: true }),
        fc.double({ min: 0.01, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1e4, noNaN: true }),
        fc.double({ min: 0, max: 1e4, noNaN: true }),
        fc.oneof(fc.integer({ min: 0, max: 1e9 }), fc.double({ min: 0, max: 1e9, noNaN: true })),
        (a, b, up, down, volume) => {
          const bar = {
            time: Date.UTC(2025, 0, 2, 3, 5),
            open: a,
            close: b,
            high: Math.max(a, b) + up,
            low: Math.max(0.001, Math.min(a, b) - down),
            volume,
          };
          const agg = new BarAggregator({ timeframes: [parseTimeframe('5m')], calendarFor: () => calendar, graceMs: 0 });
          for (const t of barTradePath('X', bar, bar.time, bar.time + 300_000)) agg.addTrade(t, t.time);
          const [out] = agg.drain();
          expect(out).toMatchObject({ time: bar.time, open: bar.open, high: bar.high, low: bar.low, close: bar.close, volume: bar.volume });
        },
      ),
    );
  });
});
